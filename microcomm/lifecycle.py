"""The one way to move anything with a status along its lifecycle.

A model with a lifecycle declares, beside its ``Status`` choices:

- ``TRANSITIONS``: for each status, the set of statuses it may move to;
- ``TRANSITION_LABELS``: for each status, what a timeline says when something moves to
  it ("Closed the need"); `register_lifecycle` registers them as the audit verbs
  ``<model>.<status>`` (the model's class name in lower snake case: ``support_request``);
- optionally ``TRANSITION_REFUSALS``: for a status, the message to refuse a move to it
  that the table does not allow, where the general one would read badly.

`transition` makes one move: it locks the row, checks the table, runs the caller's guard,
saves and writes one audit event. `transition_moves` and `allowed_transitions` tell a page
which moves to offer now.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from microcomm.audit import audit_record, register_verbs
from microcomm.errors import DomainError

M = TypeVar("M", bound=models.Model)

STATUS_FIELD = "status"

# A rule beyond the table: given the object (locked, inside `transition`) and the status it
# would move to, returns why it cannot ('' or None when it can), or raises DomainError.
Guard = Callable[[Any, str], "str | None"]
# Whether a user may make a move: (user, object, status it would move to) -> bool.
Permission = Callable[[Any, Any, str], bool]

_MODELS: list[type[models.Model]] = []


@dataclass(frozen=True)
class Move:
    """A move the table allows from where the object is now, and why it is blocked if so."""

    to: str
    label: str
    problem: str = ""


def lifecycle_name(model: type[models.Model]) -> str:
    """The stable lower snake name of a model in its verbs: SupportRequest -> support_request."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def lifecycle_verb(model: type[models.Model], status: str) -> str:
    return f"{lifecycle_name(model)}.{status}"


def lifecycle_verbs(model: type[models.Model]) -> dict[str, str]:
    """Every verb the model's lifecycle records, with its timeline label."""
    labels: Mapping[str, str] = getattr(model, "TRANSITION_LABELS", {})
    return {lifecycle_verb(model, status): labels[status] for status in _statuses(model)}


def register_lifecycle(model: type[models.Model]) -> None:
    """Register the model's lifecycle verbs; call it from the owning app's ``ready()``.

    Refuses a model whose table names an unknown status or leaves a status without a label.
    """
    statuses = _statuses(model)
    table: Mapping[str, set[str]] = getattr(model, "TRANSITIONS", None) or {}
    if set(table) != set(statuses) or any(set(to) - set(statuses) for to in table.values()):
        raise ImproperlyConfigured(f"{model.__name__}.TRANSITIONS must name each status once")
    missing = set(statuses) - set(getattr(model, "TRANSITION_LABELS", {}))
    if missing:
        raise ImproperlyConfigured(
            f"{model.__name__}.TRANSITION_LABELS has no label for {', '.join(sorted(missing))}"
        )
    register_verbs(lifecycle_verbs(model))
    if model not in _MODELS:
        _MODELS.append(model)


def lifecycle_models() -> list[type[models.Model]]:
    """Every model registered with `register_lifecycle`, in the order they registered."""
    return list(_MODELS)


def current_status(obj: models.Model) -> str:
    """Where the object stands now; a model whose status also moves with the clock says so
    with a ``current_status`` property, which pages use to offer moves."""
    clock = getattr(type(obj), "current_status", None)
    if isinstance(clock, property):
        return obj.current_status  # type: ignore[attr-defined]
    return getattr(obj, STATUS_FIELD)


def refusal(model: type[models.Model], current: str, to: str) -> str:
    """The message refusing a move the table does not allow."""
    custom: Mapping[str, str] = getattr(model, "TRANSITION_REFUSALS", {})
    if to in custom:
        return custom[to]
    noun = str(model._meta.verbose_name)
    labels = dict(model._meta.get_field(STATUS_FIELD).choices)
    if current == to:
        return f"This {noun} is already {str(labels[to]).lower()}"
    article = "An" if noun[:1].lower() in "aeiou" else "A"
    return (
        f"{article} {noun} that is {str(labels[current]).lower()} cannot be moved to "
        f"{str(labels[to]).lower()}"
    )


def transition(
    obj: M,
    *,
    to: str,
    actor: Any,
    reason: str = "",
    guard: Guard | None = None,
    changes: Mapping[str, Any] | Callable[[M], Mapping[str, Any]] | None = None,
    detail: dict[str, Any] | None = None,
) -> M:
    """Move `obj` to status `to`, or raise DomainError and change nothing.

    In one transaction: lock and re-read the row, refuse a move its model's TRANSITIONS
    does not allow, run `guard` on the locked row, set the status and `changes` (a mapping
    of field values, or a function of the locked row giving one), save, and write one
    audit event ``<model>.<to>`` with from, to, actor, reason and `detail`. Returns the
    locked row as saved; the fields saved are copied onto `obj` too.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, STATUS_FIELD)
        if to not in model.TRANSITIONS.get(current, set()):  # type: ignore[attr-defined]
            raise DomainError(refusal(model, current, to))
        if guard is not None:
            problem = guard(locked, to)
            if problem:
                raise DomainError(problem)
        values = dict(changes(locked) if callable(changes) else (changes or {}))
        values[STATUS_FIELD] = to
        for name, value in values.items():
            setattr(locked, name, value)
        fields = [*values, *_auto_now_fields(model)]
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=lifecycle_verb(model, to),
            target=locked,
            from_state=current,
            to_state=to,
            reason=reason,
            detail=detail,
        )
    for name in fields:
        setattr(obj, name, getattr(locked, name))
    return locked


def transition_moves(
    obj: models.Model,
    *,
    user: Any = None,
    permission: Permission | None = None,
    guard: Guard | None = None,
) -> list[Move]:
    """The moves the table allows from where `obj` is now, in the order of its statuses.

    With `permission`, only those `user` may make; with `guard`, each carries the problem
    that blocks it now ('' when it can be made).
    """
    model = type(obj)
    labels = dict(model._meta.get_field(STATUS_FIELD).choices)
    allowed = model.TRANSITIONS.get(current_status(obj), set())  # type: ignore[attr-defined]
    moves = []
    for status in _statuses(model):
        if status not in allowed:
            continue
        if permission is not None and not permission(user, obj, status):
            continue
        moves.append(
            Move(to=status, label=str(labels[status]), problem=_problem(guard, obj, status))
        )
    return moves


def _problem(guard: Guard | None, obj: models.Model, to: str) -> str:
    if guard is None:
        return ""
    try:
        return guard(obj, to) or ""
    except DomainError as error:
        return error.message


def allowed_transitions(
    obj: models.Model,
    *,
    user: Any = None,
    permission: Permission | None = None,
    guard: Guard | None = None,
) -> list[str]:
    """The statuses `obj` may move to now (and `user` may move it to), for a page to offer."""
    return [
        move.to
        for move in transition_moves(obj, user=user, permission=permission, guard=guard)
        if not move.problem
    ]


def _statuses(model: type[models.Model]) -> list[str]:
    return [value for value, _label in model._meta.get_field(STATUS_FIELD).choices]


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name != STATUS_FIELD
    ]
