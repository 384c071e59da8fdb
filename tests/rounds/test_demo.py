import re

import pytest

from microcomm.demo import demo_seed
from rounds.demo import demo_seed_rounds
from rounds.models import JsnaPriority, Need, NeedSignal, Service, ServiceSchedule
from rounds.models.directory import stale_before
from rounds.selectors.gaps import GapLevel, gap_matrix

pytestmark = pytest.mark.django_db

MODELS = [Need, NeedSignal, Service, ServiceSchedule, JsnaPriority]


def seed() -> None:
    demo_seed()
    demo_seed_rounds()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def cell(matrix, ward: str, theme: str):
    [found] = [c for c in matrix.cells if c.locality.name == ward and c.theme.name == theme]
    return found


def test_seeding_twice_keeps_one_copy():
    seed()
    first = counts()

    seed()

    assert counts() == first


def test_demo_has_about_80_needs_and_40_services_with_signals_that_add_up():
    seed()

    assert 75 <= Need.objects.count() <= 85
    assert Service.objects.count() == 40
    for need in Need.objects.all():
        assert need.signals.count() == need.signal_count
    assert Need.objects.filter(people_affected__isnull=False).exists()
    assert Need.objects.filter(population_groups__isnull=False).exists()
    assert Need.objects.filter(jsna_priority__isnull=False).count() >= 3
    assert Need.objects.filter(merged_into__isnull=False).exists()


def test_demo_services_include_stale_paused_closed_and_informal_ones():
    seed()

    stale = Service.objects.filter(last_verified_on__lt=stale_before()).count()
    never = Service.objects.filter(last_verified_on__isnull=True).count()
    assert stale + never >= 5
    assert Service.objects.filter(status=Service.Status.PAUSED).exists()
    assert Service.objects.filter(status=Service.Status.CLOSED).exists()
    assert Service.objects.filter(provider_organisation__isnull=True).exclude(provider_name="")
    assert Service.objects.filter(provider_organisation__isnull=False).exists()
    assert not Service.objects.filter(schedules__isnull=True).exists()


def test_demo_shows_the_gaps_it_promises():
    seed()

    matrix = gap_matrix()

    assert cell(matrix, "Fenwick", "Money and debt").level == GapLevel.NO_SERVICE
    assert cell(matrix, "Abbey Fields", "Loneliness and isolation").level == (
        GapLevel.OVER_CAPACITY
    )
    assert cell(matrix, "Whitmore", "Carers").level == GapLevel.NO_SERVICE
    assert {c.level for c in matrix.cells} == set(GapLevel)


def test_demo_need_text_holds_no_contact_details_or_postcodes():
    seed()

    identifiers = re.compile(
        r"\b\d{3}\s?\d{3}\s?\d{4}\b"  # NHS number
        r"|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b"  # phone number
        r"|@"  # email
        r"|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"  # full postcode
    )
    texts = [f"{n.title} {n.description}" for n in Need.objects.all()]
    texts += list(NeedSignal.objects.values_list("note", flat=True))
    assert not [text for text in texts if identifiers.search(text)]
    assert set(Service.objects.values_list("contact_email", flat=True)) <= {"hello@example.org"}
    assert all(len(code) <= 4 for code in Service.objects.values_list("postcode", flat=True))
