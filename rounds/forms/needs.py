"""Input shapes for the needs register: quick log, full record, merge, close and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect, GovukTextarea
from microcomm.models import Locality, Theme
from microcomm.uploads import DOCUMENT_AND_IMAGE_EXTENSIONS, types_text, upload_check
from rounds.identifiers import IdentifierCheckMixin
from rounds.models import JsnaPriority, Need, PopulationGroup
from rounds.selectors.needs import (
    NeedFilters,
    localities_for_needs,
    priorities_for_needs,
    themes_for_needs,
)

EVIDENCE_TYPES_TEXT = types_text(DOCUMENT_AND_IMAGE_EXTENSIONS)
NO_IDENTIFIERS_HINT = "Do not include names or any details that identify a person."


class QuickLogForm(IdentifierCheckMixin, forms.Form):
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        empty_label="Choose a theme",
        error_messages={
            "required": "Select a theme",
            "invalid_choice": "Select a theme from the list",
        },
    )
    locality = forms.ModelChoiceField(
        label="Where",
        queryset=Locality.objects.none(),
        empty_label="Choose a place",
        error_messages={
            "required": "Select where the need is",
            "invalid_choice": "Select a place from the list",
        },
    )
    note = forms.CharField(
        label="What was missing?",
        help_text=f"One short sentence, like “no evening walking group”. {NO_IDENTIFIERS_HINT}",
        max_length=300,
        widget=GovukTextarea(max_chars=300, rows=2),
        error_messages={
            "required": "Enter what was missing",
            "max_length": "What was missing must be 300 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for_needs()
        self.fields["locality"].queryset = localities_for_needs()


class NeedForm(IdentifierCheckMixin, forms.Form):
    """The full record of a need; `with_priority` adds the JSNA link for commissioners."""

    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        empty_label="Choose a theme",
        error_messages={"required": "Select a theme", "invalid_choice": "Select a theme"},
    )
    locality = forms.ModelChoiceField(
        label="Where",
        queryset=Locality.objects.none(),
        empty_label="Choose a place",
        error_messages={
            "required": "Select where the need is",
            "invalid_choice": "Select a place from the list",
        },
    )
    source = forms.ChoiceField(
        label="Where did this need come from?",
        choices=Need.Source.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select where this need came from",
            "invalid_choice": "Select where this need came from",
        },
    )
    title = forms.CharField(
        label="Short title",
        help_text="For example, “No carers’ support group in Kiln Lane”.",
        max_length=120,
        error_messages={
            "required": "Enter a short title",
            "max_length": "The title must be 120 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Describe the need",
        help_text=NO_IDENTIFIERS_HINT,
        required=False,
        max_length=5000,
        widget=GovukTextarea(max_chars=5000, threshold=75),
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )
    people_affected = forms.IntegerField(
        label="Estimated number of people affected (optional)",
        help_text="A whole number, like 40.",
        required=False,
        min_value=1,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Enter the number of people as a whole number, like 40",
            "min_value": "The number of people must be 1 or more",
            "max_value": "The number of people must be 10,000,000 or fewer",
        },
    )
    population_groups = forms.ModelMultipleChoiceField(
        label="Who is affected? (optional)",
        help_text="Select all that apply.",
        queryset=PopulationGroup.objects.none(),
        required=False,
        widget=GovukCheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select groups from the list"},
    )
    language_spoken = forms.CharField(
        label="Language spoken (if you selected people who speak a language other than English)",
        required=False,
        max_length=100,
        error_messages={"max_length": "The language must be 100 characters or fewer"},
    )
    population_other = forms.CharField(
        label="Other group affected (if you selected other)",
        required=False,
        max_length=200,
        error_messages={"max_length": "The other group must be 200 characters or fewer"},
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        help_text="For example, a JSNA chapter or a consultation report.",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the correct format, like https://example.org"},
    )
    evidence_file = forms.FileField(
        label="Upload evidence (optional)",
        help_text=(
            f"A {EVIDENCE_TYPES_TEXT} file, smaller than 10MB. "
            "Remove any details that identify a person before you upload it."
        ),
        required=False,
        error_messages={
            "invalid": "The selected file could not be read. Choose another file",
            "empty": "The selected file is empty",
        },
    )
    jsna_priority = forms.ModelChoiceField(
        label="JSNA or local priority (optional)",
        queryset=JsnaPriority.objects.none(),
        required=False,
        empty_label="Not linked to a priority",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )

    def __init__(self, *args: Any, with_priority: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for_needs()
        self.fields["locality"].queryset = localities_for_needs()
        self.fields["population_groups"].queryset = PopulationGroup.objects.all()
        if with_priority:
            self.fields["jsna_priority"].queryset = priorities_for_needs()
        else:
            del self.fields["jsna_priority"]

    def clean_evidence_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        self.evidence_extension = upload_check(upload).extension
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kinds = {group.kind for group in cleaned.get("population_groups") or []}
        if PopulationGroup.Kind.LANGUAGE in kinds and not cleaned.get("language_spoken"):
            self.add_error("language_spoken", "Enter the language people speak")
        if PopulationGroup.Kind.OTHER in kinds and not cleaned.get("population_other"):
            self.add_error("population_other", "Enter the other group affected")
        return cleaned


class NeedMergeForm(IdentifierCheckMixin, forms.Form):
    target = forms.ModelChoiceField(
        label="Which need is this a duplicate of?",
        queryset=Need.objects.none(),
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select the need to merge this one into",
            "invalid_choice": "Select a need from the list",
        },
    )
    reason = forms.CharField(
        label="Why are they the same need?",
        help_text=NO_IDENTIFIERS_HINT,
        max_length=1000,
        widget=GovukTextarea(max_chars=1000, rows=3),
        error_messages={
            "required": "Enter why these needs are the same",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = candidates
        self.fields["target"].label_from_instance = lambda need: (
            f"{need.title} ({need.locality}, {need.signal_count} signals)"
        )


class NeedCloseForm(IdentifierCheckMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you closing this need?",
        help_text=f"For example, “a new lunch club started in March”. {NO_IDENTIFIERS_HINT}",
        max_length=1000,
        widget=GovukTextarea(max_chars=1000, rows=3),
        error_messages={
            "required": "Enter why you are closing this need",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )


class NeedFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="All themes"
    )
    locality = forms.ModelChoiceField(
        label="Where", queryset=Locality.objects.none(), required=False, empty_label="All places"
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Need.Status.choices], required=False
    )
    source = forms.ChoiceField(
        label="Source", choices=[("", "Any source"), *Need.Source.choices], required=False
    )
    population_group = forms.ModelChoiceField(
        label="Who is affected",
        queryset=PopulationGroup.objects.none(),
        required=False,
        empty_label="Everyone",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["locality"].queryset = localities_for_needs()
        self.fields["population_group"].queryset = PopulationGroup.objects.all()

    def filters(self) -> NeedFilters:
        """The filters that are valid; an invalid choice is ignored rather than an error."""
        self.is_valid()
        data = self.cleaned_data
        return NeedFilters(
            theme=data.get("theme"),
            locality=data.get("locality"),
            status=data.get("status") or "",
            source=data.get("source") or "",
            population_group=data.get("population_group"),
            text=data.get("q") or "",
        )
