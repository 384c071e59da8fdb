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
    ("need-edit", True, "get", {"applicant": 404, "link worker": 200, "commissioner": 200}),
    ("need-merge", True, "get", {"applicant": 404, "link worker": 200, "commissioner": 200}),
    ("need-close", True, "get", {"applicant": 404, "link worker": 200, "commissioner": 200}),
    ("need-status", True, "post", {"applicant": 404, "link worker": 302, "commissioner": 302}),
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
        data = {
            "theme": need.theme.pk,
            "locality": need.locality.pk,
            "note": "Nothing near",
            "need": "new",
        }
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
    with django_assert_max_num_queries(14):
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
    need = Need.objects.get()
    assert response.redirect_chain[-1][0] == reverse("microcomm:home")
    assert "Logged under the need" in page
    assert f'href="{reverse("rounds:need-detail", args=[need.pk])}">No lunch club</a>' in page
    assert "(Loneliness and isolation in Abbey Fields): 2 signals so far" in page
    signal = need.signals.first()
    assert reverse("rounds:need-signal-move", args=[signal.pk]) in page
    assert need.signal_count == 2
    assert "Your recent logs" in page


def test_a_quick_log_matching_no_need_here_asks_which_need_it_is(client):
    client.force_login(link_worker())
    existing = need_with_signals(2, title="No lunch club for men")
    data = {"theme": existing.theme.pk, "locality": existing.locality.pk, "note": "No choir"}

    asked = client.post(reverse("rounds:need-quick-log"), data)

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Is this one of these needs?" in page
    assert f'name="need" type="radio" value="{existing.pk}"' in page
    assert 'name="need" type="radio" value="new"' in page
    assert NeedSignal.objects.count() == 2

    client.post(reverse("rounds:need-quick-log"), {**data, "need": "new"})

    started = Need.objects.exclude(pk=existing.pk).get()
    assert (started.title, started.signal_count) == ("No choir", 1)
    existing.refresh_from_db()
    assert existing.signal_count == 2


def test_a_quick_log_joins_the_need_chosen_from_the_suggestions(client):
    client.force_login(link_worker())
    existing = need_with_signals(2, title="No lunch club for men")
    data = {"theme": existing.theme.pk, "locality": existing.locality.pk, "note": "No choir"}

    response = client.post(reverse("rounds:need-quick-log"), {**data, "need": existing.pk})

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.signal_count == 3
    assert existing.signals.filter(note="No choir").exists()


def test_choosing_a_need_that_closed_meanwhile_asks_again_and_saves_nothing(client):
    client.force_login(link_worker())
    gone = NeedFactory(status=Need.Status.CLOSED)
    live = need_with_signals(1, theme=gone.theme, locality=gone.locality, title="Walks")
    data = {"theme": gone.theme.pk, "locality": gone.locality.pk, "note": "No choir"}

    response = client.post(reverse("rounds:need-quick-log"), {**data, "need": gone.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "That need has been closed, merged or moved" in page
    assert f'value="{live.pk}"' in page
    assert NeedSignal.objects.count() == 1


def test_a_link_worker_moves_their_own_log_to_another_need(client):
    person = link_worker()
    client.force_login(person)
    target = need_with_signals(1, title="Nothing on Sundays")
    source = NeedFactory(theme=target.theme, signal_count=0)
    signal = NeedSignal.objects.create(need=source, note="Sunday club", recorded_by=person)
    Need.objects.filter(pk=source.pk).update(signal_count=1)
    url = reverse("rounds:need-signal-move", args=[signal.pk])

    form_page = client.get(url).content.decode()
    response = client.post(url, {"to": target.pk}, follow=True)

    assert f'value="{target.pk}"' in form_page and 'value="new"' in form_page
    assert response.redirect_chain[-1][0] == reverse("rounds:need-detail", args=[target.pk])
    assert "Log moved to Nothing on Sundays" in response.content.decode()
    target.refresh_from_db()
    assert target.signal_count == 2


def test_moving_a_log_without_choosing_says_what_to_do_and_changes_nothing(client):
    person = link_worker()
    client.force_login(person)
    need = need_with_signals(1)
    signal = need.signals.get()
    NeedSignal.objects.filter(pk=signal.pk).update(recorded_by=person)

    response = client.post(reverse("rounds:need-signal-move", args=[signal.pk]), {})

    assert response.status_code == 200
    assert "Select the need this log is about, or a new need" in response.content.decode()
    assert NeedSignal.objects.get().need_id == need.pk


def test_only_the_author_or_a_commissioner_may_move_or_delete_a_log(client):
    author = link_worker()
    need = need_with_signals(2)
    signal = need.signals.first()
    NeedSignal.objects.filter(pk=signal.pk).update(recorded_by=author)
    delete = reverse("rounds:need-signal-delete", args=[signal.pk])

    client.force_login(link_worker())
    refused = client.post(delete)
    client.force_login(applicant())
    hidden = client.post(delete)
    client.force_login(author)
    detail = client.get(reverse("rounds:need-detail", args=[need.pk])).content.decode()
    done = client.post(delete)

    assert refused.status_code == 403
    assert "Only the person who logged this, or a commissioner" in refused.content.decode()
    assert hidden.status_code == 404
    assert detail.count("Move or delete") == 1
    assert done.status_code == 302
    need.refresh_from_db()
    assert need.signal_count == 1 == need.signals.count()


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
    assert "This looks like an NHS number. Remove it: the register must not identify anyone" in page
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
    assert f"This looks like {kind}." in page
    assert "the register must not identify anyone" in page
    assert Need.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Mrs Patel aged 82", "This looks like a person’s name and age."),
        ("description", "Lives at 14 Elm Road", "This looks like a street address."),
        ("description", "jo (at) gmail dot com", "This looks like an email address."),
        ("language_spoken", "Polish, Mr Nowak", "This looks like a person’s name."),
        ("population_other", "born 3rd March 41", "This looks like a date of birth."),
        (
            "evidence_url",
            "https://example.org/notes?email=jo%40example.org",
            "This link contains an email address. Link to a page whose address does not "
            "identify anyone",
        ),
        (
            "evidence_url",
            "https://example.org/visits/14-elm-road",
            "This link contains a street address.",
        ),
    ],
)
def test_every_free_text_field_and_the_evidence_link_are_checked(client, field, value, message):
    client.force_login(link_worker())
    response = client.post(reverse("rounds:need-create"), need_form_data(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'href="#{field}"' in page or f'href="#id_{field}"' in page
    assert Need.objects.count() == 0


def test_editing_a_need_with_an_identifier_in_the_link_changes_nothing(client):
    client.force_login(commissioner())
    need = NeedFactory(title="Old title", evidence_url="https://example.org/report")
    data = need_form_data(
        theme=need.theme.pk,
        locality=need.locality.pk,
        title="New title",
        evidence_url="https://example.org/call/07700-900123",
    )
    response = client.post(reverse("rounds:need-edit", kwargs={"pk": need.pk}), data)
    assert response.status_code == 200
    assert "This link contains a phone number." in response.content.decode()
    need.refresh_from_db()
    assert (need.title, need.evidence_url) == ("Old title", "https://example.org/report")


def test_a_quick_log_naming_a_person_and_their_age_is_refused(client):
    client.force_login(link_worker())
    theme, place = ThemeFactory(), LocalityFactory()
    response = client.post(
        reverse("rounds:need-quick-log"),
        {"theme": theme.pk, "locality": place.pk, "note": "John Smith, 79, no lunch club"},
    )
    page = response.content.decode()
    assert "This looks like a person’s name and age." in page
    assert "John Smith, 79, no lunch club" in page
    assert Need.objects.count() == 0 and NeedSignal.objects.count() == 0


def test_closing_a_need_with_a_date_of_birth_in_the_reason_keeps_it_open(client):
    client.force_login(commissioner())
    need = NeedFactory()
    response = client.post(
        reverse("rounds:need-close", kwargs={"pk": need.pk}),
        {"reason": "Client (DOB 03/03/41) moved away"},
    )
    assert "This looks like a date of birth." in response.content.decode()
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_ordinary_text_about_past_events_and_places_is_saved(client):
    client.force_login(link_worker())
    data = need_form_data(
        title="Over 60s walking group closed",
        description=(
            "The day centre opened on 4 June 1987 and closed in 2019. Dr Foster's surgery and "
            "Age UK refer 3 people aged over 80 each month; St Mary's Church Hall is free."
        ),
        evidence_url="https://example.org/jsna/2019/06/04/older-people",
    )
    response = client.post(reverse("rounds:need-create"), data)
    assert response.status_code == 302
    assert Need.objects.get().description.startswith("The day centre opened on 4 June 1987")


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


def test_a_link_worker_triages_merges_and_closes_needs_from_the_need_page(client):
    client.force_login(link_worker())
    theme = ThemeFactory()
    duplicate = need_with_signals(2, theme=theme, title="Walks for carers")
    target = need_with_signals(1, theme=theme, title="The real one")
    detail = reverse("rounds:need-detail", kwargs={"pk": duplicate.pk})
    page = client.get(detail).content.decode()
    assert "Triage" in page
    assert reverse("rounds:need-merge", kwargs={"pk": duplicate.pk}) in page

    merged = client.post(
        reverse("rounds:need-merge", kwargs={"pk": duplicate.pk}),
        {"target": target.pk, "reason": "Same gap"},
        follow=True,
    )
    status = client.post(
        reverse("rounds:need-status", kwargs={"pk": target.pk}),
        {"status": "being_addressed"},
        follow=True,
    )
    closed = client.post(
        reverse("rounds:need-close", kwargs={"pk": target.pk}),
        {"reason": "A walking group for carers started"},
        follow=True,
    )

    assert "Merged. 3 signals for The real one" in merged.content.decode()
    assert status.status_code == 200
    assert closed.status_code == 200
    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.merged_into == target
    assert target.status == Need.Status.CLOSED
    assert target.closed_reason == "A walking group for carers started"


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


def test_search_finds_needs_by_their_theme_and_place_names_too(client):
    client.force_login(link_worker())
    loneliness = ThemeFactory(name="Loneliness")
    oakfield = LocalityFactory(name="Oakfield")
    NeedFactory(title="Nothing on Sundays", theme=loneliness)
    NeedFactory(title="No lunch club", locality=oakfield)
    NeedFactory(title="No debt advice")

    def found(words):
        page = client.get(reverse("rounds:need-list"), {"q": words}).content.decode()
        titles = ["Nothing on Sundays", "No lunch club", "No debt advice"]
        return [title for title in titles if title in page]

    assert found("lonel") == ["Nothing on Sundays"]
    assert found("OAKFIELD lunch") == ["No lunch club"]
    assert found("oakfield sundays") == []
