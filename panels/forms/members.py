"""Forms of the panel itself: its rules, its members, invitations and attendance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from microcomm.forms import (
    PoundsField,
    choice_field,
    email_field,
    reason_field,
    text_field,
    whole_number_field,
)
from microcomm.forms import SetPasswordForm as AccountSetPasswordForm
from microcomm.govuk import GovukRadioSelect
from panels.models import PanelMember

ROLE_HINTS = {
    PanelMember.Role.CHAIR: "Runs the meeting and records the panel's decisions.",
    PanelMember.Role.LAY: "A resident or volunteer who brings an independent view. Paid for "
    "their time.",
    PanelMember.Role.PROFESSIONAL: "A link worker or other professional with local knowledge.",
}


def _role_field() -> forms.ChoiceField:
    return choice_field(
        "Role on the panel",
        PanelMember.Role.choices,
        message="Select the person's role on the panel",
        widget=GovukRadioSelect(item_hints=ROLE_HINTS),
    )


def _pounds(label: str, what: str, **kwargs: Any) -> PoundsField:
    wrong = f"Enter {what} in pounds, like 15 or 15.50"
    return PoundsField(
        label=label,
        refusals={
            "invalid": wrong,
            "negative": f"{what[0].upper()}{what[1:]} cannot be less than £0",
            "decimal_places": wrong,
            "too_large": f"Enter {what} of less than £10,000",
        },
        maximum=Decimal("9999.99"),
        **kwargs,
    )


class PanelSettingsForm(forms.Form):
    quorum_members = whole_number_field(
        "Members needed for a quorum",
        subject="The members needed",
        minimum=1,
        maximum=30,
        invalid_message="Enter the members needed as a whole number, like 3",
        required_message="Enter how many members the panel needs to decide",
        help_text="The panel cannot decide about an application with fewer members present.",
    )
    quorum_lay_members = whole_number_field(
        "Lay members needed for a quorum",
        subject="The lay members needed",
        minimum=0,
        maximum=30,
        invalid_message="Enter the lay members needed as a whole number, like 1",
        required_message="Enter how many lay members the panel needs to decide",
        help_text="Included in the members needed. For example, 1.",
    )
    scorers_per_application = whole_number_field(
        "Scorers each application needs",
        subject="The scorers each application needs",
        minimum=1,
        maximum=30,
        invalid_message="Enter the scorers each application needs as a whole number, like 3",
        required_message="Enter how many members score each application",
    )
    scores_shared_before_meeting = forms.TypedChoiceField(
        label="Can members see each other's scores before the meeting?",
        help_text="Either way, nobody sees other members' scores before submitting their own.",
        choices=[("no", "No, only at the meeting"), ("yes", "Yes, once they have scored")],
        coerce=lambda value: value == "yes",
        widget=GovukRadioSelect(),
        error_messages={
            "required": "Select whether members see each other's scores before the meeting",
            "invalid_choice": "Select whether members see each other's scores before the meeting",
        },
    )
    outlier_distance = forms.DecimalField(
        label="Outlier distance (points)",
        help_text="A score further than this from the other scorers' middle score is flagged "
        "for the panel to discuss. For example, 2.",
        min_value=Decimal("0"),
        max_value=Decimal("10"),
        max_digits=3,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the outlier distance",
            "invalid": "Enter the outlier distance as a number, like 2 or 1.5",
            "min_value": "The outlier distance must be 0 or more",
            "max_value": "The outlier distance must be 10 or less",
            "max_digits": "The outlier distance must be 10 or less",
            "max_decimal_places": "Enter the outlier distance to one decimal place, like 1.5",
            "max_whole_digits": "The outlier distance must be 10 or less",
        },
    )
    lay_hourly_rate = _pounds(
        "Hourly rate paid to lay members",
        "the hourly rate",
        required=False,
        help_text="For example, 15. Leave it empty if lay members are not paid for their time.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_lay_hourly_rate(self) -> Decimal:
        return self.cleaned_data.get("lay_hourly_rate") or Decimal("0.00")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        members, lay = data.get("quorum_members"), data.get("quorum_lay_members")
        if members is not None and lay is not None and lay > members:
            self.add_error(
                "quorum_lay_members",
                "The lay members needed cannot be more than the members needed for a quorum",
            )
        return data


class MemberSearchForm(forms.Form):
    email = email_field(
        "Email address",
        required_message="Enter the person's email address",
        help_text="We will look for someone with an account, or you can invite them.",
    )


class MemberAddForm(forms.Form):
    """Seat a person found by email; a new person needs their name too."""

    email = forms.EmailField(widget=forms.HiddenInput)
    full_name = text_field(
        "Full name", max_length=150, subject="The full name", required_message=""
    )
    role = _role_field()

    def __init__(self, *args: Any, new_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_person = new_person
        if not new_person:
            del self.fields["full_name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.new_person and not (data.get("full_name") or "").strip():
            self.add_error("full_name", "Enter the person's full name")
        return data


class MemberRoleForm(forms.Form):
    role = _role_field()


class MemberRemoveForm(forms.Form):
    reason = reason_field(
        "Why is this person leaving the panel?",
        required_message="Enter why this person is leaving the panel",
        max_length=500,
        help_text="Their scores stay and are shown as a removed member's.",
    )


class InvitationPasswordForm(AccountSetPasswordForm):
    """Set a password from an invitation: Django's password validators apply."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].error_messages["required"] = "Enter your password again"


class AttendanceForm(forms.Form):
    """One member's line at one meeting."""

    attended = forms.BooleanField(label="Attended", required=False)
    hours = forms.DecimalField(
        label="Hours",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("24"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the hours as a number, like 2 or 2.5",
            "min_value": "The hours must be 0 or more",
            "max_value": "The hours must be 24 or fewer",
            "max_decimal_places": "Enter the hours to two decimal places at most",
            "max_digits": "The hours must be 24 or fewer",
            "max_whole_digits": "The hours must be 24 or fewer",
        },
    )
    time_payment = _pounds(
        "Payment for time",
        "the payment for time",
        required=False,
    )
    expenses = _pounds("Expenses", "the expenses", required=False)

    def clean_hours(self) -> Decimal:
        return self.cleaned_data.get("hours") or Decimal("0")

    def clean_expenses(self) -> Decimal:
        return self.cleaned_data.get("expenses") or Decimal("0")
