"""The audit vocabulary: every verb an app records, registered with a plain-English label.

Apps register their verbs in `AppConfig.ready()`; `audit_record` refuses a verb nobody
registered, so the timeline never shows a raw code.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from microcomm.models import AuditEvent

if TYPE_CHECKING:
    from microcomm.models import User

_LABELS: dict[str, str] = {}
# Verbs registered for now, while the code that records them moves elsewhere: a later
# registration of the same verb replaces the label instead of clashing with it.
_PROVISIONAL: set[str] = set()
# Verbs no longer recorded: their label still reads well on old events.
_RETIRED: set[str] = set()
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def register_verbs(
    labels: dict[str, str], *, provisional: bool = False, retired: bool = False
) -> None:
    """Register verbs with the label a timeline shows ("Submitted the application").

    A label may name a field of the event's detail in braces ("Verified {label}"); the
    timeline fills it in. Registering a verb twice with different labels is an error,
    unless one of the two registrations is provisional (the other one wins). A retired
    verb keeps its label for old events, and `audit_record` refuses it.
    """
    if retired:
        _RETIRED.update(labels)
    for verb, label in labels.items():
        existing = _LABELS.get(verb)
        if existing is None or existing == label:
            if existing is None and provisional:
                _PROVISIONAL.add(verb)
            elif not provisional:
                _PROVISIONAL.discard(verb)
            _LABELS[verb] = label
        elif provisional:
            continue
        elif verb in _PROVISIONAL:
            _PROVISIONAL.discard(verb)
            _LABELS[verb] = label
        else:
            raise ValueError(f"Audit verb {verb!r} is already registered as {existing!r}")


def register_app_verbs(module: ModuleType) -> None:
    """Register an app's `audit_verbs` module: its `VERBS`, and its `RETIRED_VERBS` if any."""
    register_verbs(module.VERBS)
    register_verbs(getattr(module, "RETIRED_VERBS", {}), retired=True)


def verb_label(verb: str, detail: dict[str, Any] | None = None) -> str:
    """The verb's label with any detail fields it names filled in.

    A field the detail lacks ends the label before it ("Verified {label}" becomes
    "Verified"), so an old event never shows braces.
    """
    label = _LABELS.get(verb, verb)
    detail = detail or {}

    def fill(match: re.Match[str]) -> str:
        return str(detail[match.group(1)])

    missing = next((m for m in _PLACEHOLDER.finditer(label) if m.group(1) not in detail), None)
    if missing is not None:
        label = label[: missing.start()].rstrip(" :,")
    return _PLACEHOLDER.sub(fill, label)


def is_registered(verb: str) -> bool:
    """Whether `audit_record` accepts the verb."""
    return verb in _LABELS and verb not in _RETIRED


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
    """Append one audit event. Call it inside the transaction that made the change.

    Raises ValueError for a verb no app registered.
    """
    if verb in _RETIRED:
        raise ValueError(f"Audit verb {verb!r} is retired: it is no longer recorded")
    if verb not in _LABELS:
        raise ValueError(
            f"Audit verb {verb!r} is not registered: register it with a plain-English label "
            "in its app's AppConfig.ready()"
        )
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
