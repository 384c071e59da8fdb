"""Every read of the needs register used by pages, already limited to who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from microcomm.models import Locality, Theme
from microcomm.search import ids_by_word
from rounds.models import JsnaPriority, Need, NeedSignal, PopulationGroup
from rounds.permissions import NEEDS
from rounds.selectors.gaps import COUNTED_STATUS_FILTER, gap_areas, needs_counted_in_gaps

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User


def needs_visible_to(user: User | AnonymousUser) -> QuerySet[Need]:
    """Needs a person may see, with what a list row shows; none for anyone else."""
    return (
        NEEDS.visible(user)
        .select_related("theme", "locality", "recorded_by", "jsna_priority", "merged_into")
        .prefetch_related("population_groups")
    )


@dataclass(frozen=True)
class NeedFilters:
    theme: Theme | None = None
    locality: Locality | None = None
    status: str = ""
    source: str = ""
    population_group: PopulationGroup | None = None
    text: str = ""
    # A row of the gap analysis: the place and the smaller places that count in its row.
    area: Locality | None = None


def needs_filter(*, needs: QuerySet[Need], filters: NeedFilters) -> QuerySet[Need]:
    """Narrow a visible set of needs by the list page's filters.

    The status "current" lists the needs the gap analysis counts, by its own definition, so
    a cell's count and the list its link opens are the same needs.
    """
    if filters.theme is not None:
        needs = needs.filter(theme=filters.theme)
    if filters.locality is not None:
        needs = needs.filter(Q(locality=filters.locality) | Q(locality__parent=filters.locality))
    if filters.area is not None:
        needs = needs.filter(locality_id__in=gap_areas().members([filters.area.pk]))
    if filters.status == COUNTED_STATUS_FILTER:
        needs = needs_counted_in_gaps(needs=needs)
    elif filters.status:
        needs = needs.filter(status=filters.status)
    if filters.source:
        needs = needs.filter(source=filters.source)
    if filters.population_group is not None:
        needs = needs.filter(population_groups=filters.population_group)
    words = filters.text.split()[:8]
    themes = ids_by_word(Theme.objects.all(), "name", words)
    places = ids_by_word(Locality.objects.all(), "name", words)
    for word in words:
        # Themes and places by their ids, so that each condition can use an index
        # (trigram indexes on title and description, on PostgreSQL).
        needs = needs.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(theme_id__in=themes[word])
            | Q(locality_id__in=places[word])
        )
    return needs.distinct() if filters.population_group is not None else needs


def need_for_page(*, user: User | AnonymousUser, pk: int) -> Need | None:
    """One need with its signals and the needs merged into it, or None if not visible."""
    signals = NeedSignal.objects.select_related("recorded_by").order_by("-created_at", "-id")
    return (
        needs_visible_to(user)
        .prefetch_related(
            Prefetch("signals", queryset=signals),
            Prefetch("merged_needs", queryset=Need.objects.order_by("title")),
        )
        .filter(pk=pk)
        .first()
    )


def need_merge_candidates(*, need: Need) -> QuerySet[Need]:
    """Needs this one could be merged into: same theme, not closed, not merged."""
    return (
        Need.objects.filter(theme_id=need.theme_id, merged_into__isnull=True)
        .exclude(pk=need.pk)
        .exclude(status=Need.Status.CLOSED)
        .select_related("locality", "theme")
        .order_by("locality__name", "title")
    )


def themes_for_needs() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def localities_for_needs() -> QuerySet[Locality]:
    return Locality.objects.order_by("name")


def priorities_for_needs() -> QuerySet[JsnaPriority]:
    return JsnaPriority.objects.filter(is_active=True)


def quick_log_recent(*, user: User, limit: int = 5) -> QuerySet[NeedSignal]:
    """A person's latest quick logs, each with its need's running count of signals."""
    return (
        NeedSignal.objects.filter(recorded_by=user)
        .select_related("need", "need__theme", "need__locality", "need__merged_into")
        .order_by("-created_at", "-id")[:limit]
    )


def quick_log_candidates(*, theme: Theme, locality: Locality) -> list[Need]:
    """The live needs a quick log for this theme and place could join, oldest first.

    Live: the needs the gap analysis counts (open or being addressed, not merged). Each
    comes with its logs' notes, which the matching rule compares too.
    """
    notes = NeedSignal.objects.exclude(note="").only("id", "need_id", "note")
    return list(
        needs_counted_in_gaps(needs=Need.objects.filter(theme=theme, locality=locality))
        .select_related("theme", "locality")
        .prefetch_related(Prefetch("signals", queryset=notes))
        .order_by("created_at", "id")
    )


def need_texts(need: Need) -> list[str]:
    """What a quick log's note is compared with: title, description and earlier notes."""
    return [need.title, need.description, *(signal.note for signal in need.signals.all())]


def need_signal_for_page(*, user: User | AnonymousUser, pk: int) -> NeedSignal | None:
    """One log of a need, or None when the person may not see needs."""
    return (
        NeedSignal.objects.filter(need__in=NEEDS.visible(user))
        .select_related("need", "need__theme", "need__locality", "recorded_by")
        .filter(pk=pk)
        .first()
    )


def need_signal_move_targets(*, signal: NeedSignal) -> QuerySet[Need]:
    """Needs a log could move to: live needs of the same theme, its own need left out."""
    return (
        needs_counted_in_gaps(needs=Need.objects.filter(theme_id=signal.need.theme_id))
        .exclude(pk=signal.need_id)
        .select_related("locality", "theme")
        .order_by("locality__name", "title", "id")
    )
