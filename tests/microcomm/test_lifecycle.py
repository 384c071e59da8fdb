"""The shared lifecycle: every registered model's table, walked move by move."""

import inspect
import itertools

import factory
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import tests.applications.factories
import tests.microcomm.factories
import tests.panels.factories
import tests.rounds.factories
from microcomm.audit import is_registered
from microcomm.errors import DomainError
from microcomm.lifecycle import (
    allowed_transitions,
    lifecycle_models,
    lifecycle_verb,
    transition,
    transition_moves,
)
from microcomm.models import AuditEvent
from rounds.models import Need, Service
from rounds.need_rules import need_move_guard
from tests.microcomm.factories import commissioner, link_worker
from tests.rounds.factories import NeedFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FACTORY_MODULES = (
    tests.microcomm.factories,
    tests.rounds.factories,
    tests.applications.factories,
    tests.panels.factories,
)


def factory_for(model):
    """The test factory that builds `model`, found in the apps' factory modules."""
    for module in FACTORY_MODULES:
        for _name, candidate in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(candidate, factory.django.DjangoModelFactory)
                and candidate._meta.model is model
            ):
                return candidate
    raise LookupError(f"Add a factory for {model.__name__} to tests/<app>/factories.py")


def statuses(model):
    return [value for value, _label in model._meta.get_field("status").choices]


def every_move():
    for model in lifecycle_models():
        for current, to in itertools.product(statuses(model), repeat=2):
            yield pytest.param(model, current, to, id=f"{model.__name__}:{current}->{to}")


def events_for(obj):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )


def test_the_five_lifecycles_are_registered():
    names = {model.__name__ for model in lifecycle_models()}
    assert {"Need", "Service", "Round", "SupportRequest", "Application"} <= names


@pytest.mark.parametrize(("model", "current", "to"), list(every_move()))
def test_each_move_in_the_table_succeeds_and_every_other_is_refused(model, current, to):
    obj = factory_for(model)(status=current)
    actor = commissioner()

    if to in model.TRANSITIONS[current]:
        moved = transition(obj, to=to, actor=actor, reason="Checked by the walk")

        assert moved.status == obj.status == to
        obj.refresh_from_db()
        assert obj.status == to
        [event] = events_for(obj)
        assert (event.verb, event.from_state, event.to_state, event.actor, event.reason) == (
            lifecycle_verb(model, to),
            current,
            to,
            actor,
            "Checked by the walk",
        )
        assert is_registered(event.verb)
    else:
        with pytest.raises(DomainError) as refused:
            transition(obj, to=to, actor=actor)

        assert refused.value.message
        obj.refresh_from_db()
        assert obj.status == current
        assert not events_for(obj).exists()


def test_the_refusal_says_where_the_object_stands():
    need = NeedFactory(status=Need.Status.CLOSED)
    with pytest.raises(DomainError) as refused:
        transition(need, to=Need.Status.CLOSED, actor=None)
    assert refused.value.message == "This need is already closed"
    with pytest.raises(DomainError) as refused:
        transition(need, to=Need.Status.MET, actor=None)
    assert refused.value.message == "A need that is closed cannot be moved to met"


def test_a_guard_that_finds_a_problem_refuses_the_move_and_changes_nothing():
    need = NeedFactory(status=Need.Status.OPEN)

    with pytest.raises(DomainError) as refused:
        transition(
            need,
            to=Need.Status.MET,
            actor=None,
            guard=lambda locked, to: f"Not yet: {locked.title} cannot be {to}",
            changes={"closed_reason": "should not be saved"},
        )

    assert refused.value.message == f"Not yet: {need.title} cannot be met"
    need.refresh_from_db()
    assert (need.status, need.closed_reason) == (Need.Status.OPEN, "")
    assert not events_for(need).exists()


def test_a_guard_may_raise_its_own_error_for_a_field():
    need = NeedFactory()

    def guard(locked, to):
        raise DomainError("Enter why you are closing this need", field="reason")

    with pytest.raises(DomainError) as refused:
        transition(need, to=Need.Status.CLOSED, actor=None, guard=guard)

    assert refused.value.field == "reason"
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_changes_are_saved_with_the_move_and_the_detail_is_audited():
    need = NeedFactory()

    transition(
        need,
        to=Need.Status.CLOSED,
        actor=None,
        reason="A lunch club started",
        changes=lambda locked: {"closed_reason": f"{locked.title}: done"},
        detail={"by": "walk"},
    )

    need.refresh_from_db()
    assert need.closed_reason == f"{need.title}: done"
    assert events_for(need).get().detail == {"by": "walk"}


def test_allowed_transitions_follow_the_table_the_guard_and_the_permission():
    service = ServiceFactory(status=Service.Status.PAUSED)
    assert allowed_transitions(service) == [Service.Status.ACTIVE, Service.Status.CLOSED]

    def no_closing(service, to):
        return "Not now" if to == Service.Status.CLOSED else ""

    assert allowed_transitions(service, guard=no_closing) == [Service.Status.ACTIVE]
    [active, closed] = transition_moves(service, guard=no_closing)
    assert (closed.to, closed.problem) == (Service.Status.CLOSED, "Not now")
    assert (active.to, active.label, active.problem) == (Service.Status.ACTIVE, "Active", "")

    worker = link_worker()
    assert allowed_transitions(
        service, user=worker, permission=lambda user, obj, to: to != Service.Status.ACTIVE
    ) == [Service.Status.CLOSED]


def test_the_need_page_offers_only_the_moves_allowed_now(client):
    client.force_login(commissioner())
    met = NeedFactory(status=Need.Status.MET)

    page = client.get(reverse("rounds:need-detail", args=[met.pk])).content.decode()

    assert 'value="open"' in page
    assert 'value="being_addressed"' not in page
    assert 'value="met"' not in page


def test_a_merged_need_offers_no_moves(client):
    client.force_login(commissioner())
    target = NeedFactory()
    merged = NeedFactory(status=Need.Status.CLOSED, merged_into=target)

    assert allowed_transitions(merged) == [Need.Status.OPEN]
    assert allowed_transitions(merged, guard=need_move_guard) == []
    page = client.get(reverse("rounds:need-detail", args=[merged.pk])).content.decode()
    assert 'name="status"' not in page


def test_the_service_page_offers_only_the_moves_allowed_now(client):
    client.force_login(link_worker())
    paused = ServiceFactory(status=Service.Status.PAUSED)

    page = client.get(reverse("rounds:service-detail", args=[paused.pk])).content.decode()

    assert reverse("rounds:service-reopen", args=[paused.pk]) in page
    assert reverse("rounds:service-close", args=[paused.pk]) in page
    assert reverse("rounds:service-pause", args=[paused.pk]) not in page
