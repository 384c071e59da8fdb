"""Input shapes for the form builder, and the applicant's view of a form for the preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from microcomm.forms import model_choice_field, text_field, whole_number_field
from microcomm.govuk import GovukRadioSelect, GovukTextarea
from rounds.models import FormSection, Question, Round
from rounds.question_kinds import KINDS, AnswerContext, choices_problem, question_kind
from rounds.visibility import CONDITION_KINDS, YES_NO_VALUES, condition_values

KIND_HINTS = {value: kind.builder_hint for value, kind in KINDS.items() if kind.builder_hint}


class SectionForm(forms.Form):
    title = text_field(
        "Section title",
        max_length=200,
        subject="Section title",
        required_message="Enter a section title",
    )
    description = text_field(
        "Description",
        max_length=2_000,
        subject="The description",
        help_text="Shown under the section title, before its questions.",
        rows=3,
    )

    @classmethod
    def for_section(cls, section: FormSection, data: Any = None) -> SectionForm:
        return cls(data, initial={"title": section.title, "description": section.description})


class QuestionForm(forms.Form):
    """A question's wording, kind, limits, choices and the answer that shows it."""

    label = text_field(
        "Question",
        max_length=300,
        subject="Question",
        required_message="Enter the question",
        help_text="Ask one thing, in plain words. For example, “Who will benefit?”",
    )
    hint = text_field(
        "Hint",
        max_length=1_000,
        subject="The hint",
        help_text="Help that appears under the question.",
        rows=2,
    )
    kind = forms.ChoiceField(
        label="Type of answer",
        choices=Question.Kind.choices,
        widget=GovukRadioSelect(item_hints=KIND_HINTS),
        error_messages={"required": "Select the type of answer"},
    )
    required = forms.TypedChoiceField(
        label="Must applicants answer it?",
        choices=[("yes", "Yes, it is required"), ("no", "No, it is optional")],
        coerce=lambda value: value == "yes",
        widget=GovukRadioSelect(),
        error_messages={"required": "Select whether applicants must answer it"},
    )
    word_limit = whole_number_field(
        "Word limit",
        subject="Word limit",
        minimum=10,
        maximum=2000,
        invalid_message="Word limit must be a whole number, like 250",
        help_text="For long text answers only. For example, 250.",
    )
    choices = forms.CharField(
        label="Choices",
        help_text="For ‘one choice’ and ‘several choices’ only. Put each choice on its own line.",
        required=False,
        widget=GovukTextarea(rows=4),
    )
    from_profile = forms.ChoiceField(
        label="Fill the answer from the group's profile",
        help_text=(
            "Applicants do not type what their group's profile already holds: they see it, "
            "with a link to change it in the profile."
        ),
        choices=[("", "No, applicants type the answer"), *Question.FromProfile.choices],
        required=False,
        widget=GovukRadioSelect(),
        error_messages={"invalid_choice": "Select something the profile holds from the list"},
    )
    condition_question = model_choice_field(
        "Show this question only when an earlier question is answered",
        Question.objects.none(),
        help_text="Leave empty to always show it. Only yes or no and choice questions can be used.",
        empty_label="Always show this question",
        invalid_message="Select a question from the list",
    )
    condition_value = forms.CharField(
        label="Answer that shows it",
        help_text="Type Yes or No, or one of the earlier question’s choices exactly.",
        required=False,
        max_length=200,
    )

    def __init__(
        self, *args: Any, round: Round, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "label": question.label,
                "hint": question.hint,
                "kind": question.kind,
                "required": "yes" if question.required else "no",
                "word_limit": question.word_limit,
                "choices": "\n".join(question.choices),
                "from_profile": question.from_profile,
                "condition_question": question.condition_question_id,
                "condition_value": YES_NO_VALUES.get(
                    question.condition_value, question.condition_value
                ),
            }
        kwargs.setdefault("initial", {}).setdefault("required", "yes")
        super().__init__(*args, **kwargs)
        candidates = Question.objects.filter(
            section__round=round, kind__in=CONDITION_KINDS
        ).order_by("section__order", "section_id", "order", "id")
        if question is not None:
            candidates = candidates.exclude(pk=question.pk)
        self.fields["condition_question"].queryset = candidates
        self.fields["condition_question"].label_from_instance = lambda item: item.label

    def clean_choices(self) -> list[str]:
        lines = self.cleaned_data.get("choices", "").splitlines()
        choices = [line.strip() for line in lines if line.strip()]
        problem = choices_problem(choices)
        if problem:
            raise ValidationError(problem)
        return choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        missing_limit = not cleaned.get("word_limit") and "word_limit" not in self.errors
        if kind == Question.Kind.LONG_TEXT and missing_limit:
            self.add_error("word_limit", "Enter a word limit for a long text answer")
        if kind in Question.CHOICE_KINDS and len(cleaned.get("choices") or []) < 2:
            self.add_error("choices", "Enter at least 2 choices, one on each line")
        source = cleaned.get("from_profile")
        if source and kind and kind not in Question.PROFILE_KINDS[Question.FromProfile(source)]:
            self.add_error(
                "from_profile",
                f"{Question.FromProfile(source).label} cannot fill a "
                f"‘{Question.Kind(kind).label.lower()}’ answer: choose another type of answer",
            )
        condition_question = cleaned.get("condition_question")
        typed = (cleaned.get("condition_value") or "").strip()
        if condition_question is None:
            cleaned["condition_value"] = ""
            return cleaned
        values = condition_values(condition_question)
        matched = next(
            (value for value, label in values if typed.lower() in {value.lower(), label.lower()}),
            None,
        )
        if not typed:
            self.add_error("condition_value", "Enter the answer that shows this question")
        elif matched is None:
            answers = " or ".join(label for _value, label in values)
            self.add_error(
                "condition_value",
                f"Enter an answer that ‘{condition_question.label}’ can have: {answers}",
            )
        else:
            cleaned["condition_value"] = matched
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the question services take it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "label": data["label"],
            "hint": data.get("hint", ""),
            "required": data["required"],
            "word_limit": data.get("word_limit"),
            "choices": data.get("choices", []),
            "from_profile": data.get("from_profile", ""),
            "condition_question": data.get("condition_question"),
            "condition_value": data.get("condition_value", ""),
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class SectionPreviewForm(forms.Form):
    """One section of the form as an applicant will see it; never submitted."""

    def __init__(self, *, section: FormSection, context: AnswerContext) -> None:
        super().__init__(prefix=f"section-{section.pk}")
        for question in section.questions.all():
            field = question_kind(question).preview(question, context)
            if field is not None:
                self.fields[f"question_{question.pk}"] = field

    def bound_field_for(self, question: Question) -> forms.BoundField | None:
        name = f"question_{question.pk}"
        return self[name] if name in self.fields else None
