"""The gap analysis filters: a PCN, a population group and the order of the rows."""

from __future__ import annotations

from django import forms

from microcomm.forms import model_choice_field
from microcomm.models import Locality
from rounds.models import PopulationGroup
from rounds.selectors.gaps import GapSort


class GapFilterForm(forms.Form):
    pcn = model_choice_field(
        "Primary care network (PCN)",
        Locality.objects.filter(kind=Locality.Kind.PCN).order_by("name"),
        empty_label="All PCNs",
        invalid_message="Select a PCN from the list",
    )
    population_group = model_choice_field(
        "Population group",
        PopulationGroup.objects.all(),
        empty_label="Everyone",
        invalid_message="Select a population group from the list",
    )
    sort = forms.ChoiceField(
        label="Sort places by",
        choices=[(GapSort.PLACE, "PCN and place name"), (GapSort.LARGEST, "Largest gaps first")],
        required=False,
        error_messages={"invalid_choice": "Select how to sort the places"},
    )

    def filters(self) -> dict[str, object]:
        """Keyword arguments for gap_matrix; no filter for any field that is not valid."""
        data: dict[str, object] = {}
        if self.is_bound:
            # cleaned_data keeps only the fields that are valid, even when others are not.
            self.is_valid()
            data = self.cleaned_data
        return {
            "pcn": data.get("pcn"),
            "population_group": data.get("population_group"),
            "sort": data.get("sort") or GapSort.PLACE,
        }
