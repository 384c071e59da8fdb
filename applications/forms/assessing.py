"""Commissioners' forms on an application: eligibility override, due diligence, reopen."""

from __future__ import annotations

from django import forms

from microcomm.forms import reason_field, text_field


class EligibilityOverrideForm(forms.Form):
    reason = reason_field(
        "Why may this application go ahead?",
        required_message="Enter why this application may go ahead",
        help_text="The group sees that eligibility was overridden. Say what you considered.",
    )


class DueDiligenceVerifyForm(forms.Form):
    verified = forms.TypedChoiceField(
        label="Is this check done?",
        choices=[("yes", "Verified"), ("no", "Not verified yet")],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose whether this check is verified"},
    )
    note = text_field("What did you check?", max_length=1000, subject="The note")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("verified") and not (data.get("note") or "").strip():
            self.add_error("note", "Enter what you checked")
        return data


class ApplicationReopenForm(forms.Form):
    reason = reason_field(
        "What does the group need to change?",
        required_message="Enter what the group needs to change",
        help_text="The group sees this when the application opens for changes.",
    )
