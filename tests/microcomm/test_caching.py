"""Public pages and the gap analysis come from the cache, and are fresh after every change."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rounds.models import Faq, Need, Round
from rounds.selectors.gaps import gap_matrix
from rounds.selectors.public import public_pages_fresh_until
from rounds.services.funding import round_unschedule
from rounds.services.needs import need_create
from rounds.services.public import faq_create, faq_update
from tests.microcomm.factories import ThemeFactory, WardFactory, commissioner, link_worker
from tests.rounds.factories import (
    FaqFactory,
    GuidanceResourceFactory,
    NeedFactory,
    RoundEventFactory,
    ScheduledRoundFactory,
    opening_soon_round,
)

pytestmark = pytest.mark.django_db

ROUNDS = reverse("rounds:round-public-list")
FAQS = reverse("rounds:faq-public-list")
ORUK = reverse("rounds:oruk-services")
NONCE = re.compile(r'<script[^>]* nonce="([^"]+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _text(response) -> str:
    return unescape(response.content.decode())


def _header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]


def test_an_anonymous_page_is_served_from_the_cache_without_the_database(
    client, django_assert_num_queries
):
    FaqFactory(round=None, question="Who can apply?")
    assert "Who can apply?" in _text(client.get(FAQS))
    # Changed behind the services' back: the page kept is the one served.
    Faq.objects.update(question="Changed without a service")

    with django_assert_num_queries(0):
        response = client.get(FAQS)

    assert response.status_code == 200
    assert "Who can apply?" in _text(response)


def test_a_commissioners_change_shows_on_the_next_anonymous_visit(
    client, django_capture_on_commit_callbacks
):
    round = opening_soon_round(title="Warm spaces fund")
    page = reverse("rounds:round-public-detail", kwargs={"slug": round.slug})
    assert "Is there a deadline?" not in _text(client.get(page))
    assert "Warm spaces fund" in _text(client.get(ROUNDS))

    with django_capture_on_commit_callbacks(execute=True):
        faq_create(
            round=round, question="Is there a deadline?", answer="Yes.", actor=commissioner()
        )
    assert "Is there a deadline?" in _text(client.get(page))

    with django_capture_on_commit_callbacks(execute=True):
        round_unschedule(round=round, actor=commissioner(), reason="Not ready")
    assert "Warm spaces fund" not in _text(client.get(ROUNDS))
    assert client.get(page).status_code == 404


def test_a_change_rolled_back_leaves_the_cached_page_in_use(client, django_assert_num_queries):
    faq = FaqFactory(round=None, question="Who can apply?")
    client.get(FAQS)

    # No commit, so nothing is made stale (on_commit callbacks never run here).
    faq_update(faq=faq, question="Changed", answer="Yes.", order=0, actor=commissioner())

    with django_assert_num_queries(0):
        assert "Who can apply?" in _text(client.get(FAQS))


def test_a_signed_in_person_never_gets_the_cached_page(client):
    FaqFactory(round=None, question="Who can apply?")
    anonymous = _text(client.get(FAQS))
    assert "Sign in" in anonymous

    person = commissioner(email="cat@example.org")
    client.force_login(person)
    signed_in = _text(client.get(FAQS))

    assert "cat@example.org" in signed_in
    assert "Sign out" in signed_in
    assert signed_in != anonymous


def test_a_signed_in_persons_page_is_never_kept_for_anyone_else():
    FaqFactory(round=None, question="Who can apply?")
    signed_in = Client()
    signed_in.force_login(commissioner(email="cat@example.org"))
    signed_in.get(FAQS)

    anonymous = _text(Client().get(FAQS))

    assert "cat@example.org" not in anonymous
    assert "Sign in" in anonymous


def test_each_cached_page_carries_the_nonce_of_its_own_header(client):
    ScheduledRoundFactory()
    first = client.get(ROUNDS)
    second = client.get(ROUNDS)
    third = client.get(ROUNDS)

    nonces = []
    for response in (first, second, third):
        in_body = set(NONCE.findall(response.content.decode()))
        assert in_body == {_header_nonce(response)}
        nonces.append(_header_nonce(response))
    assert len(set(nonces)) == 3


def test_a_cached_form_carries_each_visitors_own_csrf_token(django_assert_num_queries):
    round = ScheduledRoundFactory()
    checker = reverse("rounds:round-eligibility", kwargs={"slug": round.slug})
    Client().get(checker)

    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        page = visitor.get(checker)
    token = CSRF_INPUT.search(page.content.decode())[1]
    other = CSRF_INPUT.search(Client().get(checker).content.decode())[1]
    answered = visitor.post(checker, {"csrfmiddlewaretoken": token})

    assert token != other
    assert "csrftoken" in page.cookies
    # The form is checked (an answer is missing), not refused as forged.
    assert answered.status_code != 403
    assert "There is a problem" in _text(answered)


def test_a_guidance_file_is_kept_with_its_name(client, django_assert_num_queries):
    guidance = GuidanceResourceFactory(round=None, title="Budget template", url="")
    guidance.file.save("budget.pdf", ContentFile(PDF))
    url = reverse("rounds:guidance-download", args=[guidance.pk])
    first = client.get(url)
    # Keeping the file did not end the request early (its database connection is open).
    assert Faq.objects.count() == 0

    with django_assert_num_queries(0):
        second = client.get(url)

    assert first.content == PDF
    assert second.content == PDF
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert "Budget template.pdf" in second["Content-Disposition"]


def test_an_address_with_unknown_parameters_is_not_kept(client, django_assert_max_num_queries):
    FaqFactory(round=None, question="Who can apply?")
    client.get(FAQS, {"utm_source": "newsletter"})
    Faq.objects.update(question="Changed without a service")

    assert "Changed without a service" in _text(client.get(FAQS, {"utm_source": "newsletter"}))


def test_each_page_of_the_open_referral_services_is_kept_on_its_own(client):
    first = client.get(ORUK, {"page": 1, "per_page": 1})
    second = client.get(ORUK, {"page": 2, "per_page": 1})

    assert first.json()["page_number"] == 1
    assert second.json()["page_number"] == 2
    assert first["Content-Type"] == "application/json"


def test_public_pages_are_rendered_afresh_when_a_round_opens():
    now = timezone.now()
    soon = opening_soon_round()
    later = ScheduledRoundFactory(
        opens_at=now + datetime.timedelta(hours=2), closes_at=now + datetime.timedelta(days=9)
    )
    RoundEventFactory(round=later, starts_at=now + datetime.timedelta(hours=5))

    until = public_pages_fresh_until(moment=now)

    assert until == later.opens_at
    assert until < soon.opens_at


def test_an_event_or_midnight_ends_a_page_when_no_round_moves_first():
    now = timezone.now()
    round = ScheduledRoundFactory(status=Round.Status.OPEN)
    event = RoundEventFactory(round=round, starts_at=now + datetime.timedelta(minutes=30))

    until = public_pages_fresh_until(moment=now)
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)

    assert until == min(event.starts_at, midnight + datetime.timedelta(days=1))


def test_the_gap_analysis_is_counted_once_and_again_after_a_need_changes(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    ward = WardFactory()
    theme = ThemeFactory()
    assert gap_matrix().total_needs == 0
    NeedFactory(theme=theme, locality=ward)  # behind the services' back: not counted yet

    with django_assert_num_queries(0):
        assert gap_matrix().total_needs == 0

    with django_capture_on_commit_callbacks(execute=True):
        need_create(
            actor=link_worker(),
            theme=theme,
            locality=ward,
            source=Need.Source.CASELOAD,
            title="Nowhere to meet after work",
        )
    assert gap_matrix().total_needs == 2
