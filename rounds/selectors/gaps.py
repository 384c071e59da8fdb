"""Gap analysis: open needs against active services, per ward and theme.

Every number comes from two aggregate queries (one over needs, one over services), so the
page costs the same whether the register holds ten needs or fifty thousand.

Gap levels, in words (never colour alone):

- "No service": the cell has open needs and no active service.
- "Over capacity": the cell has open needs and active services, and the demand (need
  signals plus people on waiting lists) is more than twice the places a week the services
  offer. When no service records its places a week, anyone waiting means over capacity.
- "Some provision": open needs and active services within that limit.
- "No recorded need": no open needs in the cell, whatever the services.

The gap score (used to sort the largest gaps) is the unmet demand: need signals plus people
waiting, less the places a week; never below zero, and zero when there is no recorded need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from microcomm.models import Locality, Theme
from rounds.models import Need, PopulationGroup, Service

# Demand more than this many times the weekly places counts as over capacity.
OVER_CAPACITY_RATIO = 2

COUNTED_NEED_STATUSES = (Need.Status.OPEN, Need.Status.BEING_ADDRESSED)


class GapLevel(StrEnum):
    NO_SERVICE = "no_service"
    OVER_CAPACITY = "over_capacity"
    SOME_PROVISION = "some_provision"
    NO_NEED = "no_need"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self][0]

    @property
    def explanation(self) -> str:
        return _LEVEL_LABELS[self][1]

    @property
    def tag_class(self) -> str:
        return _LEVEL_LABELS[self][2]

    @property
    def is_gap(self) -> bool:
        return self in (GapLevel.NO_SERVICE, GapLevel.OVER_CAPACITY)


_LEVEL_LABELS = {
    GapLevel.NO_SERVICE: (
        "No service",
        "open needs and no active service",
        "govuk-tag--red",
    ),
    GapLevel.OVER_CAPACITY: (
        "Over capacity",
        f"need signals and people waiting are more than {OVER_CAPACITY_RATIO} times "
        "the places a week",
        "govuk-tag--orange",
    ),
    GapLevel.SOME_PROVISION: (
        "Some provision",
        "open needs and active services with room for them",
        "govuk-tag--green",
    ),
    GapLevel.NO_NEED: (
        "No recorded need",
        "no open needs recorded here",
        "govuk-tag--grey",
    ),
}


class GapSort(StrEnum):
    PLACE = "place"
    LARGEST = "largest"


def gap_level(*, needs: int, signals: int, services: int, capacity: int, waiting: int) -> GapLevel:
    """The gap level of one cell, by the rule in this module's docstring."""
    if needs == 0:
        return GapLevel.NO_NEED
    if services == 0:
        return GapLevel.NO_SERVICE
    demand = signals + waiting
    if capacity == 0:
        return GapLevel.OVER_CAPACITY if waiting > 0 else GapLevel.SOME_PROVISION
    if demand > OVER_CAPACITY_RATIO * capacity:
        return GapLevel.OVER_CAPACITY
    return GapLevel.SOME_PROVISION


def gap_score(*, needs: int, signals: int, capacity: int, waiting: int) -> int:
    """Unmet demand: signals plus people waiting less the places a week, at least zero."""
    if needs == 0:
        return 0
    return max(signals + waiting - capacity, 0)


@dataclass(frozen=True)
class GapCell:
    """One ward and theme: its open needs, its active services and the gap between them."""

    theme: Theme
    locality: Locality
    needs: int
    signals: int
    people_affected: int
    services: int
    capacity: int
    waiting: int
    level: GapLevel
    score: int

    @property
    def pcn(self) -> Locality | None:
        return self.locality.parent

    @property
    def needs_url(self) -> str:
        query = urlencode({"theme": self.theme.pk, "locality": self.locality.pk, "status": "open"})
        return f"{reverse('rounds:need-list')}?{query}"

    @property
    def services_url(self) -> str:
        query = urlencode(
            {"theme": self.theme.pk, "locality": self.locality.pk, "status": "active"}
        )
        return f"{reverse('rounds:service-list')}?{query}"


@dataclass(frozen=True)
class GapRow:
    locality: Locality
    cells: list[GapCell]

    @property
    def score(self) -> int:
        return sum(cell.score for cell in self.cells)

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.level.is_gap)


@dataclass(frozen=True)
class GapGroup:
    """The wards of one PCN (pcn is None when the rows are not grouped)."""

    pcn: Locality | None
    rows: list[GapRow]


@dataclass(frozen=True)
class GapMatrix:
    themes: list[Theme]
    rows: list[GapRow]
    sort: GapSort
    groups: list[GapGroup] = field(default_factory=list)

    @property
    def cells(self) -> Iterable[GapCell]:
        for row in self.rows:
            yield from row.cells

    def largest(self, limit: int = 5) -> list[GapCell]:
        """The cells with a gap ("No service" or "Over capacity"), largest score first."""
        gaps = [cell for cell in self.cells if cell.level.is_gap]
        gaps.sort(
            key=lambda cell: (
                -cell.score,
                cell.level != GapLevel.NO_SERVICE,
                -cell.people_affected,
                cell.locality.name,
                cell.theme.order,
                cell.theme.name,
            )
        )
        return gaps[:limit]


def _wards(*, pcn: Locality | None) -> list[Locality]:
    wards = Locality.objects.filter(kind=Locality.Kind.WARD).select_related("parent")
    if pcn is not None:
        wards = wards.filter(parent=pcn)
    # Wards without a PCN sort last, under no heading.
    return sorted(
        wards,
        key=lambda ward: (ward.parent is None, ward.parent.name if ward.parent else "", ward.name),
    )


def _need_totals(
    *, ward_ids: list[int], population_group: PopulationGroup | None
) -> dict[tuple[int, int], dict[str, int]]:
    needs = Need.objects.filter(
        status__in=COUNTED_NEED_STATUSES,
        merged_into__isnull=True,
        locality_id__in=ward_ids,
        theme__is_active=True,
    )
    if population_group is not None:
        needs = needs.filter(population_groups=population_group)
    rows = (
        needs.order_by()
        .values("locality_id", "theme_id")
        .annotate(needs=Count("id"), signals=Sum("signal_count"), people=Sum("people_affected"))
    )
    return {(row["locality_id"], row["theme_id"]): row for row in rows}


def _service_totals(*, ward_ids: list[int]) -> dict[tuple[int, int], dict[str, int]]:
    # One row per service, locality and theme: a service serving several wards or themes
    # counts in each cell.
    rows = (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .filter(Q(localities__in=ward_ids) & Q(themes__is_active=True))
        .order_by()
        .values("localities", "themes")
        .annotate(
            services=Count("id", distinct=True),
            capacity=Sum("capacity_per_week"),
            waiting=Sum("waiting_list"),
        )
    )
    return {(row["localities"], row["themes"]): row for row in rows}


def gap_matrix(
    *,
    pcn: Locality | None = None,
    population_group: PopulationGroup | None = None,
    sort: GapSort | str = GapSort.PLACE,
) -> GapMatrix:
    """Wards down the side (grouped under their PCN), active themes across the top.

    Needs count when open or being addressed and not merged into another need; with a
    population group, only needs that include it. Services count when active. Sorted by
    place (PCN, then ward) or by the largest gaps (the ward's total gap score) first.
    """
    sort = GapSort(sort)
    themes = list(Theme.objects.filter(is_active=True))
    wards = _wards(pcn=pcn)
    ward_ids = [ward.pk for ward in wards]
    need_totals = _need_totals(ward_ids=ward_ids, population_group=population_group)
    service_totals = _service_totals(ward_ids=ward_ids)

    rows = []
    for ward in wards:
        cells = []
        for theme in themes:
            need = need_totals.get((ward.pk, theme.pk), {})
            service = service_totals.get((ward.pk, theme.pk), {})
            numbers = {
                "needs": need.get("needs") or 0,
                "signals": need.get("signals") or 0,
                "capacity": service.get("capacity") or 0,
                "waiting": service.get("waiting") or 0,
            }
            services = service.get("services") or 0
            cells.append(
                GapCell(
                    theme=theme,
                    locality=ward,
                    people_affected=need.get("people") or 0,
                    services=services,
                    level=gap_level(services=services, **numbers),
                    score=gap_score(**numbers),
                    **numbers,
                )
            )
        rows.append(GapRow(locality=ward, cells=cells))

    if sort == GapSort.LARGEST:
        rows.sort(key=lambda row: (-row.score, -row.gaps, row.locality.name))
        groups = [GapGroup(pcn=None, rows=rows)]
    else:
        groups = []
        for row in rows:
            if groups and groups[-1].pcn == row.locality.parent:
                groups[-1].rows.append(row)
            else:
                groups.append(GapGroup(pcn=row.locality.parent, rows=[row]))
    return GapMatrix(themes=themes, rows=rows, sort=sort, groups=groups)


def gaps_largest(
    *,
    limit: int = 5,
    pcn: Locality | None = None,
    population_group: PopulationGroup | None = None,
) -> list[GapCell]:
    """The largest gaps (need without service, or demand far above capacity), biggest first.

    Plain data for a page or for seeding a round's priorities: each cell carries its theme,
    ward, signals, people affected, services, places a week, people waiting, level and score.
    """
    return gap_matrix(pcn=pcn, population_group=population_group).largest(limit)
