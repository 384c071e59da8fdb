"""Saves that race each other, on PostgreSQL, with real connections in real threads.

Each race is made certain rather than hoped for: one connection holds the application's
row lock while the saves start, and the test releases it only once PostgreSQL reports
the saves waiting on a lock.
"""

import contextlib
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from applications.models import Answer, Application, BudgetLine
from applications.services import applying as services
from microcomm.errors import DomainError
from microcomm.lifecycle import transition
from tests.microcomm.factories import group_with_member, link_worker
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 30


@pytest.fixture
def setup():
    round = OpenRoundFactory()
    questions = micro_form(round)
    membership = group_with_member()
    helper = link_worker()
    application = services.application_start(
        round=round, organisation=membership.organisation, actor=helper, assisted=True
    )
    return questions, membership.user, helper, application


def _run(work):
    """Run ``work`` in a thread of its own (so a connection of its own); keep what it gives."""
    outcome = {}

    def target():
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


@contextlib.contextmanager
def _application_locked(application, then=None):
    """Hold the application's row lock in another connection until the block ends.

    ``then(locked)`` runs inside the holding transaction, which commits when released.
    """
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            row = Application.objects.select_for_update().get(pk=application.pk)
            if then is not None:
                then(row)
            locked.set()
            release.wait(timeout=WAIT)

    thread, outcome = _run(hold)
    try:
        assert locked.wait(timeout=WAIT), outcome
        yield
    finally:
        release.set()
        thread.join(timeout=WAIT)
    assert "error" not in outcome, outcome


def _wait_until_waiting_on_locks(count):
    """Until ``count`` other connections wait on a lock (PostgreSQL's own view of them)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.01)
    pytest.fail(f"{count} saves never waited on the application's lock")


def _finish(*threads):
    for thread in threads:
        thread.join(timeout=WAIT)
        assert not thread.is_alive()


@pytest.mark.parametrize("save", ["answers", "budget"])
def test_a_save_that_waited_for_a_submission_is_refused(setup, save):
    questions, member, helper, application = setup
    name = questions["name"].pk
    services.answers_save(
        application=application, values={name: "Walkers"}, versions={}, actor=member
    )
    loaded = Application.objects.get(pk=application.pk)  # the page's copy: a draft

    def submit(row):
        transition(row, to=Application.Status.SUBMITTED, actor=member)

    def work():
        if save == "answers":
            return services.answers_save(
                application=loaded, values={name: "Changed"}, versions={name: 1}, actor=member
            )
        return services.budget_save(
            application=loaded,
            rows=[services.BudgetRow(kind="cost", item="Late", category="", amount=Decimal(9))],
            actor=member,
        )

    with _application_locked(application, then=submit):
        thread, outcome = _run(work)
        _wait_until_waiting_on_locks(1)
    _finish(thread)

    assert isinstance(outcome.get("error"), DomainError), outcome
    assert "submitted, so it can no longer be changed" in outcome["error"].message
    assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED
    assert Answer.objects.get(question_id=name).value == "Walkers"
    assert not BudgetLine.objects.filter(application=application).exists()


def test_an_autosave_racing_save_and_continue_loses_nothing(setup):
    questions, member, _helper, application = setup
    name, about = questions["name"].pk, questions["about"].pk

    def autosave():
        return services.answers_save(
            application=application,
            values={name: "Eastfield Walk"},
            versions={name: 0},
            actor=member,
            autosave=True,
        )

    def save_and_continue():
        return services.answers_save(
            application=application,
            values={name: "Eastfield Walkers", about: "We walk on Sundays."},
            versions={name: 0, about: 0},
            actor=member,
        )

    with _application_locked(application):
        first, first_outcome = _run(autosave)
        second, second_outcome = _run(save_and_continue)
        _wait_until_waiting_on_locks(2)
    _finish(first, second)

    assert "error" not in first_outcome and "error" not in second_outcome
    # Whichever went first, the whole page the person saved is what is kept.
    assert Answer.objects.get(question_id=name).value == "Eastfield Walkers"
    assert Answer.objects.get(question_id=about).value == "We walk on Sundays."
    assert second_outcome["result"].conflicts == []


def test_two_people_first_saving_one_answer_are_both_heard(setup):
    questions, member, helper, application = setup
    name, people = questions["name"].pk, questions["people"].pk

    def save(actor, values):
        return lambda: services.answers_save(
            application=application,
            values=values,
            versions=dict.fromkeys(values, 0),
            actor=actor,
        )

    with _application_locked(application):
        first, first_outcome = _run(save(helper, {name: "Theirs"}))
        second, second_outcome = _run(save(member, {name: "Mine", people: 12}))
        _wait_until_waiting_on_locks(2)
    _finish(first, second)

    outcomes = [first_outcome, second_outcome]
    assert all("error" not in outcome for outcome in outcomes), outcomes
    conflicts = [c for outcome in outcomes for c in outcome["result"].conflicts]
    # One of them is told about the other's answer, which is kept; nothing else is lost.
    assert len(conflicts) == 1
    kept = Answer.objects.get(question_id=name).value
    assert {kept, conflicts[0].yours} == {"Theirs", "Mine"}
    assert conflicts[0].theirs == kept
    assert Answer.objects.get(question_id=people).value == 12


def test_autosave_and_save_and_continue_pages_racing_answer_without_error(setup):
    questions, member, _helper, application = setup
    name, about = questions["name"], questions["about"]
    section = name.section
    args = [application.pk, section.pk]

    def post(url, data):
        client = Client(raise_request_exception=True)
        client.force_login(member)
        return lambda: client.post(url, data)

    # An autosave sends the whole form as it was a moment before the person pressed save.
    autosave = post(
        reverse("applications:application-autosave", args=args),
        {
            f"q{name.pk}": "Eastfield Walk",
            f"version_q{name.pk}": "0",
            f"q{about.pk}": "",
            f"version_q{about.pk}": "0",
        },
    )
    save_and_continue = post(
        reverse("applications:application-section", args=args),
        {
            f"q{name.pk}": "Eastfield Walkers",
            f"version_q{name.pk}": "0",
            f"q{about.pk}": "We walk on Sundays.",
            f"version_q{about.pk}": "0",
            "completed": "no",
            "continue": "1",
        },
    )
    with _application_locked(application):
        first, first_outcome = _run(autosave)
        second, second_outcome = _run(save_and_continue)
        _wait_until_waiting_on_locks(2)
    _finish(first, second)

    assert "error" not in first_outcome and "error" not in second_outcome
    assert first_outcome["result"].status_code == 200
    assert second_outcome["result"].status_code == 302
    assert Answer.objects.get(question=name).value == "Eastfield Walkers"
    assert Answer.objects.get(question=about).value == "We walk on Sundays."


def test_two_budget_saves_from_one_page_version_keep_the_first_and_tell_the_second(setup):
    _questions, member, helper, application = setup
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))],
        actor=member,
    )
    opened = services.budget_version(BudgetLine.objects.filter(application=application))

    def save(actor, item):
        rows = [
            services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300)),
            services.BudgetRow(kind="cost", item=item, category="", amount=Decimal(50)),
        ]
        return lambda: services.budget_save(
            application=application, rows=rows, version=opened, actor=actor
        )

    with _application_locked(application):
        first, first_outcome = _run(save(helper, "Tea"))
        second, second_outcome = _run(save(member, "Maps"))
        _wait_until_waiting_on_locks(2)
    _finish(first, second)

    outcomes = [first_outcome, second_outcome]
    told = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert len(told) == 1 and isinstance(told[0], services.BudgetChanged)
    saved = list(BudgetLine.objects.filter(application=application).values_list("item", flat=True))
    assert saved[0] == "Hall hire" and saved[1] in ("Tea", "Maps") and len(saved) == 2
    assert [line.item for line in told[0].lines] == saved
