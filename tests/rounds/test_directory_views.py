"""The directory pages: who may open each one, the search filters, forms and the import."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from microcomm.models import AuditEvent
from rounds.models import DirectoryImport, Service
from tests.microcomm.factories import (
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    commissioner,
    link_worker,
)
from tests.rounds.factories import ServiceFactory, ServiceScheduleFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk" / "examples"

ANON, APPLICANT, LINK_WORKER, COMMISSIONER = "anonymous", "applicant", "link worker", "commissioner"
SIGN_IN = "sign-in"


def sign_in_as(client, role):
    if role == ANON:
        return None
    if role == APPLICANT:
        user = MembershipFactory().user
    elif role == LINK_WORKER:
        user = link_worker()
    else:
        user = commissioner()
    client.force_login(user)
    return user


# (url name, needs a service, method, expected status per role). A listing the person may
# not see is not found (404); a page they may see but not use is refused (403).
PAGES = [
    ("service-list", False, "get", {APPLICANT: 403, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-create", False, "get", {APPLICANT: 403, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-detail", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-edit", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-verify", True, "post", {APPLICANT: 404, LINK_WORKER: 302, COMMISSIONER: 302}),
    ("service-pause", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-close", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-reopen", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-approve", True, "get", {APPLICANT: 404, LINK_WORKER: 200, COMMISSIONER: 200}),
    ("service-propose", False, "get", {APPLICANT: 200, LINK_WORKER: 403, COMMISSIONER: 403}),
    ("directory-import", False, "get", {APPLICANT: 403, LINK_WORKER: 403, COMMISSIONER: 200}),
    (
        "directory-import-status",
        "import",
        "get",
        {APPLICANT: 404, LINK_WORKER: 404, COMMISSIONER: 200},
    ),
]


def _page_args(needs):
    if needs == "import":
        return [DirectoryImport.objects.create(original_name="x.json", format="json").pk]
    return [ServiceFactory().pk] if needs else []


@pytest.mark.parametrize("role", [ANON, APPLICANT, LINK_WORKER, COMMISSIONER])
@pytest.mark.parametrize(("name", "needs_service", "method", "expected"), PAGES)
def test_who_may_open_each_directory_page(client, role, name, needs_service, method, expected):
    args = _page_args(needs_service)
    sign_in_as(client, role)

    response = getattr(client, method)(reverse(f"rounds:{name}", args=args))

    if role == ANON:
        assert response.status_code == 302
        assert SIGN_IN in response["Location"]
    else:
        assert response.status_code == expected[role]


def test_an_applicant_sees_the_listing_they_proposed_without_staff_actions(client):
    membership = MembershipFactory()
    service = ServiceFactory(
        provider_organisation=membership.organisation, status=Service.Status.PROPOSED
    )
    client.force_login(membership.user)

    response = client.get(reverse("rounds:service-detail", args=[service.pk]))

    assert response.status_code == 200
    assert "Waiting for approval" in response.text
    assert "Mark as checked today" not in response.text


def test_unknown_service_is_a_404(client):
    client.force_login(link_worker())
    assert client.get(reverse("rounds:service-detail", args=[999999])).status_code == 404


# Search -----------------------------------------------------------------------------------


def names(response):
    return [service.name for service in response.context["services"]]


@pytest.fixture
def searcher(client):
    client.force_login(link_worker())
    return client


def search(client, **params):
    return client.get(reverse("rounds:service-list"), params)


def test_filters_by_theme_locality_day_cost_join_and_status(searcher):
    theme, other_theme = ThemeFactory(), ThemeFactory()
    ward = LocalityFactory()
    ServiceFactory(name="Walk", themes=[theme], localities=[ward], days=[1])
    ServiceFactory(
        name="Swim",
        themes=[other_theme],
        days=[3],
        cost=Service.Cost.PAID,
        cost_amount=4,
        join_self_referral=False,
        join_link_worker_referral=False,
        join_drop_in=True,
    )
    ServiceFactory(name="Choir", themes=[theme], status=Service.Status.PAUSED, days=[1, 2])

    assert names(search(searcher, theme=theme.pk)) == ["Choir", "Walk"]
    assert names(search(searcher, locality=ward.pk)) == ["Walk"]
    assert names(search(searcher, day=1)) == ["Choir", "Walk"]
    assert names(search(searcher, day=3)) == ["Swim"]
    assert names(search(searcher, cost=["paid", "low"])) == ["Swim"]
    assert names(search(searcher, join="drop_in")) == ["Swim"]
    assert names(search(searcher, status="paused")) == ["Choir"]
    assert names(search(searcher, theme=theme.pk, status="active")) == ["Walk"]


def test_free_text_searches_name_group_and_postcode(searcher):
    ServiceFactory(name="Chair yoga", provider_organisation=OrganisationFactory(name="Bendy Folk"))
    ServiceFactory(name="Walk", postcode="DN22 6AB")

    assert names(search(searcher, q="yoga")) == ["Chair yoga"]
    assert names(search(searcher, q="bendy")) == ["Chair yoga"]
    assert names(search(searcher, q="dn22")) == ["Walk"]
    # Every word must match, each in any of the fields.
    assert names(search(searcher, q="BENDY chair")) == ["Chair yoga"]
    assert names(search(searcher, q="bendy dn22")) == []


def test_stale_services_are_tagged_in_words_and_can_be_filtered(searcher):
    old = timezone.localdate() - timedelta(days=200)
    ServiceFactory(name="Old", last_verified_on=old)
    ServiceFactory(name="Fresh")

    response = search(searcher)

    assert f"Not checked since {old.day} {old:%B %Y}" in response.text
    assert names(search(searcher, stale="true")) == ["Old"]


def test_bad_filter_values_do_not_break_the_page(searcher):
    ServiceFactory(name="Walk")
    response = search(searcher, theme="nonsense", day="9", page="x")
    assert response.status_code == 200
    assert names(response) == ["Walk"]


def test_pagination_keeps_the_filters_in_the_links(searcher):
    theme = ThemeFactory()
    for number in range(25):
        ServiceFactory(name=f"Group {number:02}", themes=[theme])

    response = search(searcher, theme=theme.pk, page=2)

    assert names(response)[0] == "Group 20"
    assert f'href="?theme={theme.pk}&amp;page=1"' in response.text
    assert "25 services match your search" in response.text


def test_search_page_costs_a_fixed_number_of_queries(searcher, django_assert_max_num_queries):
    themes = [ThemeFactory() for _ in range(3)]
    ward = LocalityFactory()
    for _ in range(40):
        ServiceFactory(themes=themes, localities=[ward], days=[0, 2])

    with django_assert_max_num_queries(14):
        response = search(searcher, theme=themes[0].pk, day=0)

    assert len(response.context["services"]) == 20


# Forms ------------------------------------------------------------------------------------


def test_link_worker_adds_a_service(client):
    client.force_login(link_worker())
    theme = ThemeFactory()

    response = client.post(
        reverse("rounds:service-create"),
        {
            "name": "Coffee morning",
            "provider_name": "St Anne's volunteers",
            "themes": [theme.pk],
            "postcode": "s80 2ab",
            "days": ["2"],
            "opens_at": "10:00",
            "closes_at": "11:30",
            "schedule_frequency": "weekly",
            "cost": "free",
            "join_drop_in": "on",
        },
    )

    service = Service.objects.get(name="Coffee morning")
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:service-detail", args=[service.pk])
    assert service.postcode == "S80 2AB"
    detail = client.get(response["Location"])
    assert "Wednesday, every week, 10am to 11:30am" in detail.text


def test_a_bad_postcode_shows_the_govuk_error(client):
    client.force_login(link_worker())

    response = client.post(
        reverse("rounds:service-create"),
        {
            "name": "X",
            "provider_name": "Y",
            "postcode": "nowhere",
            "cost": "free",
            "schedule_frequency": "weekly",
        },
    )

    assert response.status_code == 200
    assert "Enter a real postcode, like S80 2AB" in response.text
    assert Service.objects.count() == 0


def test_verify_from_the_detail_page(client):
    user = link_worker()
    client.force_login(user)
    service = ServiceFactory(last_verified_on=None)

    response = client.post(reverse("rounds:service-verify", args=[service.pk]), follow=True)

    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert "is marked as checked today" in response.text


def test_close_needs_a_reason_then_closes(client):
    client.force_login(link_worker())
    service = ServiceFactory()
    url = reverse("rounds:service-close", args=[service.pk])

    empty = client.post(url, {"reason": ""})
    assert "Enter why the service is closing" in empty.text

    client.post(url, {"reason": "Funding ended"})
    service.refresh_from_db()
    assert service.status == Service.Status.CLOSED


def test_illegal_move_from_the_page_shows_the_error(client):
    client.force_login(link_worker())
    service = ServiceFactory(status=Service.Status.CLOSED)

    response = client.post(reverse("rounds:service-pause", args=[service.pk]), {"reason": "x"})

    assert response.status_code == 200
    assert "cannot be moved to paused" in response.text


def test_applicant_proposes_and_a_link_worker_approves(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(
        reverse("rounds:service-propose"),
        {
            "name": "Repair cafe",
            "provider_organisation": membership.organisation.pk,
            "cost": "free",
            "schedule_frequency": "weekly",
        },
    )
    service = Service.objects.get(name="Repair cafe")
    assert service.status == Service.Status.PROPOSED

    client.force_login(link_worker())
    url = reverse("rounds:service-approve", args=[service.pk])
    missing = client.post(url, {"decision": "reject"})
    assert "Enter why you are turning down the listing" in missing.text
    client.post(url, {"decision": "approve"})

    service.refresh_from_db()
    assert service.status == Service.Status.ACTIVE
    approved = AuditEvent.objects.get(verb="service.active")
    assert (approved.from_state, approved.to_state) == ("proposed", "active")


def test_applicant_cannot_propose_for_someone_elses_organisation(client):
    membership = MembershipFactory()
    other = OrganisationFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("rounds:service-propose"),
        {
            "name": "Sneaky",
            "provider_organisation": other.pk,
            "cost": "free",
            "schedule_frequency": "weekly",
        },
    )

    assert response.status_code == 200
    assert Service.objects.count() == 0


# Import -----------------------------------------------------------------------------------


def _upload(name, content):
    return SimpleUploadedFile(name, content, "application/octet-stream")


def test_commissioner_imports_a_file_and_sees_the_summary(
    client, django_capture_on_commit_callbacks
):
    user = commissioner()
    client.force_login(user)
    upload = _upload("service_full.json", (EXAMPLES / "service_full.json").read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rounds:directory-import"), {"file": upload})
    response = client.get(response["Location"])

    directory_import = DirectoryImport.objects.get()
    assert response.request["PATH_INFO"] == reverse(
        "rounds:directory-import-status", args=[directory_import.pk]
    )
    # Tasks run inline in tests, so the import is finished by the time the page loads.
    assert directory_import.status == DirectoryImport.Status.DONE
    assert directory_import.started_by == user
    assert directory_import.original_name == "service_full.json"
    assert directory_import.format == "json"
    assert directory_import.file.name.startswith("imports/")
    assert "Import complete" in response.text
    assert "1 service created, 0 updated" in response.text
    assert 'http-equiv="refresh"' not in response.text
    assert "hx-get" not in response.text
    assert Service.objects.filter(name="Community Counselling").exists()


def test_a_bad_upload_lists_the_problems_and_imports_nothing(
    client, django_capture_on_commit_callbacks
):
    client.force_login(commissioner())
    upload = _upload("bad.json", b'{"contents": [{"id": "1", "name": "A", "status": "open"}]}')

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rounds:directory-import"), {"file": upload})
    response = client.get(response["Location"])

    assert response.status_code == 200
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.FAILED
    assert "Your file was not imported" in response.text
    assert "Nothing was imported" in response.text
    assert "Service 1 (A)" in response.text
    assert "status must be one of" in response.text
    assert "Try again" in response.text
    assert Service.objects.count() == 0


def test_a_waiting_import_refreshes_itself_and_polls_with_htmx(client):
    client.force_login(commissioner())
    directory_import = DirectoryImport.objects.create(original_name="big.zip", format="zip")
    url = reverse("rounds:directory-import-status", args=[directory_import.pk])

    page = client.get(url)

    assert "Importing your directory" in page.text
    assert "This can take a minute" in page.text
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert 'aria-live="polite"' in page.text
    assert f'hx-get="{url}"' in page.text
    assert 'hx-trigger="every 2s"' in page.text

    partial = client.get(url, headers={"HX-Request": "true"})

    assert "Importing your directory" in partial.text
    assert "<html" not in partial.text
    assert 'hx-trigger="every 2s"' in partial.text


def test_the_htmx_partial_stops_polling_once_the_import_is_done(client):
    client.force_login(commissioner())
    directory_import = DirectoryImport.objects.create(
        original_name="a.json",
        format="json",
        status=DirectoryImport.Status.DONE,
        counts={"services": {"created": 2, "updated": 1}},
    )
    url = reverse("rounds:directory-import-status", args=[directory_import.pk])

    partial = client.get(url, headers={"HX-Request": "true"})

    assert "Import complete" in partial.text
    assert "2 services created, 1 updated" in partial.text
    assert "hx-get" not in partial.text


def test_an_import_given_up_without_problems_says_it_was_our_fault(client):
    client.force_login(commissioner())
    directory_import = DirectoryImport.objects.create(
        original_name="big.zip",
        format="zip",
        status=DirectoryImport.Status.FAILED,
        attempts=DirectoryImport.MAX_ATTEMPTS,
        last_error="Stopped without finishing after 3 attempts: the worker running it ended",
    )
    url = reverse("rounds:directory-import-status", args=[directory_import.pk])

    page = client.get(url)

    assert "Your file was not imported" in page.text
    assert "Something went wrong on our side while importing big.zip" in page.text
    assert 'id="problems"' not in page.text
    assert "worker" not in page.text  # the error is for staff, in the admin


def test_an_unknown_import_is_a_404(client):
    client.force_login(commissioner())

    response = client.get(reverse("rounds:directory-import-status", args=[999]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "The selected file must be a JSON, ZIP or CSV file"),
        ("page.json", b"PK\x03\x04 not json", "Its contents do not match its name"),
        ("directory.zip", b'{"contents": []}', "Its contents do not match its name"),
        ("services.csv", b"\x00\x01\x02binary", "Its contents do not match its name"),
    ],
)
def test_the_upload_must_be_json_zip_or_csv(client, name, content, message):
    client.force_login(commissioner())

    response = client.post(reverse("rounds:directory-import"), {"file": _upload(name, content)})

    assert response.status_code == 200
    assert message in response.text
    assert DirectoryImport.objects.count() == 0


def test_the_upload_has_a_size_limit(client, monkeypatch):
    monkeypatch.setattr("rounds.forms.directory.MAX_UPLOAD_BYTES", 10)
    client.force_login(commissioner())

    response = client.post(
        reverse("rounds:directory-import"), {"file": _upload("a.json", b'{"contents": []}')}
    )

    assert "The selected file must be smaller than 5MB" in response.text
    assert DirectoryImport.objects.count() == 0


def test_one_match_reads_as_one_service_matches(searcher):
    theme = ThemeFactory()
    ServiceFactory(name="Walk", themes=[theme])

    response = search(searcher, theme=theme.pk)

    assert "1 service matches your search" in response.text


def test_service_page_shows_its_opening_times_once(searcher):
    service = ServiceFactory(name="Walk", frequency="Tuesday 10am to 12pm, every week")
    ServiceScheduleFactory(service=service)

    page = searcher.get(reverse("rounds:service-detail", args=[service.pk])).text

    assert "Tuesday, every week, 10am to midday" in page
    assert "Tuesday 10am to 12pm, every week" not in page
