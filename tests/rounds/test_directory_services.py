"""The service map's writes: each one audited, illegal status moves refused."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from microcomm.validators import normalise_postcode
from rounds.forms.directory import ServiceForm
from rounds.models import Service
from rounds.services import directory as services
from tests.microcomm.factories import (
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    link_worker,
)
from tests.rounds.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def verbs(service):
    return list(
        AuditEvent.objects.filter(target_id=str(service.pk))
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def test_create_makes_an_active_checked_listing_with_its_schedule():
    actor = link_worker()
    theme = ThemeFactory()
    service = services.service_create(
        data={
            "name": "Knit and natter",
            "provider_name": "Tuesday knitters",
            "themes": [theme],
            "days": [1, 3],
            "opens_at": time(10),
            "closes_at": time(12),
            "schedule_frequency": "fortnightly",
            "cost": Service.Cost.FREE,
            "cost_amount": Decimal("2.00"),
        },
        actor=actor,
    )

    assert service.status == Service.Status.ACTIVE
    assert service.provider == "Tuesday knitters"
    assert service.last_verified_on == timezone.localdate()
    assert service.oruk_id
    assert service.cost_amount is None
    assert list(service.themes.all()) == [theme]
    assert list(service.schedules.values_list("weekday", "frequency")) == [
        (1, "fortnightly"),
        (3, "fortnightly"),
    ]
    assert verbs(service) == ["service.create"]


def test_create_needs_an_organisation_or_a_group_name():
    with pytest.raises(DomainError, match="enter the name of the group"):
        services.service_create(data={"name": "Nameless"}, actor=link_worker())
    assert Service.objects.count() == 0


def test_update_changes_fields_and_records_which():
    service = ServiceFactory(days=[0])
    services.service_update(
        service=service, data={"name": "Renamed", "days": [4]}, actor=link_worker()
    )

    service.refresh_from_db()
    assert service.name == "Renamed"
    assert list(service.schedules.values_list("weekday", flat=True)) == [4]
    event = AuditEvent.objects.get(verb="service.update")
    assert event.detail == {"fields": ["name"]}


def test_verify_sets_today_and_who():
    actor = link_worker()
    service = ServiceFactory(last_verified_on=timezone.localdate() - timedelta(days=400))
    assert service.is_stale

    services.service_verify(service=service, actor=actor)

    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert service.verified_by == actor
    assert not service.is_stale
    assert verbs(service) == ["service.verify"]


def test_pause_close_reopen_follow_the_transitions():
    actor = link_worker()
    service = ServiceFactory()

    services.service_pause(service=service, reason="Hall being repainted", actor=actor)
    services.service_close(service=service, reason="Group has stopped", actor=actor)
    services.service_reopen(service=service, reason="Restarted", actor=actor)

    service.refresh_from_db()
    assert service.status == Service.Status.ACTIVE
    assert service.status_reason == "Restarted"
    event = AuditEvent.objects.get(verb="service.closed")
    assert (event.from_state, event.to_state, event.reason) == (
        "paused",
        "closed",
        "Group has stopped",
    )


def test_illegal_moves_are_refused_and_change_nothing():
    service = ServiceFactory(status=Service.Status.CLOSED)

    with pytest.raises(DomainError, match="A service that is closed cannot be moved to paused"):
        services.service_pause(service=service, reason="why", actor=link_worker())

    service.refresh_from_db()
    assert service.status == Service.Status.CLOSED
    assert verbs(service) == []


def test_status_changes_need_a_reason():
    service = ServiceFactory()
    with pytest.raises(DomainError) as raised:
        services.service_close(service=service, reason="  ", actor=link_worker())
    assert raised.value.field == "reason"


def test_applicant_proposes_for_their_own_organisation_only():
    membership = MembershipFactory()
    other = OrganisationFactory()
    actor = membership.user

    service = services.service_propose(
        organisation=membership.organisation, data={"name": "Men's shed"}, actor=actor
    )
    assert service.status == Service.Status.PROPOSED
    assert service.provider_organisation == membership.organisation
    assert service.proposed_by == actor

    with pytest.raises(DomainError, match="group you belong to"):
        services.service_propose(organisation=other, data={"name": "Not mine"}, actor=actor)


def test_approve_publishes_and_reject_closes_with_a_reason():
    actor = link_worker()
    first = ServiceFactory(status=Service.Status.PROPOSED, last_verified_on=None)
    second = ServiceFactory(status=Service.Status.PROPOSED)

    services.service_approve(service=first, actor=actor)
    services.service_reject(service=second, reason="Not a local service", actor=actor)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.last_verified_on) == (Service.Status.ACTIVE, timezone.localdate())
    assert (second.status, second.status_reason) == (Service.Status.CLOSED, "Not a local service")
    with pytest.raises(DomainError):
        services.service_approve(service=first, actor=actor)
    with pytest.raises(DomainError):
        services.service_reopen(
            service=ServiceFactory(status=Service.Status.PROPOSED), reason="x", actor=actor
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("s80 2ab", "S80 2AB"),
        ("SW1A1AA", "SW1A 1AA"),
        (" ec1a  1bb ", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes_are_tidied(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["S80", "ABC 1234", "S80 2A", "12345", "QQ1 1AA"])
def test_postcodes_that_are_not_real_are_refused(raw):
    with pytest.raises(ValidationError, match="Enter a real postcode, like S80 2AB"):
        normalise_postcode(raw)


def test_form_checks_cost_ages_times_and_provider():
    form = ServiceForm(
        data={
            "name": "Swim",
            "cost": "paid",
            "minimum_age": "60",
            "maximum_age": "18",
            "opens_at": "12:00",
            "closes_at": "10:00",
            "postcode": "nowhere",
            "schedule_frequency": "weekly",
        }
    )

    assert not form.is_valid()
    assert form.errors["cost_amount"] == ["Enter how much it costs, like 3.50"]
    assert form.errors["postcode"] == ["Enter a real postcode, like S80 2AB"]
    assert "maximum_age" in form.errors
    assert form.errors["closes_at"] == ["The finish time must be after the start time"]
    assert form.errors["provider_organisation"][0].startswith("Select the organisation")


def test_a_listing_brought_over_keeps_when_it_was_last_checked_and_its_days_own_times():
    actor = link_worker()
    checked = timezone.localdate() - timedelta(days=200)
    schedules = [
        {"weekday": 1, "opens_at": time(10), "closes_at": time(12), "frequency": "weekly"},
        {"weekday": 4, "opens_at": time(14), "closes_at": time(16), "frequency": "monthly"},
    ]
    data = {"name": "Tuesday Tea", "provider_name": "Tea Friends", "schedules": schedules}

    old = services.service_create(data=data, actor=actor, verified_on=checked)
    never = services.service_create(
        data={**data, "name": "Thursday Tea"}, actor=actor, verified_on=None
    )

    assert (old.last_verified_on, old.verified_by, old.is_stale) == (checked, actor, True)
    assert (never.last_verified_on, never.verified_by) == (None, None)
    assert [
        (s.weekday, s.opens_at, s.closes_at, s.frequency) for s in old.schedules.order_by("weekday")
    ] == [(1, time(10), time(12), "weekly"), (4, time(14), time(16), "monthly")]
