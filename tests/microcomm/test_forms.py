"""The shared field declarations: each error message comes from the limit it describes."""

from __future__ import annotations

import pytest
from django import forms

from microcomm.forms import model_choice_field, whole_number_field
from microcomm.models import Theme
from rounds.forms.gaps import GapFilterForm
from rounds.forms.public import FaqForm
from tests.microcomm.factories import PcnFactory, ThemeFactory, WardFactory


class _CountForm(forms.Form):
    people = whole_number_field(
        "How many people?",
        subject="The number of people",
        minimum=1,
        maximum=2000,
        invalid_message="Enter the number of people as a whole number, like 40",
    )


class _ThemeForm(forms.Form):
    theme = model_choice_field(
        "Theme",
        Theme.objects.all(),
        required_message="Select a theme",
        invalid_message="Select a theme from the list",
    )
    other = model_choice_field(
        "Another theme (optional)", Theme.objects.all(), invalid_message="Select a theme"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "The number of people must be 1 or more"),
        ("2001", "The number of people must be 2,000 or fewer"),
        ("lots", "Enter the number of people as a whole number, like 40"),
    ],
)
def test_a_whole_number_outside_its_limits_is_refused_in_words(typed, message):
    form = _CountForm({"people": typed})

    assert form.errors == {"people": [message]}


def test_a_whole_number_box_is_optional_numeric_and_sized():
    form = _CountForm({"people": ""})
    widget = form.fields["people"].widget

    assert form.is_valid() and form.cleaned_data["people"] is None
    assert widget.attrs == {"inputmode": "numeric", "class": "govuk-input--width-5"}


@pytest.mark.django_db
def test_a_position_that_is_not_a_count_is_one_thousand_or_less_and_blank_comes_first():
    too_far = FaqForm({"question": "Who can apply?", "answer": "Any group.", "order": "1001"})
    blank = FaqForm({"question": "Who can apply?", "answer": "Any group.", "order": ""})

    assert too_far.errors == {"order": ["The position must be 1,000 or less"]}
    assert blank.is_valid() and blank.cleaned_data["order"] == 0


@pytest.mark.django_db
def test_a_model_choice_is_required_only_when_it_says_what_to_select():
    theme = ThemeFactory()

    missing = _ThemeForm({})
    gone = _ThemeForm({"theme": theme.pk + 1000, "other": ""})
    chosen = _ThemeForm({"theme": theme.pk})

    assert missing.errors == {"theme": ["Select a theme"]}
    assert gone.errors == {"theme": ["Select a theme from the list"]}
    assert chosen.is_valid() and chosen.cleaned_data == {"theme": theme, "other": None}


@pytest.mark.django_db
def test_the_gap_filters_refuse_a_place_that_is_not_a_pcn_and_drop_that_filter():
    ward = WardFactory()
    pcn = PcnFactory()

    wrong = GapFilterForm({"pcn": ward.pk})
    right = GapFilterForm({"pcn": pcn.pk})

    assert wrong.filters()["pcn"] is None
    assert wrong.errors == {"pcn": ["Select a PCN from the list"]}
    assert right.filters()["pcn"] == pcn
