import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from microcomm.models import AuditEvent
from rounds.models import Need, NeedSignal
from tests.microcomm.factories import (
    LocalityFactory,
    ThemeFactory,
    UserFactory,
    applicant,
    commissioner,
    docx_bytes,
    link_worker,
)
from tests.rounds.factories import (
    JsnaPriorityFactory,
    NeedFactory,
    need_with_signals,
    population_group,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


ROLES = {
    "anonymous": lambda: None,
    "applicant": applicant,
    "link worker": link_worker,
    "commissioner": commissioner,
}

# (url name, needs a need, method) -> expected status per role.
ACCESS = [
    ("need-list", False, "get", {"applicant": 403, "link worker": 200, "commissioner": 200}),
    ("need-create", False, "get", {"applicant": 403, "link worker": 200, "commissioner": 200}),
    ("need-detail", True, "get", {"applicant": 404, "link worker": 200, "commissioner": 200}),
    ("need-edit", True, "get", {"applicant": 404, "link worker": 403, "commissioner": 200}),
    ("need-merge", True, "get", {"applicant": 404, "link worker": 403, "commissioner": 200}),
    ("need-close", True, "get", {"applicant": 404, "link worker": 403, "commissioner": 200}),
    ("need-status", True, "post", {"applicant": 404, "link worker": 403, "commissioner": 302}),
    ("need-evidence", True, "get", {"applicant": 404, "link worker": 200, "commissioner": 200}),
    ("need-quick-log", False, "post", {"applicant": 403, "link worker": 302, "commissioner": 302}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "with_need", "method", "expected"), ACCESS)
def test_who_may_open_each_needs_page(client, role, name, with_need, method, expected):
    need = NeedFactory()
    need.evidence_file.save("a.pdf", ContentFile(PDF))
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    url = reverse(f"rounds:{name}", kwargs={"pk": need.pk} if with_need else None)
    data = {}
    if name == "need-status":
        data = {"status": "being_addressed"}
    if name == "need-quick-log":
        data = {"theme": need.theme.pk, "locality": need.locality.pk, "note": "Nothing near"}
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
    else:
        assert response.status_code == expected[role]
        if expected[role] == 403:
            assert need.title.encode() not in response.content


def test_list_shows_needs_with_counts_and_filters(client):
    client.force_login(link_worker())
    place = LocalityFactory(name="Kiln Lane")
    carers = need_with_signals(3, title="No carers group", locality=place)
    carers.population_groups.add(population_group("carers"))
    NeedFactory(title="No debt advice")

    page = client.get(reverse("rounds:need-list")).content.decode()
    assert "No carers group" in page and "No debt advice" in page
    assert "2 needs" in page

    filtered = client.get(
        reverse("rounds:need-list"), {"population_group": population_group("carers").pk}
    ).content.decode()
    assert "No carers group" in filtered and "No debt advice" not in filtered

    searched = client.get(reverse("rounds:need-list"), {"q": "debt"}).content.decode()
    assert "No debt advice" in searched and "No carers group" not in searched

    by_place = client.get(reverse("rounds:need-list"), {"locality": place.pk}).content.decode()
    assert "1 need" in by_place


def test_list_ignores_an_unknown_filter_value(client):
    client.force_login(link_worker())
    NeedFactory(title="Still listed")
    response = client.get(reverse("rounds:need-list"), {"status": "nonsense", "theme": "x"})
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


def test_list_costs_the_same_queries_for_many_needs(client, django_assert_max_num_queries):
    client.force_login(commissioner())
    theme, place = ThemeFactory(), LocalityFactory()
    groups = [population_group("carers"), population_group("65-and-over")]
    for n in range(60):
        need = NeedFactory(theme=theme, locality=place, title=f"Need {n}")
        need.population_groups.set(groups)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("rounds:need-list"))
    assert response.status_code == 200
    assert 'class="govuk-pagination"' in response.content.decode()
    assert "60 needs" in response.content.decode()


def test_second_page_keeps_the_filters(client):
    client.force_login(commissioner())
    theme = ThemeFactory()
    NeedFactory.create_batch(30, theme=theme)
    page = client.get(reverse("rounds:need-list"), {"theme": theme.pk, "page": 2}).content
    assert f"theme={theme.pk}&amp;page=1".encode() in page


def test_quick_log_twice_adds_a_signal_and_shows_the_running_count(client):
    person = link_worker()
    client.force_login(person)
    theme = ThemeFactory(name="Loneliness and isolation")
    place = LocalityFactory(name="Abbey Fields")
    data = {"theme": theme.pk, "locality": place.pk, "note": "No lunch club"}

    client.post(reverse("rounds:need-quick-log"), data)
    response = client.post(reverse("rounds:need-quick-log"), data, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("microcomm:home")
    assert "Logged. 2 signals for Loneliness and isolation in Abbey Fields" in page
    assert Need.objects.get().signal_count == 2
    assert "Your recent logs" in page


def test_home_shows_the_quick_log_panel_to_link_workers_only(client):
    client.force_login(link_worker())
    assert "What was missing?" in client.get("/").content.decode()
    client.force_login(commissioner())
    assert "What was missing?" not in client.get("/").content.decode()


def test_quick_log_with_an_nhs_number_is_refused_and_keeps_the_input(client):
    client.force_login(link_worker())
    theme, place = ThemeFactory(), LocalityFactory()
    response = client.post(
        reverse("rounds:need-quick-log"),
        {"theme": theme.pk, "locality": place.pk, "note": "Mrs A 943 476 5919 lonely"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This looks like an NHS number. Do not record details that identify a person." in page
    assert "Mrs A 943 476 5919 lonely" in page
    assert Need.objects.count() == 0 and NeedSignal.objects.count() == 0


def test_quick_log_without_anything_says_what_to_enter(client):
    client.force_login(link_worker())
    page = client.post(reverse("rounds:need-quick-log"), {}).content.decode()
    assert "Select a theme" in page
    assert "Select where the need is" in page
    assert "Enter what was missing" in page


def need_form_data(**overrides):
    data = {
        "theme": ThemeFactory().pk,
        "locality": LocalityFactory().pk,
        "source": Need.Source.CONSULTATION,
        "title": "No support for young carers",
        "description": "Raised at the Fenwick consultation",
        "people_affected": "40",
        "population_groups": [population_group("under-18").pk, population_group("carers").pk],
        "language_spoken": "",
        "population_other": "",
        "evidence_url": "https://example.org/report",
    }
    data.update(overrides)
    return data


def test_record_a_need_with_an_evidence_file(client):
    client.force_login(link_worker())
    data = need_form_data(evidence_file=SimpleUploadedFile("Jo Smith notes.pdf", PDF))
    response = client.post(reverse("rounds:need-create"), data)
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:need-detail", kwargs={"pk": need.pk})
    assert need.people_affected == 40
    assert "Jo Smith" not in need.evidence_file.name
    assert need.evidence_file.name.endswith(".pdf")

    download = client.get(reverse("rounds:need-evidence", kwargs={"pk": need.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_docx_is_accepted_by_its_content(client):
    client.force_login(link_worker())
    data = need_form_data(evidence_file=SimpleUploadedFile("report.docx", docx_bytes()))
    assert client.post(reverse("rounds:need-create"), data).status_code == 302
    assert Need.objects.get().evidence_file.name.endswith(".docx")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf"), "must be a PDF, DOCX"),
        (SimpleUploadedFile("empty.pdf", b""), "The selected file is empty"),
        (SimpleUploadedFile("big.png", PNG + b"\x00" * (10 * 1024 * 1024)), "smaller than 10MB"),
    ],
)
def test_a_bad_evidence_file_gets_a_clear_error(client, upload, message):
    client.force_login(link_worker())
    response = client.post(reverse("rounds:need-create"), need_form_data(evidence_file=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Need.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("title", "Call 07700 900123", "a phone number"),
        ("description", "Lives at S80 2AB", "a full postcode"),
        ("language_spoken", "jo@example.org", "an email address"),
        ("population_other", "DOB 01/01/1950", "a date of birth"),
    ],
)
def test_record_a_need_refuses_identifiers(client, field, value, kind):
    client.force_login(link_worker())
    response = client.post(reverse("rounds:need-create"), need_form_data(**{field: value}))
    page = response.content.decode()
    assert f"This looks like {kind}. Do not record details that identify a person." in page
    assert Need.objects.count() == 0


def test_language_group_needs_the_language(client):
    client.force_login(link_worker())
    data = need_form_data(population_groups=[population_group("language").pk])
    page = client.post(reverse("rounds:need-create"), data).content.decode()
    assert "Enter the language people speak" in page


def test_commissioner_edits_and_links_a_priority(client):

    client.force_login(commissioner())
    need = NeedFactory()
    priority = JsnaPriorityFactory(title="Healthy ageing")
    data = need_form_data(
        theme=need.theme.pk, locality=need.locality.pk, jsna_priority=priority.pk, title="New"
    )
    response = client.post(reverse("rounds:need-edit", kwargs={"pk": need.pk}), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.jsna_priority) == ("New", priority)
    assert AuditEvent.objects.filter(verb="need.link_priority").count() == 1


def test_commissioner_closes_a_need_with_a_reason(client):
    client.force_login(commissioner())
    need = NeedFactory()
    url = reverse("rounds:need-close", kwargs={"pk": need.pk})
    assert "Enter why you are closing this need" in client.post(url, {}).content.decode()
    response = client.post(url, {"reason": "A new lunch club opened"}, follow=True)
    need.refresh_from_db()
    assert need.status == Need.Status.CLOSED
    page = response.content.decode()
    assert "A new lunch club opened" in page
    assert "Closed" in page


def test_commissioner_merges_a_duplicate(client):
    client.force_login(commissioner())
    theme = ThemeFactory()
    source = need_with_signals(2, theme=theme)
    target = need_with_signals(1, theme=theme, title="The real one")
    url = reverse("rounds:need-merge", kwargs={"pk": source.pk})
    assert "The real one" in client.get(url).content.decode()
    response = client.post(url, {"target": target.pk, "reason": "Same gap"}, follow=True)
    assert "Merged. 3 signals for The real one" in response.content.decode()
    source.refresh_from_db()
    assert source.merged_into == target


def test_detail_shows_signals_and_history(client):
    client.force_login(link_worker())
    need = need_with_signals(2, title="Evening walks")
    page = client.get(reverse("rounds:need-detail", kwargs={"pk": need.pk})).content.decode()
    assert "Signals (2)" in page
    assert "Nothing nearby" in page
    assert "History" in page


def test_missing_need_is_404(client):
    client.force_login(commissioner())
    assert client.get(reverse("rounds:need-detail", kwargs={"pk": 999})).status_code == 404


def test_evidence_without_a_file_is_404(client):
    client.force_login(link_worker())
    need = NeedFactory()
    assert client.get(reverse("rounds:need-evidence", kwargs={"pk": need.pk})).status_code == 404


def test_a_person_with_no_role_cannot_see_needs(client):
    client.force_login(UserFactory())
    assert client.get(reverse("rounds:need-list")).status_code == 403
