import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rounds.models import Need, NeedSignal, Service
from tests.microcomm.factories import (
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
QUERY_BUDGET = 12


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
    needs_link = f"/needs/?theme={scheme['money'].pk}&amp;locality={scheme['fenwick'].pk}"
    assert f"{needs_link}&amp;status=open" in page
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
    assert "wards with the largest gaps first" in page


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
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["PCN", "Ward", "Theme"]
    assert rows[1:] == [
        [
            "South PCN",
            "Fenwick",
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


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd"])
def test_csv_makes_formula_like_names_inert(client, scheme, name):
    ward = WardFactory(name=name, parent=scheme["north"])
    client.force_login(commissioner())

    text = client.get(GAPS_CSV, {"pcn": scheme["north"].pk}).content.decode()

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
    client, scheme, django_assert_max_num_queries, filtered
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
    with django_assert_max_num_queries(QUERY_BUDGET):
        large = _queries_for_page(client, params)

    assert small == large


def test_csv_costs_a_fixed_number_of_queries(client, scheme, django_assert_max_num_queries):
    _add_needs_and_services(scheme, needs=800, services=60)
    client.force_login(commissioner())

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(GAPS_CSV)

    assert len(response.content.decode().splitlines()) == 1 + 2 * 2


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
