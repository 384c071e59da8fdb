"""Checks shared by every app for what people type: postcodes, phone numbers, money.

Each app's forms and services call these rather than keeping their own copy, so a number
one page accepts is accepted everywhere, with the same message when it is not.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError

POSTCODE_MESSAGE = "Enter a real postcode, like S80 2AB"
PHONE_MESSAGE = "Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"

MONEY_MAX = Decimal("9999999999.99")

_POSTCODE_PATTERN = re.compile(
    r"(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})"
)
_MONEY_PATTERN = re.compile(r"[0-9]*(?:\.[0-9]*)?")
# Digits with the separators people type; letters ("0800 FLOWERS", "ext 12") are refused.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9\s\-().]{1,40}")
# Ofcom keeps these UK ranges for drama and examples (01632 960000 to 960999 and so on);
# `phonenumbers` does not list some of them as valid, but they are fine to accept.
_FICTIONAL_UK_PREFIXES = (
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1914980",
    "2079460",
    "2920180",
    "2890180",
    "1632960",
    "7700900",
    "8081570",
    "9098790",
    "3069990",
)


def phone_number_recognised(number: phonenumbers.PhoneNumber) -> bool:
    """True for a number valid in its country's numbering plan, or an Ofcom drama number."""
    if phonenumbers.is_valid_number(number):
        return True
    national = str(number.national_number)
    return (
        number.country_code == 44
        and len(national) == 10
        and national.startswith(_FICTIONAL_UK_PREFIXES)
    )


def normalise_postcode(text: str) -> str:
    """A full UK postcode in upper case with one space before the last 3 characters."""
    postcode = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()
    if not _POSTCODE_PATTERN.fullmatch(postcode):
        raise ValidationError(POSTCODE_MESSAGE, code="postcode")
    return f"{postcode[:-3]} {postcode[-3:]}"


def uk_phone_normalise(text: str) -> str | None:
    """The number as 0 and its digits (01632960001), or None when it is not a UK number.

    Spaces, dashes, brackets and dots are ignored; +44 and 0044 stand for the leading 0.
    The number must be one the UK numbering plan (as `phonenumbers` knows it) allows.
    """
    typed = unicodedata.normalize("NFKC", text or "").strip()
    if not _PHONE_CHARACTERS.fullmatch(typed):
        return None
    try:
        number = phonenumbers.parse(typed, "GB")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 44 or not phone_number_recognised(number):
        return None
    return f"0{number.national_number}"


def normalise_phone_number(text: str) -> str:
    """A UK telephone number kept as the person wrote it apart from outer spaces;
    ``ValidationError`` with examples when it is not one."""
    if uk_phone_normalise(text) is None:
        raise ValidationError(PHONE_MESSAGE, code="phone")
    return " ".join((text or "").split())


def parse_money(text: str, *, label: str = "Amount") -> Decimal:
    """An amount in pounds with at most 2 decimal places: "£12,500" -> Decimal("12500.00").

    Accepts a pound sign, commas, spaces and full-width digits. Refuses letters, negative
    amounts and fractions of a penny, saying which. ``label`` starts each message.
    """
    compact = unicodedata.normalize("NFKC", text or "").strip()
    if not compact:
        raise ValidationError(f"Enter {label.lower()}", code="required")
    compact = re.sub(r"[\s,]", "", compact.removeprefix("£")).removeprefix("£")
    if compact.startswith("-"):
        raise ValidationError(f"{label} must be £0 or more", code="negative")
    if not _MONEY_PATTERN.fullmatch(compact) or compact in ("", "."):
        raise ValidationError(
            f"{label} must be a number in pounds, like £12,500 or £12,500.50", code="invalid"
        )
    if "." in compact and len(compact.split(".", 1)[1]) > 2:
        raise ValidationError(
            f"{label} must not include more than 2 decimal places, like £12,500.50",
            code="decimal_places",
        )
    try:
        amount = Decimal(compact)
    except InvalidOperation as error:
        raise ValidationError(f"{label} must be a number in pounds", code="invalid") from error
    # Before rounding to pence: a number too long for Decimal's precision cannot be rounded.
    if amount > MONEY_MAX:
        raise ValidationError(f"{label} must be £9,999,999,999.99 or less", code="too_large")
    return amount.quantize(Decimal("0.01"))
