"""Where a page takes several rows of the same thing (a fund's sources, a question's
choices, an Open Referral file's rows), each error names the row it means."""

import re

import pytest
from django.urls import reverse

from microcomm.errors import DomainError
from microcomm.forms import row_message
from rounds.forms.funding import source_formset
from rounds.models import Fund, Question, Round
from rounds.services import form_builder as services
from tests.microcomm.factories import commissioner
from tests.rounds.factories import RoundFactory
from tests.rounds.test_funding_views import fund_post

pytestmark = pytest.mark.django_db


def _summary(page: str) -> list[str]:
    return re.findall(r'<a href="#[^"]*">([^<]*)</a>', page)


def test_every_error_in_a_third_source_names_source_3(client):
    client.force_login(commissioner())
    data = fund_post(
        **{
            "sources-TOTAL_FORMS": "3",
            "sources-2-name": "",
            "sources-2-kind": "",
            "sources-2-amount": "-5",
            "sources-2-restriction": "",
        }
    )

    page = client.post(reverse("rounds:fund-create"), data).content.decode()

    summary = _summary(page)
    row_three = [message for message in summary if message.startswith("Source 3: ")]
    assert "Source 3: enter who the money comes from" in row_three
    assert "Source 3: select the kind of source" in row_three
    assert any("amount" in message for message in row_three)
    assert all(message.startswith("Source 3: ") for message in summary)
    assert not Fund.objects.exists()


def test_a_source_row_error_is_also_shown_by_its_field():
    formset = source_formset(
        {
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-name": "Council",
            "sources-0-kind": "council",
            "sources-0-amount": "lots",
        }
    )

    assert not formset.is_valid()
    (message,) = formset.forms[0].errors["amount"]
    assert message.startswith("Source 1: enter the amount")


def test_a_row_message_keeps_a_capital_that_starts_an_abbreviation():
    assert row_message("Row 2", "NHS number is not allowed") == "Row 2: NHS number is not allowed"
    assert row_message("Row 2", "Enter an amount") == "Row 2: enter an amount"
    assert row_message("Row 2", "Row 2: enter an amount") == "Row 2: enter an amount"


def _choice_form(client, choices: str) -> str:
    round = RoundFactory(tier=Round.Tier.MICRO)
    services.form_create_default(round=round, actor=None)
    client.force_login(commissioner())
    url = reverse(
        "rounds:question-create",
        kwargs={"slug": round.slug, "section_pk": round.sections.first().pk},
    )
    response = client.post(
        url,
        {"label": "When do you meet?", "kind": "one_choice", "required": "yes", "choices": choices},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_choice_names_both_lines(client):
    page = _choice_form(client, "Mornings\nAfternoons\nmornings")

    assert "Choice 3: ‘mornings’ is the same as choice 1. Enter each choice only once" in _summary(
        page
    )
    assert not Question.objects.filter(label="When do you meet?").exists()


def test_an_overlong_choice_names_its_line(client):
    page = _choice_form(client, "Mornings\n" + "x" * 201)

    assert "Choice 2: use 200 characters or fewer" in _summary(page)


def test_the_question_service_names_the_repeated_choice():
    round = RoundFactory(tier=Round.Tier.MICRO)
    section = services.form_create_default(round=round, actor=None)[0]

    with pytest.raises(DomainError) as refused:
        services.question_create(
            section=section,
            actor=commissioner(),
            kind=Question.Kind.SEVERAL_CHOICES,
            label="Which days?",
            choices=["Monday", "Tuesday", "Monday"],
        )

    assert refused.value.message.startswith("Choice 3: ‘Monday’ is the same as choice 1")
