"""Commissioners' forms on an application: eligibility override, due diligence, reopen."""

from __future__ import annotations

from django import forms

from microcomm.govuk import GovukTextarea


class EligibilityOverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why may this application go ahead?",
        help_text="The group sees that eligibility was overridden. Say what you considered.",
        max_length=2000,
        widget=GovukTextarea(max_chars=2000, rows=3),
        error_messages={
            "required": "Enter why this application may go ahead",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


class DueDiligenceVerifyForm(forms.Form):
    verified = forms.TypedChoiceField(
        label="Is this check done?",
        choices=[("yes", "Verified"), ("no", "Not verified yet")],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose whether this check is verified"},
    )
    note = forms.CharField(
        label="What did you check?",
        required=False,
        max_length=1000,
        widget=forms.TextInput,
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("verified") and not (data.get("note") or "").strip():
            self.add_error("note", "Enter what you checked")
        return data


class ApplicationReopenForm(forms.Form):
    reason = forms.CharField(
        label="What does the group need to change?",
        help_text="The group sees this when the application opens for changes.",
        max_length=2000,
        widget=GovukTextarea(max_chars=2000, rows=3),
        error_messages={
            "required": "Enter what the group needs to change",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )
