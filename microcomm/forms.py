"""Field declarations every app's forms share, and the forms for signing up and signing in.

The field helpers keep a GOV.UK error message beside the limit it describes: a text
field's "must be 2,000 characters or fewer" and its character count come from one
``max_length``, and a choice asks again with the same words whether the answer is
missing or not one of the choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from microcomm.formatting import pounds
from microcomm.govuk import GovukRadioSelect, GovukTextarea
from microcomm.models import User
from microcomm.validators import MONEY_MAX, parse_money

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"
EMAIL_MAX_LENGTH = 254
YES_NO = [("yes", "Yes"), ("no", "No")]
FILE_ERROR_MESSAGES = {
    "invalid": "The selected file could not be read. Choose another file",
    "empty": "The selected file is empty",
}


def _field(
    field_class: type[forms.Field],
    label: str,
    *,
    required_message: str,
    error_messages: dict[str, str],
    **kwargs: Any,
) -> Any:
    """A field that is required exactly when ``required_message`` says what to enter."""
    if required_message:
        error_messages = {**error_messages, "required": required_message}
    return field_class(
        label=label, required=bool(required_message), error_messages=error_messages, **kwargs
    )


def text_field(
    label: str,
    *,
    max_length: int,
    subject: str,
    required_message: str = "",
    rows: int = 0,
    threshold: int | None = None,
    **kwargs: Any,
) -> forms.CharField:
    """A text box, or with ``rows`` a GOV.UK textarea that counts up to ``max_length``.

    ``subject`` names the answer in the length error: "The title" gives "The title must be
    200 characters or fewer".
    """
    if rows:
        kwargs.setdefault(
            "widget", GovukTextarea(max_chars=max_length, threshold=threshold, rows=rows)
        )
    return _field(
        forms.CharField,
        label,
        required_message=required_message,
        max_length=max_length,
        error_messages={"max_length": f"{subject} must be {max_length:,} characters or fewer"},
        **kwargs,
    )


def reason_field(
    label: str,
    *,
    required_message: str = "",
    max_length: int = 2000,
    rows: int = 3,
    **kwargs: Any,
) -> forms.CharField:
    """Why a person moves something on: the reason a transition keeps in its history."""
    return text_field(
        label,
        max_length=max_length,
        subject="The reason",
        required_message=required_message,
        rows=rows,
        **kwargs,
    )


def email_field(
    label: str = "Email address",
    *,
    required_message: str = "",
    autocomplete: str = "",
    **kwargs: Any,
) -> forms.EmailField:
    """An email address box, no longer than an email address can be stored."""
    attrs: dict[str, Any] = {"autocomplete": autocomplete} if autocomplete else {}
    return _field(
        forms.EmailField,
        label,
        required_message=required_message,
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={**attrs, "spellcheck": "false"}),
        error_messages={
            "invalid": EMAIL_FORMAT_MESSAGE,
            "max_length": f"The email address must be {EMAIL_MAX_LENGTH} characters or fewer",
        },
        **kwargs,
    )


def choice_field(
    label: str,
    choices: Iterable[tuple[Any, Any]],
    *,
    message: str,
    widget: forms.Widget | type[forms.Widget] = GovukRadioSelect,
    **kwargs: Any,
) -> forms.ChoiceField:
    """A required question with GOV.UK radios; ``message`` asks for an answer from the list."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=widget,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def model_choice_field(
    label: str,
    queryset: QuerySet[Any],
    *,
    invalid_message: str,
    required_message: str = "",
    **kwargs: Any,
) -> forms.ModelChoiceField:
    """One row of ``queryset``; ``invalid_message`` answers a choice that is not in the list.

    Required exactly when ``required_message`` says what to select.
    """
    return _field(
        forms.ModelChoiceField,
        label,
        required_message=required_message,
        error_messages={"invalid_choice": invalid_message},
        queryset=queryset,
        **kwargs,
    )


def whole_number_field(
    label: str,
    *,
    subject: str,
    minimum: int,
    maximum: int,
    invalid_message: str,
    width: int = 5,
    counting: bool = True,
    required_message: str = "",
    field_class: type[forms.IntegerField] = forms.IntegerField,
    **kwargs: Any,
) -> forms.IntegerField:
    """A whole number typed in a numeric box; its limits and their error messages are one.

    ``subject`` names the answer: "Word limit" gives "Word limit must be 10 or more". A
    count (of words, of people) is "2,000 or fewer"; a number that is not one, such as a
    position in a list, is "1,000 or less" (``counting=False``).
    """
    return _field(
        field_class,
        label,
        required_message=required_message,
        min_value=minimum,
        max_value=maximum,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": f"govuk-input--width-{width}"}
        ),
        error_messages={
            "invalid": invalid_message,
            "min_value": f"{subject} must be {minimum:,} or more",
            "max_value": f"{subject} must be {maximum:,} or {'fewer' if counting else 'less'}",
        },
        **kwargs,
    )


def file_field(label: str, *, required_message: str = "", **kwargs: Any) -> forms.FileField:
    """A file upload; check what the file really is with ``microcomm.uploads.upload_check``."""
    messages = dict(FILE_ERROR_MESSAGES)
    if required_message:
        messages["missing"] = required_message
    return _field(
        forms.FileField, label, required_message=required_message, error_messages=messages, **kwargs
    )


class PoundsField(forms.Field):
    """An amount in pounds typed as people write it ("£1,200", "1200.50"), as a Decimal.

    ``parse_money`` reads it; ``refusals`` words its refusals for this question by their
    code ("invalid", "negative", "decimal_places", "too_large"). ``more_than_zero`` refuses
    £0 with the "negative" words; ``maximum`` lowers the largest amount allowed.
    """

    def __init__(
        self,
        *,
        refusals: Mapping[str, str],
        more_than_zero: bool = False,
        maximum: Decimal = MONEY_MAX,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"prefix": "£", "class": "govuk-input--width-10"})
        )
        super().__init__(**kwargs)
        self.refusals = dict(refusals)
        self.more_than_zero = more_than_zero
        self.maximum = maximum

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return pounds(value).removeprefix("£")
        return value

    def _refusal(self, error: ValidationError) -> ValidationError:
        if error.code in self.refusals:
            return ValidationError(self.refusals[error.code], code=error.code)
        return error

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        text = str(value or "").strip()
        if not text.removeprefix("£").strip():
            return None
        try:
            amount = parse_money(text)
        except ValidationError as error:
            raise self._refusal(error) from error
        if self.more_than_zero and amount <= 0:
            raise self._refusal(ValidationError("", code="negative"))
        if amount > self.maximum:
            raise self._refusal(ValidationError("", code="too_large"))
        return amount


def row_message(row: str, message: str) -> str:
    """An error that names the row it is about: "Source 3: enter an amount"."""
    if message.startswith(f"{row}:"):
        return message
    if message[:1].isupper() and not message[1:2].isupper():
        message = message[:1].lower() + message[1:]
    return f"{row}: {message}"


class RowForm(forms.Form):
    """One row of several on a page (a formset's form): each of its errors names the row.

    The formset passes ``row`` ("Source 3") through ``get_form_kwargs``.
    """

    def __init__(self, *args: Any, row: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row

    def full_clean(self) -> None:
        super().full_clean()
        if not self.row or not self._errors:
            return
        for errors in self._errors.values():
            errors.data[:] = [
                ValidationError(row_message(self.row, message))
                for error in errors.as_data()
                for message in error.messages
            ]


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = email_field(
        required_message="Enter your email address",
        autocomplete="email",
        help_text="We will send you a link to confirm it.",
    )
    password1 = forms.CharField(
        label="Create a password",
        help_text="Use at least 10 characters. Avoid common words and passwords.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def clean_email(self) -> str:
        # Whether an account has this address is not said here: the next page is the same
        # either way, and the owner is emailed (see user_sign_up).
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match")
        elif password1:
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(AuthenticationForm):
    username = email_field(required_message="Enter your email address", autocomplete="email")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Contact the scheme if you think this is wrong",
    }

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise ValidationError(
                "Confirm your email address before you sign in. We have sent you a new link",
                code="unconfirmed",
            )


class PasswordResetRequestForm(forms.Form):
    email = email_field(required_message="Enter your email address", autocomplete="email")


class SetPasswordForm(DjangoSetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "Use at least 10 characters. Avoid common words and passwords."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter your new password again"


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
