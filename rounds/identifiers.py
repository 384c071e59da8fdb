"""The identifier guard: free text in the needs register must not identify a person.

It looks for an NHS number (10 digits passing the modulus 11 check), an email address, a UK
phone number, a full UK postcode and a date of birth. Each pattern is written to let
ordinary sentences through: opening hours ("Tuesdays 10-12"), postcode districts ("S80"),
ages ("65+"), money ("£1,000"), years ("2026") and recent dates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

NHS_NUMBER = "an NHS number"
EMAIL_ADDRESS = "an email address"
PHONE_NUMBER = "a phone number"
FULL_POSTCODE = "a full postcode"
DATE_OF_BIRTH = "a date of birth"

# 3-3-4 with spaces or hyphens, or 10 digits together; not part of a longer number.
_NHS_RE = re.compile(r"(?<![\d.,£$])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")

_EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# A UK number: 0 (or +44 / 0044) then 9 or 10 more digits, with single spaces, hyphens
# or brackets around the area code. A leading 0 must start the number, so "10-12" is safe.
_PHONE_RE = re.compile(
    r"""
    (?<![\w+£$.,])
    (?:
        (?:\+44|0044)[ -]?(?:\(0\)[ -]?)?
      | \(?0
    )
    [1-9](?:[ -]?\)?[ -]?\d){8,9}
    (?![\d])
    """,
    re.VERBOSE,
)

# Outward code (area and district) then inward code (sector and unit); the unit letters
# never include C, I, K, M, O or V.
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)"
    r"[ ]{0,2}"
    r"(\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL_RE = re.compile(r"^\d(?:st|nd|rd|th)$", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_NUMERIC_DATE_RE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])")
_ISO_DATE_RE = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.-])")
_TEXT_DATE_RE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b"
    rf"|\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
    re.IGNORECASE,
)
# "DOB 1956", "date of birth: 3/4/56", "born in 1956", "born 12 March 1956"; not a decade.
_BIRTH_WORDS_RE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+(?:on|in))?)\b"
    r"[\s:,-]*\d+(?!\d)(?!'?s\b)",
    re.IGNORECASE,
)

# A full date further back than this reads as a birth date rather than an event.
_BIRTH_DATE_YEARS = 10


def _nhs_number_valid(digits: str) -> bool:
    """The NHS modulus 11 check: weights 10 to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text: str) -> bool:
    return any(_nhs_number_valid(re.sub(r"\D", "", m.group())) for m in _NHS_RE.finditer(text))


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE_RE.finditer(text):
        inward = match.group(2)
        # "A1 2nd exit", "Year 6 3rd class": ordinals in lower case are words, not units.
        if _ORDINAL_RE.match(inward) and not match.group().isupper():
            continue
        return True
    return False


def _full_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    this_century = timezone.localdate().year // 100 * 100
    candidate = this_century + int(year)
    return candidate - 100 if candidate > timezone.localdate().year else candidate


def _looks_like_birth_date(day: int, month: int, year: int) -> bool:
    try:
        when = date(year, month, day)
    except ValueError:
        return False
    today = timezone.localdate()
    return when.year <= today.year - _BIRTH_DATE_YEARS and when.year >= today.year - 120


def _has_date_of_birth(text: str) -> bool:
    if _BIRTH_WORDS_RE.search(text):
        return True
    for match in _NUMERIC_DATE_RE.finditer(text):
        day, _sep, month, year = match.groups()
        if _looks_like_birth_date(int(day), int(month), _full_year(year)):
            return True
    for match in _ISO_DATE_RE.finditer(text):
        year, month, day = match.groups()
        if _looks_like_birth_date(int(day), int(month), int(year)):
            return True
    for match in _TEXT_DATE_RE.finditer(text):
        if match.group(1):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            month, day, year = match.group(4), match.group(5), match.group(6)
        if _looks_like_birth_date(int(day), _MONTHS[month.lower()], int(year)):
            return True
    return False


_CHECKS = [
    (NHS_NUMBER, _has_nhs_number),
    (EMAIL_ADDRESS, lambda text: bool(_EMAIL_RE.search(text))),
    (PHONE_NUMBER, lambda text: bool(_PHONE_RE.search(text))),
    (FULL_POSTCODE, _has_postcode),
    (DATE_OF_BIRTH, _has_date_of_birth),
]


def identifier_message(kind: str) -> str:
    return f"This looks like {kind}. Do not record details that identify a person."


def identifier_problems(text: str | None) -> list[str]:
    """What in the text could identify a person, as messages a person can act on."""
    if not text:
        return []
    return [identifier_message(kind) for kind, found in _CHECKS if found(text)]


def identifier_check(text: str | None) -> None:
    """Raise ValidationError naming every kind of identifier found in the text."""
    problems = identifier_problems(text)
    if problems:
        raise ValidationError(problems, code="identifier")


class IdentifierCheckMixin:
    """Checks every free-text field of a form for identifiers before the form is valid.

    Every CharField except URL and email fields is checked, so a field added later cannot
    be forgotten; `identifier_exempt_fields` names any that must not be.
    """

    identifier_exempt_fields: tuple[str, ...] = ()

    def _identifier_field_names(self) -> list[str]:
        return [
            name
            for name, field in self.fields.items()  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField)
            and not isinstance(field, forms.URLField | forms.EmailField)
            and name not in self.identifier_exempt_fields
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self._identifier_field_names():
            value = cleaned.get(name)
            if isinstance(value, str):
                for problem in identifier_problems(value):
                    self.add_error(name, problem)  # type: ignore[attr-defined]
        return cleaned
