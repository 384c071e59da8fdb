from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.forms.organisations import OrganisationProfileForm
from applications.validators import (
    BANK_NUMBERS_MESSAGE,
    CHARITY_NUMBER_MESSAGE,
    COMPANY_NUMBER_MESSAGE,
    normalise_charity_number,
    normalise_company_number,
    refuse_bank_numbers,
    refuse_markup,
    refuse_symbols,
)
from microcomm.models import LegalForm
from microcomm.validators import POSTCODE_MESSAGE, normalise_postcode, parse_money


def message_of(function, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        function(value, **kwargs)
    return caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234567", "1234567"),
        ("123456", "123456"),
        (" 1234 567 ", "1234567"),
        ("SC012345", "SC012345"),
        ("sc 012345", "SC012345"),
        ("NIC100019", "NIC100019"),
        ("nic100019", "NIC100019"),
        ("100019", "100019"),
        ("１２３４５６７", "1234567"),
    ],
)
def test_good_charity_numbers_are_stored_normalised(typed, stored):
    assert normalise_charity_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "12345678", "SC12345", "SC0123456", "NI100019", "AB123456", "12a4567", "🎉"]
)
def test_bad_charity_numbers_say_the_expected_format(typed):
    assert message_of(normalise_charity_number, typed) == CHARITY_NUMBER_MESSAGE
    assert "6 or 7 digits for England and Wales" in CHARITY_NUMBER_MESSAGE
    assert "SC and 6 digits for Scotland" in CHARITY_NUMBER_MESSAGE


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),
        ("0123 4567", "01234567"),
        ("SC123456", "SC123456"),
        ("sc123456", "SC123456"),
        ("ni 123456", "NI123456"),
        ("OC301234", "OC301234"),
    ],
)
def test_good_company_numbers_are_stored_upper_case_without_spaces(typed, stored):
    assert normalise_company_number(typed) == stored


@pytest.mark.parametrize("typed", ["1234567", "123456789", "XX123456", "SC12345", "S1234567", "😀"])
def test_bad_company_numbers_say_the_expected_format(typed):
    assert message_of(normalise_company_number, typed) == COMPANY_NUMBER_MESSAGE


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("S80 2AB", "S80 2AB"),
        ("s802ab", "S80 2AB"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("  ec1a   1bb ", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("BT7 1NN", "BT7 1NN"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_good_postcodes_are_stored_with_one_space(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize(
    "typed", ["S80", "80 2AB", "SW1A1A", "QQ1 1AA", "S80 2AB1", "S80 2AB🙂", ""]
)
def test_bad_postcodes_ask_for_a_real_one(typed):
    assert (
        message_of(normalise_postcode, typed)
        == POSTCODE_MESSAGE
        == ("Enter a real postcode, like S80 2AB")
    )


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500", Decimal("12500.00")),
        ("£12,500", Decimal("12500.00")),
        ("£1,000.50", Decimal("1000.50")),
        (" 1 000.5 ", Decimal("1000.50")),
        ("0.99", Decimal("0.99")),
        ("１２", Decimal("12.00")),
    ],
)
def test_money_is_parsed_to_decimal_pounds(typed, amount):
    parsed = parse_money(typed)
    assert parsed == amount
    assert isinstance(parsed, Decimal)
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.345", "Amount must not include more than 2 decimal places, like £12,500.50"),
        ("12a", "Amount must be a number in pounds, like £12,500 or £12,500.50"),
        ("twelve", "Amount must be a number in pounds, like £12,500 or £12,500.50"),
        ("1e5", "Amount must be a number in pounds, like £12,500 or £12,500.50"),
        ("NaN", "Amount must be a number in pounds, like £12,500 or £12,500.50"),
        ("💷100", "Amount must be a number in pounds, like £12,500 or £12,500.50"),
        ("-5", "Amount must be £0 or more"),
        ("", "Enter amount"),
        ("99999999999", "Amount must be £9,999,999,999.99 or less"),
        ("9" * 40, "Amount must be £9,999,999,999.99 or less"),
    ],
)
def test_bad_money_is_refused_with_a_clear_message(typed, message):
    assert message_of(parse_money, typed) == message


def test_money_messages_start_with_the_label():
    assert message_of(parse_money, "12a", label="Annual income").startswith("Annual income must")


@pytest.mark.parametrize(
    "typed",
    [
        "12345678",
        "1234 5678",
        "Account 12-34-56",
        "sort code 12 34 56",
        "123456",
        "Jo 12345678 Smith",
    ],
)
def test_bank_numbers_are_refused(typed):
    assert message_of(refuse_bank_numbers, typed) == BANK_NUMBERS_MESSAGE


@pytest.mark.parametrize("typed", ["Abbey Fields Walking Group", "The 1st Marshbrook Scouts", ""])
def test_account_names_without_numbers_pass(typed):
    assert refuse_bank_numbers(typed) is None


def test_pasted_html_is_refused():
    assert "plain text" in message_of(refuse_markup, "<p><b>We</b> walk</p>", label="Description")
    assert refuse_markup("We walk 3 < 5 miles & talk") is None


def test_emoji_in_a_name_is_refused_but_accents_pass():
    assert message_of(refuse_symbols, "Walkers 🚶", label="Name") == (
        "Name must only include letters, numbers, spaces and punctuation"
    )
    assert refuse_symbols("Café Côte-d'Or (Ltd.)", label="Name") is None


@pytest.mark.parametrize(
    "typed", ["< b >bold", "</ p>", "&amp;", "&#60;", "<a href='x'>walk</a>", "<" * 50 + "b>"]
)
def test_markup_in_any_form_is_refused(typed):
    assert "plain text" in message_of(refuse_markup, typed)


@pytest.mark.parametrize("typed", ["<a" * 20_000, "x > y < z", "& amp ;", "<3 walks", "a<b"])
def test_text_that_only_looks_like_markup_passes(typed):
    assert refuse_markup(typed) is None


def test_a_million_characters_are_refused_for_their_length_before_the_markup_check():
    form = OrganisationProfileForm(
        data={
            "name": "Walkers",
            "legal_form": LegalForm.UNINCORPORATED,
            "town": "<b>" + "<a" * 500_000,
        }
    )

    assert not form.is_valid()
    assert form.errors["town"] == ["The town or city must be 100 characters or fewer"]
