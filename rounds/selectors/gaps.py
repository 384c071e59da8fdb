"""Gap analysis: open needs against active services, per place and theme.

Every number comes from two aggregate queries (one over needs, one over services), so the
page costs the same whether the register holds ten needs or fifty thousand.

Which needs count (one definition, ``needs_counted_in_gaps``, used by the counts, by the
links from each cell to the needs register and by "Start a round from these gaps"): needs
that are open or being addressed and not merged into another need, in any theme, with a
population group only those that include it.

Where a need counts (``gap_areas``): every place has a row. A ward is a row, and counts
the needs and services of the smaller areas inside it (LSOAs, neighbourhoods). A need or
service recorded for a whole PCN counts in that PCN's own row ("North PCN as a whole"),
beside its wards; one for the borough, the ICB or a small area outside any ward counts in
the row of that place, under "Wider areas". So every counted need is in exactly one cell,
and the cells add up to the needs register.

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

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse

from microcomm.caching import GAPS, generation_cached
from microcomm.models import Locality, Theme
from rounds.models import Need, PopulationGroup, Service

# Demand more than this many times the weekly places counts as over capacity.
OVER_CAPACITY_RATIO = 2

COUNTED_NEED_STATUSES = (Need.Status.OPEN, Need.Status.BEING_ADDRESSED)

# The needs register's status filter that lists exactly the needs the gap analysis counts.
COUNTED_STATUS_FILTER = "current"

# Places smaller than a ward count in the ward they are in.
_WITHIN_A_WARD = (Locality.Kind.LSOA, Locality.Kind.NEIGHBOURHOOD)
# The order of the "Wider areas" rows: the smallest first.
_WIDER_ORDER = {
    Locality.Kind.LOCAL_AUTHORITY: 0,
    Locality.Kind.ICB: 1,
}


def needs_counted_in_gaps(
    *, needs: QuerySet[Need] | None = None, population_group: PopulationGroup | None = None
) -> QuerySet[Need]:
    """The needs the gap analysis counts, out of ``needs`` (default: every need)."""
    if needs is None:
        needs = Need.objects.all()
    needs = needs.filter(status__in=COUNTED_NEED_STATUSES, merged_into__isnull=True)
    if population_group is not None:
        needs = needs.filter(population_groups=population_group)
    return needs


@dataclass(frozen=True)
class GapAreas:
    """Every place, and the place whose row it counts in (its area)."""

    places: dict[int, Locality]
    area_of: dict[int, int]

    def members(self, area_ids: Iterable[int]) -> list[int]:
        """The places that count in these areas' rows, the areas themselves included."""
        wanted = set(area_ids)
        return [pk for pk, area in self.area_of.items() if area in wanted]


def _area_of(place: Locality, places: dict[int, Locality]) -> int:
    if place.kind not in _WITHIN_A_WARD:
        return place.pk
    seen = {place.pk}
    parent = places.get(place.parent_id) if place.parent_id else None
    while parent is not None and parent.pk not in seen:
        if parent.kind == Locality.Kind.WARD:
            return parent.pk
        seen.add(parent.pk)
        parent = places.get(parent.parent_id) if parent.parent_id else None
    return place.pk


def gap_areas() -> GapAreas:
    """Which row each place counts in, by the rule in this module's docstring (one query)."""
    places = {place.pk: place for place in Locality.objects.all()}
    for place in places.values():
        place.parent = places.get(place.parent_id) if place.parent_id else None
    return GapAreas(
        places=places, area_of={pk: _area_of(place, places) for pk, place in places.items()}
    )


def gap_area_label(area: Locality) -> str:
    """A row's name: a ward by its name, a wider place "as a whole"."""
    if area.kind in (Locality.Kind.WARD, *_WITHIN_A_WARD):
        return area.name
    return f"{area.name} as a whole"


def gap_cell_needs(
    *,
    theme: Theme,
    area: Locality,
    areas: GapAreas | None = None,
    population_group: PopulationGroup | None = None,
    needs: QuerySet[Need] | None = None,
) -> QuerySet[Need]:
    """The needs one cell of the gap analysis counts: the list its link shows."""
    areas = areas or gap_areas()
    return needs_counted_in_gaps(needs=needs, population_group=population_group).filter(
        theme=theme, locality_id__in=areas.members([area.pk])
    )


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


def gap_key(*, theme: Theme, area: Locality) -> str:
    """How one cell is named in a link, such as ?gap= when starting a round: theme-place."""
    return f"{theme.pk}-{area.pk}"


@dataclass(frozen=True)
class GapCell:
    """One place and theme: its counted needs, its active services and the gap between."""

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
    population_group: PopulationGroup | None = None

    @property
    def pcn(self) -> Locality | None:
        """The PCN the row belongs to: the ward's PCN, or the PCN itself for its own row."""
        if self.locality.kind == Locality.Kind.PCN:
            return self.locality
        parent = self.locality.parent
        return parent if parent is not None and parent.kind == Locality.Kind.PCN else None

    @property
    def label(self) -> str:
        return f"{self.theme.name} in {gap_area_label(self.locality)}"

    @property
    def key(self) -> str:
        return gap_key(theme=self.theme, area=self.locality)

    @property
    def needs_url(self) -> str:
        """The needs register listing exactly the needs this cell counts."""
        query = {
            "theme": self.theme.pk,
            "area": self.locality.pk,
            "status": COUNTED_STATUS_FILTER,
        }
        if self.population_group is not None:
            query["population_group"] = self.population_group.pk
        return f"{reverse('rounds:need-list')}?{urlencode(query)}"

    @property
    def services_url(self) -> str:
        query = urlencode(
            {"theme": self.theme.pk, "locality": self.locality.pk, "status": "active"}
        )
        return f"{reverse('rounds:service-list')}?{query}"

    @property
    def round_url(self) -> str:
        """Set up a round for this one gap, with its needs picked."""
        return f"{reverse('rounds:round-create')}?{urlencode({'gap': self.key})}"


@dataclass(frozen=True)
class GapRow:
    locality: Locality
    cells: list[GapCell]

    @property
    def label(self) -> str:
        return gap_area_label(self.locality)

    @property
    def is_ward(self) -> bool:
        return self.locality.kind == Locality.Kind.WARD

    @property
    def score(self) -> int:
        return sum(cell.score for cell in self.cells)

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.level.is_gap)


@dataclass(frozen=True)
class GapGroup:
    """The rows under one heading: a PCN's wards and its own row, or the wider areas.

    ``pcn`` is None for the wider areas, for wards outside any PCN and when the rows are
    not grouped (sorted by the largest gaps).
    """

    pcn: Locality | None
    rows: list[GapRow]
    heading: str = ""


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

    @property
    def total_needs(self) -> int:
        return sum(cell.needs for cell in self.cells)

    @property
    def total_signals(self) -> int:
        return sum(cell.signals for cell in self.cells)

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


def _is_pcn(place: Locality | None) -> bool:
    return place is not None and place.kind == Locality.Kind.PCN


def _row_places(*, areas: GapAreas, pcn: Locality | None) -> list[Locality]:
    """The places with a row: every area, or a PCN's wards and the PCN itself."""
    rows = [areas.places[pk] for pk in sorted(set(areas.area_of.values()))]
    if pcn is None:
        return rows
    return [place for place in rows if place.pk == pcn.pk or place.parent_id == pcn.pk]


def _groups(rows: list[GapRow]) -> list[GapGroup]:
    """PCNs by name (their wards, then their own row), wards outside a PCN, wider areas."""
    by_pcn: dict[int, list[GapRow]] = defaultdict(list)
    pcns: dict[int, Locality] = {}
    loose: list[GapRow] = []
    wider: list[GapRow] = []
    for row in rows:
        place = row.locality
        if place.kind == Locality.Kind.PCN:
            pcns[place.pk] = place
        elif row.is_ward and _is_pcn(place.parent):
            pcns[place.parent.pk] = place.parent
            by_pcn[place.parent.pk].append(row)
        elif row.is_ward:
            loose.append(row)
        else:
            wider.append(row)
    own_rows = {row.locality.pk: row for row in rows if row.locality.kind == Locality.Kind.PCN}
    groups = []
    for pcn in sorted(pcns.values(), key=lambda place: place.name):
        wards = sorted(by_pcn[pcn.pk], key=lambda row: row.locality.name)
        groups.append(GapGroup(pcn=pcn, heading=pcn.name, rows=[*wards, own_rows[pcn.pk]]))
    if loose:
        groups.append(GapGroup(pcn=None, rows=sorted(loose, key=lambda row: row.locality.name)))
    if wider:
        wider.sort(key=lambda row: (_WIDER_ORDER.get(row.locality.kind, 2), row.locality.name))
        groups.append(GapGroup(pcn=None, heading="Wider areas", rows=wider))
    return groups


def _cell_totals(
    rows: QuerySet, *, areas: GapAreas, place: str, theme: str
) -> dict[tuple[int, int], dict[str, int]]:
    """Each annotated total of ``rows`` (one row per place and theme) added into its cell.

    A place counts in the area it belongs to, so the rows of a PCN's wards add up together.
    """
    names = list(rows.query.annotations)
    totals: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        cell = totals[(areas.area_of[row[place]], row[theme])]
        for name in names:
            cell[name] += row[name] or 0
    return totals


def _need_totals(
    *, place_ids: list[int], areas: GapAreas, population_group: PopulationGroup | None
) -> dict[tuple[int, int], dict[str, int]]:
    rows = (
        needs_counted_in_gaps(population_group=population_group)
        .filter(locality_id__in=place_ids)
        .order_by()
        .values("locality_id", "theme_id")
        .annotate(needs=Count("id"), signals=Sum("signal_count"), people=Sum("people_affected"))
    )
    return _cell_totals(rows, areas=areas, place="locality_id", theme="theme_id")


def _service_totals(
    *, place_ids: list[int], theme_ids: list[int], areas: GapAreas
) -> dict[tuple[int, int], dict[str, int]]:
    # One row per place and theme: a service serving several places or themes counts in
    # each cell.
    rows = (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .filter(Q(localities__in=place_ids) & Q(themes__in=theme_ids))
        .order_by()
        .values("localities", "themes")
        .annotate(
            services=Count("id", distinct=True),
            capacity=Sum("capacity_per_week"),
            waiting=Sum("waiting_list"),
        )
    )
    return _cell_totals(rows, areas=areas, place="localities", theme="themes")


def gap_themes(*, population_group: PopulationGroup | None = None) -> list[Theme]:
    """The columns: active themes, and a retired theme while it still has counted needs."""
    counted = needs_counted_in_gaps(population_group=population_group).values("theme_id")
    return list(Theme.objects.filter(Q(is_active=True) | Q(pk__in=counted)))


def gap_matrix(
    *,
    pcn: Locality | None = None,
    population_group: PopulationGroup | None = None,
    sort: GapSort | str = GapSort.PLACE,
) -> GapMatrix:
    """Places down the side (grouped under their PCN, then wider areas), themes across.

    Needs count by ``needs_counted_in_gaps``, in the row ``gap_areas`` gives their place;
    services count when active. With a PCN, only its wards and its own row. Sorted by
    place or by the largest gaps (the row's total gap score) first.

    Computed once per filter and kept in the cache until a need or a service changes (the
    services that change them are marked ``@invalidates(GAPS)``), so the commissioner home
    page and the gap analysis do not count the whole register on every visit.
    """
    sort = GapSort(sort)
    name = ":".join(
        [
            "gap-matrix",
            str(pcn.pk if pcn is not None else ""),
            str(population_group.pk if population_group is not None else ""),
            sort.value,
        ]
    )
    return generation_cached(
        kind=GAPS,
        name=name,
        compute=lambda: _gap_matrix_compute(pcn=pcn, population_group=population_group, sort=sort),
    )


def _gap_matrix_compute(
    *, pcn: Locality | None, population_group: PopulationGroup | None, sort: GapSort
) -> GapMatrix:
    themes = gap_themes(population_group=population_group)
    areas = gap_areas()
    row_places = _row_places(areas=areas, pcn=pcn)
    place_ids = areas.members(place.pk for place in row_places)
    need_totals = _need_totals(place_ids=place_ids, areas=areas, population_group=population_group)
    service_totals = _service_totals(
        place_ids=place_ids, theme_ids=[theme.pk for theme in themes], areas=areas
    )

    rows = []
    for place in row_places:
        cells = []
        for theme in themes:
            need = need_totals.get((place.pk, theme.pk), {})
            service = service_totals.get((place.pk, theme.pk), {})
            numbers = {
                "needs": need.get("needs", 0),
                "signals": need.get("signals", 0),
                "capacity": service.get("capacity", 0),
                "waiting": service.get("waiting", 0),
            }
            services = service.get("services", 0)
            cells.append(
                GapCell(
                    theme=theme,
                    locality=place,
                    people_affected=need.get("people", 0),
                    services=services,
                    level=gap_level(services=services, **numbers),
                    score=gap_score(**numbers),
                    population_group=population_group,
                    **numbers,
                )
            )
        rows.append(GapRow(locality=place, cells=cells))

    if sort == GapSort.LARGEST:
        rows.sort(key=lambda row: (-row.score, -row.gaps, row.locality.name))
        groups = [GapGroup(pcn=None, rows=rows)]
    else:
        groups = _groups(rows)
        rows = [row for group in groups for row in group.rows]
    return GapMatrix(themes=themes, rows=rows, sort=sort, groups=groups)


def gaps_largest(
    *,
    limit: int = 5,
    pcn: Locality | None = None,
    population_group: PopulationGroup | None = None,
) -> list[GapCell]:
    """The largest gaps (need without service, or demand far above capacity), biggest first.

    Plain data for a page or for seeding a round's priorities: each cell carries its theme,
    place, signals, people affected, services, places a week, people waiting, level and
    score.
    """
    return gap_matrix(pcn=pcn, population_group=population_group).largest(limit)


# A gap_key in a link; ids beyond nine digits name nothing (and would overflow a column).
_GAP_KEY = re.compile(r"(?P<theme>[0-9]{1,9})-(?P<place>[0-9]{1,9})")
# More cells than the matrix of a large scheme has: the rest of a longer list is ignored.
MAX_CHOSEN_GAPS = 500


@dataclass(frozen=True)
class ChosenGaps:
    themes: list[Theme]
    places: list[Locality]
    needs: list[Need]


def gaps_chosen(*, keys: Iterable[str]) -> ChosenGaps:
    """The themes, places and counted needs of the cells named by ``gap_key`` values.

    Only the needs inside the chosen cells: a theme chosen in one place does not bring the
    needs of that theme in another chosen place. Keys that name nothing are ignored.
    """
    pairs = set()
    for key in keys:
        match = _GAP_KEY.fullmatch(str(key))
        if match and len(pairs) < MAX_CHOSEN_GAPS:
            pairs.add((int(match["theme"]), int(match["place"])))
    if not pairs:
        return ChosenGaps(themes=[], places=[], needs=[])
    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in={t for t, _ in pairs})}
    areas = gap_areas()
    pairs = {(t, p) for t, p in pairs if t in themes and p in areas.places}
    condition = Q(pk__in=[])
    for theme_id, place_id in pairs:
        condition |= Q(theme_id=theme_id, locality_id__in=areas.members([place_id]))
    needs = list(needs_counted_in_gaps().filter(condition).order_by("title", "pk"))
    return ChosenGaps(
        themes=sorted({themes[t] for t, _ in pairs}, key=lambda theme: (theme.order, theme.name)),
        places=sorted({areas.places[p] for _, p in pairs}, key=lambda place: place.name),
        needs=needs,
    )
