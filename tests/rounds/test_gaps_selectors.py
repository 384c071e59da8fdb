import pytest

from microcomm.models import Locality
from rounds.models import Need, Service
from rounds.selectors.gaps import (
    GapLevel,
    GapSort,
    gap_cell_needs,
    gap_level,
    gap_matrix,
    gap_score,
    gaps_chosen,
    gaps_largest,
    needs_counted_in_gaps,
)
from tests.microcomm.factories import LocalityFactory, PcnFactory, ThemeFactory, WardFactory
from tests.rounds.factories import NeedFactory, ServiceFactory, population_group

pytestmark = pytest.mark.django_db


def cell_of(matrix, ward, theme):
    [cell] = [c for c in matrix.cells if c.locality == ward and c.theme == theme]
    return cell


@pytest.fixture
def place():
    pcn = PcnFactory(name="North PCN")
    return {
        "pcn": pcn,
        "ward": WardFactory(name="Abbey Fields", parent=pcn),
        "other_ward": WardFactory(name="Canal Side", parent=pcn),
        "theme": ThemeFactory(name="Loneliness", order=1),
        "other_theme": ThemeFactory(name="Money and debt", order=2),
    }


def test_cell_adds_up_open_needs_signals_and_people(place):
    ward, theme = place["ward"], place["theme"]
    NeedFactory(locality=ward, theme=theme, signal_count=4, people_affected=10)
    NeedFactory(locality=ward, theme=theme, signal_count=3, status=Need.Status.BEING_ADDRESSED)
    NeedFactory(locality=place["other_ward"], theme=theme, signal_count=50)

    cell = cell_of(gap_matrix(), ward, theme)

    assert (cell.needs, cell.signals, cell.people_affected) == (2, 7, 10)


def test_met_closed_and_merged_needs_are_not_counted(place):
    ward, theme = place["ward"], place["theme"]
    kept = NeedFactory(locality=ward, theme=theme, signal_count=2)
    NeedFactory(locality=ward, theme=theme, signal_count=5, status=Need.Status.MET)
    NeedFactory(locality=ward, theme=theme, signal_count=5, status=Need.Status.CLOSED)
    NeedFactory(locality=ward, theme=theme, signal_count=5, merged_into=kept)

    cell = cell_of(gap_matrix(), ward, theme)

    assert (cell.needs, cell.signals) == (1, 2)


def test_active_services_add_up_and_others_do_not(place):
    ward, theme = place["ward"], place["theme"]
    ServiceFactory(themes=[theme], localities=[ward], capacity_per_week=8, waiting_list=3)
    ServiceFactory(themes=[theme], localities=[ward], capacity_per_week=None, waiting_list=1)
    for status in (Service.Status.PAUSED, Service.Status.CLOSED, Service.Status.PROPOSED):
        ServiceFactory(themes=[theme], localities=[ward], status=status, capacity_per_week=99)

    cell = cell_of(gap_matrix(), ward, theme)

    assert (cell.services, cell.capacity, cell.waiting) == (2, 8, 4)


def test_a_service_in_several_wards_and_themes_counts_in_each_cell(place):
    wards = [place["ward"], place["other_ward"]]
    themes = [place["theme"], place["other_theme"]]
    ServiceFactory(themes=themes, localities=wards, capacity_per_week=6, waiting_list=2)
    ServiceFactory(themes=[place["theme"]], localities=[place["ward"]], capacity_per_week=4)

    matrix = gap_matrix()

    numbers = {
        (c.locality.name, c.theme.name): (c.services, c.capacity, c.waiting) for c in matrix.cells
    }
    assert numbers == {
        ("Abbey Fields", "Loneliness"): (2, 10, 2),
        ("Abbey Fields", "Money and debt"): (1, 6, 2),
        ("Canal Side", "Loneliness"): (1, 6, 2),
        ("Canal Side", "Money and debt"): (1, 6, 2),
        ("North PCN", "Loneliness"): (0, 0, 0),
        ("North PCN", "Money and debt"): (0, 0, 0),
    }


def test_population_group_filter_counts_only_needs_that_include_it(place):
    ward, theme = place["ward"], place["theme"]
    carers, older = population_group("carers"), population_group("65-and-over")
    NeedFactory(locality=ward, theme=theme, signal_count=2, population_groups=[carers, older])
    NeedFactory(locality=ward, theme=theme, signal_count=5, population_groups=[older])
    NeedFactory(locality=ward, theme=theme, signal_count=7)

    assert cell_of(gap_matrix(population_group=carers), ward, theme).signals == 2
    assert cell_of(gap_matrix(population_group=older), ward, theme).signals == 7
    assert cell_of(gap_matrix(), ward, theme).signals == 14


def test_pcn_filter_shows_only_that_pcns_wards(place):
    south = PcnFactory(name="South PCN")
    WardFactory(name="Fenwick", parent=south)
    WardFactory(name="Mill Bank", parent=south)

    matrix = gap_matrix(pcn=south)

    assert [row.label for row in matrix.rows] == ["Fenwick", "Mill Bank", "South PCN as a whole"]
    assert [group.pcn for group in matrix.groups] == [south]


def test_rows_are_wards_grouped_under_their_pcn_with_the_pcn_as_a_whole(place):
    south = PcnFactory(name="South PCN")
    WardFactory(name="Fenwick", parent=south)

    matrix = gap_matrix()

    grouped = [(g.heading, [r.label for r in g.rows]) for g in matrix.groups]
    assert grouped == [
        ("North PCN", ["Abbey Fields", "Canal Side", "North PCN as a whole"]),
        ("South PCN", ["Fenwick", "South PCN as a whole"]),
    ]
    assert [theme.name for theme in matrix.themes] == ["Loneliness", "Money and debt"]


def test_inactive_themes_are_left_out(place):
    ThemeFactory(name="Retired theme", is_active=False)

    assert [theme.name for theme in gap_matrix().themes] == ["Loneliness", "Money and debt"]


@pytest.mark.parametrize(
    ("needs", "signals", "services", "capacity", "waiting", "level"),
    [
        (0, 0, 0, 0, 0, GapLevel.NO_NEED),
        (0, 0, 2, 10, 30, GapLevel.NO_NEED),
        (1, 3, 0, 0, 0, GapLevel.NO_SERVICE),
        (2, 10, 1, 10, 0, GapLevel.SOME_PROVISION),
        (2, 15, 1, 10, 5, GapLevel.SOME_PROVISION),  # demand 20 is exactly twice the places
        (2, 16, 1, 10, 5, GapLevel.OVER_CAPACITY),  # demand 21 is more than twice
        (1, 1, 1, 2, 4, GapLevel.OVER_CAPACITY),  # a long waiting list alone
        (1, 9, 1, 0, 0, GapLevel.SOME_PROVISION),  # places a week not recorded, nobody waiting
        (1, 1, 1, 0, 1, GapLevel.OVER_CAPACITY),  # places not recorded, people waiting
    ],
)
def test_gap_level_rule(needs, signals, services, capacity, waiting, level):
    assert (
        gap_level(
            needs=needs, signals=signals, services=services, capacity=capacity, waiting=waiting
        )
        == level
    )


def test_gap_score_is_unmet_demand_and_zero_without_need():
    assert gap_score(needs=1, signals=10, capacity=4, waiting=3) == 9
    assert gap_score(needs=1, signals=2, capacity=40, waiting=0) == 0
    assert gap_score(needs=0, signals=0, capacity=0, waiting=12) == 0


def test_largest_gaps_lists_only_gaps_biggest_first(place):
    ward, other_ward = place["ward"], place["other_ward"]
    theme, other_theme = place["theme"], place["other_theme"]
    NeedFactory(locality=ward, theme=theme, signal_count=4, people_affected=12)  # no service
    NeedFactory(locality=other_ward, theme=theme, signal_count=20)  # over capacity
    ServiceFactory(themes=[theme], localities=[other_ward], capacity_per_week=5, waiting_list=2)
    NeedFactory(locality=ward, theme=other_theme, signal_count=3)  # some provision
    ServiceFactory(themes=[other_theme], localities=[ward], capacity_per_week=10)

    largest = gaps_largest()

    assert [(c.locality.name, c.theme.name, c.level, c.score) for c in largest] == [
        ("Canal Side", "Loneliness", GapLevel.OVER_CAPACITY, 17),
        ("Abbey Fields", "Loneliness", GapLevel.NO_SERVICE, 4),
    ]
    first = largest[1]
    assert (first.signals, first.people_affected, first.services, first.capacity) == (4, 12, 0, 0)
    assert len(gaps_largest(limit=1)) == 1


def test_sort_by_largest_gaps_puts_the_ward_with_most_unmet_demand_first(place):
    NeedFactory(locality=place["other_ward"], theme=place["theme"], signal_count=9)
    NeedFactory(locality=place["ward"], theme=place["theme"], signal_count=2)

    by_place = gap_matrix(sort=GapSort.PLACE)
    by_gap = gap_matrix(sort=GapSort.LARGEST)

    assert [row.label for row in by_place.rows] == [
        "Abbey Fields",
        "Canal Side",
        "North PCN as a whole",
    ]
    assert [row.label for row in by_gap.rows] == [
        "Canal Side",
        "Abbey Fields",
        "North PCN as a whole",
    ]


def test_cell_links_go_to_the_needs_list_and_the_directory(place):
    ward, theme = place["ward"], place["theme"]

    cell = cell_of(gap_matrix(), ward, theme)

    assert cell.needs_url == f"/needs/?theme={theme.pk}&area={ward.pk}&status=current"
    assert cell.services_url == f"/directory/?theme={theme.pk}&locality={ward.pk}&status=active"


def test_needs_above_and_below_ward_level_count_in_a_row_of_their_own_place(place):
    pcn, ward, theme = place["pcn"], place["ward"], place["theme"]
    borough = LocalityFactory(name="Marsh Borough", kind=Locality.Kind.LOCAL_AUTHORITY)
    icb = LocalityFactory(name="Marsh ICB", kind=Locality.Kind.ICB)
    lsoa = LocalityFactory(name="Abbey 001A", kind=Locality.Kind.LSOA, parent=ward)
    NeedFactory(locality=pcn, theme=theme, signal_count=3)
    NeedFactory(locality=borough, theme=theme, signal_count=5)
    NeedFactory(locality=icb, theme=theme, signal_count=7)
    NeedFactory(locality=lsoa, theme=theme, signal_count=2)
    NeedFactory(locality=ward, theme=theme, signal_count=1)

    matrix = gap_matrix()

    assert cell_of(matrix, pcn, theme).signals == 3
    assert cell_of(matrix, borough, theme).signals == 5
    assert cell_of(matrix, icb, theme).signals == 7
    assert cell_of(matrix, ward, theme).signals == 2 + 1
    assert [row.label for row in matrix.groups[-1].rows] == [
        "Marsh Borough as a whole",
        "Marsh ICB as a whole",
    ]
    assert matrix.groups[-1].heading == "Wider areas"


def test_every_counted_need_is_in_exactly_one_cell_and_the_totals_match(place):
    theme, other_theme = place["theme"], place["other_theme"]
    borough = LocalityFactory(kind=Locality.Kind.LOCAL_AUTHORITY)
    lonely_area = LocalityFactory(kind=Locality.Kind.NEIGHBOURHOOD)  # inside no ward
    retired = ThemeFactory(name="Retired theme", is_active=False)
    for locality in (place["pcn"], place["ward"], place["other_ward"], borough, lonely_area):
        NeedFactory(locality=locality, theme=theme, signal_count=2)
        NeedFactory(locality=locality, theme=other_theme, status=Need.Status.BEING_ADDRESSED)
    NeedFactory(locality=borough, theme=retired, signal_count=4)
    NeedFactory(locality=borough, theme=theme, status=Need.Status.MET)

    matrix = gap_matrix()

    counted = needs_counted_in_gaps()
    assert counted.count() == 11
    assert matrix.total_needs == counted.count()
    assert matrix.total_signals == sum(counted.values_list("signal_count", flat=True))
    assert "Retired theme" in [theme.name for theme in matrix.themes]


def test_a_cells_needs_are_the_needs_it_counts(place):
    ward, theme = place["ward"], place["theme"]
    lsoa = LocalityFactory(kind=Locality.Kind.LSOA, parent=ward)
    open_need = NeedFactory(locality=ward, theme=theme)
    addressed = NeedFactory(locality=lsoa, theme=theme, status=Need.Status.BEING_ADDRESSED)
    NeedFactory(locality=place["pcn"], theme=theme)  # its PCN's own row
    NeedFactory(locality=ward, theme=theme, status=Need.Status.MET)

    cell = cell_of(gap_matrix(), ward, theme)

    listed = set(gap_cell_needs(theme=theme, area=ward))
    assert listed == {open_need, addressed}
    assert cell.needs == len(listed)


def test_chosen_gaps_bring_only_the_needs_inside_those_cells(place):
    ward, other_ward = place["ward"], place["other_ward"]
    theme, other_theme = place["theme"], place["other_theme"]
    lonely_abbey = NeedFactory(locality=ward, theme=theme)
    money_canal = NeedFactory(locality=other_ward, theme=other_theme)
    NeedFactory(locality=other_ward, theme=theme)  # same theme, other chosen place
    NeedFactory(locality=ward, theme=other_theme)

    chosen = gaps_chosen(
        keys=[f"{theme.pk}-{ward.pk}", f"{other_theme.pk}-{other_ward.pk}", "x", "1-99999999999"]
    )

    assert set(chosen.needs) == {lonely_abbey, money_canal}
    assert chosen.themes == [theme, other_theme]
    assert set(chosen.places) == {ward, other_ward}
