"""The practice scoring form: one anchored scale and a comment per criterion."""

from __future__ import annotations

from typing import Any

from django import forms

from microcomm.forms import text_field
from microcomm.govuk import GovukRadioSelect
from panels.selectors.practice import PracticeCriterion


class PracticeScoreForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[PracticeCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            message = f"Choose a score for {criterion.name}"
            self.fields[f"criterion_{criterion.id}"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({criterion.weight_label}% of the score)",
                help_text=criterion.question,
                choices=[(point.value, point.label) for point in criterion.points],
                coerce=int,
                widget=GovukRadioSelect(
                    item_hints={str(point.value): point.anchor for point in criterion.points}
                ),
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"comment_{criterion.id}"] = text_field(
                f"Why this score for {criterion.name}? (optional)",
                max_length=2000,
                subject="The comment",
                rows=2,
            )

    def values(self) -> dict[int, tuple[int, str]]:
        return {
            criterion.id: (
                self.cleaned_data[f"criterion_{criterion.id}"],
                self.cleaned_data.get(f"comment_{criterion.id}", ""),
            )
            for criterion in self.criteria
        }

    def pairs(self) -> list[tuple[PracticeCriterion, forms.BoundField, forms.BoundField]]:
        """Each criterion with its scale and its comment box, for the page to lay out."""
        return [
            (criterion, self[f"criterion_{criterion.id}"], self[f"comment_{criterion.id}"])
            for criterion in self.criteria
        ]
