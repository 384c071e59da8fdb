"""Input shapes for the needs register: quick log, full record, merge, close and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from microcomm.formatting import counted
from microcomm.forms import (
    choice_field,
    file_field,
    model_choice_field,
    reason_field,
    text_field,
    whole_number_field,
)
from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect
from microcomm.models import Locality, Theme
from microcomm.uploads import DOCUMENT_AND_IMAGE_EXTENSIONS, types_text, upload_check
from rounds.identifiers import IdentifierCheckMixin
from rounds.models import JsnaPriority, Need, PopulationGroup
from rounds.selectors.gaps import COUNTED_STATUS_FILTER, gap_area_label
from rounds.selectors.needs import (
    NeedFilters,
    localities_for_needs,
    priorities_for_needs,
    quick_log_candidates,
    themes_for_needs,
)

EVIDENCE_TYPES_TEXT = types_text(DOCUMENT_AND_IMAGE_EXTENSIONS)
NO_IDENTIFIERS_HINT = "Do not include names or any details that identify a person."
NEW_NEED = "new"
QUICK_LOG_NEED_GONE = (
    "That need has been closed, merged or moved. Choose another need, or log a new need"
)


class _ThemeAndPlaceForm(IdentifierCheckMixin, forms.Form):
    """What a need is about and where: the first two questions of every need form."""

    theme = model_choice_field(
        "Theme",
        Theme.objects.none(),
        empty_label="Choose a theme",
        required_message="Select a theme",
        invalid_message="Select a theme from the list",
    )
    locality = model_choice_field(
        "Where",
        Locality.objects.none(),
        empty_label="Choose a place",
        required_message="Select where the need is",
        invalid_message="Select a place from the list",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes_for_needs()
        self.fields["locality"].queryset = localities_for_needs()


class QuickLogForm(_ThemeAndPlaceForm):
    note = text_field(
        "What was missing?",
        max_length=300,
        subject="What was missing",
        required_message="Enter what was missing",
        help_text=f"One short sentence, like “no evening walking group”. {NO_IDENTIFIERS_HINT}",
        rows=2,
    )
    # Where the log goes when the link worker chose it from the needs already logged for
    # this theme and place: a need's id, or "new". Empty: by the matching rule.
    need = forms.CharField(required=False, max_length=12)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        theme, locality = cleaned.get("theme"), cleaned.get("locality")
        self.candidates = (
            quick_log_candidates(theme=theme, locality=locality) if theme and locality else []
        )
        choice = (cleaned.get("need") or "").strip()
        cleaned["chosen_need"] = None
        cleaned["start_new"] = choice == NEW_NEED
        if choice and choice != NEW_NEED:
            chosen = [need for need in self.candidates if str(need.pk) == choice]
            if chosen:
                cleaned["chosen_need"] = chosen[0]
            else:
                self.add_error("need", QUICK_LOG_NEED_GONE)
        return cleaned


class NeedForm(_ThemeAndPlaceForm):
    """The full record of a need; `with_priority` adds the JSNA link for commissioners."""

    source = choice_field(
        "Where did this need come from?",
        Need.Source.choices,
        message="Select where this need came from",
    )
    title = text_field(
        "Short title",
        max_length=120,
        subject="The title",
        required_message="Enter a short title",
        help_text="For example, “No carers’ support group in Kiln Lane”.",
    )
    description = text_field(
        "Describe the need",
        max_length=5000,
        subject="The description",
        help_text=NO_IDENTIFIERS_HINT,
        rows=5,
        threshold=75,
    )
    people_affected = whole_number_field(
        "Estimated number of people affected (optional)",
        subject="The number of people",
        minimum=1,
        maximum=10_000_000,
        invalid_message="Enter the number of people as a whole number, like 40",
        help_text="A whole number, like 40.",
    )
    population_groups = forms.ModelMultipleChoiceField(
        label="Who is affected? (optional)",
        help_text="Select all that apply.",
        queryset=PopulationGroup.objects.none(),
        required=False,
        widget=GovukCheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select groups from the list"},
    )
    language_spoken = text_field(
        "Language spoken (if you selected people who speak a language other than English)",
        max_length=100,
        subject="The language",
    )
    population_other = text_field(
        "Other group affected (if you selected other)",
        max_length=200,
        subject="The other group",
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        help_text="For example, a JSNA chapter or a consultation report.",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the correct format, like https://example.org"},
    )
    evidence_file = file_field(
        "Upload evidence (optional)",
        help_text=(
            f"A {EVIDENCE_TYPES_TEXT} file, smaller than 10MB. "
            "Remove any details that identify a person before you upload it."
        ),
    )
    jsna_priority = model_choice_field(
        "JSNA or local priority (optional)",
        JsnaPriority.objects.none(),
        empty_label="Not linked to a priority",
        invalid_message="Select a priority from the list",
    )

    def __init__(self, *args: Any, with_priority: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
    target = model_choice_field(
        "Which need is this a duplicate of?",
        Need.objects.none(),
        widget=GovukRadioSelect,
        required_message="Select the need to merge this one into",
        invalid_message="Select a need from the list",
    )
    reason = reason_field(
        "Why are they the same need?",
        max_length=1000,
        required_message="Enter why these needs are the same",
        help_text=NO_IDENTIFIERS_HINT,
    )

    def __init__(self, *args: Any, candidates: QuerySet[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = candidates
        self.fields["target"].label_from_instance = lambda need: (
            f"{need.title} ({need.locality}, {counted(need.signal_count, 'signal')})"
        )


class NeedSignalMoveForm(forms.Form):
    """Where one log of a need goes: another live need of its theme, or a new need."""

    to = choice_field(
        "Which need is this log about?",
        [],
        message="Select the need this log is about, or a new need",
    )
    locality = model_choice_field(
        "Where is the new need?",
        Locality.objects.none(),
        help_text="Only if you chose a new need.",
        empty_label="The same place as now",
        invalid_message="Select a place from the list",
    )

    def __init__(self, *args: Any, targets: QuerySet[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {str(need.pk): need for need in targets}
        self.fields["to"].choices = [
            *(
                (pk, f"{need.title} ({need.locality}, {counted(need.signal_count, 'signal')})")
                for pk, need in self.targets.items()
            ),
            (NEW_NEED, "A new need, named after this log"),
        ]
        self.fields["locality"].queryset = localities_for_needs()

    def target(self) -> Need | None:
        """The need chosen, or None for a new need."""
        return self.targets.get(self.cleaned_data["to"])


class NeedCloseForm(IdentifierCheckMixin, forms.Form):
    reason = reason_field(
        "Why are you closing this need?",
        max_length=1000,
        required_message="Enter why you are closing this need",
        help_text=f"For example, “a new lunch club started in March”. {NO_IDENTIFIERS_HINT}",
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
        label="Status",
        choices=[
            ("", "Any status"),
            (COUNTED_STATUS_FILTER, "Open or being addressed"),
            *Need.Status.choices,
        ],
        required=False,
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
    # Set by a link from a cell of the gap analysis; shown as a line the person can remove.
    area = forms.ModelChoiceField(
        queryset=Locality.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Locality.objects.all()
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
            area=data.get("area"),
        )

    def area_label(self) -> str:
        """The gap analysis row the list is narrowed to, in words; empty when it is not."""
        self.is_valid()
        area = self.cleaned_data.get("area")
        return gap_area_label(area) if area is not None else ""
