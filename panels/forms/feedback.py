"""Forms for the feedback, interviews and panel packs (area E)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from microcomm.formatting import london_datetime
from microcomm.forms import model_choice_field, text_field
from microcomm.govuk import GovukCheckboxSelectMultiple, GovukDateField, GovukRadioSelect
from panels.models import PanelMember
from rounds.forms.funding import TimeTextField, london_moment
from rounds.models import FormSection


class FeedbackForm(forms.Form):
    """The feedback to the group, with optional words beside sections of the form."""

    feedback = text_field(
        "Feedback to the group",
        max_length=8000,
        subject="The feedback",
        rows=12,
        required_message="Enter the feedback for the group",
        help_text="Never name the scorers or give their individual scores.",
    )
    signposting = text_field(
        "Where the group can find help (optional)",
        max_length=4000,
        subject="The help",
        rows=4,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, sections: list[FormSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section_{section.pk}"] = text_field(
                f"Feedback on “{section.title}” (optional)",
                max_length=2000,
                subject="The feedback on this section",
                rows=3,
                help_text="Shown beside this section if the group applies again.",
            )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{section.pk}"] for section in self.sections]

    def section_feedback(self) -> dict[str, str]:
        return {
            str(section.pk): self.cleaned_data.get(f"section_{section.pk}", "")
            for section in self.sections
        }


class SlotForm(forms.Form):
    """One interview time: a day, a start and an end, in a place or by video."""

    date = GovukDateField(
        label="Date",
        error_label="Date",
        help_text="For example, 12 3 2027.",
        error_messages={"required": "Enter the date of the interview"},
    )
    starts = TimeTextField(label="Start time", error_label="start time")
    ends = TimeTextField(label="End time", error_label="end time")
    place = text_field(
        "Place",
        max_length=300,
        subject="The place",
        help_text="Give a place, a video link or both.",
    )
    video_link = forms.URLField(
        label="Video link",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter the video link as a web address, like https://…"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day: datetime.date | None = cleaned.get("date")
        if day and cleaned.get("starts") and cleaned.get("ends"):
            cleaned["starts_at"] = london_moment(day, cleaned["starts"])
            cleaned["ends_at"] = london_moment(day, cleaned["ends"])
        return cleaned

    def apply_service_error(self, error: Any) -> None:
        field = {"starts_at": "starts", "ends_at": "ends"}.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)


class InviteForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label="Groups to invite",
        queryset=None,
        widget=GovukCheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one group to invite",
            "invalid_choice": "Choose groups from the list",
            "invalid_pk_value": "Choose groups from the list",
        },
    )

    def __init__(self, *args: Any, shortlist: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = shortlist
        self.fields["applications"].label_from_instance = lambda application: (
            f"{application.reference}, {application.organisation}"
            + (
                " (the panel decided to invite it)"
                if getattr(getattr(application, "decision", None), "outcome", "") == "interview"
                else ""
            )
        )


class BookForm(forms.Form):
    slot = model_choice_field(
        "Choose a time",
        queryset=None,
        invalid_message="Another group has just chosen that time. Choose another time.",
        required_message="Choose a time for your interview",
        widget=GovukRadioSelect,
    )
    access_needs = text_field(
        "Access needs (optional)",
        max_length=2000,
        subject="Your access needs",
        rows=3,
        help_text="For example, step-free access, a hearing loop or an interpreter.",
    )

    def __init__(self, *args: Any, slots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = slot_words


def slot_words(slot: Any) -> str:
    """ "10am on 3 March 2027, for 60 minutes, at Hall Lane Centre" """
    minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    where = f"at {slot.place}" if slot.place else "by video call"
    return f"{london_datetime(slot.starts_at)}, for {minutes} minutes, {where}"


class NotesForm(forms.Form):
    notes = text_field(
        "Notes of the interview",
        max_length=8000,
        subject="The notes",
        rows=10,
        required_message="Enter the notes of the interview",
    )
    ask_scorers = forms.BooleanField(
        label="Ask the scorers to look again at their scores after the interview",
        required=False,
    )


class PackRequestForm(forms.Form):
    """The button that asks for a fresh panel pack."""


class PackMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This person is no longer on the panel"},
    )

    def __init__(self, *args: Any, members: list[PanelMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = PanelMember.objects.filter(
            pk__in=[member.pk for member in members]
        )
