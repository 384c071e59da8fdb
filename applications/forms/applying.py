"""Forms for applying: one section of a round's form, the budget table, starting, submitting.

A section form saves whatever it can. Every field parses what was typed, but an empty
required answer is not an error until the section is marked completed, and text over a
word limit is kept (and flagged) rather than refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from applications.models import Answer, BudgetLine
from applications.services.applying import BudgetRow, Conflict, budget_version
from microcomm.forms import reason_field
from microcomm.govuk import GovukRadioSelect
from microcomm.validators import parse_money
from rounds.answers import words_over
from rounds.models import FormSection, Question, Round
from rounds.question_kinds import AnswerContext, question_kind


class SectionForm(forms.Form):
    """One section of the application form, with the answer versions it was loaded at."""

    use_required_attribute = False

    def __init__(
        self,
        data: Any = None,
        *,
        section: FormSection,
        questions: list[Question],
        answers: dict[int, Answer],
        context: AnswerContext,
        conflicts: list[Conflict] | None = None,
        resolving: set[int] | None = None,
        completed: bool | None = None,
        prefill: dict[int, Any] | None = None,
        from_profile: dict[int, Any] | None = None,
    ) -> None:
        super().__init__(data)
        prefill = prefill or {}
        self.section = section
        self.questions = questions
        self.conflicts = {conflict.question.pk: conflict for conflict in conflicts or []}
        self.context = context
        self.budget_questions: list[Question] = []
        # Answers the group's profile holds: shown, not asked (question id to words).
        self.from_profile: dict[int, str] = {}
        for question in questions:
            kind = question_kind(question)
            if from_profile is not None and question.pk in from_profile:
                self.from_profile[question.pk] = kind.text(
                    question, from_profile[question.pk], context
                )
                continue
            field = kind.field(question, context)
            if field is None:
                self.budget_questions.append(question)
                continue
            answer = answers.get(question.pk)
            if answer is not None:
                field.initial = kind.initial(question, answer.value)
            elif question.pk in prefill:
                field.initial = kind.initial(question, prefill[question.pk])
            self.fields[f"q{question.pk}"] = field
            self.fields[f"version_q{question.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                initial=answer.version if answer else 0,
            )
            if question.pk in self.conflicts or question.pk in (resolving or set()):
                self.fields[f"resolve_q{question.pk}"] = forms.ChoiceField(
                    label=f"Which answer to ‘{question.label}’ do you want to keep?",
                    choices=[("theirs", "Keep their version"), ("yours", "Keep your version")],
                    widget=GovukRadioSelect(),
                    error_messages={"required": "Choose which version to keep"},
                )
        self.fields["completed"] = forms.ChoiceField(
            label="Have you completed this section?",
            choices=[
                ("yes", "Yes, I’ve completed this section"),
                ("no", "No, I’ll come back later"),
            ],
            widget=GovukRadioSelect(attrs={"mark_optional": False}),
            required=False,
            initial=None if completed is None else ("yes" if completed else "no"),
        )
        self.values: dict[int, Any] = {}

    def question_fields(self) -> list[dict[str, Any]]:
        """What the template draws for each question, in order."""
        items = []
        for question in self.questions:
            name = f"q{question.pk}"
            items.append(
                {
                    "question": question,
                    "field": self[name] if name in self.fields else None,
                    "version": self[f"version_{name}"] if name in self.fields else None,
                    "resolve": self[f"resolve_{name}"]
                    if f"resolve_{name}" in self.fields
                    else None,
                    "conflict": self.conflicts.get(question.pk),
                    "from_profile": question.pk in self.from_profile,
                    "profile_answer": self.from_profile.get(question.pk, ""),
                }
            )
        return items

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for question in self.questions:
            name = f"q{question.pk}"
            if name not in cleaned:
                continue
            if f"resolve_{name}" in self.fields and cleaned.get(f"resolve_{name}") != "yours":
                continue
            value = question_kind(question).stored(question, cleaned[name], self.context)
            self.values[question.pk] = value
            over = words_over(question, value)
            if over:
                # Kept as typed and saved; only flagged.
                self.add_error(name, f"You have {over} word{'s' * (over != 1)} too many")
        return cleaned

    def versions(self) -> dict[int, int]:
        """The versions of the answers as they were when the person loaded the page."""
        versions = {}
        for question in self.questions:
            raw = self.data.get(f"version_q{question.pk}") if self.is_bound else None
            try:
                versions[question.pk] = int(raw)
            except (TypeError, ValueError):
                continue
        return versions

    def wants_completed(self) -> bool | None:
        answer = self.data.get("completed") if self.is_bound else None
        return {"yes": True, "no": False}.get(answer or "")


class BudgetForm(forms.Form):
    """The budget table: costs, other funding and support in kind, a fixed number of rows each.

    Without JavaScript, "Add another row" saves and comes back with more empty rows. The
    form is valid only when every row is: a budget is saved whole or not at all. It
    carries the version of the budget it showed (see ``budget_version``).
    """

    use_required_attribute = False
    KINDS = (
        (BudgetLine.Kind.COST, "Costs", 8),
        (BudgetLine.Kind.OTHER_FUNDING, "Other funding", 3),
        (BudgetLine.Kind.IN_KIND, "Support in kind", 3),
    )

    def __init__(
        self, data: Any = None, *, lines: list[BudgetLine], extra: str | None = None
    ) -> None:
        super().__init__(data)
        self.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=budget_version(lines)
        )
        self.kinds: list[dict[str, Any]] = []
        for kind, title, minimum in self.KINDS:
            existing = [line for line in lines if line.kind == kind]
            count = len(existing) + 1
            if data is not None:
                try:
                    count = int(data.get(f"{kind}-rows", count))
                except (TypeError, ValueError):
                    count = minimum
            count = min(max(count, minimum, len(existing) + 1), 50)
            if extra == kind:
                count += 1
            rows = []
            for index in range(count):
                line = existing[index] if index < len(existing) else None
                prefix = f"{kind}-{index}"
                row = f"{title}, row {index + 1}"
                self.fields[f"{prefix}-item"] = forms.CharField(
                    label="Source" if kind == BudgetLine.Kind.OTHER_FUNDING else "Item",
                    required=False,
                    max_length=200,
                    initial=line.item if line else "",
                    error_messages={"max_length": f"{row}: use 200 characters or fewer"},
                )
                if kind == BudgetLine.Kind.COST:
                    self.fields[f"{prefix}-category"] = forms.CharField(
                        label="Category",
                        required=False,
                        max_length=100,
                        initial=line.category if line else "",
                        error_messages={
                            "max_length": f"{row}: use 100 characters or fewer for the category"
                        },
                    )
                self.fields[f"{prefix}-amount"] = forms.CharField(
                    label="Amount",
                    required=False,
                    initial=f"{line.amount:.2f}" if line else "",
                )
                rows.append(prefix)
            self.kinds.append({"kind": kind, "title": title, "prefixes": rows, "count": count})
        self.rows: list[BudgetRow] = []

    def table(self) -> list[dict[str, Any]]:
        return [
            {
                **kind,
                "rows": [
                    {
                        "number": number,
                        "item": self[f"{prefix}-item"],
                        "category": self[f"{prefix}-category"]
                        if f"{prefix}-category" in self.fields
                        else None,
                        "amount": self[f"{prefix}-amount"],
                    }
                    for number, prefix in enumerate(kind["prefixes"], start=1)
                ],
            }
            for kind in self.kinds
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for kind in self.kinds:
            for number, prefix in enumerate(kind["prefixes"], start=1):
                if any(name.startswith(f"{prefix}-") for name in self.errors):
                    continue
                item = (cleaned.get(f"{prefix}-item") or "").strip()
                category = (cleaned.get(f"{prefix}-category") or "").strip()
                text = (cleaned.get(f"{prefix}-amount") or "").strip()
                if not (item or text):
                    continue
                label = f"{kind['title']}, row {number}"
                if not text:
                    self.add_error(
                        f"{prefix}-amount", f"{label}: enter the amount in pounds for {item}"
                    )
                    continue
                try:
                    amount = parse_money(text, label=f"{label}: the amount")
                except ValidationError as error:
                    self.add_error(f"{prefix}-amount", error)
                    continue
                if not item:
                    self.add_error(f"{prefix}-item", f"{label}: enter what the amount is for")
                    continue
                self.rows.append(
                    BudgetRow(kind=kind["kind"], item=item, category=category, amount=amount)
                )
        return cleaned


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Which group is applying?",
        widget=GovukRadioSelect(),
        empty_label=None,
        error_messages={"required": "Select the group that is applying"},
    )

    def __init__(self, data: Any = None, *, organisations: Any) -> None:
        super().__init__(data)
        self.fields["organisation"].queryset = organisations


class AssistStartForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=None,
        label="Which round is the group applying to?",
        empty_label="Select a round",
        error_messages={"required": "Select the round the group is applying to"},
    )
    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Which group are you helping?",
        empty_label="Select a group",
        error_messages={"required": "Select the group you are helping"},
    )

    def __init__(self, data: Any = None, *, rounds: list[Any], organisations: Any) -> None:
        super().__init__(data)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        self.fields["organisation"].queryset = organisations


class CopyForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=None,
        label="Which round do you want to apply to?",
        widget=GovukRadioSelect(),
        empty_label=None,
        error_messages={"required": "Select the round to apply to"},
    )

    def __init__(self, data: Any = None, *, rounds: list[Any]) -> None:
        super().__init__(data)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])


class WithdrawForm(forms.Form):
    reason = reason_field(
        "Why are you withdrawing the application? (optional)",
        help_text="Everyone in your group is told by email, with your reason if you give one.",
    )


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label="I confirm that the information in this application is true and complete, "
        "and that I have the group’s agreement to apply",
        required=False,
    )
