"""Input shapes for the public pages: eligibility, help to apply, FAQs and guidance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from microcomm.forms import (
    YES_NO,
    PoundsField,
    choice_field,
    email_field,
    file_field,
    model_choice_field,
    text_field,
    whole_number_field,
)
from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect
from microcomm.models import LegalForm, Locality, User
from microcomm.uploads import DOCUMENT_EXTENSIONS, types_text, upload_check
from microcomm.validators import PHONE_MESSAGE, uk_phone_normalise
from rounds.models import Round, SupportRequest

GUIDANCE_TYPES_TEXT = types_text(DOCUMENT_EXTENSIONS)


def _amount_field(label: str, *, what: str, example: str, **kwargs: Any) -> PoundsField:
    """Pounds for the eligibility checker; each error names the question's answer."""
    wrong = f"Enter {what} as an amount in pounds, like {example}"
    return PoundsField(
        label=label,
        refusals={
            "invalid": wrong,
            "negative": wrong,
            "decimal_places": wrong,
            "too_large": f"Enter {what} of less than £1,000,000,000",
        },
        maximum=Decimal("999999999.99"),
        widget=forms.TextInput(
            attrs={
                "prefix": "£",
                "class": "govuk-input--width-10",
                "inputmode": "decimal",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": f"Enter {what}"},
        **kwargs,
    )


class EligibilityForm(forms.Form):
    """The questions of the eligibility checker. Nothing typed here is stored."""

    legal_form = choice_field(
        "What kind of group are you?",
        LegalForm.choices,
        message="Select what kind of group you are",
        widget=GovukRadioSelect(
            item_hints={
                LegalForm.UNINCORPORATED.value: "A group with members but no legal entity, "
                "such as a club or a friends group"
            }
        ),
    )
    annual_income = _amount_field(
        "What is your group’s income in a year?",
        help_text="All the money your group received in its last full year. If your group "
        "is new, enter your best estimate for this year.",
        what="your group’s income",
        example="£12,000",
    )
    localities = forms.ModelMultipleChoiceField(
        label="Where does your group work?",
        help_text="Select all that apply.",
        queryset=Locality.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        error_messages={
            "required": "Select where your group works",
            "invalid_choice": "Select places from the list",
            "invalid_pk_value": "Select places from the list",
        },
    )
    amount = _amount_field(
        "How much would you like to ask for?",
        what="how much you would like to ask for",
        example="£1,500",
    )
    addresses_priority = choice_field(
        "Will your activity address one of this round’s priorities?",
        YES_NO,
        message="Select yes if your activity addresses one of the priorities",
        widget=GovukRadioSelect(inline=True),
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eligible_ids = [locality.pk for locality in round.eligible_localities.all()]
        self.fields["localities"].queryset = Locality.objects.filter(
            Q(kind=Locality.Kind.WARD) | Q(pk__in=eligible_ids)
        ).order_by("name")
        self.fields["amount"].help_text = (
            f"This round gives grants of between £{round.minimum_grant:,.0f} "
            f"and £{round.maximum_grant:,.0f}."
        )
        if not round.must_address_priority:
            del self.fields["addresses_priority"]

    def check_arguments(self) -> dict[str, Any]:
        """The answers as the keyword arguments of ``eligibility_check``."""
        data = self.cleaned_data
        answer = data.get("addresses_priority")
        return {
            "legal_form": data.get("legal_form") or None,
            "annual_income": data.get("annual_income"),
            "locality_ids": {locality.pk for locality in data.get("localities") or []},
            "amount": data.get("amount"),
            "addresses_priority": None if answer is None else answer == "yes",
        }


class SupportRequestForm(forms.Form):
    name = text_field(
        "Your name",
        max_length=150,
        subject="Your name",
        required_message="Enter your name",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    group_name = text_field(
        "Your group’s name (optional)",
        max_length=200,
        subject="The group’s name",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    help_needed = forms.MultipleChoiceField(
        label="What help would you like?",
        help_text="Select all that apply.",
        choices=SupportRequest.Help.choices,
        widget=GovukCheckboxSelectMultiple,
        error_messages={
            "required": "Select the help you would like",
            "invalid_choice": "Select the help you would like from the list",
        },
    )
    contact_preference = choice_field(
        "How would you like us to contact you?",
        SupportRequest.Contact.choices,
        message="Select how you would like us to contact you",
    )
    email = email_field(
        autocomplete="email",
        help_text="We will send a confirmation here. Needed if you would like an email.",
    )
    phone = forms.CharField(
        label="Phone number",
        help_text="A UK number. Needed if you would like a call or a text message.",
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
        ),
        error_messages={"max_length": PHONE_MESSAGE},
    )
    language = text_field(
        "Which language would you like us to use? (optional)",
        max_length=100,
        subject="The language",
        help_text="For example, Polish or British Sign Language. Leave blank for English.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    message = text_field(
        "Anything else we should know? (optional)",
        max_length=2000,
        subject="Your message",
        rows=4,
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and uk_phone_normalise(phone) is None:
            raise forms.ValidationError(PHONE_MESSAGE)
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        preference = cleaned.get("contact_preference")
        wants_email = preference == SupportRequest.Contact.EMAIL
        wants_phone = preference in (SupportRequest.Contact.PHONE, SupportRequest.Contact.TEXT)
        if wants_email and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address so that we can email you")
        if wants_phone and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Enter a phone number so that we can contact you")
        return cleaned


class SupportAssignForm(forms.Form):
    assignee = model_choice_field(
        "Who will help this group?",
        User.objects.none(),
        empty_label=None,
        required_message="Select a link worker to help this group",
        invalid_message="Select a link worker from the list",
    )

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: str(user)


class SupportCloseForm(forms.Form):
    notes = text_field(
        "What did you do to help?",
        max_length=2000,
        subject="What you did",
        required_message="Enter what you did to help",
        help_text="For example, “called on 3 March and helped with the budget section”.",
        rows=4,
    )


class _BlankFirstField(forms.IntegerField):
    def clean(self, value: Any) -> int:
        return super().clean(value) or 0


def position_field() -> forms.IntegerField:
    """Where an item comes in a list a person orders by hand; blank puts it first."""
    return whole_number_field(
        "Position in the list (optional)",
        subject="The position",
        minimum=0,
        maximum=1000,
        invalid_message="Enter the position as a whole number, like 3",
        width=3,
        counting=False,
        field_class=_BlankFirstField,
        help_text="Lower numbers come first.",
    )


class FaqForm(forms.Form):
    question = text_field(
        "Question", max_length=300, subject="The question", required_message="Enter the question"
    )
    answer = text_field(
        "Answer",
        max_length=5000,
        subject="The answer",
        required_message="Enter the answer",
        rows=5,
        threshold=75,
    )
    order = position_field()


class GuidanceForm(forms.Form):
    title = text_field(
        "Title",
        max_length=200,
        subject="The title",
        required_message="Enter a title",
        help_text="For example, “Model constitution for a community group”.",
    )
    description = text_field(
        "Description (optional)", max_length=2000, subject="The description", rows=3
    )
    file = file_field(
        "Upload a file",
        help_text=f"A {GUIDANCE_TYPES_TEXT} file, smaller than 10MB. Applicants can download it.",
    )
    url = forms.URLField(
        label="Or a link",
        help_text="For example, https://www.gov.uk/guidance/charity-types-how-to-choose-a-structure",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://example.org",
            "max_length": "The link must be 200 characters or fewer",
        },
    )
    order = position_field()

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.file_extension = ""
        if has_file:
            self.fields["file"].label = "Replace the file (optional)"

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        self.file_extension = upload_check(upload, allowed=DOCUMENT_EXTENSIONS).extension
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            not cleaned.get("file")
            and not cleaned.get("url")
            and not self.has_file
            and "file" not in self.errors
            and "url" not in self.errors
        ):
            self.add_error("file", "Upload a file or enter a link")
        return cleaned
