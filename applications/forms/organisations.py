"""Input shapes for a group: creating it, its profile, members and documents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from applications.models import OrganisationDocument
from applications.services.organisations import profile_problems
from applications.validators import (
    normalise_charity_number,
    normalise_company_number,
    refuse_bank_numbers,
    refuse_markup,
    refuse_symbols,
)
from microcomm.errors import DomainError
from microcomm.forms import YES_NO, choice_field, email_field, file_field
from microcomm.govuk import GovukDateField, GovukRadioSelect, GovukTextarea
from microcomm.models import LegalForm, Membership
from microcomm.uploads import DOCUMENT_AND_IMAGE_EXTENSIONS, CheckedFile, types_text, upload_check
from microcomm.validators import normalise_phone_number, normalise_postcode, parse_money

DESCRIPTION_MAX_CHARS = 2000


class _PlainTextField(forms.CharField):
    """A text box that refuses over-long text before the slower checks read it."""

    def validate(self, value: str) -> None:
        super().validate(value)
        # Django runs every validator, the length one last; a million characters must be
        # refused for their length, not read for markup first.
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(self.error_messages["max_length"], code="max_length")


def _text(
    label: str,
    *,
    max_length: int,
    error_name: str,
    required: bool = False,
    help_text: str = "",
    symbols: bool = False,
    **kwargs: Any,
) -> forms.CharField:
    """A plain text box whose error messages name the field the way a person reads it.

    ``symbols=True`` lets emoji through to the field's own check: a free description may
    hold them, and a number's format check gives a more useful message.
    """
    validators: list[Callable[[str], None]] = [
        lambda value: refuse_markup(value, label=error_name.capitalize())
    ]
    if not symbols:
        validators.append(lambda value: refuse_symbols(value, label=error_name.capitalize()))
    return _PlainTextField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        validators=validators,
        error_messages={
            "required": f"Enter {error_name}",
            "max_length": f"{error_name.capitalize()} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _normalised(value: str, normalise: Callable[[str], str]) -> str:
    return normalise(value) if value else ""


class OrganisationCreateForm(forms.Form):
    name = _text(
        "What is your group called?",
        max_length=200,
        error_name="the name of your group",
        required=True,
    )
    legal_form = choice_field(
        "What type of group is it?",
        LegalForm.choices,
        message="Select the type of group",
        widget=GovukRadioSelect(
            item_hints={
                LegalForm.UNINCORPORATED: "A group without a constitution or legal status, "
                "such as a walking group run by volunteers"
            }
        ),
    )


class OrganisationProfileForm(forms.Form):
    """The group's details; numbers and postcodes are checked and stored normalised."""

    name = OrganisationCreateForm.base_fields["name"]
    legal_form = OrganisationCreateForm.base_fields["legal_form"]
    description = _text(
        "What does your group do?",
        max_length=DESCRIPTION_MAX_CHARS,
        error_name="what your group does",
        help_text="Who you work with, what you do and where.",
        symbols=True,
        widget=GovukTextarea(max_chars=DESCRIPTION_MAX_CHARS, rows=6),
    )
    charity_number = _text(
        "Charity number (if you have one)",
        max_length=20,
        error_name="the charity number",
        symbols=True,
        help_text="For example 1234567, SC012345 or NIC100019.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    company_number = _text(
        "Company number (if you have one)",
        max_length=20,
        error_name="the company number",
        symbols=True,
        help_text="8 characters, for example 01234567 or SC123456.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    address_line_1 = _text(
        "Address line 1",
        max_length=200,
        error_name="address line 1",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = _text(
        "Address line 2 (optional)",
        max_length=200,
        error_name="address line 2",
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = _text(
        "Town or city",
        max_length=100,
        error_name="the town or city",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = _text(
        "Postcode",
        max_length=10,
        error_name="the postcode",
        symbols=True,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    annual_income = _text(
        "Annual income",
        max_length=20,
        error_name="annual income",
        symbols=True,
        help_text="Your income in your last financial year, in pounds. For example £12,500.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "prefix": "£"}
        ),
    )
    year_started = _text(
        "What year did your group start?",
        max_length=4,
        error_name="the year your group started",
        symbols=True,
        help_text="For example, 2015.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    main_contact_name = _text(
        "Main contact's full name", max_length=150, error_name="the main contact's name"
    )
    main_contact_email = email_field("Main contact's email address", autocomplete="email")
    main_contact_phone = _text(
        "Main contact's telephone number",
        max_length=30,
        error_name="the main contact's telephone number",
        symbols=True,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    second_contact_name = _text(
        "Second contact's full name",
        max_length=150,
        error_name="the second contact's name",
        help_text="Groups that are not constituted must give a second contact.",
    )
    second_contact_email = email_field("Second contact's email address")
    second_contact_phone = _text(
        "Second contact's telephone number",
        max_length=30,
        error_name="the second contact's telephone number",
        symbols=True,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    second_contact_unrelated = forms.BooleanField(
        label="The second contact is not related to the main contact and does not live with them",
        required=False,
    )
    has_bank_account = forms.TypedChoiceField(
        label="Does your group have a bank account in its own name?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
        widget=GovukRadioSelect(inline=True),
        error_messages={"invalid_choice": "Select yes or no"},
    )
    bank_account_name = _text(
        "Name on the bank account",
        max_length=200,
        error_name="the name on the bank account",
        help_text="Only the name. Do not enter your account number or sort code.",
    )
    host_organisation_name = _text(
        "Host or umbrella organisation",
        max_length=200,
        error_name="the host or umbrella organisation",
        help_text="If your group has no bank account, the organisation that will hold the "
        "grant for you, such as your council for voluntary service.",
    )

    def clean_charity_number(self) -> str:
        return _normalised(self.cleaned_data["charity_number"], normalise_charity_number)

    def clean_company_number(self) -> str:
        return _normalised(self.cleaned_data["company_number"], normalise_company_number)

    def clean_postcode(self) -> str:
        return _normalised(self.cleaned_data["postcode"], normalise_postcode)

    def clean_main_contact_phone(self) -> str:
        return _normalised(self.cleaned_data["main_contact_phone"], normalise_phone_number)

    def clean_second_contact_phone(self) -> str:
        return _normalised(self.cleaned_data["second_contact_phone"], normalise_phone_number)

    def clean_annual_income(self) -> Any:
        text = self.cleaned_data["annual_income"]
        return parse_money(text, label="Annual income") if text else None

    def clean_bank_account_name(self) -> str:
        name = self.cleaned_data["bank_account_name"]
        refuse_bank_numbers(name)
        return name

    def clean_year_started(self) -> int | None:
        text = unicodedata.normalize("NFKC", self.cleaned_data["year_started"]).strip()
        if not text:
            return None
        if not re.fullmatch(r"[0-9]{4}", text):
            raise ValidationError("The year your group started must include 4 numbers, like 2015")
        year = int(text)
        if year > timezone.localdate().year:
            raise ValidationError("The year your group started must be this year or in the past")
        if year < 1800:
            raise ValidationError("The year your group started must be 1800 or later")
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if legal_form:
            for field, message in profile_problems(legal_form=legal_form, values=cleaned):
                if field in cleaned and not self.has_error(field):
                    self.add_error(field, message)
        return cleaned


class MemberInviteForm(forms.Form):
    email = email_field(required_message="Enter the email address of the person to invite")
    role = choice_field(
        "What should they be able to do?",
        Membership.Role.choices,
        message="Select a role",
        initial=Membership.Role.EDITOR,
        widget=GovukRadioSelect(
            item_hints={
                Membership.Role.OWNER: "Edit the profile, documents and applications, "
                "and manage members",
                Membership.Role.EDITOR: "Edit the profile, documents and applications",
            }
        ),
    )


class MemberRoleForm(forms.Form):
    role = choice_field("Role", Membership.Role.choices, message="Select a role")

    def apply_service_error(self, error: DomainError) -> None:
        """Every refusal of a change of role is about the role, such as the last owner's."""
        self.add_error("role", error.message)


class _DocumentFileForm(forms.Form):
    file = file_field(
        "Upload a file",
        required_message="Select a file",
        help_text=f"A {types_text(DOCUMENT_AND_IMAGE_EXTENSIONS)} file, smaller than 10MB.",
    )
    title = _text(
        "Title (optional)",
        max_length=200,
        error_name="the title",
        help_text="For example, Safeguarding policy 2025. If you leave it blank, we use the "
        "type of document.",
    )
    expires_on = GovukDateField(
        label="Expiry date",
        required=False,
        help_text="Public liability insurance must have an expiry date. For example, 12 3 2027",
        error_label="Expiry date",
    )

    checked: CheckedFile | None = None

    def document_kind(self) -> str:
        """The kind of document the file is for; insurance needs an expiry date."""
        raise NotImplementedError

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.checked = upload_check(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            self.document_kind() == OrganisationDocument.Kind.INSURANCE
            and "expires_on" in self.fields
            and not cleaned.get("expires_on")
            and not self.has_error("expires_on")
        ):
            self.add_error("expires_on", "Enter the date the insurance expires")
        return cleaned


class DocumentUploadForm(_DocumentFileForm):
    kind = choice_field(
        "What type of document is it?",
        OrganisationDocument.Kind.choices,
        message="Select the type of document",
    )

    field_order = ["kind", "file", "title", "expires_on"]

    def document_kind(self) -> str:
        return self.cleaned_data.get("kind") or ""


class DocumentReplaceForm(_DocumentFileForm):
    def __init__(self, *args: Any, document: OrganisationDocument, **kwargs: Any) -> None:
        self.document = document
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("title", document.title)
        initial.setdefault("expires_on", document.expires_on)
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Upload the new version"
        if document.kind != OrganisationDocument.Kind.INSURANCE:
            del self.fields["expires_on"]

    def document_kind(self) -> str:
        return self.document.kind
