"""The audit vocabulary: every verb an app records, registered with a plain-English label.

Apps register their verbs in `AppConfig.ready()`; `audit_record` refuses a verb nobody
registered, so the timeline never shows a raw code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from microcomm.models import AuditEvent

if TYPE_CHECKING:
    from microcomm.models import User

_LABELS: dict[str, str] = {}


def register_verbs(labels: dict[str, str]) -> None:
    """Register verbs with the label a timeline shows ("Submitted the application")."""
    for verb, label in labels.items():
        existing = _LABELS.get(verb)
        if existing is not None and existing != label:
            raise ValueError(f"Audit verb {verb!r} is already registered as {existing!r}")
        _LABELS[verb] = label


def verb_label(verb: str) -> str:
    return _LABELS.get(verb, verb)


def is_registered(verb: str) -> bool:
    return verb in _LABELS


def registered_verbs() -> dict[str, str]:
    return dict(_LABELS)


def audit_record(
    *,
    actor: User | None,
    verb: str,
    target: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that made the change."""
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail or {},
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event
