import pytest
from django.urls import reverse

from rounds.models import Need
from tests.microcomm.factories import UserFactory
from tests.rounds.factories import JsnaPriorityFactory, NeedFactory, need_with_signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name", ["admin:rounds_need_changelist", "admin:rounds_jsnapriority_changelist"]
)
def test_admin_lists_open(admin_client, name):
    NeedFactory(title="Listed need")
    JsnaPriorityFactory(title="Listed priority")
    response = admin_client.get(reverse(name), {"q": "Listed"})
    assert response.status_code == 200
    assert b"Listed" in response.content


def test_admin_change_page_shows_signals_read_only(admin_client):
    need = need_with_signals(2)
    response = admin_client.get(reverse("admin:rounds_need_change", args=[need.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing nearby" in page
    assert 'name="signals-MAX_NUM_FORMS" value="0"' in page


def test_admin_refuses_an_identifier_in_a_need(admin_client):
    need = NeedFactory(description="Fine")
    response = admin_client.post(
        reverse("admin:rounds_need_change", args=[need.pk]),
        {
            "theme": need.theme.pk,
            "locality": need.locality.pk,
            "source": need.source,
            "title": need.title,
            "description": "Email jo@example.org",
            "signals-TOTAL_FORMS": "0",
            "signals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This looks like an email address" in response.content.decode()
    assert Need.objects.get(pk=need.pk).description == "Fine"


def test_admin_refuses_an_identifier_in_the_evidence_link(admin_client):
    need = NeedFactory(evidence_url="https://example.org/report")
    response = admin_client.post(
        reverse("admin:rounds_need_change", args=[need.pk]),
        {
            "theme": need.theme.pk,
            "locality": need.locality.pk,
            "source": need.source,
            "title": need.title,
            "description": "Fine",
            "evidence_url": "https://example.org/find?postcode=S80+2AB",
            "signals-TOTAL_FORMS": "0",
            "signals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This link contains a full postcode." in response.content.decode()
    assert Need.objects.get(pk=need.pk).evidence_url == "https://example.org/report"
