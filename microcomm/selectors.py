"""Reads of the core used by views."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet

from microcomm.audit import verb_label
from microcomm.models import AuditEvent, Notification, User

TIMELINE_LIMIT = 100


def notifications_recent_for_user(*, user: User, limit: int = 5) -> QuerySet[Notification]:
    """The person's latest in-app messages, newest first."""
    return Notification.objects.filter(user=user)[:limit]


def audit_timeline(
    *, target: models.Model, oldest_first: bool = False, limit: int = TIMELINE_LIMIT
) -> list[AuditEvent]:
    """The latest `limit` audit events about one object, newest first unless asked.

    Each event carries its plain-English `label`, and `from_label` and `to_label`: the
    states in words, from the target's status choices where it has them.
    """
    events = list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    if oldest_first:
        events.reverse()
    states = _state_labels(type(target))
    for event in events:
        event.label = verb_label(event.verb, event.detail)
        event.from_label = states.get(event.from_state, event.from_state)
        event.to_label = states.get(event.to_state, event.to_state)
    return events


def _state_labels(model: type[models.Model]) -> dict[str, str]:
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(value): str(label) for value, label in field.flatchoices}
