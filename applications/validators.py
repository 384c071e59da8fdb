"""Checks for what groups type in: registration numbers, bank details, free text.

Shared by every form in the applications app; postcodes, phone numbers and amounts of
money are checked by ``microcomm.validators``, for every app. Each function takes the text a person
typed, raises ``ValidationError`` with a GOV.UK style message that says the expected
format, and otherwise returns the value normalised for storage. Keep the names stable:

- ``normalise_charity_number(text) -> str``  "1234567", "SC012345", "NIC100019"
- ``normalise_company_number(text) -> str``  "01234567", "SC123456"
- ``refuse_bank_numbers(text) -> None``      no account numbers or sort codes
- ``refuse_markup(text, label=...) -> None`` no pasted HTML
- ``refuse_symbols(text, label=...) -> None`` no emoji or pictographs (names, contacts)
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

CHARITY_NUMBER_MESSAGE = (
    "Enter a charity number in the correct format: 6 or 7 digits for England and Wales, "
    "SC and 6 digits for Scotland, or NIC and 6 digits for Northern Ireland"
)
COMPANY_NUMBER_MESSAGE = (
    "Enter a company number in the correct format: 8 digits, like 01234567, "
    "or 2 letters and 6 digits, like SC123456"
)
BANK_NUMBERS_MESSAGE = "Do not enter your account number or sort code"

# Companies House prefixes: Scotland, Northern Ireland, LLPs, Royal Charter, societies and
# the other registers it keeps. Anything else with two letters is a typing mistake.
COMPANY_PREFIXES = frozenset(
    {
        "AC", "BR", "CE", "CS", "FC", "GE", "GN", "GS", "IC", "IP", "LP", "NA", "NC", "NF",
        "NI", "NL", "NO", "NP", "NR", "NZ", "OC", "RC", "RS", "SA", "SC", "SE", "SF", "SG",
        "SI", "SL", "SO", "SP", "SR", "SZ", "ZC",
    }
)  # fmt: skip

_CHARITY_PATTERNS = (
    re.compile(r"[0-9]{6,7}"),  # England and Wales; Northern Ireland written without NIC
    re.compile(r"SC[0-9]{6}"),  # Scotland
    re.compile(r"NIC[0-9]{6}"),  # Northern Ireland as the Charity Commission NI writes it
)
_COMPANY_PATTERN = re.compile(r"(?:[0-9]{8}|([A-Z]{2})[0-9]{6})")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_SORT_CODE = re.compile(r"(?<![0-9])[0-9]{2}[\s\-–]?[0-9]{2}[\s\-–]?[0-9]{2}(?![0-9])")
# A tag is its start ("<b", "</ b") with a ">" anywhere after it; looking for the start
# before the last ">" keeps the check linear (a "[^>]*>" pattern backtracks on "<a<a<a...").
_TAG_START = re.compile(r"<\s*(?:/\s*)?[a-zA-Z]")
_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+);")


def _compact(text: str) -> str:
    """Upper case, full-width characters folded to ASCII, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def normalise_charity_number(text: str) -> str:
    """A charity number from any of the three UK registers, upper case without spaces."""
    number = _compact(text)
    if not any(pattern.fullmatch(number) for pattern in _CHARITY_PATTERNS):
        raise ValidationError(CHARITY_NUMBER_MESSAGE, code="charity_number")
    return number


def normalise_company_number(text: str) -> str:
    """A Companies House number: 8 digits, or a known 2-letter prefix and 6 digits."""
    number = _compact(text)
    match = _COMPANY_PATTERN.fullmatch(number)
    if match is None or (match.group(1) and match.group(1) not in COMPANY_PREFIXES):
        raise ValidationError(COMPANY_NUMBER_MESSAGE, code="company_number")
    return number


def refuse_bank_numbers(text: str) -> None:
    """Refuse text holding an account number (8 digits in a row) or a sort code."""
    folded = unicodedata.normalize("NFKC", text or "")
    if _EIGHT_DIGITS.search(re.sub(r"[\s\-]", "", folded)) or _SORT_CODE.search(folded):
        raise ValidationError(BANK_NUMBERS_MESSAGE, code="bank_numbers")


def refuse_markup(text: str, *, label: str = "This answer") -> None:
    """Refuse pasted HTML: tags or entities, which would show as code to the next reader.

    Runs in time linear in the length of the text; forms still refuse over-long text first.
    """
    text = text or ""
    last_close = text.rfind(">")
    if (last_close > 0 and _TAG_START.search(text, 0, last_close)) or _ENTITY.search(text):
        raise ValidationError(
            f"{label} must be plain text: remove the HTML tags or formatting codes",
            code="markup",
        )


def refuse_symbols(text: str, *, label: str = "This answer") -> None:
    """Refuse emoji and other pictographs in names, numbers and contact details."""
    for character in text or "":
        category = unicodedata.category(character)
        if category == "So" or (category.startswith("C") and character not in "\t\n\r"):
            raise ValidationError(
                f"{label} must only include letters, numbers, spaces and punctuation",
                code="symbols",
            )
