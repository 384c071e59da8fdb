"""Input shapes for the scoring system: a preset to start from, and the whole system.

The edit page is one form (gates, pass mark) with a sub-form per criterion, prefixed
"criteria-0", "criteria-1"... Each criterion shows an anchor box for every point of its
scale; a criterion whose scale was changed shows the new scale's boxes. The rules between
fields (3 to 7 criteria, weights adding to 100, every point anchored, a minimum on the
scale) are `panels.rubric_rules`', checked by the service; `apply_service_error` puts each
refusal beside its field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from microcomm.errors import DomainError
from microcomm.forms import text_field
from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect
from microcomm.templatetags.govuk_forms import govuk_error_summary_items
from panels.models import SCALE_POINTS, Rubric, Scale
from panels.rubric_presets import PRESETS
from panels.rubric_rules import CRITERIA_PREFIX, MOST_CRITERIA, CriterionInput, criteria_of
from panels.services.rubric import RubricInvalid


def _decimal_field(label: str, *, subject: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": f"Enter {subject} as a number, like 25 or 12.5",
            "max_digits": f"Enter {subject} of 100 or less",
            "max_whole_digits": f"Enter {subject} of 100 or less",
            "max_decimal_places": f"Enter {subject} with no more than 2 decimal places",
        },
    )


class PresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Which scoring system do you want to start from?",
        choices=[(key, preset.label) for key, preset in PRESETS.items()],
        widget=GovukRadioSelect(
            attrs={"label_size": "m"},
            item_hints={key: preset.hint for key, preset in PRESETS.items()},
        ),
        error_messages={
            "required": "Select a scoring system to start from",
            "invalid_choice": "Select a scoring system to start from",
        },
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply_service_error(self, error: DomainError) -> None:
        self.add_error("preset" if error.field == "preset" else None, error.message)


class CriterionForm(forms.Form):
    """One criterion. Its anchor fields ("anchor_0"...) follow the scale it is shown with."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    shown_scale = forms.CharField(required=False, widget=forms.HiddenInput)
    name = text_field("Name", max_length=120, subject="The name")
    question = text_field(
        "Question the panel asks",
        max_length=1000,
        subject="The question",
        rows=2,
        help_text="In plain English, for example: Who will benefit, and what difference "
        "will it make to them?",
    )
    weight = _decimal_field(
        "Weight (% of the marks)", subject="a weight", help_text="All the weights add up to 100"
    )
    scale = forms.ChoiceField(
        label="Scale",
        choices=Scale.choices,
        widget=GovukRadioSelect(attrs={"small": True}),
        error_messages={"invalid_choice": "Select a scale from the list"},
        required=False,
    )
    minimum = forms.TypedChoiceField(
        label="Lowest score that can be funded (optional)",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="An application scoring less on this is not funded, whatever its total",
        error_messages={"invalid_choice": "Select a minimum from the scale, or none"},
    )
    remove = forms.BooleanField(label="Remove this criterion when I save", required=False)
    rewards_priorities = forms.MultipleChoiceField(
        label="Round priorities it rewards (optional)",
        required=False,
        widget=GovukCheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Select priorities from the round's priorities"},
    )

    def __init__(
        self,
        *args: Any,
        priorities: dict[str, str],
        number: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.number = number
        # Blank is allowed so that every problem is found at once, but these are needed.
        for name in ("name", "question", "weight", "scale"):
            self.fields[name].widget.attrs["mark_optional"] = False
        self.fields["rewards_priorities"].choices = list(priorities.items())
        self.scale_value = self._scale_shown()
        points = SCALE_POINTS[self.scale_value]
        self.fields["minimum"].choices = [("", "No minimum")] + [
            (str(value), label) for value, label in points
        ]
        for value, label in points:
            self.fields[f"anchor_{value}"] = forms.CharField(
                label=f"What earns {label}",
                max_length=400,
                required=False,
                widget=forms.TextInput(attrs={"mark_optional": False}),
                error_messages={"max_length": "An anchor must be 400 characters or fewer"},
            )

    def _scale_shown(self) -> str:
        """The posted scale when it is one, else the one it was shown with, else its own."""
        if self.is_bound:
            posted = self.data.get(self.add_prefix("scale"))
            if posted in SCALE_POINTS:
                return posted
        initial = self.initial.get("scale") or Scale.ZERO_TO_THREE
        return initial if initial in SCALE_POINTS else Scale.ZERO_TO_THREE

    def marked_for_removal(self) -> bool:
        return self.is_bound and self["remove"].value() in (True, "on", "true", "True", "1")

    def anchor_fields(self) -> list[forms.BoundField]:
        return [self[f"anchor_{value}"] for value, _label in SCALE_POINTS[self.scale_value]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        shown = self.data.get(self.add_prefix("shown_scale")) if self.is_bound else None
        if shown and shown in SCALE_POINTS and shown != self.scale_value:
            # A new scale needs new anchors: show its boxes before anything is saved.
            self.add_error(
                "anchor_" + str(SCALE_POINTS[self.scale_value][0][0]),
                f"You changed the scale of criterion {self.number}. "
                "Enter what earns each point of the new scale",
            )
        return cleaned

    def to_input(self) -> CriterionInput:
        data = self.cleaned_data
        return CriterionInput(
            id=data.get("id"),
            name=data.get("name") or "",
            question=data.get("question") or "",
            weight=data.get("weight"),
            scale=data.get("scale") or "",
            anchors={
                value: data.get(f"anchor_{value}") or ""
                for value, _label in SCALE_POINTS[self.scale_value]
            },
            minimum=data.get("minimum"),
            rewards_priorities=tuple(data.get("rewards_priorities") or ()),
        )

    def values(self) -> dict[str, Any]:
        """What the person typed, as initial values for the form shown again."""
        values = {name: self[name].value() for name in self.fields}
        values["scale"] = self.scale_value
        values["shown_scale"] = self.scale_value
        return values


def _number(value: Decimal | None) -> str:
    """25.00 as "25" and 12.50 as "12.5", as a person would type them."""
    return "" if value is None else format(value.normalize(), "f")


def criterion_initial(item: CriterionInput) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "id": item.id,
        "shown_scale": item.scale,
        "name": item.name,
        "question": item.question,
        "weight": _number(item.weight),
        "scale": item.scale,
        "minimum": "" if item.minimum is None else str(item.minimum),
        "rewards_priorities": list(item.rewards_priorities),
    }
    initial.update({f"anchor_{value}": anchor for value, anchor in item.anchors.items()})
    return initial


class RubricForm(forms.Form):
    """The whole scoring system: the gates, the pass mark and a sub-form per criterion."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MOST_CRITERIA)
    gate_eligibility = forms.BooleanField(
        label="Applications must pass the eligibility check", required=False
    )
    gate_due_diligence = forms.BooleanField(
        label="Applications must have their due diligence checks complete", required=False
    )
    pass_mark = _decimal_field(
        "Overall pass mark, out of 100 (optional)",
        subject="a pass mark",
        help_text="An application scoring less is not funded. Leave it blank for none",
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        rubric: Rubric,
        priorities: dict[str, str],
        again: RubricForm | None = None,
    ) -> None:
        """Bound to posted data; or unbound, from the rubric, or from ``again``: a posted
        form shown again as typed, with one more (blank) criterion."""
        self.priorities = priorities
        if again is not None:
            shown = [criterion.values() for criterion in again.criteria] + [{}]
            initial = {name: again[name].value() for name in again.fields}
            initial["count"] = len(shown)
        else:
            shown = [criterion_initial(item) for item in criteria_of(rubric)]
            initial = {
                "version": rubric.version,
                "count": len(shown),
                "gate_eligibility": rubric.gate_eligibility,
                "gate_due_diligence": rubric.gate_due_diligence,
                "pass_mark": _number(rubric.pass_mark),
            }
        super().__init__(data, initial=initial)
        if data is not None:
            self.criteria = [
                self._criterion(index, data=data) for index in range(self._posted_count(data))
            ]
        else:
            self.criteria = [
                self._criterion(index, initial=values) for index, values in enumerate(shown)
            ]

    def kept(self) -> list[CriterionForm]:
        """The criteria not marked to be removed."""
        return [criterion for criterion in self.criteria if not criterion.marked_for_removal()]

    def _criterion(self, index: int, **kwargs: Any) -> CriterionForm:
        return CriterionForm(
            prefix=f"{CRITERIA_PREFIX}-{index}",
            priorities=self.priorities,
            number=index + 1,
            **kwargs,
        )

    @staticmethod
    def _posted_count(data: QueryDict) -> int:
        try:
            count = int(data.get("count", 0))
        except (TypeError, ValueError):
            return 0
        return max(0, min(count, MOST_CRITERIA))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([criterion.is_valid() for criterion in self.kept()]) and valid

    def can_add(self) -> bool:
        return len(self.criteria) < MOST_CRITERIA

    def weights_total(self) -> Decimal | None:
        """The total of the weights shown, when each is a number; for the hint beside them."""
        total = Decimal("0")
        for criterion in self.kept():
            weight = criterion["weight"].value()
            try:
                total += Decimal(str(weight))
            except ArithmeticError:
                return None
        return total

    def save_arguments(self) -> dict[str, Any]:
        return {
            "version": self.cleaned_data["version"],
            "gate_eligibility": self.cleaned_data["gate_eligibility"],
            "gate_due_diligence": self.cleaned_data["gate_due_diligence"],
            "pass_mark": self.cleaned_data["pass_mark"],
            "criteria": [criterion.to_input() for criterion in self.kept()],
        }

    def apply_service_error(self, error: DomainError) -> None:
        """Put each of the service's problems beside its field, in this form or a criterion's."""
        errors = error.errors if isinstance(error, RubricInvalid) else {error.field: error.message}
        for key, message in errors.items():
            if key and key.startswith(f"{CRITERIA_PREFIX}-"):
                _prefix, index, name = key.split("-", 2)
                kept = self.kept()
                position = int(index)
                if position < len(kept) and name in kept[position].fields:
                    kept[position].add_error(name, message)
                    continue
            if key == "weights" and self.kept():
                # About every weight: shown by the first, where the person starts to fix it.
                self.kept()[0].add_error("weight", message)
            elif key in ("weights", CRITERIA_PREFIX):
                self.add_error(None, message)
            elif key in self.fields and key not in ("version", "count"):
                self.add_error(key, message)
            else:
                self.add_error(None, message)

    def error_items(self) -> list[dict[str, str]]:
        """The error summary's lines: this form's, then each criterion's, in page order."""
        items = govuk_error_summary_items(self)
        for criterion in self.criteria:
            items += govuk_error_summary_items(criterion)
        return items
