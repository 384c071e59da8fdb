"""Every write to the service map: add, edit, verify, pause, close, reopen, propose, approve."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, time
from types import EllipsisType
from typing import Any

from django.db import transaction
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.caching import GAPS, PUBLIC_PAGES, invalidates
from microcomm.errors import DomainError
from microcomm.lifecycle import Guard, transition
from microcomm.models import Organisation, User
from rounds.models import Service, ServiceSchedule

# Fields a person edits directly; relations and the schedule are handled on their own.
SERVICE_FIELDS = (
    "name",
    "provider_organisation",
    "provider_name",
    "description",
    "venue",
    "address",
    "postcode",
    "frequency",
    "capacity_per_week",
    "waiting_list",
    "cost",
    "cost_amount",
    "cost_description",
    "minimum_age",
    "maximum_age",
    "eligibility",
    "join_self_referral",
    "join_link_worker_referral",
    "join_drop_in",
    "accessibility",
    "contact_name",
    "contact_email",
    "contact_phone",
    "url",
)
RELATION_FIELDS = ("themes", "localities", "taxonomy_terms")


def _apply(service: Service, data: dict[str, Any]) -> list[str]:
    changed = []
    for name in SERVICE_FIELDS:
        if name in data and getattr(service, name) != data[name]:
            setattr(service, name, data[name])
            changed.append(name)
    if service.cost == Service.Cost.FREE:
        service.cost_amount = None
    if not service.provider_organisation_id and not service.provider_name.strip():
        raise DomainError(
            "Select the organisation that runs the service, or enter the name of the group",
            field="provider_organisation",
        )
    return changed


def _set_relations(service: Service, data: dict[str, Any]) -> None:
    for name in RELATION_FIELDS:
        if name in data:
            getattr(service, name).set(data[name])


def _set_schedule(service: Service, data: dict[str, Any]) -> None:
    """Replace the weekly pattern when the caller gives one: ``days`` (weekday numbers) that
    share ``opens_at``, ``closes_at`` and ``schedule_frequency``, or ``schedules``, one dict
    of ServiceSchedule fields per day for days with times of their own."""
    if "schedules" in data:
        rows = [ServiceSchedule(service=service, **item) for item in data["schedules"]]
    elif "days" in data:
        days: Iterable[int] = sorted({int(day) for day in data["days"] or []})
        opens_at: time | None = data.get("opens_at")
        closes_at: time | None = data.get("closes_at")
        frequency = data.get("schedule_frequency") or ServiceSchedule.Frequency.WEEKLY
        rows = [
            ServiceSchedule(
                service=service,
                weekday=day,
                opens_at=opens_at,
                closes_at=closes_at,
                frequency=frequency,
            )
            for day in days
        ]
    else:
        return
    service.schedules.all().delete()
    ServiceSchedule.objects.bulk_create(rows)


def _save(
    service: Service, data: dict[str, Any], *, actor: User, verb: str, **audit: Any
) -> Service:
    """Save the listing with its relations and weekly pattern, and audit it."""
    service.save()
    _set_relations(service, data)
    _set_schedule(service, data)
    audit_record(actor=actor, verb=verb, target=service, **audit)
    return service


def _move(
    *, service: Service, to: str, actor: User, reason: str, guard: Guard | None = None
) -> Service:
    reason = reason.strip()
    return transition(
        service, to=to, actor=actor, reason=reason, guard=guard, changes={"status_reason": reason}
    )


def _must_be_proposed(action: str) -> Guard:
    def guard(service: Service, to: str) -> str:
        if service.status != Service.Status.PROPOSED:
            return f"Only a listing waiting for approval can be {action}"
        return ""

    return guard


def _not_proposed(service: Service, to: str) -> str:
    if service.status == Service.Status.PROPOSED:
        return "Approve the listing instead of reopening it"
    return ""


def _require_reason(reason: str, action: str) -> None:
    if not reason.strip():
        raise DomainError(f"Enter why you are {action} the service", field="reason")


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_create(
    *, data: dict[str, Any], actor: User, verified_on: date | None | EllipsisType = ...
) -> Service:
    """Add an active listing. `data` holds model fields, themes/localities and optional days.

    Adding it counts as checking it today, unless ``verified_on`` says when it was last
    checked (None: never), for a listing brought over from a record kept elsewhere.
    """
    service = Service(status=Service.Status.ACTIVE, oruk_id=str(uuid.uuid4()))
    _apply(service, data)
    service.last_verified_on = timezone.localdate() if verified_on is ... else verified_on
    service.verified_by = actor if service.last_verified_on else None
    return _save(service, data, actor=actor, verb="service.create", to_state=service.status)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_update(*, service: Service, data: dict[str, Any], actor: User) -> Service:
    """Change the details of a listing; the status changes only through its own services."""
    changed = _apply(service, data)
    return _save(
        service, data, actor=actor, verb="service.update", detail={"fields": sorted(changed)}
    )


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_verify(*, service: Service, actor: User) -> Service:
    """Record that someone checked today that the service still runs as listed."""
    if service.status == Service.Status.PROPOSED:
        raise DomainError("Approve the listing before you mark it as checked")
    service.last_verified_on = timezone.localdate()
    service.verified_by = actor
    service.save(update_fields=["last_verified_on", "verified_by", "updated_at"])
    audit_record(actor=actor, verb="service.verify", target=service)
    return service


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_pause(*, service: Service, reason: str, actor: User) -> Service:
    _require_reason(reason, "pausing")
    return _move(service=service, to=Service.Status.PAUSED, actor=actor, reason=reason)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_close(*, service: Service, reason: str, actor: User) -> Service:
    _require_reason(reason, "closing")
    return _move(service=service, to=Service.Status.CLOSED, actor=actor, reason=reason)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_reopen(*, service: Service, reason: str, actor: User) -> Service:
    """Make a paused or closed service active again."""
    _require_reason(reason, "reopening")
    return _move(
        service=service, to=Service.Status.ACTIVE, actor=actor, reason=reason, guard=_not_proposed
    )


@transaction.atomic
def service_propose(*, organisation: Organisation, data: dict[str, Any], actor: User) -> Service:
    """An applicant proposes a listing for their own organisation; a link worker approves it."""
    if not organisation.memberships.filter(user=actor).exists():
        raise DomainError(
            "You can only propose a listing for a group you belong to",
            field="provider_organisation",
        )
    service = Service(status=Service.Status.PROPOSED, proposed_by=actor, oruk_id=str(uuid.uuid4()))
    _apply(service, {**data, "provider_organisation": organisation, "provider_name": ""})
    return _save(service, data, actor=actor, verb="service.propose", to_state=service.status)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def service_approve(*, service: Service, actor: User) -> Service:
    """Publish a proposed listing; approving counts as checking it."""
    return transition(
        service,
        to=Service.Status.ACTIVE,
        actor=actor,
        guard=_must_be_proposed("approved"),
        changes={
            "status_reason": "",
            "last_verified_on": timezone.localdate(),
            "verified_by": actor,
        },
    )


@transaction.atomic
def service_reject(*, service: Service, reason: str, actor: User) -> Service:
    """Turn down a proposed listing, saying why, so the group can see what to change."""
    if not reason.strip():
        raise DomainError("Enter why you are turning down the listing", field="reason")
    return _move(
        service=service,
        to=Service.Status.CLOSED,
        actor=actor,
        reason=reason,
        guard=_must_be_proposed("turned down"),
    )
