"""How each model's status shows as a GOV.UK tag: one registry, one template tag.

An app registers, in `AppConfig.ready()`, the colour of each status of its models (and
where a page needs it, a named variant such as the public view of a round); templates
write `{% status_tag obj %}` or `{% status_tag obj "public" %}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

# The GOV.UK Frontend tag colours.
COLOURS = frozenset(
    [
        "grey",
        "green",
        "turquoise",
        "blue",
        "light-blue",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
    ]
)


@dataclass(frozen=True)
class StatusTag:
    label: str
    colour: str


@dataclass(frozen=True)
class _Style:
    colours: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    status: Callable[[models.Model], str] | None = None
    label: Callable[[models.Model, str], str] | None = None


_STYLES: dict[tuple[type[models.Model], str], _Style] = {}


def status_tag_register(
    model: type[models.Model],
    colours: dict[str, str],
    *,
    variant: str = "",
    labels: dict[str, str] | None = None,
    status: Callable[[models.Model], str] | None = None,
    label: Callable[[models.Model, str], str] | None = None,
) -> None:
    """Say how `model`'s status shows as a tag.

    `colours` maps each status to a GOV.UK tag colour (a status not named is grey).
    The status is `obj.status` unless `status` says otherwise; its words are the status
    choice's label unless `labels` or `label(obj, status)` give others.
    """
    unknown = set(colours.values()) - COLOURS
    if unknown:
        raise ValueError(f"Not a GOV.UK tag colour: {', '.join(sorted(unknown))}")
    _STYLES[(model, variant)] = _Style(
        colours=dict(colours), labels=dict(labels or {}), status=status, label=label
    )


def status_tag_for(obj: models.Model, variant: str = "") -> StatusTag:
    """The words and colour of the object's status; refuses a model nobody registered."""
    style = _STYLES.get((type(obj), variant))
    if style is None:
        raise LookupError(f"No status tag registered for {type(obj).__name__} {variant!r}")
    status = style.status(obj) if style.status else str(obj.status)
    if style.label is not None:
        words = style.label(obj, status)
    elif status in style.labels:
        words = style.labels[status]
    else:
        words = _choice_label(type(obj), status)
    return StatusTag(label=words, colour=style.colours.get(status, "grey"))


def _choice_label(model: type[models.Model], status: str) -> str:
    choices = dict(model._meta.get_field("status").flatchoices)
    return str(choices.get(status, status))
