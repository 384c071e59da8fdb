"""A start date that was fine when typed and has passed since is checked again: the task
list and check your answers say so, and submission is refused until it is changed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.services import applying as services
from rounds.models import Question
from tests.microcomm.factories import group_with_member
from tests.rounds.factories import OpenRoundFactory, QuestionFactory, micro_form

pytestmark = pytest.mark.django_db

START = "When will the activity start?"


@pytest.fixture
def world():
    round = OpenRoundFactory(closes_at=timezone.now() + datetime.timedelta(days=60))
    questions = micro_form(round)
    questions["starts"] = QuestionFactory(
        section=questions["people"].section, kind=Question.Kind.DATE, label=START, order=9
    )
    member = group_with_member()
    application = services.application_start(
        round=round, organisation=member.organisation, actor=member.user
    )
    return {"questions": questions, "member": member.user, "application": application}


def _fill(world, starts_on: datetime.date):
    questions, user, application = world["questions"], world["member"], world["application"]
    services.answers_save(
        application=application,
        values={
            questions["name"].pk: "Eastfield Walkers",
            questions["about"].pk: "We walk.",
            questions["people"].pk: 20,
            questions["children"].pk: "no",
            questions["starts"].pk: starts_on.isoformat(),
        },
        versions={},
        actor=user,
    )
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))],
        actor=user,
    )
    for section in application.round.sections.all():
        services.section_mark(application=application, section=section, completed=True, actor=user)


def test_a_start_date_that_has_passed_is_refused_at_submission(world):
    starts_on = timezone.localdate() + datetime.timedelta(days=3)
    _fill(world, starts_on)

    later = timezone.now() + datetime.timedelta(days=10)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(services.ApplicationNotReady) as refused,
    ):
        services.application_submit(
            application=world["application"], actor=world["member"], declaration=True
        )

    day = f"{starts_on.day} {starts_on:%B %Y}"
    assert (
        f"'{START}': {day} has passed. The start date must now be today or in the future"
        in refused.value.problems
    )
    world["application"].refresh_from_db()
    assert world["application"].status == Application.Status.DRAFT


def test_the_task_list_and_check_page_say_which_date_has_passed(client, world):
    starts_on = timezone.localdate() + datetime.timedelta(days=3)
    _fill(world, starts_on)
    client.force_login(world["member"])
    application = world["application"]
    detail = reverse("applications:application-detail", args=[application.pk])
    check = reverse("applications:application-check", args=[application.pk])
    assert "has passed" not in client.get(detail).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=False):
        task_list = client.get(detail).content.decode()
        check_page = client.get(check).content.decode()

    section = reverse(
        "applications:application-section",
        args=[application.pk, world["questions"]["starts"].section_id],
    )
    for page in (task_list, check_page):
        assert "A date in your answers has passed since you gave it" in page
        assert f"{section}#id_q{world['questions']['starts'].pk}" in page


def test_a_date_still_ahead_lets_the_application_be_submitted(world):
    _fill(world, timezone.localdate() + datetime.timedelta(days=30))

    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=False):
        submitted = services.application_submit(
            application=world["application"], actor=world["member"], declaration=True
        )

    assert submitted.status == Application.Status.SUBMITTED
