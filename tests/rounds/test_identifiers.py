import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rounds.identifiers import IdentifierCheckMixin, identifier_check, identifier_problems

NHS = "This looks like an NHS number. Do not record details that identify a person."
EMAIL = "This looks like an email address. Do not record details that identify a person."
PHONE = "This looks like a phone number. Do not record details that identify a person."
POSTCODE = "This looks like a full postcode. Do not record details that identify a person."
BIRTH = "This looks like a date of birth. Do not record details that identify a person."

WEIGHTS = range(10, 1, -1)


def check_digit(first_nine: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    return {0: 0, 1: 10}.get(remainder, 11 - remainder)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
valid_nhs_numbers = nine_digits.filter(lambda d: check_digit(d) != 10).map(
    lambda d: f"{d}{check_digit(d)}"
)
# Invalid: a wrong last digit, or first nine digits whose check digit would be 10. A leading
# zero is left out here because 0 followed by 9 digits is also a UK phone number.
invalid_nhs_numbers = nine_digits.filter(lambda d: d[0] != "0").flatmap(
    lambda d: st.sampled_from([str(n) for n in range(10) if n != check_digit(d)]).map(
        lambda last: d + last
    )
)
formats = st.sampled_from(
    [
        lambda n: n,
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
        lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
    ]
)
sentences = st.sampled_from(
    [
        "{}",
        "NHS number {} came in on Tuesday",
        "Man with NHS no. {}, lonely since his wife died.",
        "Ref:{} needs a befriender",
        "({}) asked about walking groups",
    ]
)


@given(number=valid_nhs_numbers, form=formats, sentence=sentences)
def test_a_valid_nhs_number_is_refused_in_every_format(number, form, sentence):
    assert NHS in identifier_problems(sentence.format(form(number)))


@given(number=invalid_nhs_numbers, form=formats, sentence=sentences)
def test_ten_digits_failing_the_modulus_11_check_are_not_an_nhs_number(number, form, sentence):
    assert identifier_problems(sentence.format(form(number))) == []


@pytest.mark.parametrize(
    "number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "401 023 2137"]
)
def test_published_example_nhs_numbers_are_refused(number):
    assert identifier_problems(f"Seen today: {number}") == [NHS]


@pytest.mark.parametrize("number", ["9434765910", "4010232138", "1234567890"])
def test_ten_digits_with_a_wrong_check_digit_pass(number):
    assert identifier_problems(f"Reference {number} from the council") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Contact jo.bloggs@example.org for the group", EMAIL),
        ("She asked me to email sam+walks@mail.co.uk", EMAIL),
        ("Call him on 07700 900123 about it", PHONE),
        ("Daughter's number is 07700900123", PHONE),
        ("Ring +44 7700 900123 after 5pm", PHONE),
        ("Landline (01632) 960 123", PHONE),
        ("Phone 0161 496 0000 to book", PHONE),
        ("Lives at 4 Mill Lane, S80 2AB", POSTCODE),
        ("postcode s802ab, no bus", POSTCODE),
        ("Near SW1A 1AA", POSTCODE),
        ("Lives in M1 1AE area", POSTCODE),
        ("DOB 12/03/1956, needs a lunch club", BIRTH),
        ("date of birth: 3/4/56", BIRTH),
        ("born on 12 March 1956", BIRTH),
        ("Was born in 1948", BIRTH),
        ("Birthday is 1 Jan 1950", BIRTH),
        ("Widower, 14/02/1942, housebound", BIRTH),
        ("1960-01-01 was given as the date", BIRTH),
    ],
)
def test_realistic_sentences_with_an_identifier_are_refused(text, found):
    assert found in identifier_problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tuesdays 10-12 at the library",
        "Nothing in the S80 area for men",
        "3 people aged 65+ asked for a lunch club",
        "Costs £1,000 a year for the hall",
        "Grant of £2,500 for 2026",
        "The bus stopped running in 2019",
        "Session runs 9.30 to 11.30, room 101",
        "Open 0900-1700, Monday to Friday",
        "No group meets after 6pm in Kiln Lane",
        "Take the A1 2nd exit, then the B6045",
        "Year 6 3rd class is full",
        "Three carers, 40-50 hours a week each",
        "Meeting on 12/03/2026 about the lunch club",
        "People born in the 1950s miss the tea dances",
        "Ward E05001234 and PCN U00101",
        "About 1,200 households in fuel poverty",
        "Waiting list of 25; 10 to 12 weeks",
        "Walking group @ the park",
        "Runs 2024-05-01 to 2025-04-30",
        "",
    ],
)
def test_ordinary_sentences_pass(text):
    assert identifier_problems(text) == []


def test_identifier_check_names_everything_it_found():
    with pytest.raises(ValidationError) as raised:
        identifier_check("jo@example.org, 07700 900123")
    assert raised.value.messages == [EMAIL, PHONE]


class _NoteForm(IdentifierCheckMixin, forms.Form):
    note = forms.CharField()
    link = forms.URLField(required=False, assume_scheme="https")


def test_the_form_mixin_puts_the_message_on_the_field():
    form = _NoteForm({"note": "NHS 943 476 5919", "link": "https://example.org/a@b.com"})
    assert not form.is_valid()
    assert form.errors == {"note": [NHS]}
