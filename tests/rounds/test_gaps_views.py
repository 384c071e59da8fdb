import csv
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microcomm.models import Locality
from rounds.models import Need, NeedSignal, Service
from tests.microcomm.factories import (
    LocalityFactory,
    PcnFactory,
    ThemeFactory,
    UserFactory,
    WardFactory,
    applicant,
    commissioner,
    link_worker,
)
from tests.rounds.factories import NeedFactory, ServiceFactory, population_group

pytestmark = pytest.mark.django_db

GAPS = reverse("rounds:gap-analysis")
GAPS_CSV = reverse("rounds:gap-analysis-csv")
QUERY_BUDGET = 13


def admin_only():
    return UserFactory(is_staff=True)


@pytest.fixture
def scheme():
    north, south = PcnFactory(name="North PCN"), PcnFactory(name="South PCN")
    return {
        "north": north,
        "south": south,
        "abbey": WardFactory(name="Abbey Fields", parent=north),
        "fenwick": WardFactory(name="Fenwick", parent=south),
        "lonely": ThemeFactory(name="Loneliness", order=1),
        "money": ThemeFactory(name="Money and debt", order=2),
    }


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (commissioner, 200),
        (link_worker, 200),
        (applicant, 403),
        (admin_only, 403),
        (UserFactory, 403),  # signed up, no role yet (a panel member has no staff role either)
    ],
)
@pytest.mark.parametrize("url", [GAPS, GAPS_CSV])
def test_who_may_see_the_gap_analysis(client, scheme, make_user, status, url):
    client.force_login(make_user())

    response = client.get(url)

    assert response.status_code == status


@pytest.mark.parametrize("url", [GAPS, GAPS_CSV])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("microcomm:sign-in"))


def test_page_shows_numbers_levels_and_cell_links(client, scheme):
    NeedFactory(
        locality=scheme["fenwick"], theme=scheme["money"], signal_count=6, people_affected=30
    )
    client.force_login(commissioner())

    page = client.get(GAPS).content.decode()

    assert "6 signals, 30 people affected" in page
    assert "No service" in page
    assert "No recorded need" in page
    assert 'scope="col"' in page and 'scope="row"' in page
    assert 'role="region"' in page and 'tabindex="0"' in page
    needs_link = f"/needs/?theme={scheme['money'].pk}&amp;area={scheme['fenwick'].pk}"
    assert f"{needs_link}&amp;status=current" in page
    directory_link = f"/directory/?theme={scheme['money'].pk}&amp;locality={scheme['fenwick'].pk}"
    assert f"{directory_link}&amp;status=active" in page


def test_pcn_filter_shows_only_its_wards(client, scheme):
    client.force_login(commissioner())

    page = client.get(GAPS, {"pcn": scheme["south"].pk}).content.decode()

    assert ">Fenwick" in page
    assert ">Abbey Fields" not in page
    south_pk = scheme["south"].pk
    assert f'<option value="{south_pk}" selected>South PCN</option>' in page


def test_population_group_filter_counts_needs_that_include_it(client, scheme):
    carers = population_group("carers")
    NeedFactory(
        locality=scheme["abbey"], theme=scheme["lonely"], signal_count=4, population_groups=[carers]
    )
    NeedFactory(locality=scheme["abbey"], theme=scheme["lonely"], signal_count=9)
    client.force_login(commissioner())

    page = client.get(GAPS, {"population_group": carers.pk}).content.decode()

    assert "4 signals" in page
    assert "13 signals" not in page


def test_sort_by_largest_gaps_lists_the_worst_ward_first(client, scheme):
    NeedFactory(locality=scheme["fenwick"], theme=scheme["money"], signal_count=8)
    client.force_login(commissioner())

    page = client.get(GAPS, {"sort": "largest"}).content.decode()

    assert page.index(">Fenwick") < page.index(">Abbey Fields")
    assert "places with the largest gaps first" in page


def test_an_unknown_filter_value_is_explained_and_the_table_still_shows(client, scheme):
    client.force_login(commissioner())

    page = client.get(GAPS, {"pcn": "999999", "sort": "largest"}).content.decode()

    assert "There is a problem" in page
    assert "Select a PCN from the list" in page
    assert ">Abbey Fields" in page and ">Fenwick" in page


def test_csv_has_one_row_per_cell_with_the_same_numbers(client, scheme):
    NeedFactory(
        locality=scheme["fenwick"], theme=scheme["money"], signal_count=6, people_affected=30
    )
    ServiceFactory(
        themes=[scheme["lonely"]], localities=[scheme["abbey"]], capacity_per_week=5, waiting_list=7
    )
    client.force_login(commissioner())

    response = client.get(GAPS_CSV, {"pcn": scheme["south"].pk})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:4] == ["PCN", "Place", "Kind of place", "Theme"]
    assert rows[1:3] == [
        [
            "South PCN",
            "Fenwick",
            "Ward",
            "Loneliness",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "No recorded need",
            "0",
        ],
        [
            "South PCN",
            "Fenwick",
            "Ward",
            "Money and debt",
            "1",
            "6",
            "30",
            "0",
            "0",
            "0",
            "No service",
            "6",
        ],
    ]
    assert [row[:4] for row in rows[3:]] == [
        ["South PCN", "South PCN", "Primary care network", "Loneliness"],
        ["South PCN", "South PCN", "Primary care network", "Money and debt"],
    ]


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd"])
def test_csv_makes_formula_like_names_inert(client, scheme, name):
    ward = WardFactory(name=name, parent=scheme["north"])
    client.force_login(commissioner())

    text = client.get(GAPS_CSV, {"pcn": scheme["north"].pk}).getvalue().decode()

    wards = {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert f"'{ward.name}" in wards
    assert ward.name not in wards


def _add_needs_and_services(scheme, *, needs: int, services: int) -> None:
    wards = [scheme["abbey"], scheme["fenwick"]]
    themes = [scheme["lonely"], scheme["money"]]
    carers = population_group("carers")
    created = Need.objects.bulk_create(
        Need(
            title=f"Need {n}",
            locality=wards[n % 2],
            theme=themes[(n // 2) % 2],
            signal_count=n % 5 + 1,
            people_affected=n % 7 or None,
        )
        for n in range(needs)
    )
    Need.population_groups.through.objects.bulk_create(
        Need.population_groups.through(need=need, populationgroup=carers) for need in created[::3]
    )
    NeedSignal.objects.bulk_create(NeedSignal(need=need) for need in created)
    made = Service.objects.bulk_create(
        Service(name=f"Service {n}", capacity_per_week=n % 9, waiting_list=n % 4)
        for n in range(services)
    )
    Service.themes.through.objects.bulk_create(
        Service.themes.through(service=service, theme=themes[n % 2])
        for n, service in enumerate(made)
    )
    Service.localities.through.objects.bulk_create(
        Service.localities.through(service=service, locality=ward)
        for service in made
        for ward in wards
    )


def _queries_for_page(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(GAPS, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("filtered", [False, True])
def test_page_costs_the_same_queries_for_small_and_large_data(
    client, scheme, django_assert_max_num_queries, filtered, settings
):
    params = {}
    if filtered:
        params = {
            "pcn": scheme["north"].pk,
            "population_group": population_group("carers").pk,
            "sort": "largest",
        }
    client.force_login(commissioner())
    _add_needs_and_services(scheme, needs=10, services=2)
    small = _queries_for_page(client, params)

    _add_needs_and_services(scheme, needs=1500, services=120)
    # The factories write behind the services' back, so the matrix is counted afresh
    # (an empty cache), as it is after a need or service changes.
    settings.CACHE_GENERATION_PREFIX = f"generation-{uuid.uuid4().hex}"
    with django_assert_max_num_queries(QUERY_BUDGET):
        large = _queries_for_page(client, params)

    assert small == large


def test_csv_costs_a_fixed_number_of_queries(client, scheme, django_assert_max_num_queries):
    _add_needs_and_services(scheme, needs=800, services=60)
    client.force_login(commissioner())

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(GAPS_CSV)

    # Two wards and two PCNs' own rows, by two themes.
    assert len(response.getvalue().decode().splitlines()) == 1 + 4 * 2


def test_home_panel_shows_the_largest_gaps_to_a_commissioner(client, scheme):
    NeedFactory(locality=scheme["fenwick"], theme=scheme["money"], signal_count=6)
    client.force_login(commissioner())

    page = client.get(reverse("microcomm:home")).content.decode()

    assert "Largest gaps between needs and services" in page
    assert "Money and debt in Fenwick" in page
    assert reverse("rounds:gap-analysis") in page


def test_home_panel_is_not_shown_to_a_link_worker(client, scheme):
    NeedFactory(locality=scheme["fenwick"], theme=scheme["money"], signal_count=6)
    client.force_login(link_worker())

    page = client.get(reverse("microcomm:home")).content.decode()

    assert "Largest gaps between needs and services" not in page


def test_a_cells_link_lists_exactly_the_needs_it_counts(client, scheme):
    fenwick, money = scheme["fenwick"], scheme["money"]
    NeedFactory(locality=fenwick, theme=money, title="Open debt need")
    NeedFactory(
        locality=fenwick, theme=money, title="Debt need in hand", status=Need.Status.BEING_ADDRESSED
    )
    NeedFactory(locality=fenwick, theme=money, title="Met debt need", status=Need.Status.MET)
    client.force_login(commissioner())
    [cell] = [
        cell
        for cell in client.get(GAPS).context["matrix"].cells
        if cell.locality == fenwick and cell.theme == money
    ]

    listed = client.get(cell.needs_url).content.decode()

    assert cell.needs == 2
    assert "2 needs</h2>" in listed
    assert "Open debt need" in listed and "Debt need in hand" in listed
    assert "Met debt need" not in listed


def test_needs_for_a_pcn_the_borough_and_the_icb_are_counted_and_add_up(client, scheme):
    borough = LocalityFactory(name="Marsh Borough", kind=Locality.Kind.LOCAL_AUTHORITY)
    icb = LocalityFactory(name="Marsh ICB", kind=Locality.Kind.ICB)
    NeedFactory(locality=scheme["north"], theme=scheme["lonely"], signal_count=3)
    NeedFactory(locality=borough, theme=scheme["lonely"], signal_count=4)
    NeedFactory(locality=icb, theme=scheme["money"], signal_count=5)
    NeedFactory(locality=scheme["abbey"], theme=scheme["money"], signal_count=1)
    client.force_login(link_worker())

    page = client.get(GAPS).content.decode()
    register = client.get(reverse("rounds:need-list"), {"status": "current"})

    assert ">North PCN as a whole<" in page
    assert ">Wider areas<" in page
    assert ">Marsh Borough as a whole<" in page and ">Marsh ICB as a whole<" in page
    assert "The table counts 4 needs open or being addressed, logged 13 times" in page
    assert register.context["page"].paginator.count == 4
    assert 'href="/needs/?status=current"' in page


def test_a_commissioner_can_choose_cells_to_start_a_round_from(client, scheme):
    NeedFactory(locality=scheme["fenwick"], theme=scheme["money"], signal_count=2)
    key = f"{scheme['money'].pk}-{scheme['fenwick'].pk}"
    client.force_login(link_worker())
    assert 'name="gap"' not in client.get(GAPS).content.decode()

    client.force_login(commissioner())
    page = client.get(GAPS).content.decode()

    assert f'action="{reverse("rounds:round-create")}"' in page
    assert f'name="gap" type="checkbox" value="{key}"' in page
    assert page.count('name="gap"') == 1  # only cells with needs can be chosen
    assert "Start a round from the chosen gaps" in page
    assert f'href="{reverse("rounds:round-create")}?gap={key}"' in page
