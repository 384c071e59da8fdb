"""Input shapes for the public pages: eligibility, help to apply, FAQs and guidance."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect, GovukTextarea
from microcomm.models import LegalForm, Locality, User
from microcomm.uploads import DOCUMENT_EXTENSIONS, types_text, upload_check
from microcomm.validators import PHONE_MESSAGE, uk_phone_normalise
from rounds.models import Round, SupportRequest

GUIDANCE_TYPES_TEXT = types_text(DOCUMENT_EXTENSIONS)
MONEY_MAXIMUM = Decimal("999999999.99")
_MONEY_TEXT = re.compile(r"^\d+(?:\.\d{1,2})?$")


class MoneyField(forms.Field):
    """An amount in pounds typed as people write it: "£1,200", "1200" or "1200.50"."""

    widget = forms.TextInput

    def __init__(self, *, what: str, example: str, **kwargs: Any) -> None:
        self.what, self.example = what, example
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "prefix": "£",
                    "class": "govuk-input--width-10",
                    "inputmode": "decimal",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)
        self.error_messages.setdefault("required", f"Enter {what}")

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().replace(",", "").replace(" ", "")
        text = text.removeprefix("£")
        if not text:
            return None
        if not _MONEY_TEXT.match(text):
            raise forms.ValidationError(
                f"Enter {self.what} as an amount in pounds, like {self.example}"
            )
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError(
                f"Enter {self.what} as an amount in pounds, like {self.example}"
            ) from error
        if amount > MONEY_MAXIMUM:
            raise forms.ValidationError(f"Enter {self.what} of less than £1,000,000,000")
        return amount.quantize(Decimal("0.01"))


YES_NO = [("yes", "Yes"), ("no", "No")]


class EligibilityForm(forms.Form):
    """The questions of the eligibility checker. Nothing typed here is stored."""

    legal_form = forms.ChoiceField(
        label="What kind of group are you?",
        choices=LegalForm.choices,
        widget=GovukRadioSelect(
            item_hints={
                LegalForm.UNINCORPORATED.value: "A group with members but no legal entity, "
                "such as a club or a friends group"
            }
        ),
        error_messages={
            "required": "Select what kind of group you are",
            "invalid_choice": "Select what kind of group you are",
        },
    )
    annual_income = MoneyField(
        label="What is your group’s income in a year?",
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
    amount = MoneyField(
        label="How much would you like to ask for?",
        what="how much you would like to ask for",
        example="£1,500",
    )
    addresses_priority = forms.ChoiceField(
        label="Will your activity address one of this round’s priorities?",
        choices=YES_NO,
        widget=GovukRadioSelect(inline=True),
        error_messages={
            "required": "Select yes if your activity addresses one of the priorities",
            "invalid_choice": "Select yes if your activity addresses one of the priorities",
        },
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
    name = forms.CharField(
        label="Your name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 150 characters or fewer",
        },
    )
    group_name = forms.CharField(
        label="Your group’s name (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": "The group’s name must be 200 characters or fewer"},
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
    contact_preference = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=SupportRequest.Contact.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select how you would like us to contact you",
            "invalid_choice": "Select how you would like us to contact you",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send a confirmation here. Needed if you would like an email.",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "The email address must be 254 characters or fewer",
        },
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
    language = forms.CharField(
        label="Which language would you like us to use? (optional)",
        help_text="For example, Polish or British Sign Language. Leave blank for English.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"max_length": "The language must be 100 characters or fewer"},
    )
    message = forms.CharField(
        label="Anything else we should know? (optional)",
        required=False,
        max_length=2000,
        widget=GovukTextarea(max_chars=2000, rows=4),
        error_messages={"max_length": "Your message must be 2,000 characters or fewer"},
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
    assignee = forms.ModelChoiceField(
        label="Who will help this group?",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select a link worker to help this group",
            "invalid_choice": "Select a link worker from the list",
        },
    )

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: str(user)


class SupportCloseForm(forms.Form):
    notes = forms.CharField(
        label="What did you do to help?",
        help_text="For example, “called on 3 March and helped with the budget section”.",
        max_length=2000,
        widget=GovukTextarea(max_chars=2000, rows=4),
        error_messages={
            "required": "Enter what you did to help",
            "max_length": "What you did must be 2,000 characters or fewer",
        },
    )


ORDER_FIELD_KWARGS: dict[str, Any] = {
    "label": "Position in the list (optional)",
    "help_text": "Lower numbers come first.",
    "required": False,
    "min_value": 0,
    "max_value": 1000,
    "widget": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    "error_messages": {
        "invalid": "Enter the position as a whole number, like 3",
        "min_value": "The position must be 0 or more",
        "max_value": "The position must be 1,000 or less",
    },
}


class FaqForm(forms.Form):
    question = forms.CharField(
        label="Question",
        max_length=300,
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 300 characters or fewer",
        },
    )
    answer = forms.CharField(
        label="Answer",
        max_length=5000,
        widget=GovukTextarea(max_chars=5000, threshold=75),
        error_messages={
            "required": "Enter the answer",
            "max_length": "The answer must be 5,000 characters or fewer",
        },
    )
    order = forms.IntegerField(**ORDER_FIELD_KWARGS)

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0


class GuidanceForm(forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="For example, “Model constitution for a community group”.",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=GovukTextarea(max_chars=2000, rows=3),
        error_messages={"max_length": "The description must be 2,000 characters or fewer"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A {GUIDANCE_TYPES_TEXT} file, smaller than 10MB. Applicants can download it.",
        required=False,
        error_messages={
            "invalid": "The selected file could not be read. Choose another file",
            "empty": "The selected file is empty",
        },
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
    order = forms.IntegerField(**ORDER_FIELD_KWARGS)

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.file_extension = ""
        if has_file:
            self.fields["file"].label = "Replace the file (optional)"

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

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
