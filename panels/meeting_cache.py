"""The decision meeting's costly reads, kept in the cache until what they read changes.

The ranking's candidates and the moderation of the scores read every submitted scorecard
of the round. They are kept (``microcomm.caching``) under a generation of the panel's own,
which a service bumps when it changes what they read: a scorecard submitted, changed or
sent back to look again, an interest declared or withdrawn, attendance recorded. Each
entry's name also carries a stamp of the round's applications (when one last changed, how
many, the due diligence checks left) that the panel's page reads in its own query, so a
change made in the applications app is seen at once without that app knowing of panels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from microcomm.caching import cache_generation_bump, generation_cached

T = TypeVar("T")

# Part of every entry's name: change it with the shape of what is kept, so that a release
# never loads an entry an older release kept.
SHAPE = 4


def _kind(panel_id: int) -> str:
    return f"panel-meeting:{panel_id}"


def meeting_changed(*, panel_id: int | None) -> None:
    """Make the panel's kept ranking and moderation stale once the transaction commits."""
    if panel_id is not None:
        cache_generation_bump(_kind(panel_id))


def meeting_cached(*, panel_id: int, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept until the panel's meeting generation changes. ``name`` says the
    part kept and everything else it depends on (the applications' stamp)."""
    return generation_cached(kind=_kind(panel_id), name=f"{SHAPE}:{name}", compute=compute)
