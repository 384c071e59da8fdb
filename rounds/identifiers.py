"""The identifier guard: free text in the needs register must not identify a person.

It refuses an NHS number (10 digits passing the modulus 11 check), an email address (also
written "name (at) gmail dot com"), a phone number (found and checked with `phonenumbers`),
a full UK postcode, and, only where the context says so:

- a person's name: a title (Mr, Mrs, Ms, Miss, Mx, Dr) before a capitalised name, unless it
  names a place ("Dr Foster's surgery");
- a name with an age beside it: "John Smith, 79", "Asha Patel (82)", "Jean aged 82",
  "82-year-old Mary", "Tom 82yo"; an age range is not an age ("women aged 65 and over"),
  and one capitalised word before a comma or bracket may be a place and a count
  ("Whitmore, 20"), so those need a first name and a surname;
- a street address: a house number, a name and a street word ("14 Elm Road", "3a, Kiln
  Court");
- a date of birth: a date after "born", "DOB", "d.o.b." or "date of birth", a date right
  after a person ("widower, 14/02/1942"), or an old full date written with a two-digit year
  ("3rd March 41", "03/03/41").

So ordinary sentences pass: events in the past ("opened on 4 June 1987"), opening hours
("Tuesdays 10-12"), postcode districts ("S80"), ages of groups ("3 people aged over 80",
"Over 60s walking group"), places ("St Mary's Church Hall", "Age UK"), money and years.

Every check is linear in the length of the text: quantifiers are bounded, matches can only
start at a word boundary, and text longer than `MAX_CHECKED_LENGTH` is refused unchecked.
The evidence link is checked too, after decoding its %-escapes: its path, query and
fragment must not hold any of the above.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from microcomm.validators import phone_number_recognised

NHS_NUMBER = "an NHS number"
EMAIL_ADDRESS = "an email address"
PHONE_NUMBER = "a phone number"
FULL_POSTCODE = "a full postcode"
DATE_OF_BIRTH = "a date of birth"
NAME_AND_AGE = "a person’s name and age"
PERSON_NAME = "a person’s name"
STREET_ADDRESS = "a street address"

# Longer than any field of the register allows; the admin's description has no cap of its own.
MAX_CHECKED_LENGTH = 10_000

_WHY = "the register must not identify anyone"
_ADVICE = {
    NHS_NUMBER: "Remove it",
    EMAIL_ADDRESS: "Remove it",
    PHONE_NUMBER: "Remove it",
    FULL_POSTCODE: "Remove it or give only the first half, like S80",
    DATE_OF_BIRTH: "Remove it or give an age band, like “in their 80s”",
    NAME_AND_AGE: "Remove the name and describe the person instead, like “a man in his 70s”",
    PERSON_NAME: "Remove the name and describe the person instead, like “a woman in her 80s”",
    STREET_ADDRESS: "Remove the house number and street, or give the ward or area instead",
}
TOO_LONG_MESSAGE = (
    f"This text is too long to check for details that identify a person. "
    f"Keep it under {MAX_CHECKED_LENGTH:,} characters"
)

# --- NHS numbers -------------------------------------------------------------------------

# 3-3-4 with spaces or hyphens, or 10 digits together; not part of a longer number.
_NHS_RE = re.compile(r"(?<![\d.,£$])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")

# --- Email addresses ---------------------------------------------------------------------

_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Written out to get past a filter: "jo (at) gmail dot com", "jo[at]gmail[dot]com",
# "jo @ gmail.com", "jo at gmail dot com". A domain must end in a common top-level domain
# or be a webmail provider. After a bare " at " the domain must name a webmail provider or
# spell out a dot, so "info at nhs.uk" (a website) and "meet at noon. Tea" pass.
_LOCAL = r"(?<![\w.+'-])[\w.+'-]{1,64}"
_SPELT_DOT = r"(?:[ ]{0,3}[(\[{<][ ]{0,3}dot[ ]{0,3}[)\]}>][ ]{0,3}|[ ]{1,3}dot[ ]{1,3})"
_LABEL = r"[\w-]{1,63}"
_TLDS = r"(?:com|org|net|uk|co|gov|nhs|ac|edu|io|info|me|biz|scot|wales|cymru|ie|eu|email)\b"
_WEBMAIL = (
    r"(?:gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|aol|btinternet|btopenworld"
    r"|protonmail|proton|virginmedia|ntlworld|talktalk|blueyonder|tiscali)\b"
)
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"{_LOCAL}(?:"
    rf"[ ]{{0,3}}(?:@|[(\[{{<][ ]{{0,3}}at[ ]{{0,3}}[)\]}}>])[ ]{{0,3}}"
    rf"(?:{_WEBMAIL}|{_LABEL}(?:(?:\.|{_SPELT_DOT}){_LABEL}){{0,3}}(?:\.|{_SPELT_DOT}){_TLDS})"
    rf"|[ ]{{1,3}}at[ ]{{1,3}}"
    rf"(?:{_WEBMAIL}|(?:{_LABEL}\.){{0,3}}{_LABEL}{_SPELT_DOT}(?:{_LABEL}(?:\.|{_SPELT_DOT})){{0,3}}{_TLDS})"
    r")",
    re.IGNORECASE,
)

# --- Phone numbers -----------------------------------------------------------------------

_PHONE_START_RE = re.compile(r"(?<![\w+£$.,/(-])\(?[+0](?=[\d (])")
_PHONE_RUN_RE = re.compile(r"\(?\+?[0-9][0-9 ()\-.]{7,24}")
# Digits in a UK number from its 0 (9 for a few freephone numbers), and from + or 00.
_NATIONAL_LENGTHS = frozenset({9, 10, 11})
_INTERNATIONAL_LENGTHS = frozenset(range(8, 18))

# --- Postcodes ---------------------------------------------------------------------------

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

# --- Names -------------------------------------------------------------------------------

# Capitalised words that start sentences or name groups and places, never a person.
_NOT_NAMES = frozenset(
    """
    a an the this that these those some many most all any each every only about around
    nearly almost roughly over under approximately total also and but or so then there
    here he she they we i it his her their our my your one two three four five six seven
    eight nine ten people person persons men man women woman residents resident carers
    carer adults adult children child families family clients client patients patient
    households household members member pensioners veterans volunteers users parents
    someone somebody everyone anybody nobody group groups lady ladies gentleman gentlemen
    boy boys girl girls widow widower mum dad son daughter husband wife partner
    age ages aged ward wards area areas place places street road lane avenue close drive
    way court hall church centre center school library surgery practice club cafe café
    shed park green estate village town city borough council pcn icb uk nhs trust
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december week weekly year years
    today yesterday tomorrow morning afternoon evening night fields field side hill hills
    bridge cross end gate vale wood woods heath moor brook dale mill mills row north south
    east west central upper lower valley
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# A word of a name: capitalised, maybe with a prefix or hyphen ("McDonald", "O'Neill",
# "Smith-Jones"), maybe possessive.
_NAME_WORD = r"[A-Z][a-z]{0,2}['’]?[A-Z]?[a-z]{1,30}(?:-[A-Z][a-z]{1,30})?(?:['’]s)?"
_NAME = rf"(?<![\w'’-]){_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}}"
_NAME_BEFORE_RE = re.compile(rf"({_NAME})[ ]{{0,2}}[,(]?[ ]{{0,2}}$")

_JOINING_WORDS = r"(?:and|or|the|a|an|to|of|is|was|said|has|had)\b"
# A title then initials if any and a capitalised name; after a lower-case "mr" or "mrs"
# any word but a joining one ("mr and mrs Patel" is still found by its second title).
# "Ms" and "Miss" count only capitalised: "MS" is multiple sclerosis, "miss" a verb.
_TITLE_NAME_RE = re.compile(
    rf"(?<![\w'’-])(?:"
    rf"(?:(?i:mr|mrs|mx|dr|prof)|Ms|Miss)\.?[ ]{{1,3}}(?:[A-Z]\.?[ ]{{0,2}}){{0,3}}{_NAME_WORD}"
    rf"|(?:mrs?|Mrs?|mx|Mx)\.?[ ]{{1,3}}(?!{_JOINING_WORDS})[a-z]{{2,30}}\b"
    rf")"
)
# "Dr Foster's surgery" names a place, not the person.
_PLACE_AFTER_NAME_RE = re.compile(
    r"^(?:['’]s?[ ]{1,3}(?:[A-Za-z]{1,30}[ ]{1,3}){0,2}|[ ]{1,3}(?:[A-Z][a-z]{1,30}[ ]{1,3})?)"
    r"(?i:surgery|practice|clinic|centre|center|hall|school|hospital|pharmacy|chemist"
    r"|church|chapel|library|cafe|café|shop|group|club|trust|foundation|charity)\b"
)

# An age of one person, beside a name. Not the start of a range ("aged 65+", "aged 65 and
# over", "aged 18-25", "aged 60s") and not a duration ("3 years ago").
_AGE = r"(?:1[01]\d|120|[1-9]\d|[1-9])(?!\d)"
_NOT_A_RANGE = (
    r"(?![+%]|[ ]{0,2}(?:[-–]|(?i:to|plus|s|['’]s|(?:years?|yrs?)?[ ]?(?:and|or)[ ]"
    r"(?:over|above|under|older|younger|more|up))\b))"
)
_YEARS_OLD = r"[ ]{0,2}(?:-[ ]?)?(?i:years?|yrs?)[ -]{1,3}(?i:old)\b"
_AGE_AFTER_NAME = (
    r"(?:"
    rf"[ ](?i:aged)[ ]{{1,3}}(?:(?i:about|around)[ ])?{_AGE}{_NOT_A_RANGE}"
    rf"|,[ ]{{0,3}}(?:(?i:aged)[ ]{{1,3}})?{_AGE}(?=[ ]{{0,2}}(?:$|[,.;:!?)]"
    r"|(?i:years?|yrs?|y/?o|who|lives|living|is|was|has|had|housebound|widow|widower"
    r"|widowed|lonely|alone)\b))"
    rf"|[ ]?\([ ]{{0,2}}{_AGE}[ ]{{0,2}}\)"
    rf"|[ ]{_AGE}{_YEARS_OLD}"
    rf"|[ ]{_AGE}[ ]{{0,2}}(?i:y/?o)\b"
    r")"
)
_NAME_THEN_AGE_RE = re.compile(rf"({_NAME})(?={_AGE_AFTER_NAME})")
# "Whitmore, 20" could be a ward and a count: a comma or bracket needs a first name and a
# surname ("John Smith, 79") where "aged" or "years old" needs only one ("Jean aged 82").
_COMMA_OR_BRACKET_RE = re.compile(r"^[ ]?[,(]")
_AGE_THEN_NAME_RE = re.compile(
    rf"(?<![\w£$.,]){_AGE}(?:{_YEARS_OLD}|[ ]?(?i:y/?o)\b)[ ]{{1,2}}({_NAME})"
)

# --- Street addresses --------------------------------------------------------------------

# Words that end a street's name whatever their case ("14 elm road").
_STREET_WORDS = (
    r"road|rd|street|lane|ln|avenue|ave|crescent|cres|terrace|terr|gardens|gdns|grove"
    r"|mews|boulevard|cul-de-sac"
)
# Words that are also ordinary words, so only count capitalised ("3 close friends").
_STREET_WORDS_CAPITALISED = (
    r"Close|Way|Drive|Dr|Walk|Place|Pl|Court|Ct|Hill|Row|Square|Sq|Park|View|Rise|Green"
    r"|Gate|Mount|Vale|Bank|Fold|Chase|Croft|Parade|Wharf|Yard|Side|Meadows?|Wynd|Brow"
    r"|Street|St|Road|Rd|Lane|Ln"
)
# "14", "14a", "10-12"; not "60s" ("Over 60s Walking Group").
_HOUSE_NUMBER = r"(?<![\w£$.,/:-])(?:[1-9]\d{0,3}[A-Ha-h]?|[1-9]\d{0,3}[ ]?-[ ]?[1-9]\d{0,3}),?"
_ADDRESS_RE = re.compile(
    rf"{_HOUSE_NUMBER}[ ]{{1,3}}(?:"
    rf"(?:[A-Z][\w'’-]{{0,30}}[ ]{{1,3}}){{1,3}}"
    rf"(?:(?i:{_STREET_WORDS})|{_STREET_WORDS_CAPITALISED})"
    rf"|[a-z][\w'’-]{{1,30}}[ ]{{1,3}}(?i:{_STREET_WORDS})"
    rf")\b"
)

# --- Dates of birth ----------------------------------------------------------------------

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
_YEAR = r"(\d{4}|['’]?\d{2})"
_TEXT_DATE_RE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[ ]{{1,3}}(?:of[ ]{{1,3}})?({_MONTH_NAMES})\.?,?[ ]{{1,3}}"
    rf"{_YEAR}(?![\w'’])"
    rf"|\b({_MONTH_NAMES})\.?[ ]{{1,3}}(\d{{1,2}})(?:st|nd|rd|th)?,?[ ]{{1,3}}{_YEAR}(?![\w'’])",
    re.IGNORECASE,
)
_WORD_NEXT_RE = re.compile(r"[ ]{1,3}[a-z]")
_BIRTH_WORD = (
    r"(?:d\.[ ]?o\.[ ]?b\b\.?|dob\b|date[ ]{1,3}of[ ]{1,3}birth\b|birth[ ]?date\b"
    r"|birthday\b|born\b)"
)
# A birth word then a date, a year or a month: "DOB 03/03/41", "born in 1948", "born
# March 1941", "birthday 3rd March". Not a decade ("born in the 1950s") or a duration.
_BIRTH_WORDS_RE = re.compile(
    rf"\b{_BIRTH_WORD}[\s:,=-]{{0,5}}(?:(?:on|in|is|was)[ ]{{1,3}})?"
    rf"(?:\d{{1,4}}(?!\d|['’]?s\b|[ ]{{0,2}}(?:years?|months?|weeks?|days?|yrs?)\b)"
    rf"|(?:{_MONTH_NAMES})\b)",
    re.IGNORECASE,
)
_BIRTH_WORD_AFTER_RE = re.compile(
    rf"^[\s,:;(\[-]{{0,4}}(?:(?:as|is|was|her|his|their|the)[ ]{{1,3}}){{0,3}}{_BIRTH_WORD}",
    re.IGNORECASE,
)
_PERSON_BEFORE_RE = re.compile(
    r"\b(?:widow|widower|man|woman|lady|gent|gentleman|client|patient|resident|person|he"
    r"|she|him|her|mum|dad|mother|father|husband|wife|son|daughter|boy|girl|pensioner"
    r"|carer)[ ]{0,2}[,:(-]?[ ]{0,2}$",
    re.IGNORECASE,
)
_EVENT_BEFORE_RE = re.compile(
    r"\b(?:opened|closed|started|began|begun|founded|built|established|launched|ran|held"
    r"|since|from|until|till|between|published|dated|ended|moved|merged)(?:[ ]{1,3}(?:on|in))?"
    r"[ ]{0,2}$",
    re.IGNORECASE,
)

# A full date further back than this reads as a birth date rather than an event.
_BIRTH_DATE_YEARS = 10
_CONTEXT = 30


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


def _has_email(text: str) -> bool:
    return bool(_EMAIL_RE.search(text) or _OBFUSCATED_EMAIL_RE.search(text))


@functools.lru_cache(maxsize=1024)
def _dialable(written: str) -> bool:
    """True when the digits as written make a number `phonenumbers` knows."""
    try:
        number = phonenumbers.parse(written, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phone_number_recognised(number)


def _has_phone_number(text: str) -> bool:
    """A phone number, written as a person writes one to dial: from 0, + or 00.

    Each place a number could start is read up to the end of each group of digits; a
    candidate is parsed only when its length can be a number, so the check stays linear.
    A reference like "1234567890" or a ward code like "E05001234" is not a phone number.
    """
    for start in _PHONE_START_RE.finditer(text):
        run = _PHONE_RUN_RE.match(text, start.start())
        if run is None:
            continue
        written = run.group()
        international = written.lstrip("(").startswith(("+", "00"))
        digits = 0
        for index, char in enumerate(written):
            if not char.isdigit():
                continue
            digits += 1
            end = run.start() + index + 1
            if end < len(text) and text[end].isdigit():
                continue
            lengths = _INTERNATIONAL_LENGTHS if international else _NATIONAL_LENGTHS
            if digits in lengths and _dialable(written[: index + 1]):
                return True
    return False


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE_RE.finditer(text):
        inward = match.group(2)
        # "A1 2nd exit", "Year 6 3rd class": ordinals in lower case are words, not units.
        if _ORDINAL_RE.match(inward) and not match.group().isupper():
            continue
        return True
    return False


def _is_a_name(candidate: str) -> bool:
    """True when capitalised words read as a person's name, not a sentence start or place."""
    words = [word.removesuffix("'s").removesuffix("’s").lower() for word in candidate.split()]
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    return bool(words) and words[-1] not in _NOT_NAMES


def _has_name_and_age(text: str) -> bool:
    for match in _NAME_THEN_AGE_RE.finditer(text):
        name = match.group(1)
        if _COMMA_OR_BRACKET_RE.match(text[match.end() : match.end() + 2]) and " " not in name:
            continue
        if _is_a_name(name):
            return True
    return any(_is_a_name(match.group(1)) for match in _AGE_THEN_NAME_RE.finditer(text))


def _has_titled_name(text: str) -> bool:
    for match in _TITLE_NAME_RE.finditer(text):
        if not _PLACE_AFTER_NAME_RE.match(text[match.end() : match.end() + 80]):
            return True
    return False


def _has_street_address(text: str) -> bool:
    return bool(_ADDRESS_RE.search(text))


def _full_year(year: str) -> int:
    year = year.lstrip("'’")
    if len(year) == 4:
        return int(year)
    this_year = timezone.localdate().year
    candidate = this_year // 100 * 100 + int(year)
    return candidate - 100 if candidate > this_year else candidate


def _old_enough_to_be_a_birth_date(day: int, month: int, year: int) -> bool:
    try:
        when = date(year, month, day)
    except ValueError:
        return False
    today = timezone.localdate()
    return today.year - 120 <= when.year <= today.year - _BIRTH_DATE_YEARS


def _full_dates(text: str) -> list[tuple[int, int, int, int, int, bool]]:
    """Every full date: (start, end, day, month, year, whether the year had 2 digits)."""
    dates = []
    for match in _NUMERIC_DATE_RE.finditer(text):
        day, _sep, month, year = match.groups()
        dates.append(
            (match.start(), match.end(), int(day), int(month), _full_year(year), len(year) == 2)
        )
    for match in _ISO_DATE_RE.finditer(text):
        year, month, day = match.groups()
        dates.append((match.start(), match.end(), int(day), int(month), int(year), False))
    for match in _TEXT_DATE_RE.finditer(text):
        if match.group(1):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            month, day, year = match.group(4), match.group(5), match.group(6)
        short = len(year.lstrip("'’")) == 2
        # "on 3 March 41 people came": a count, not a year.
        if short and _WORD_NEXT_RE.match(text, match.end()):
            continue
        dates.append(
            (match.start(), match.end(), int(day), _MONTHS[month.lower()], _full_year(year), short)
        )
    return dates


def _has_date_of_birth(text: str) -> bool:
    if _BIRTH_WORDS_RE.search(text):
        return True
    for start, end, day, month, year, short_year in _full_dates(text):
        if not _old_enough_to_be_a_birth_date(day, month, year):
            continue
        before = text[max(0, start - _CONTEXT) : start]
        if _BIRTH_WORD_AFTER_RE.match(text[end : end + _CONTEXT]):
            return True
        if _EVENT_BEFORE_RE.search(before):
            continue
        if _PERSON_BEFORE_RE.search(before):
            return True
        name = _NAME_BEFORE_RE.search(before)
        if name and _is_a_name(name.group(1)):
            return True
        # People write a birth date with a two-digit year; an event gets all four.
        if short_year:
            return True
    return False


_CHECKS = [
    (NHS_NUMBER, _has_nhs_number),
    (EMAIL_ADDRESS, _has_email),
    (PHONE_NUMBER, _has_phone_number),
    (FULL_POSTCODE, _has_postcode),
    (DATE_OF_BIRTH, _has_date_of_birth),
    (NAME_AND_AGE, _has_name_and_age),
    (PERSON_NAME, _has_titled_name),
    (STREET_ADDRESS, _has_street_address),
]


def _normalised(text: str) -> str:
    """Full-width and styled characters as plain ones; invisible characters removed."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if char.isspace() else char for char in text if unicodedata.category(char) != "Cf"
    )


def _kinds_found(text: str) -> list[str]:
    text = _normalised(text)
    found = [kind for kind, check in _CHECKS if check(text)]
    if NAME_AND_AGE in found and PERSON_NAME in found:
        found.remove(PERSON_NAME)
    return found


def identifier_message(kind: str) -> str:
    return f"This looks like {kind}. {_ADVICE[kind]}: {_WHY}"


def link_identifier_message(kind: str) -> str:
    return f"This link contains {kind}. Link to a page whose address does not identify anyone"


def identifier_problems(text: str | None) -> list[str]:
    """What in the text could identify a person, as messages a person can act on."""
    if not text:
        return []
    if len(text) > MAX_CHECKED_LENGTH:
        return [TOO_LONG_MESSAGE]
    return [identifier_message(kind) for kind in _kinds_found(text)]


def _link_texts(url: str) -> list[str]:
    """The parts of a link that could hold an identifier, decoded, as text to check.

    The host is left out: it names the site, not a person. Slashes, "=" and "&" become
    spaces; hyphens and underscores in slugs are read both as written and as spaces.
    """
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    raw = " ".join(
        (unquote(userinfo), unquote(parts.path), unquote_plus(parts.query), unquote(parts.fragment))
    )
    # Encoded twice: %2540 is "@" once the second layer is read.
    for _ in range(2):
        if "%" not in raw:
            break
        raw = unquote(raw)
    if userinfo:
        raw = f"{raw} {unquote(userinfo)}@{parts.hostname or ''}"
    spaced = re.sub(r"[/?&=#;:|~!*]+", " ", raw)
    return [spaced, re.sub(r"[-_.+]+", " ", spaced)]


def link_identifier_problems(url: str | None) -> list[str]:
    """What in a link's path, query or fragment could identify a person, as messages."""
    if not url:
        return []
    if len(url) > MAX_CHECKED_LENGTH:
        return [TOO_LONG_MESSAGE]
    found: list[str] = []
    for text in _link_texts(url):
        found += [kind for kind in _kinds_found(text) if kind not in found]
    if NAME_AND_AGE in found and PERSON_NAME in found:
        found.remove(PERSON_NAME)
    return [link_identifier_message(kind) for kind, _check in _CHECKS if kind in found]


def identifier_check(text: str | None) -> None:
    """Raise ValidationError naming every kind of identifier found in the text."""
    problems = identifier_problems(text)
    if problems:
        raise ValidationError(problems, code="identifier")


class IdentifierCheckMixin:
    """Checks every free-text field and link of a form for identifiers before it is valid.

    Every CharField except email fields is checked, so a field added later cannot be
    forgotten; URL fields get the link check. `identifier_exempt_fields` names any that
    must not be checked.
    """

    identifier_exempt_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            value = cleaned.get(name)
            if (
                not isinstance(field, forms.CharField)
                or isinstance(field, forms.EmailField)
                or name in self.identifier_exempt_fields
                or not isinstance(value, str)
            ):
                continue
            if isinstance(field, forms.URLField):
                problems = link_identifier_problems(value)
            else:
                problems = identifier_problems(value)
            for problem in problems:
                self.add_error(name, problem)  # type: ignore[attr-defined]
        return cleaned
