"""One class per kind of question on a round's form, in one registry.

Each kind says, for its questions: the field an applicant fills in, the field the form
builder's preview shows, how a stored answer reads on a page and in a spreadsheet, and
what stops it being complete at submission. The form builder, the applying pages, the
pages commissioners read and the checks at submission all ask the registry:

    kind = question_kind(question)
    kind.field(question, context)

A kind needs some things besides the question and its answer (the round's priorities,
the places a group can choose, the group's documents, the budget's costs). The caller
reads them once and passes them in an ``AnswerContext``, so this module reads nothing
from the database and knows nothing of the apps that store answers.

Answers are stored as JSON: text, a whole number, an amount as text ("1250.50"), an ISO
date, "yes"/"no", a choice or a list of choices, a list of priority ids ("theme:3"), a
list of locality ids, ``{"document": id, "title": ...}`` for a file and
``{"total": "300.00"}`` for a budget table.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from microcomm.formatting import london_datetime, pounds
from microcomm.govuk import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukRadioSelect,
    GovukTextarea,
)
from microcomm.validators import parse_money
from rounds.answers import is_answered, locality_ids_of, words_over
from rounds.models import Question
from rounds.visibility import YES_NO_VALUES

K = Question.Kind
PLACE_GONE = "A place no longer on the list"
SHORT_TEXT_MAX_CHARS = 2_000
# A long answer over its word limit is kept and flagged, so the cap sits well above any
# limit: 10,000 characters, or 10 a word for a question allowing more than 1,000 words.
LONG_TEXT_MAX_CHARS = 10_000
LONG_TEXT_CHARS_PER_WORD = 10


@dataclass(frozen=True)
class Option:
    """One thing a question offers to choose: its stored value, its words and a hint."""

    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class AnswerContext:
    """What the kinds need besides a question and its answer, read once by the caller.

    ``priorities`` maps a priority's stable id to its words, in the order offered;
    ``places`` maps a locality id to its name (the places offered, or the places the
    answers name); ``documents`` are the group's documents a file question offers;
    ``budget_costs`` are the amounts of the budget's cost lines (None when not read).
    """

    priorities: Mapping[str, str] = field(default_factory=dict)
    places: Mapping[int, str] = field(default_factory=dict)
    documents: Sequence[Option] = ()
    budget_costs: Sequence[Decimal] | None = None


# Fields --------------------------------------------------------------------------------


class _SavedWhenEmpty:
    """A field that shows as required but lets an empty answer through, to save a draft."""

    def validate(self, value: Any) -> None:
        if value in self.empty_values:  # type: ignore[attr-defined]
            return
        super().validate(value)  # type: ignore[misc]


def _lenient(field_class: type[forms.Field]) -> type[forms.Field]:
    return type(f"Draft{field_class.__name__}", (_SavedWhenEmpty, field_class), {})


class MoneyField(forms.CharField):
    """Pounds typed as people write them ("£1,250.50"); cleans to text such as "1250.50"."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not text:
            return None
        return str(parse_money(text, label=str(self.label or "Amount")))


DraftCharField = _lenient(forms.CharField)
DraftIntegerField = _lenient(forms.IntegerField)
DraftMoneyField = _lenient(MoneyField)
DraftDateField = _lenient(GovukDateField)
DraftChoiceField = _lenient(forms.ChoiceField)
DraftMultipleChoiceField = _lenient(forms.MultipleChoiceField)
DraftTypedMultipleChoiceField = _lenient(forms.TypedMultipleChoiceField)


def _common(question: Question) -> dict[str, Any]:
    return {"label": question.label, "help_text": question.hint, "required": question.required}


def _text_field(question: Question, *, max_length: int, **kwargs: Any) -> forms.Field:
    """A text answer refused, before anything else reads it, when it is over ``max_length``."""
    return DraftCharField(
        max_length=max_length,
        error_messages={"max_length": f"Answer must be {max_length:,} characters or fewer"},
        **kwargs,
        **_common(question),
    )


def long_text_max_chars(question: Question) -> int:
    """The most characters a long text answer may hold."""
    return max(LONG_TEXT_MAX_CHARS, (question.word_limit or 0) * LONG_TEXT_CHARS_PER_WORD)


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value).strip().lower()
    return {"yes": "Yes", "no": "No", "true": "Yes", "false": "No"}.get(text, str(value))


CHOICE_MAX_CHARS = 200
"""The longest choice a question may offer: a choice can show another question, whose
answer that shows it is kept in as many characters."""


def choices_problem(choices: Sequence[str]) -> str:
    """What is wrong with a question's choices, naming the first choice it is about, or ''."""
    seen: dict[str, int] = {}
    for number, choice in enumerate(choices, start=1):
        if len(choice) > CHOICE_MAX_CHARS:
            return f"Choice {number}: use {CHOICE_MAX_CHARS} characters or fewer"
        key = choice.casefold()
        if key in seen:
            return (
                f"Choice {number}: ‘{choice}’ is the same as choice {seen[key]}. "
                "Enter each choice only once"
            )
        seen[key] = number
    return ""


# Kinds ---------------------------------------------------------------------------------


class QuestionKind:
    """A kind of question. Subclasses set ``kind`` and override what differs."""

    kind: ClassVar[str]
    builder_hint: ClassVar[str] = ""
    """What the form builder says about the kind when a commissioner chooses it."""

    def field(self, question: Question, context: AnswerContext) -> forms.Field | None:
        """The field an applicant fills in, which saves a draft with an empty answer;
        None when the kind has a page of its own (the budget table)."""
        return _text_field(question, max_length=SHORT_TEXT_MAX_CHARS)

    def preview(self, question: Question, context: AnswerContext) -> forms.Field | None:
        """The field the form builder's preview shows; never submitted."""
        return self.field(question, context)

    def initial(self, question: Question, value: Any) -> Any:
        """A stored answer as the field shows it."""
        return value

    def stored(self, question: Question, cleaned: Any, context: AnswerContext) -> Any:
        """A cleaned field value as the answer stores it (JSON); None for no answer."""
        if cleaned in (None, "", [], ()):
            return None
        return cleaned

    csv_as_stored: ClassVar[bool] = False
    """Whether a spreadsheet cell keeps the stored value (an amount, a date) as it is."""

    def display(self, question: Question, value: Any, context: AnswerContext) -> str | list[str]:
        """A stored answer in words; a list when it holds several things; '' for none."""
        if not is_answered(value):
            return ""
        return self.words(question, value, context)

    def words(self, question: Question, value: Any, context: AnswerContext) -> str | list[str]:
        """A given answer in words: what ``display`` shows once it knows there is one."""
        if isinstance(value, list):
            return [str(item) for item in value]
        return str(value)

    def text(self, question: Question, value: Any, context: AnswerContext) -> str:
        """A stored answer in words on one line, several things joined by semicolons."""
        shown = self.display(question, value, context)
        return "; ".join(shown) if isinstance(shown, list) else shown

    def csv_value(self, question: Question, value: Any, context: AnswerContext) -> str:
        """A stored answer as one spreadsheet cell."""
        if self.csv_as_stored:
            return str(value) if is_answered(value) else ""
        return self.text(question, value, context)

    def problems(self, question: Question, value: Any, context: AnswerContext) -> list[str]:
        """What stops the answer being complete at submission."""
        over = words_over(question, value)
        if over:
            return [f"'{question.label}' has {over} word{'s' * (over != 1)} too many"]
        if question.required and not is_answered(value):
            return [f"{self.missing_verb} '{question.label}'"]
        return []

    missing_verb: ClassVar[str] = "Answer"


class ShortText(QuestionKind):
    kind = K.SHORT_TEXT


class LongText(QuestionKind):
    kind = K.LONG_TEXT
    builder_hint = "Set a word limit below"

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return _text_field(
            question,
            max_length=long_text_max_chars(question),
            widget=GovukTextarea(max_words=question.word_limit),
        )


class WholeNumber(QuestionKind):
    kind = K.WHOLE_NUMBER

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftIntegerField(
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
            error_messages={"invalid": "Enter a whole number, like 12"},
            **_common(question),
        )


class Money(QuestionKind):
    kind = K.MONEY

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftMoneyField(
            widget=forms.TextInput(
                attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "prefix": "£"}
            ),
            **_common(question),
        )

    csv_as_stored = True

    def words(self, question: Question, value: Any, context: AnswerContext) -> str:
        try:
            return pounds(Decimal(str(value)))
        except ArithmeticError:
            return str(value)


_FUTURE_QUESTION = re.compile(r"^\s*when will\b", re.IGNORECASE)
_WHICH_DATE = (("start", "start date"), ("begin", "start date"), ("end", "end date"))


def future_date_problem(question: Question, value: datetime.date) -> str:
    """Why a date answer cannot be right, or ''. A question about what will happen ("When
    will the activity start?") is answered with today or a later day, in Europe/London."""
    if not _FUTURE_QUESTION.match(question.label):
        return ""
    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    if value >= today:
        return ""
    label = question.label.lower()
    name = next((name for word, name in _WHICH_DATE if re.search(rf"\b{word}", label)), "date")
    return f"The {name} must be today or in the future"


class Date(QuestionKind):
    kind = K.DATE

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        def not_past(value: datetime.date) -> None:
            problem = future_date_problem(question, value)
            if problem:
                raise ValidationError(problem, code="past")

        return DraftDateField(validators=[not_past], **_common(question))

    def stored(self, question: Question, cleaned: Any, context: AnswerContext) -> Any:
        if isinstance(cleaned, datetime.date):
            return cleaned.isoformat()
        return super().stored(question, cleaned, context)

    def words(self, question: Question, value: Any, context: AnswerContext) -> str:
        try:
            return london_datetime(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)

    def problems(self, question: Question, value: Any, context: AnswerContext) -> list[str]:
        passed = self.passed(question, value)
        return [passed] if passed else super().problems(question, value, context)

    def passed(self, question: Question, value: Any) -> str:
        """Why a date that was fine when typed is no longer right (its day has passed), or
        '': submission checks it again, since a draft can wait weeks."""
        if not is_answered(value):
            return ""
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return ""
        problem = future_date_problem(question, day)
        if not problem:
            return ""
        return (
            f"'{question.label}': {london_datetime(day)} has passed. "
            f"{problem.replace('must be', 'must now be')}"
        )


class YesNo(QuestionKind):
    kind = K.YES_NO

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftChoiceField(
            choices=list(YES_NO_VALUES.items()),
            widget=GovukRadioSelect(inline=True),
            **_common(question),
        )

    def words(self, question: Question, value: Any, context: AnswerContext) -> str:
        return _yes_no(value)


class OneChoice(QuestionKind):
    kind = K.ONE_CHOICE
    builder_hint = "Enter the choices below"

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        choices = [(choice, choice) for choice in question.choices]
        return DraftChoiceField(choices=choices, widget=GovukRadioSelect(), **_common(question))


class SeveralChoices(QuestionKind):
    kind = K.SEVERAL_CHOICES
    builder_hint = "Enter the choices below"

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        choices = [(choice, choice) for choice in question.choices]
        return DraftMultipleChoiceField(
            choices=choices, widget=GovukCheckboxSelectMultiple(), **_common(question)
        )


class Priorities(QuestionKind):
    """The round's priorities, stored by their stable ids ("theme:3"), shown by their words."""

    kind = K.PRIORITIES
    builder_hint = "Lists the priorities you set for this round"

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftMultipleChoiceField(
            choices=list(context.priorities.items()),
            widget=GovukCheckboxSelectMultiple(),
            error_messages={"invalid_choice": "Select priorities from the list"},
            **_common(question),
        )

    def words(self, question: Question, value: Any, context: AnswerContext) -> list[str]:
        items = value if isinstance(value, list) else [value]
        return [context.priorities.get(str(item), str(item)) for item in items]


class Localities(QuestionKind):
    """Places from the scheme's list, stored by locality id."""

    kind = K.LOCALITIES
    builder_hint = (
        "Lists the round's eligible localities, or every ward of the scheme if it has none"
    )

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftTypedMultipleChoiceField(
            choices=list(context.places.items()),
            coerce=int,
            widget=GovukCheckboxSelectMultiple(),
            error_messages={"invalid_choice": "Select places from the list"},
            **_common(question),
        )

    def stored(self, question: Question, cleaned: Any, context: AnswerContext) -> Any:
        if not cleaned:
            return None
        return sorted({int(item) for item in cleaned})

    def words(self, question: Question, value: Any, context: AnswerContext) -> list[str]:
        return sorted(context.places.get(pk, PLACE_GONE) for pk in locality_ids_of(value))


class File(QuestionKind):
    """A document from the group's vault, stored as ``{"document": id, "title": ...}``."""

    kind = K.FILE
    missing_verb = "Upload or choose a document for"

    def field(self, question: Question, context: AnswerContext) -> forms.Field:
        return DraftChoiceField(
            choices=[(document.value, document.label) for document in context.documents],
            widget=GovukRadioSelect(
                item_hints={document.value: document.hint for document in context.documents}
            ),
            **_common(question),
        )

    def preview(self, question: Question, context: AnswerContext) -> forms.Field:
        return forms.FileField(**_common(question))

    def initial(self, question: Question, value: Any) -> Any:
        return str(value.get("document", "")) if isinstance(value, dict) else value

    def stored(self, question: Question, cleaned: Any, context: AnswerContext) -> Any:
        document = next((d for d in context.documents if d.value == str(cleaned)), None)
        if not cleaned or document is None:
            return None
        return {"document": int(document.value), "title": document.label}

    def words(self, question: Question, value: Any, context: AnswerContext) -> str:
        return str(value.get("title", "")) if isinstance(value, dict) else str(value)


class Budget(QuestionKind):
    """The budget table, filled in on a page of its own; the answer keeps the total."""

    kind = K.BUDGET
    builder_hint = "Item, category and amount, with a total"

    def field(self, question: Question, context: AnswerContext) -> None:
        return None

    def words(self, question: Question, value: Any, context: AnswerContext) -> str:
        if isinstance(value, dict):
            return f"Total costs {pounds(Decimal(value.get('total') or '0'))}"
        return ""

    def csv_value(self, question: Question, value: Any, context: AnswerContext) -> str:
        return str(value.get("total") or "") if isinstance(value, dict) else ""

    def problems(self, question: Question, value: Any, context: AnswerContext) -> list[str]:
        costs = list(context.budget_costs or [])
        if not costs:
            return ["Add at least one cost to your budget"] if question.required else []
        round = question.section.round
        total = sum(costs, Decimal("0"))
        if not round.minimum_grant <= total <= round.maximum_grant:
            return [
                f"Ask for between {pounds(round.minimum_grant)} and "
                f"{pounds(round.maximum_grant)}: your costs add up to {pounds(total)}"
            ]
        return []


KINDS: dict[str, QuestionKind] = {
    kind.kind: kind()
    for kind in (
        ShortText,
        LongText,
        WholeNumber,
        Money,
        Date,
        YesNo,
        OneChoice,
        SeveralChoices,
        Priorities,
        Localities,
        File,
        Budget,
    )
}


def question_kind(question: Question) -> QuestionKind:
    """The kind of a question, from the registry."""
    return KINDS[question.kind]
