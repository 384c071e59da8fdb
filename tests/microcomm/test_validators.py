import pytest
from django.core.exceptions import ValidationError

from microcomm.validators import PHONE_MESSAGE, normalise_phone_number, uk_phone_normalise


def message_of(function, value) -> str:
    with pytest.raises(ValidationError) as caught:
        function(value)
    return caught.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    ["01632 960 001", "07700 900982", "+44 808 157 0192", "(01632) 960001", "0044 7700 900 982"],
)
def test_good_phone_numbers_are_kept_as_typed(typed):
    assert normalise_phone_number(typed) == typed


@pytest.mark.parametrize(
    "typed", ["12345", "07700 90098", "+1 555 123 4567", "phone me", "0770090098212", ""]
)
def test_bad_phone_numbers_show_examples(typed):
    assert message_of(normalise_phone_number, typed) == PHONE_MESSAGE


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("07700 900982", "07700900982"),
        ("+44 7700 900 982", "07700900982"),
        ("(01632) 960-001", "01632960001"),
        ("0044 808 157 0192", "08081570192"),
        ("0800 123 456", "0800123456"),
        ("０７７００ ９００９８２", "07700900982"),
        ("12345", None),
        ("07700 9009", None),
        ("07700 90098", None),
        ("+1 202 555 0100", None),
        ("phone me", None),
    ],
)
def test_uk_phone_numbers_are_compared_as_their_digits(typed, normalised):
    assert uk_phone_normalise(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "01000 000000",  # no UK area code starts 0100
        "04444 444444",  # 04 is not allocated
        "0999 123 4567",  # 999 is the emergency number, not a range
        "0800 FLOWERS",  # letters are not dialled here
        "07700 900982 ext 12",
    ],
)
def test_numbers_outside_the_uk_numbering_plan_show_examples(typed):
    assert uk_phone_normalise(typed) is None
    assert message_of(normalise_phone_number, typed) == PHONE_MESSAGE


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("+44 (0) 7700 900982", "07700900982"),
        ("+44 20 7946 0123", "02079460123"),
        ("0300 123 4567", "03001234567"),
        ("01534 123456", "01534123456"),
    ],
)
def test_numbers_in_the_uk_numbering_plan_are_accepted(typed, normalised):
    assert uk_phone_normalise(typed) == normalised
