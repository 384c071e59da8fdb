"""Forms for conflicts of interest, assignment, scoring and looking again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from microcomm.errors import DomainError
from microcomm.govuk import GovukRadioSelect, GovukTextarea
from microcomm.models import Organisation
from panels.models import SCALE_POINTS, ConflictDeclaration, Criterion, Scorecard

NONE = ConflictDeclaration.Interest.NONE
INTEREST_CHOICES = [
    (value, label) for value, label in ConflictDeclaration.Interest.choices if value != NONE
]


class ConflictDeclarationForm(forms.Form):
    """One row per organisation applying: no interest, or an interest with its kind and a
    description. Drawn by hand in the template (radios with a conditional reveal, which
    simply shows when JavaScript is off)."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        organisations: Iterable[Organisation],
        declarations: Mapping[int, ConflictDeclaration],
    ) -> None:
        super().__init__(data)
        self.organisations = list(organisations)
        for organisation in self.organisations:
            before = declarations.get(organisation.pk)
            prefix = f"org-{organisation.pk}"
            self.fields[f"{prefix}-declared"] = forms.ChoiceField(
                label=f"Do you have an interest in {organisation.name}?",
                choices=[("no", "No, I have no interest"), ("yes", "Yes, I have an interest")],
                widget=GovukRadioSelect(),
                error_messages={
                    "required": f"Say whether you have an interest in {organisation.name}"
                },
                initial=None if before is None else ("yes" if before.is_conflict else "no"),
            )
            self.fields[f"{prefix}-interest"] = forms.ChoiceField(
                label=f"What is your interest in {organisation.name}?",
                help_text="Only if you answered yes",
                choices=INTEREST_CHOICES,
                widget=GovukRadioSelect(),
                required=False,
                initial=before.interest if before is not None and before.is_conflict else None,
            )
            self.fields[f"{prefix}-description"] = forms.CharField(
                label=f"Describe your interest in {organisation.name}",
                help_text="Only if you answered yes. Say what the link is.",
                max_length=2000,
                required=False,
                widget=GovukTextarea(attrs={"rows": 3}),
                initial=before.description if before is not None else "",
                error_messages={
                    "max_length": "Describe your interest in 2,000 characters or fewer"
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for organisation in self.organisations:
            prefix = f"org-{organisation.pk}"
            if cleaned.get(f"{prefix}-declared") != "yes":
                continue
            if not cleaned.get(f"{prefix}-interest"):
                self.add_error(
                    f"{prefix}-interest", f"Choose what your interest in {organisation.name} is"
                )
            if not (cleaned.get(f"{prefix}-description") or "").strip():
                self.add_error(
                    f"{prefix}-description", f"Describe your interest in {organisation.name}"
                )
        return cleaned

    def rows(self) -> list[dict[str, Any]]:
        """Each organisation with its three bound fields, for the template."""
        return [
            {
                "organisation": organisation,
                "declared": self[f"org-{organisation.pk}-declared"],
                "interest": self[f"org-{organisation.pk}-interest"],
                "description": self[f"org-{organisation.pk}-description"],
            }
            for organisation in self.organisations
        ]

    def answers(self) -> dict[int, tuple[str, str]]:
        """The service's answers: organisation id -> (interest, description)."""
        result = {}
        for organisation in self.organisations:
            prefix = f"org-{organisation.pk}"
            if self.cleaned_data.get(f"{prefix}-declared") == "yes":
                result[organisation.pk] = (
                    self.cleaned_data[f"{prefix}-interest"],
                    self.cleaned_data[f"{prefix}-description"],
                )
            else:
                result[organisation.pk] = (NONE, "")
        return result

    def apply_service_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class AssignForm(forms.Form):
    how = forms.ChoiceField(
        label="How should applications be shared out?",
        choices=[
            ("balanced", "Balanced: each application gets the number of scorers it needs"),
            ("everyone", "Everyone scores every application"),
        ],
        widget=GovukRadioSelect(),
        error_messages={"required": "Choose how to share out the applications"},
    )


def _scale_words(criterion: Criterion) -> str:
    points = SCALE_POINTS[criterion.scale]
    return f"{points[0][1]} to {points[-1][1]}"


class ScorecardForm(forms.Form):
    """A score (radios with each point's anchor) and a comment per criterion; when asked to
    look again, a reason for each change. The version guards against silent overwrites."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        scorecard: Scorecard,
        criteria: list[Criterion],
    ) -> None:
        """``criteria`` as `rubric_criteria` reads them for this scorecard, with what the
        scorer has given so far."""
        super().__init__(data, initial={"version": scorecard.version})
        self.criteria = criteria
        self.asking_reasons = scorecard.status == Scorecard.Status.LOOK_AGAIN
        for criterion in criteria:
            choices = [
                (point.value, f"{point.label}: {point.anchor}") for point in criterion.points.all()
            ] or [(value, label) for value, label in SCALE_POINTS[criterion.scale]]
            message = f"Choose a score for {criterion.name} from {_scale_words(criterion)}"
            self.fields[f"criterion-{criterion.pk}-value"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({criterion.weight.normalize():f}% of the score)",
                help_text=criterion.question,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                # Needed to submit, not to save for later: not marked "(optional)".
                widget=GovukRadioSelect(attrs={"mark_optional": False}),
                initial=getattr(criterion, "given_value", None),
                error_messages={"invalid_choice": message},
            )
            self.fields[f"criterion-{criterion.pk}-comment"] = forms.CharField(
                label=f"Your comment on {criterion.name}",
                max_length=2000,
                required=False,
                widget=GovukTextarea(attrs={"rows": 3}),
                initial=getattr(criterion, "given_comment", None) or "",
                error_messages={"max_length": "Write your comment in 2,000 characters or fewer"},
            )
            if self.asking_reasons:
                self.fields[f"criterion-{criterion.pk}-reason"] = forms.CharField(
                    label=f"If you change the score for {criterion.name}, say why",
                    max_length=2000,
                    required=False,
                    widget=GovukTextarea(attrs={"rows": 2}),
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": criterion,
                "value": self[f"criterion-{criterion.pk}-value"],
                "comment": self[f"criterion-{criterion.pk}-comment"],
                "reason": self[f"criterion-{criterion.pk}-reason"] if self.asking_reasons else None,
            }
            for criterion in self.criteria
        ]

    def given(self) -> dict[int, tuple[int | None, str]]:
        return {
            criterion.pk: (
                self.cleaned_data.get(f"criterion-{criterion.pk}-value"),
                self.cleaned_data.get(f"criterion-{criterion.pk}-comment") or "",
            )
            for criterion in self.criteria
        }

    def reasons(self) -> dict[int, str]:
        if not self.asking_reasons:
            return {}
        return {
            criterion.pk: self.cleaned_data.get(f"criterion-{criterion.pk}-reason") or ""
            for criterion in self.criteria
        }

    def apply_service_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class LookAgainForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label="Which criterion should they look at? (optional)",
        queryset=Criterion.objects.none(),
        required=False,
        empty_label="All of the scores",
    )
    note = forms.CharField(
        label="What should they look at again?",
        help_text="The scorer sees this note. Say what you noticed, not what score to give.",
        max_length=2000,
        widget=GovukTextarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you would like the scorer to look at again"},
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, criteria: list[Criterion]) -> None:
        super().__init__(data)
        self.fields["criterion"].queryset = Criterion.objects.filter(
            pk__in=[criterion.pk for criterion in criteria]
        ).order_by("position", "id")
