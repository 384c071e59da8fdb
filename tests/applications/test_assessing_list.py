"""The assessment list: submitted applications by default, one line each."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from applications.services import applying as services
from microcomm.models import AuditEvent
from tests.applications.factories import ApplicationFactory, SubmittedApplicationFactory
from tests.microcomm.factories import commissioner, group_with_member
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss_client(client):
    client.force_login(commissioner())
    return client


def _url(round):
    return reverse("applications:manage-application-list", args=[round.slug])


def _shown(response):
    return {application.pk for application in response.context["page"].object_list}


def test_the_list_shows_submitted_applications_unless_asked_for_drafts(boss_client):
    round = OpenRoundFactory()
    submitted = SubmittedApplicationFactory(round=round)
    draft = ApplicationFactory(round=round)
    withdrawn = SubmittedApplicationFactory(round=round, status="withdrawn")

    default = boss_client.get(_url(round))

    assert _shown(default) == {submitted.pk}
    assert "Showing submitted applications" in default.content.decode()
    assert _shown(boss_client.get(_url(round), {"status": "draft"})) == {draft.pk}
    assert _shown(boss_client.get(_url(round), {"status": "any"})) == {
        submitted.pk,
        draft.pk,
        withdrawn.pk,
    }
    csv_text = (
        boss_client.get(reverse("applications:manage-application-csv", args=[round.slug]))
        .getvalue()
        .decode()
    )
    assert submitted.reference in csv_text
    assert csv_text.count("\n") == 2


def test_each_application_is_one_row_naming_its_group_once(boss_client):
    round = OpenRoundFactory()
    application = SubmittedApplicationFactory(
        round=round, organisation__name="Kiln Lane Friends", title="Knit and natter"
    )

    page = boss_client.get(_url(round)).content.decode()

    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    body_rows = [row for row in rows if application.reference in row]
    assert len(body_rows) == 1
    assert body_rows[0].count("Kiln Lane Friends") == 1
    assert "Knit and natter" in body_rows[0]
    assert "<br>" not in body_rows[0]


def test_autosaves_do_not_fill_the_timeline(boss_client):
    round = OpenRoundFactory()
    questions = micro_form(round)
    member = group_with_member()
    application = services.application_start(
        round=round, organisation=member.organisation, actor=member.user
    )
    name = questions["name"]
    autosave = reverse("applications:application-autosave", args=[application.pk, name.section_id])
    client = Client()
    client.force_login(member.user)
    events = AuditEvent.objects.count()

    for text in ("Eastfield", "Eastfield Walk", "Eastfield Walkers"):
        response = client.post(autosave, {f"q{name.pk}": text, f"version_q{name.pk}": "0"})
        assert response.status_code == 200

    assert AuditEvent.objects.count() == events
    timeline = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    ).content.decode()
    assert "Saved answers" not in timeline
    assert "Started the application" in timeline
