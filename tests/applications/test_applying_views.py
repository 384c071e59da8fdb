import datetime
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Answer, Application, ApplicationPdf, BudgetLine
from applications.services import applying as services
from rounds.models import FormSection, Question
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import (
    PcnFactory,
    ThemeFactory,
    UserFactory,
    WardFactory,
    commissioner,
    group_with_member,
    link_worker,
)
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    round = OpenRoundFactory(closes_at=timezone.now() + datetime.timedelta(days=3, hours=2))
    questions = micro_form(round)
    member = group_with_member()
    helper = link_worker()
    application = services.application_start(
        round=round, organisation=member.organisation, actor=helper, assisted=True
    )
    return {
        "round": round,
        "questions": questions,
        "application": application,
        "member": member.user,
        "helper": helper,
        "other applicant": group_with_member().user,
        "other link worker": link_worker(),
        "commissioner": commissioner(),
    }


PAGES = ["detail", "section", "budget", "check", "draft-copy", "withdraw", "copy", "hand-over"]
ALLOWED = {
    "member": {"detail", "section", "budget", "check", "draft-copy", "withdraw", "copy"},
    "helper": {"detail", "section", "budget", "check", "draft-copy", "hand-over"},
    "commissioner": {"detail", "check", "draft-copy"},
}


def _url(world, page):
    application = world["application"]
    if page == "section":
        section = world["questions"]["name"].section
        return reverse("applications:application-section", args=[application.pk, section.pk])
    return reverse(f"applications:application-{page}", args=[application.pk])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role",
    ["anonymous", "member", "helper", "other applicant", "other link worker", "commissioner"],
)
def test_who_can_open_each_page(client, world, role, page):
    if role != "anonymous":
        client.force_login(world[role])
    response = client.get(_url(world, page))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
    elif role in ("other applicant", "other link worker"):
        assert response.status_code == 404
    elif page in ALLOWED[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["other applicant", "other link worker", "commissioner"])
def test_outsiders_cannot_autosave(client, world, role):
    client.force_login(world[role])
    section = world["questions"]["name"].section
    url = reverse("applications:application-autosave", args=[world["application"].pk, section.pk])
    response = client.post(url, {f"q{world['questions']['name'].pk}": "Hijack"})
    assert response.status_code in (403, 404)
    assert not Answer.objects.filter(value="Hijack").exists()


def test_task_list_shows_sections_and_the_time_left(client, world):
    client.force_login(world["member"])
    response = client.get(_url(world, "detail"))
    text = response.content.decode()
    assert "About your group" in text and "Your idea" in text
    assert "Not started" in text
    assert "You have 3 days left to submit. The round closes at" in text


def test_task_list_query_count_does_not_grow_with_the_form(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["member"])
    url = _url(world, "detail")
    # One answer to begin with: a form with none skips reading what the answers decide.
    Answer.objects.create(
        application=world["application"], question=world["questions"]["name"], value="x"
    )
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for n in range(6):
        section = FormSection.objects.create(round=world["round"], title=f"Extra {n}", order=10 + n)
        question = Question.objects.create(section=section, kind="short_text", label=f"Extra {n}?")
        Answer.objects.create(application=world["application"], question=question, value="x")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_autosave_saves_and_answers_with_a_small_partial(client, world):
    client.force_login(world["member"])
    questions = world["questions"]
    section = questions["name"].section
    url = reverse("applications:application-autosave", args=[world["application"].pk, section.pk])
    response = client.post(
        url,
        {f"q{questions['name'].pk}": "Eastfield Walkers", f"version_q{questions['name'].pk}": "0"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in text
    assert f'id="id_version_q{questions["name"].pk}" value="1" hx-swap-oob="true"' in text
    answer = Answer.objects.get(question=questions["name"])
    assert answer.value == "Eastfield Walkers"
    assert answer.entered_by_assistant is False


def test_the_pages_say_when_answers_were_last_saved(client, world):
    client.force_login(world["member"])
    questions = world["questions"]
    saved_at = datetime.datetime(2027, 3, 2, 15, 5, tzinfo=datetime.UTC)
    with time_machine.travel(saved_at, tick=False):
        services.answers_save(
            application=world["application"],
            values={questions["name"].pk: "Eastfield Walkers"},
            versions={},
            actor=world["member"],
        )
    assert (
        "Last saved 3:05pm on 2 March 2027." in client.get(_url(world, "detail")).content.decode()
    )
    assert (
        "Last saved 3:05pm on 2 March 2027." in client.get(_url(world, "section")).content.decode()
    )


def test_section_page_autosaves_with_htmx_and_says_when_it_was_saved(client, world):
    client.force_login(world["member"])
    text = client.get(_url(world, "section")).content.decode()
    assert 'hx-trigger="input changed delay:1500ms"' in text
    assert 'aria-live="polite"' in text
    assert "Last saved" in text


def test_save_and_continue_without_javascript_goes_to_the_next_section(client, world):
    client.force_login(world["member"])
    q = world["questions"]
    response = client.post(
        _url(world, "section"),
        {
            f"q{q['name'].pk}": "Eastfield Walkers",
            f"version_q{q['name'].pk}": "0",
            f"q{q['about'].pk}": "We walk together every Tuesday.",
            f"version_q{q['about'].pk}": "0",
            "completed": "yes",
            "continue": "1",
        },
    )
    idea = q["people"].section
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "applications:application-section", args=[world["application"].pk, idea.pk]
    )
    assert world["application"].section_states.get(section=q["name"].section).completed


def test_a_number_that_does_not_parse_keeps_the_text_and_saves_the_rest(client, world):
    client.force_login(world["member"])
    q = world["questions"]
    idea = q["people"].section
    url = reverse("applications:application-section", args=[world["application"].pk, idea.pk])
    response = client.post(
        url,
        {
            f"q{q['people'].pk}": "about twenty",
            f"version_q{q['people'].pk}": "0",
            f"q{q['children'].pk}": "no",
            f"version_q{q['children'].pk}": "0",
            "later": "1",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number, like 12" in text
    assert 'value="about twenty"' in text
    assert Answer.objects.get(question=q["children"]).value == "no"
    assert not Answer.objects.filter(question=q["people"]).exists()


def test_text_over_the_word_limit_is_saved_and_flagged(client, world):
    client.force_login(world["member"])
    q = world["questions"]
    long_text = " ".join(["walk"] * 25)
    response = client.post(
        _url(world, "section"),
        {f"q{q['about'].pk}": long_text, f"version_q{q['about'].pk}": "0", "later": "1"},
    )
    assert "You have 5 words too many" in response.content.decode()
    assert Answer.objects.get(question=q["about"]).value == long_text


def test_a_million_character_answer_is_refused_and_the_saved_answer_kept(client, world):
    client.force_login(world["member"])
    about = world["questions"]["about"]
    assert about.kind == Question.Kind.LONG_TEXT
    client.post(
        _url(world, "section"),
        {f"q{about.pk}": "We walk on Sundays", f"version_q{about.pk}": "0", "later": "1"},
    )
    response = client.post(
        _url(world, "section"),
        {f"q{about.pk}": "walk " * 200_000, f"version_q{about.pk}": "1", "later": "1"},
    )
    assert response.status_code == 200
    assert "Answer must be 10,000 characters or fewer" in response.content.decode()
    assert Answer.objects.get(question=about).value == "We walk on Sundays"


def test_a_question_hint_is_shown_as_text_not_run_as_markup(client, world):
    about = world["questions"]["about"]
    about.hint = 'Tell us <img src=x onerror="alert(1)"> about it\nin a few lines'
    about.save()
    client.force_login(world["member"])

    page = client.get(_url(world, "section")).content.decode()

    assert "<img src=x" not in page
    assert "Tell us &lt;img src=x onerror=&quot;alert(1)&quot;&gt; about it<br>in a few" in page


def test_second_editor_sees_both_versions_and_chooses(client, world):
    q = world["questions"]
    name = q["name"].pk
    services.answers_save(
        application=world["application"],
        values={name: "Theirs"},
        versions={},
        actor=world["helper"],
    )
    client.force_login(world["member"])
    # The member opened the page before the link worker saved (version 0).
    response = client.post(
        _url(world, "section"), {f"q{name}": "Mine", f"version_q{name}": "0", "later": "1"}
    )
    text = response.content.decode()
    assert "Their version" in text and "Your version" in text
    assert "Theirs" in text and "Mine" in text
    assert Answer.objects.get(question_id=name).value == "Theirs"
    response = client.post(
        _url(world, "section"),
        {
            f"q{name}": "Mine",
            f"version_q{name}": "1",
            "conflict": str(name),
            f"resolve_q{name}": "yours",
            "later": "1",
        },
    )
    assert response.status_code == 302
    assert Answer.objects.get(question_id=name).value == "Mine"


def test_budget_without_javascript_adds_rows_and_totals(client, world):
    client.force_login(world["member"])
    url = _url(world, "budget")
    text = client.get(url).content.decode()
    assert len(re.findall(r'name="cost-\d+-amount"', text)) == 8
    response = client.post(
        url,
        {
            "cost-rows": "8",
            "cost-0-item": "Hall hire",
            "cost-0-amount": "£300",
            "cost-1-item": "Tea",
            "cost-1-amount": "lots",
            "add_row": "cost",
        },
    )
    text = response.content.decode()
    assert len(re.findall(r'name="cost-\d+-amount"', text)) == 9
    assert 'value="lots"' in text
    assert "Costs, row 2: the amount must be a number in pounds" in text
    # A budget is saved whole or not at all.
    assert not BudgetLine.objects.filter(application=world["application"]).exists()
    response = client.post(url, {**_inputs(text), "cost-1-amount": "£5", "add_row": "cost"})
    text = response.content.decode()
    assert len(re.findall(r'name="cost-\d+-amount"', text)) == 10
    application = Application.objects.get(pk=world["application"].pk)
    assert str(application.amount_requested) == "305.00"
    # The page now carries the budget just saved, so saving it again is not refused.
    response = client.post(url, {**_inputs(text), "cost-2-item": "Maps", "cost-2-amount": "20"})
    assert response.status_code == 302
    assert _items(application) == ["Hall hire", "Tea", "Maps"]


def _inputs(html):
    """The text inputs and hidden fields of a page, as a browser would send them."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="submit"' not in tag and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def _items(application):
    return list(BudgetLine.objects.filter(application=application).values_list("item", flat=True))


def _budget_of_two(world):
    services.budget_save(
        application=world["application"],
        rows=[
            services.BudgetRow(kind="cost", item="Hall hire", category="Venue", amount=300),
            services.BudgetRow(kind="cost", item="Tea", category="", amount=50),
        ],
        actor=world["member"],
    )


@pytest.mark.parametrize(
    ("field", "typed", "message", "anchor"),
    [
        ("cost-1-amount", "£5O", "Costs, row 2: the amount must be a number in pounds", "amount"),
        ("cost-1-item", "", "Costs, row 2: enter what the amount is for", "item"),
        ("cost-1-amount", "-5", "Costs, row 2: the amount must be £0 or more", "amount"),
        ("cost-0-category", "x" * 101, "Costs, row 1: use 100 characters or fewer", "category"),
    ],
)
def test_a_wrong_budget_row_changes_nothing_and_says_which_row(
    client, world, field, typed, message, anchor
):
    _budget_of_two(world)
    client.force_login(world["member"])
    url = _url(world, "budget")
    form = _inputs(client.get(url).content.decode())
    assert (form["cost-1-item"], form["cost-1-amount"]) == ("Tea", "50.00")

    response = client.post(url, {**form, field: typed, "continue": "1"})

    text = response.content.decode()
    assert response.status_code == 200
    summary = text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert message in summary
    assert f'href="#id_{field.rsplit("-", 1)[0]}-{anchor}"' in summary
    assert f'value="{typed}"' in text  # what was typed stays to be put right
    application = Application.objects.get(pk=world["application"].pk)
    assert _items(application) == ["Hall hire", "Tea"]
    assert str(application.amount_requested) == "350.00"


def test_a_budget_changed_since_it_was_opened_is_not_overwritten(client, world):
    _budget_of_two(world)
    url = _url(world, "budget")
    client.force_login(world["member"])
    member_form = _inputs(client.get(url).content.decode())
    helper = Client()
    helper.force_login(world["helper"])
    helper_form = _inputs(helper.get(url).content.decode())
    # The link worker adds a line and saves first.
    response = helper.post(
        url, {**helper_form, "cost-2-item": "Minibus", "cost-2-amount": "400", "later": "1"}
    )
    assert response.status_code == 302

    response = client.post(
        url, {**member_form, "cost-2-item": "Maps", "cost-2-amount": "20", "later": "1"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this budget after you opened it" in text
    assert "What you entered, not saved" in text and "Cost: Maps, £20" in text
    assert 'value="Minibus"' in text  # the form now shows the budget as saved
    application = Application.objects.get(pk=world["application"].pk)
    assert _items(application) == ["Hall hire", "Tea", "Minibus"]
    # Saving again from the page as shown now keeps both people's lines.
    response = client.post(
        url, {**_inputs(text), "cost-3-item": "Maps", "cost-3-amount": "20", "later": "1"}
    )
    assert response.status_code == 302
    assert _items(application) == ["Hall hire", "Tea", "Minibus", "Maps"]


def test_budget_outside_the_limits_says_what_to_ask_for(client, world):
    client.force_login(world["member"])
    response = client.post(
        _url(world, "budget"),
        {"cost-0-item": "Minibus", "cost-0-amount": "5000", "continue": "1"},
    )
    assert "Ask for between £100 and £1,000" in response.content.decode()


def test_member_submits_and_sees_the_reference(client, world, django_capture_on_commit_callbacks):
    q = world["questions"]
    application = world["application"]
    user = world["member"]
    services.answers_save(
        application=application,
        values={
            q["name"].pk: "Walkers",
            q["about"].pk: "Walks.",
            q["people"].pk: 3,
            q["children"].pk: "no",
        },
        versions={},
        actor=user,
    )
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Maps", category="", amount=200)],
        actor=user,
    )
    for section in world["round"].sections.all():
        services.section_mark(application=application, section=section, completed=True, actor=user)
    client.force_login(user)
    response = client.post(reverse("applications:application-submit", args=[application.pk]), {})
    assert response.status_code == 400
    assert "Confirm the declaration" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:application-submit", args=[application.pk]),
            {"declaration": "on"},
            follow=True,
        )
    application.refresh_from_db()
    assert application.reference in response.content.decode()
    assert "Application submitted" in response.content.decode()


def test_link_worker_cannot_submit(client, world):
    client.force_login(world["helper"])
    response = client.post(
        reverse("applications:application-submit", args=[world["application"].pk]),
        {"declaration": "on"},
    )
    assert response.status_code == 403
    assert "Hand it over to the group instead" in response.content.decode()


def test_a_submitted_application_says_why_it_cannot_be_changed(client, world):
    application = world["application"]
    application.status = Application.Status.SUBMITTED
    application.save(update_fields=["status"])
    client.force_login(world["member"])

    response = client.get(reverse("applications:application-budget", args=[application.pk]))

    assert response.status_code == 403
    assert "This application has been submitted, so it can no longer be changed" in (
        response.content.decode()
    )


@pytest.mark.parametrize("role", ["member", "commissioner"])
def test_a_submitted_applications_sections_show_the_answers_read_only_with_the_reason(
    client, world, role
):
    application = _submitted_without_its_pdf(world)
    name = world["questions"]["name"]
    detail = reverse("applications:application-detail", args=[application.pk])
    url = reverse("applications:application-section", args=[application.pk, name.section.pk])
    client.force_login(world[role])

    task_list = client.get(detail).content.decode()
    response = client.get(url)
    refused = client.post(url, {f"q{name.pk}": "Changed after submission"})

    assert f'href="{url}"' in task_list
    page = response.content.decode()
    assert response.status_code == 200
    assert "This application has been submitted, so it can no longer be changed" in page
    assert "Walkers" in page
    assert "<textarea" not in page and f'name="q{name.pk}"' not in page
    assert refused.status_code == 403
    assert application.answers.get(question=name).value == "Walkers"


def test_check_page_marks_answers_entered_by_the_link_worker(client, world):
    q = world["questions"]
    services.answers_save(
        application=world["application"],
        values={q["name"].pk: "Bridge Club"},
        versions={},
        actor=world["helper"],
    )
    client.force_login(world["member"])
    text = client.get(_url(world, "check")).content.decode()
    assert f"Entered by {world['helper'].full_name}" in text


def test_start_page_lists_your_groups_and_creates_one_application(client, world):
    user = UserFactory()
    membership = group_with_member(user=user)
    client.force_login(user)
    url = reverse("applications:application-start", args=[world["round"].slug])
    assert membership.organisation.name in client.get(url).content.decode()
    first = client.post(url, {"organisation": membership.organisation.pk})
    second = client.post(url, {"organisation": membership.organisation.pk})
    assert first["Location"] == second["Location"]
    assert Application.objects.filter(organisation=membership.organisation).count() == 1


def _places_question(world):
    idea = world["questions"]["people"].section
    return Question.objects.create(
        section=idea,
        kind=Question.Kind.LOCALITIES,
        label="Where will your activity happen?",
        order=5,
    )


def test_places_question_shows_every_ward_as_checkboxes_and_saves_ids(client, world):

    places = _places_question(world)
    oak = WardFactory(name="Oak")
    riverside = WardFactory(name="Riverside", parent=oak.parent)
    client.force_login(world["member"])
    url = reverse(
        "applications:application-section", args=[world["application"].pk, places.section_id]
    )
    text = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in text
    for ward in (oak, riverside):
        assert f'name="q{places.pk}" type="checkbox" value="{ward.pk}"' in text
    assert '-2"> Riverside </label>' in text  # sorted by name: Oak first
    assert oak.parent.name not in text  # a PCN is not a ward

    response = client.post(
        url,
        {f"q{places.pk}": [str(riverside.pk), str(oak.pk)], f"version_q{places.pk}": "0"},
    )
    assert response.status_code == 302
    assert Answer.objects.get(question=places).value == sorted([oak.pk, riverside.pk])
    again = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert f'value="{oak.pk}" checked' in again and f'value="{riverside.pk}" checked' in again

    check = client.get(_url(world, "check")).content.decode()
    assert "Where will your activity happen?" in check
    assert "<li>Oak</li>" in check and "<li>Riverside</li>" in check


def test_places_question_lists_only_the_rounds_eligible_localities(client, world):

    places = _places_question(world)
    northfield = PcnFactory(name="Northfield PCN")
    WardFactory(name="Hilltop")
    world["round"].eligible_localities.set([northfield])
    client.force_login(world["member"])
    url = reverse(
        "applications:application-section", args=[world["application"].pk, places.section_id]
    )
    text = client.get(url).content.decode()
    assert "Northfield PCN" in text
    assert "Hilltop" not in text
    response = client.post(url, {f"q{places.pk}": ["999999"], f"version_q{places.pk}": "0"})
    assert response.status_code == 200
    assert "Select places from the list" in response.content.decode()
    assert not Answer.objects.filter(question=places).exists()


def test_priorities_are_saved_by_id_and_read_back_by_name(client, world):
    lonely, food = ThemeFactory(name="Loneliness"), ThemeFactory(name="Food")
    world["round"].priority_themes.set([lonely, food])
    priorities = Question.objects.create(
        section=world["questions"]["people"].section,
        kind=Question.Kind.PRIORITIES,
        label="Which of this round's priorities does your idea address?",
        order=6,
    )
    client.force_login(world["member"])
    url = reverse(
        "applications:application-section", args=[world["application"].pk, priorities.section_id]
    )
    text = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert f'name="q{priorities.pk}" type="checkbox" value="theme:{lonely.pk}"' in text

    response = client.post(
        url, {f"q{priorities.pk}": [f"theme:{lonely.pk}"], f"version_q{priorities.pk}": "0"}
    )
    assert response.status_code == 302
    assert Answer.objects.get(question=priorities).value == [f"theme:{lonely.pk}"]
    again = client.get(url).content.decode()
    assert f'value="theme:{lonely.pk}" checked' in re.sub(r"\s+", " ", again)
    lonely.name = "Isolation and loneliness"
    lonely.save()
    check = client.get(_url(world, "check")).content.decode()
    assert "<li>Isolation and loneliness</li>" in check


def _submitted_without_its_pdf(world):
    """Submit the application; the PDF copy stays queued (its task never ran)."""
    q = world["questions"]
    application = world["application"]
    user = world["member"]
    services.answers_save(
        application=application,
        values={
            q["name"].pk: "Walkers",
            q["about"].pk: "Walks.",
            q["people"].pk: 3,
            q["children"].pk: "no",
        },
        versions={},
        actor=user,
    )
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Maps", category="", amount=200)],
        actor=user,
    )
    for section in world["round"].sections.all():
        services.section_mark(application=application, section=section, completed=True, actor=user)
    return services.application_submit(application=application, actor=user, declaration=True)


def test_the_confirmation_says_when_the_pdf_copy_could_not_be_made(client, world):
    application = _submitted_without_its_pdf(world)
    client.force_login(world["member"])
    url = reverse("applications:application-submitted", args=[application.pk])
    assert "We have sent you a confirmation email" in client.get(url).content.decode()

    ApplicationPdf.objects.filter(application=application).update(
        status=ApplicationPdf.Status.FAILED, last_error="WeasyPrint could not load a font"
    )
    page = client.get(url).content.decode()
    assert "We could not make the PDF copy of your application" in page
    assert "We have sent you a confirmation email" not in page
    assert reverse("applications:application-draft-copy", args=[application.pk]) in page
    assert "WeasyPrint" not in page  # the error is for staff, in the admin


def test_a_link_workers_applications_are_listed_25_a_page(client):
    helper = link_worker()
    SubmittedApplicationFactory.create_batch(27, assisted_by=helper)
    client.force_login(helper)

    first = client.get(reverse("applications:application-list")).text
    second = client.get(reverse("applications:application-list"), {"page": 2}).text

    assert first.count("MC-2027-") == 25
    assert 'class="govuk-pagination"' in first
    assert second.count("MC-2027-") == 2
