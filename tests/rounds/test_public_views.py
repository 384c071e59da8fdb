import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from microcomm.models import LegalForm, Locality, OutboundEmail
from rounds.models import Faq, GuidanceResource, SupportRequest
from tests.microcomm.factories import (
    LocalityFactory,
    ThemeFactory,
    applicant,
    commissioner,
    docx_bytes,
    link_worker,
)
from tests.rounds.factories import (
    FaqFactory,
    GuidanceResourceFactory,
    OpenRoundFactory,
    ScheduledRoundFactory,
    SupportRequestFactory,
    closed_round,
    draft_round,
    need_with_signals,
    opening_soon_round,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


ROLES = {
    "anonymous": lambda: None,
    "applicant": applicant,
    "link worker": link_worker,
    "commissioner": commissioner,
}
EVERYONE = {"anonymous": 200, "applicant": 200, "link worker": 200, "commissioner": 200}
STAFF_ONLY = {"anonymous": "sign-in", "applicant": 403, "link worker": 200, "commissioner": 200}
# A request for help is hidden from anyone who may not handle requests.
HANDLERS = {"anonymous": "sign-in", "applicant": 404, "link worker": 200, "commissioner": 200}
MANAGERS = {"anonymous": "sign-in", "applicant": 403, "link worker": 403, "commissioner": 200}
# Signed-in people are sent on to the applications app's start page for the round.
TO_APPLICATION_START = "application-start"

# (url name, kwargs from the objects, method) -> expected status per role.
ACCESS = [
    ("round-public-list", {}, "get", EVERYONE),
    ("round-public-detail", {"slug": "round"}, "get", EVERYONE),
    ("round-eligibility", {"slug": "round"}, "get", EVERYONE),
    (
        "round-apply-start",
        {"slug": "round"},
        "get",
        {
            "anonymous": "sign-in",
            "applicant": TO_APPLICATION_START,
            "link worker": TO_APPLICATION_START,
            "commissioner": TO_APPLICATION_START,
        },
    ),
    ("faq-public-list", {}, "get", EVERYONE),
    ("guidance-download", {"pk": "guidance"}, "get", EVERYONE),
    ("support-request-create", {}, "get", EVERYONE),
    ("support-request-sent", {}, "get", EVERYONE),
    ("support-list", {}, "get", STAFF_ONLY),
    ("support-request-detail", {"pk": "support"}, "get", HANDLERS),
    (
        "support-request-assign",
        {"pk": "support"},
        "post",
        {"anonymous": "sign-in", "applicant": 404, "link worker": 302, "commissioner": 302},
    ),
    (
        "support-request-close",
        {"pk": "support"},
        "post",
        {"anonymous": "sign-in", "applicant": 404, "link worker": 302, "commissioner": 302},
    ),
    ("faq-manage-list", {}, "get", MANAGERS),
    ("faq-manage-list", {"slug": "round"}, "get", MANAGERS),
    ("faq-create", {}, "get", MANAGERS),
    ("faq-create", {"slug": "round"}, "get", MANAGERS),
    ("faq-edit", {"pk": "faq"}, "get", MANAGERS),
    ("faq-delete", {"pk": "faq"}, "get", MANAGERS),
    ("guidance-manage-list", {}, "get", MANAGERS),
    ("guidance-manage-list", {"slug": "round"}, "get", MANAGERS),
    ("guidance-create", {}, "get", MANAGERS),
    ("guidance-create", {"slug": "round"}, "get", MANAGERS),
    ("guidance-edit", {"pk": "guidance"}, "get", MANAGERS),
    ("guidance-delete", {"pk": "guidance"}, "get", MANAGERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), ACCESS)
def test_who_may_open_each_public_page(client, role, name, kwargs, method, expected):
    round = ScheduledRoundFactory()
    guidance = GuidanceResourceFactory(round=round, url="")
    guidance.file.save("a.pdf", ContentFile(PDF))
    objects = {
        "round": round.slug,
        "guidance": guidance.pk,
        "faq": FaqFactory(round=round).pk,
        "support": SupportRequestFactory(round=round).pk,
    }
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    url = reverse(f"rounds:{name}", kwargs={key: objects[value] for key, value in kwargs.items()})
    data = {}
    if name == "support-request-assign":
        data = {"assignee": link_worker().pk}
    if name == "support-request-close":
        data = {"notes": "Called and helped"}

    response = getattr(client, method)(url, data)

    if expected[role] == "sign-in":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
        assert "?next=" in response["Location"]
    elif expected[role] == TO_APPLICATION_START:
        assert response.status_code == 302
        assert response["Location"] == reverse("applications:application-start", args=[round.slug])
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/no-such-round/",
        "/rounds/no-such-round/eligibility/",
        "/rounds/no-such-round/apply/",
        "/support/?round=no-such-round",
        "/guidance/999999/download/",
    ],
)
def test_unknown_things_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_draft_rounds_never_appear_publicly(client):
    draft = draft_round(title="Secret draft round")
    guidance = GuidanceResourceFactory(round=draft, url="")
    guidance.file.save("a.pdf", ContentFile(PDF))

    assert "Secret draft round" not in client.get(reverse("rounds:round-public-list")).text
    for name in ("round-public-detail", "round-eligibility", "round-apply-start"):
        assert client.get(reverse(f"rounds:{name}", args=[draft.slug])).status_code == 404
    assert client.get(reverse("rounds:guidance-download", args=[guidance.pk])).status_code == 404


def test_a_commissioner_previews_a_draft_rounds_public_page(client):
    draft = draft_round(title="Secret draft round")
    url = reverse("rounds:round-public-detail", args=[draft.slug])
    client.force_login(commissioner())

    manage_page = client.get(reverse("rounds:round-detail", args=[draft.slug])).text
    response = client.get(url)

    assert f'href="{url}"' in manage_page
    assert response.status_code == 200
    assert "Preview: this round is not published" in response.text
    assert "Secret draft round" in response.text
    assert reverse("rounds:round-eligibility", args=[draft.slug]) not in response.text
    client.force_login(applicant())
    assert client.get(url).status_code == 404


def test_a_published_round_has_no_preview_banner(client):
    round = OpenRoundFactory()
    client.force_login(commissioner())

    assert (
        "not published"
        not in client.get(reverse("rounds:round-public-detail", args=[round.slug])).text
    )


def test_a_commissioner_can_download_a_draft_rounds_guidance(client):
    guidance = GuidanceResourceFactory(round=draft_round(), url="")
    guidance.file.save("a.pdf", ContentFile(PDF))
    client.force_login(commissioner())

    response = client.get(reverse("rounds:guidance-download", args=[guidance.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_round_list_groups_rounds_by_the_clock(client, django_assert_max_num_queries):
    ScheduledRoundFactory(
        title="Open round", eligible_localities=[LocalityFactory(name="Abbey Fields")]
    )
    opening_soon_round(title="Soon round")
    closed_round(title="Old round")
    for _ in range(5):
        ScheduledRoundFactory(eligible_localities=[LocalityFactory()])

    with django_assert_max_num_queries(4):
        response = client.get(reverse("rounds:round-public-list"))

    page = response.text
    assert page.index("Open now") < page.index("Open round") < page.index("Opening soon")
    assert page.index("Opening soon") < page.index("Soon round") < page.index("Old round")
    assert "Working in Abbey Fields" in page


def test_the_deadline_reads_in_words(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    ScheduledRoundFactory(
        opens_at=datetime(2026, 1, 1, 9, tzinfo=london),
        closes_at=datetime(2099, 3, 12, 17, tzinfo=london),
    )

    response = client.get(reverse("rounds:round-public-list"))

    assert "Closes 5pm on 12 March 2099" in response.text


def test_round_page_shows_evidence_as_totals_never_a_need(client, django_assert_max_num_queries):
    loneliness = ThemeFactory(name="Loneliness and isolation")
    abbey = LocalityFactory(name="Abbey Fields")
    need_with_signals(15, theme=loneliness, locality=abbey, title="Secret need title one")
    need_with_signals(7, theme=loneliness, locality=abbey, title="Secret need title two")
    need_with_signals(9, theme=ThemeFactory(name="Food"), locality=abbey, title="Not a priority")
    round = ScheduledRoundFactory(priority_themes=[loneliness], priority_localities=[abbey])
    FaqFactory(round=round, question="Can a new group apply?")
    GuidanceResourceFactory(round=round, title="Model constitution")

    # One more than the page's own: asking whether the round has a scoring system to show.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("rounds:round-public-detail", args=[round.slug]))

    page = response.text
    assert "Loneliness and isolation in Abbey Fields: 22 times logged by link workers" in page
    assert "Secret need title" not in page
    assert "Not a priority" not in page
    assert "Food in Abbey Fields" not in page
    assert "Can a new group apply?" in page
    assert "Model constitution" in page
    assert "Start your application" in page
    assert "grants@example.org" in page


def test_round_page_counts_a_priority_need_and_places_inside_a_priority_pcn(client):
    pcn = LocalityFactory(name="North PCN", kind=Locality.Kind.PCN)
    carers = ThemeFactory(name="Carers")
    need_with_signals(4, theme=carers, locality=LocalityFactory(name="Kiln Lane", parent=pcn))
    chosen = need_with_signals(3, theme=ThemeFactory(name="Housing"), locality=pcn)
    round = ScheduledRoundFactory(
        priority_themes=[carers], priority_localities=[pcn], priority_needs=[chosen]
    )

    page = client.get(reverse("rounds:round-public-detail", args=[round.slug])).text

    assert "Carers in Kiln Lane: 4 times logged by link workers" in page
    assert "Housing in North PCN: 3 times logged by link workers" in page


def test_a_closed_round_has_no_start_button(client):
    round = closed_round()

    page = client.get(reverse("rounds:round-public-detail", args=[round.slug])).text

    assert "Start your application" not in page
    assert "Closed" in page


ELIGIBLE_ANSWERS = {
    "legal_form": LegalForm.CHARITY,
    "annual_income": "£12,000",
    "amount": "1,500",
    "addresses_priority": "yes",
}


@pytest.fixture
def strict_round():
    abbey = LocalityFactory(name="Abbey Fields")
    LocalityFactory(name="Fenwick")
    return ScheduledRoundFactory(
        allowed_legal_forms=[LegalForm.UNINCORPORATED, LegalForm.CHARITY],
        maximum_annual_income=Decimal("25000"),
        must_address_priority=True,
        eligible_localities=[abbey],
    )


def test_eligibility_checker_says_you_can_apply(client, strict_round):
    abbey = Locality.objects.get(name="Abbey Fields")

    response = client.post(
        reverse("rounds:round-eligibility", args=[strict_round.slug]),
        {**ELIGIBLE_ANSWERS, "localities": [abbey.pk]},
    )

    assert response.status_code == 200
    assert "You can apply" in response.text
    assert reverse("rounds:round-apply-start", args=[strict_round.slug]) in response.text


def test_eligibility_checker_says_why_not(client, strict_round):
    fenwick = Locality.objects.get(name="Fenwick")

    response = client.post(
        reverse("rounds:round-eligibility", args=[strict_round.slug]),
        {**ELIGIBLE_ANSWERS, "annual_income": "40000", "localities": [fenwick.pk]},
    )

    page = response.text
    assert "You cannot apply to this round" in page
    assert "annual income of £25,000 or less. You told us your income is £40,000." in page
    assert "You told us you work in Fenwick." in page
    assert "Ask for help" in page
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Select what kind of group you are"),
        ({"annual_income": "lots"}, "Enter your group’s income as an amount in pounds"),
        ({"annual_income": ""}, "Enter your group’s income</"),
        ({"amount": "£"}, "Enter how much you would like to ask for</"),
        ({"amount": "-5"}, "Enter how much you would like to ask for as an amount in pounds"),
        ({"amount": "1e9"}, "Enter how much you would like to ask for as an amount in pounds"),
        ({"amount": "9" * 40}, "Enter how much you would like to ask for of less than"),
        ({"localities": ["not-a-number"]}, "Select places from the list"),
        ({"legal_form": "pirate"}, "Select what kind of group you are"),
    ],
)
def test_eligibility_checker_shows_errors_by_the_field(client, strict_round, answers, message):
    response = client.post(
        reverse("rounds:round-eligibility", args=[strict_round.slug]),
        {**ELIGIBLE_ANSWERS, **answers} if answers else {},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text


def test_apply_start_sends_anonymous_people_to_sign_in_and_back(client):
    round = ScheduledRoundFactory()
    url = reverse("rounds:round-apply-start", args=[round.slug])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('microcomm:sign-in')}?next={url}"
    assert "create an account" in client.get(response["Location"]).text


def test_apply_start_takes_a_signed_in_applicant_to_the_application(client):
    client.force_login(applicant())
    round = ScheduledRoundFactory()

    response = client.get(reverse("rounds:round-apply-start", args=[round.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-start", args=[round.slug])


def test_faq_page_shows_scheme_wide_questions_only(client, django_assert_max_num_queries):
    Faq.objects.create(question="Do we need a bank account?", answer="Not always.")
    FaqFactory(question="Round-only question?")

    with django_assert_max_num_queries(4):
        page = client.get(reverse("rounds:faq-public-list")).text

    assert "Do we need a bank account?" in page
    assert "Round-only question?" not in page


SUPPORT_FORM = {
    "name": "Ada Lovelace",
    "group_name": "Kiln Lane Knitters",
    "help_needed": ["form", "translation"],
    "contact_preference": "email",
    "email": "ada@example.org",
    "phone": "",
    "language": "Polish",
    "message": "",
}


def test_support_request_is_confirmed_on_screen_and_by_email(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    round = ScheduledRoundFactory(title="Connecting Communities")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{reverse('rounds:support-request-create')}?round={round.slug}",
            SUPPORT_FORM,
            follow=True,
        )

    assert "Request sent" in response.text
    assert "We have sent a confirmation to ada@example.org" in response.text
    request = SupportRequest.objects.get()
    assert request.round == round
    assert request.help_needed == ["form", "translation"]
    assert OutboundEmail.objects.filter(key=f"support-received:{request.pk}").exists()
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Enter an email address so that we can email you"),
        ({"contact_preference": "phone"}, "Enter a phone number so that we can contact you"),
        ({"phone": "call me maybe"}, "Enter a UK phone number, like 01632 960 001"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"help_needed": []}, "Select the help you would like"),
        ({"help_needed": ["nonsense"]}, "Select the help you would like from the list"),
        ({"contact_preference": "pigeon"}, "Select how you would like us to contact you"),
        ({"name": "x" * 500}, "Your name must be 150 characters or fewer"),
    ],
)
def test_support_request_errors_are_shown_by_the_field(client, changes, message):
    response = client.post(reverse("rounds:support-request-create"), {**SUPPORT_FORM, **changes})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not SupportRequest.objects.exists()


def test_link_worker_sees_new_requests_on_the_home_page(client, django_assert_max_num_queries):
    worker = link_worker()
    SupportRequestFactory(group_name="Whitmore Dads")
    SupportRequestFactory(
        group_name="Closed group", status=SupportRequest.Status.CLOSED, notes="Done"
    )
    client.force_login(worker)

    page = client.get(reverse("microcomm:home")).text

    assert "Requests for help to apply" in page
    assert "Whitmore Dads" in page
    assert "Closed group" not in page


def test_support_list_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(link_worker())
    SupportRequestFactory.create_batch(10, assigned_to=link_worker(), status="assigned")
    SupportRequestFactory.create_batch(5, status=SupportRequest.Status.CLOSED, notes="Done")

    with django_assert_max_num_queries(7):
        response = client.get(reverse("rounds:support-list"))

    assert response.text.count("support-requests/") >= 15


def test_applicant_home_lists_open_rounds(client):
    ScheduledRoundFactory(title="Connecting Communities")
    closed_round(title="Last year's round")
    client.force_login(applicant())

    page = client.get(reverse("microcomm:home")).text

    assert "Connecting Communities" in page
    assert "Last year&#x27;s round" not in page
    assert "Ask for help to apply" in page


def test_closing_a_request_without_notes_shows_the_error(client):
    request = SupportRequestFactory()
    client.force_login(link_worker())

    response = client.post(reverse("rounds:support-request-close", args=[request.pk]), {})

    assert "Enter what you did to help" in response.text
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.NEW


def test_assigning_to_someone_who_is_not_a_link_worker_is_refused(client):
    request = SupportRequestFactory()
    client.force_login(link_worker())

    response = client.post(
        reverse("rounds:support-request-assign", args=[request.pk]),
        {"assignee": applicant().pk},
    )

    assert "Select a link worker from the list" in response.text
    request.refresh_from_db()
    assert request.assigned_to is None


def test_commissioner_adds_edits_and_deletes_a_round_faq(client):
    round = draft_round()
    client.force_login(commissioner())

    response = client.post(
        reverse("rounds:faq-create", args=[round.slug]),
        {"question": "Can a new group apply?", "answer": "Yes.", "order": ""},
    )
    assert response["Location"] == reverse("rounds:faq-manage-list", args=[round.slug])
    faq = Faq.objects.get()
    assert faq.round == round

    client.post(
        reverse("rounds:faq-edit", args=[faq.pk]),
        {"question": "Can a brand new group apply?", "answer": "Yes.", "order": "2"},
    )
    faq.refresh_from_db()
    assert (faq.question, faq.order) == ("Can a brand new group apply?", 2)

    client.post(reverse("rounds:faq-delete", args=[faq.pk]))
    assert not Faq.objects.exists()


def test_faq_form_errors(client):
    client.force_login(commissioner())

    response = client.post(reverse("rounds:faq-create"), {"question": "", "order": "first"})

    assert "Enter the question" in response.text
    assert "Enter the answer" in response.text
    assert "Enter the position as a whole number" in response.text


@pytest.mark.parametrize(
    ("upload", "extension"),
    [(SimpleUploadedFile("policy.pdf", PDF), "pdf"), (None, "docx")],
)
def test_commissioner_uploads_guidance_checked_by_content(client, upload, extension):
    round = ScheduledRoundFactory()
    client.force_login(commissioner())
    upload = upload or SimpleUploadedFile("constitution.docx", docx_bytes())

    response = client.post(
        reverse("rounds:guidance-create", args=[round.slug]),
        {"title": "Model constitution", "description": "", "file": upload, "url": "", "order": ""},
    )

    assert response.status_code == 302
    resource = GuidanceResource.objects.get()
    assert resource.file.name.endswith(f".{extension}")
    download = client.get(reverse("rounds:guidance-download", args=[resource.pk]))
    assert download.status_code == 200
    assert "Model constitution" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "must be a PDF, DOCX, ODT"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "smaller than 10MB"),
        (None, "Upload a file or enter a link"),
    ],
)
def test_guidance_upload_errors(client, upload, message):
    client.force_login(commissioner())
    data = {"title": "Policy", "description": "", "url": "", "order": ""}
    if upload is not None:
        data["file"] = upload

    response = client.post(reverse("rounds:guidance-create"), data)

    assert response.status_code == 200
    assert message in response.text
    assert not GuidanceResource.objects.exists()


def test_editing_guidance_keeps_the_file_when_none_is_uploaded(client):
    resource = GuidanceResourceFactory(url="")
    resource.file.save("a.pdf", ContentFile(PDF))
    client.force_login(commissioner())

    response = client.post(
        reverse("rounds:guidance-edit", args=[resource.pk]),
        {"title": "Renamed", "description": "", "url": "", "order": "1"},
    )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Renamed"
    assert resource.file


def test_deleting_guidance(client):
    resource = GuidanceResourceFactory()
    client.force_login(commissioner())

    response = client.post(reverse("rounds:guidance-delete", args=[resource.pk]))

    assert response["Location"] == reverse(
        "rounds:guidance-manage-list", args=[resource.round.slug]
    )
    assert not GuidanceResource.objects.exists()


def test_round_page_links_to_every_question_once_the_form_is_published(client):
    from django.utils import timezone

    unpublished = ScheduledRoundFactory()
    published = ScheduledRoundFactory(form_published_at=timezone.now())

    before = client.get(reverse("rounds:round-public-detail", args=[unpublished.slug])).text
    after = client.get(reverse("rounds:round-public-detail", args=[published.slug])).text

    assert "See every question before you start" not in before
    assert "See every question before you start" in after
    assert f"/rounds/{published.slug}/questions.pdf" in after


@pytest.mark.parametrize(
    "path",
    [
        "/guidance/99999999999999999999999/download/",
        "/manage/faqs/99999999999999999999999/edit/",
        "/support-requests/99999999999999999999999/",
    ],
)
def test_huge_ids_are_not_found_rather_than_an_error(client, path):
    user = commissioner()
    user.groups.add(*link_worker().groups.all())
    client.force_login(user)

    assert client.get(path).status_code == 404


def test_changing_your_answers_keeps_them(client, strict_round):
    fenwick = Locality.objects.get(name="Fenwick")
    result = client.post(
        reverse("rounds:round-eligibility", args=[strict_round.slug]),
        {**ELIGIBLE_ANSWERS, "annual_income": "40000", "localities": [fenwick.pk]},
    )
    change = re.search(r'href="([^"]*)" class="govuk-back-link">Change your answers', result.text)

    form = client.get(unescape(change.group(1))).text

    assert 'value="40000"' in form
    assert 'value="1,500"' in form
    assert re.search(rf'value="{fenwick.pk}"[^>]*checked', form)
    assert re.search(rf'value="{LegalForm.CHARITY.value}"[^>]*checked', form)
    assert re.search(r'name="addresses_priority"[^>]*value="yes"[^>]*checked', form)
    assert not SupportRequest.objects.exists()


def test_support_list_shows_the_waiting_requests_a_page_at_a_time(client):
    client.force_login(link_worker())
    for n in range(30):
        SupportRequestFactory(group_name=f"Waiting group {n:02d}")
    SupportRequestFactory(group_name="Closed group", status=SupportRequest.Status.CLOSED)

    first = client.get(reverse("rounds:support-list")).text
    second = client.get(reverse("rounds:support-list"), {"page": 2}).text

    assert first.count("Waiting group") == 25
    assert 'class="govuk-pagination"' in first
    assert second.count("Waiting group") == 5
    assert "Closed group" in first and "Closed group" in second
