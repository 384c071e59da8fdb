"""What the group's profile already holds (its name, its address) is not asked again: the
question shows the profile's answer with a link to change it there, and the submitted
application keeps what the profile held when it was submitted."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Answer
from applications.readiness import section_problems
from applications.selectors import applying as selectors
from applications.services import applying as services
from rounds.form_presets import ABOUT_YOUR_GROUP
from rounds.models import Question
from rounds.services import form_builder
from tests.applications.factories import ProfileFactory
from tests.microcomm.factories import commissioner, group_with_member
from tests.rounds.factories import OpenRoundFactory, QuestionFactory, draft_round, micro_form

pytestmark = pytest.mark.django_db

P = Question.FromProfile


@pytest.fixture
def world():
    round = OpenRoundFactory()
    questions = micro_form(round)
    questions["name"].from_profile = P.NAME
    questions["name"].save(update_fields=["from_profile"])
    questions["address"] = QuestionFactory(
        section=questions["name"].section,
        kind=Question.Kind.LONG_TEXT,
        label="Where is your group based?",
        word_limit=50,
        from_profile=P.ADDRESS,
        order=3,
    )
    member = group_with_member()
    organisation = member.organisation
    organisation.name = "Kiln Lane Knitters"
    organisation.save(update_fields=["name"])
    ProfileFactory(
        organisation=organisation,
        address_line_1="4 Kiln Lane",
        town="Millbrook",
        postcode="MB1 2CD",
    )
    application = services.application_start(
        round=round, organisation=organisation, actor=member.user
    )
    return {
        "round": round,
        "questions": questions,
        "member": member.user,
        "application": application,
    }


def _section_url(world):
    section = world["questions"]["name"].section_id
    return reverse("applications:application-section", args=[world["application"].pk, section])


def _ready(world):
    questions, user, application = world["questions"], world["member"], world["application"]
    services.answers_save(
        application=application,
        values={
            questions["about"].pk: "We knit together.",
            questions["people"].pk: 12,
            questions["children"].pk: "no",
        },
        versions={},
        actor=user,
    )
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Wool", category="", amount=Decimal(300))],
        actor=user,
    )
    for section in application.round.sections.all():
        services.section_mark(application=application, section=section, completed=True, actor=user)


def test_the_section_shows_the_profile_answers_with_a_link_and_asks_nothing(client, world):
    client.force_login(world["member"])

    page = client.get(_section_url(world)).content.decode()

    name, address = world["questions"]["name"], world["questions"]["address"]
    assert f'name="q{name.pk}"' not in page
    assert f'name="q{address.pk}"' not in page
    assert "Kiln Lane Knitters" in page
    assert "4 Kiln Lane, Millbrook, MB1 2CD" in page
    profile = reverse("applications:organisation-edit", args=[world["application"].organisation_id])
    assert page.count(f'href="{profile}"') == 2
    assert "Change this in your group’s profile" in page


def test_a_posted_value_for_a_profile_question_is_not_saved(client, world):
    client.force_login(world["member"])
    name = world["questions"]["name"]

    client.post(_section_url(world), {f"q{name.pk}": "Someone else", "later": "1"})

    assert not Answer.objects.filter(question=name).exists()


def test_check_your_answers_shows_the_profile_answer_and_where_to_change_it(client, world):
    client.force_login(world["member"])

    page = client.get(
        reverse("applications:application-check", args=[world["application"].pk])
    ).content.decode()

    assert "4 Kiln Lane, Millbrook, MB1 2CD" in page
    assert "Change in your group’s profile" in page


def test_a_profile_without_an_address_is_a_problem_to_put_right_in_the_profile(world):
    profile = world["application"].organisation.profile
    profile.address_line_1 = profile.town = profile.postcode = ""
    profile.save()

    problems = section_problems(
        application=world["application"], section=world["questions"]["address"].section
    )

    assert (
        world["questions"]["address"].pk,
        "Add the group's address to your group's profile",
    ) in problems
    assert world["questions"]["name"].pk not in [question for question, _ in problems]


def test_submission_stores_what_the_profile_held_then(world):
    _ready(world)
    submitted = services.application_submit(
        application=world["application"], actor=world["member"], declaration=True
    )
    profile = submitted.organisation.profile
    profile.address_line_1 = "9 New Road"
    profile.save()

    answers = dict(Answer.objects.filter(application=submitted).values_list("question", "value"))
    assert answers[world["questions"]["name"].pk] == "Kiln Lane Knitters"
    assert answers[world["questions"]["address"].pk] == "4 Kiln Lane, Millbrook, MB1 2CD"
    rows = [
        row
        for section in selectors.application_answer_sections(application=submitted)
        for row in section.rows
    ]
    shown = {row["question"].pk: row["display"] for row in rows}
    assert shown[world["questions"]["address"].pk] == "4 Kiln Lane, Millbrook, MB1 2CD"
    assert not any(row["from_profile"] for row in rows)


def test_the_assessment_page_shows_the_submitted_profile_answer(client, world):
    _ready(world)
    submitted = services.application_submit(
        application=world["application"], actor=world["member"], declaration=True
    )
    client.force_login(commissioner())

    page = client.get(
        reverse("applications:manage-application-detail", args=[submitted.pk])
    ).content.decode()

    assert "4 Kiln Lane, Millbrook, MB1 2CD" in page


def test_the_default_form_takes_the_group_name_from_the_profile():
    (name,) = [q for q in ABOUT_YOUR_GROUP["questions"] if q["key"] == "group_name"]
    round = draft_round()

    form_builder.form_create_default(round=round, actor=None)

    question = Question.objects.get(section__round=round, label=name["label"])
    assert question.from_profile == P.NAME


def test_the_form_builder_refuses_a_profile_field_for_the_wrong_kind_of_answer(client):
    round = draft_round()
    section = form_builder.form_create_default(round=round, actor=None)[0]
    client.force_login(commissioner())
    url = reverse("rounds:question-create", args=[round.slug, section.pk])

    refused = client.post(
        url,
        {
            "label": "How much do you earn?",
            "kind": "yes_no",
            "required": "yes",
            "from_profile": "annual_income",
        },
    )
    accepted = client.post(
        url,
        {
            "label": "How much do you earn?",
            "kind": "money",
            "required": "yes",
            "from_profile": "annual_income",
        },
    )

    assert "cannot fill a ‘yes or no’ answer" in refused.content.decode()
    assert accepted.status_code == 302
    assert Question.objects.get(label="How much do you earn?").from_profile == P.ANNUAL_INCOME


def test_the_applying_page_for_a_draft_follows_the_profile(client, world):
    client.force_login(world["member"])
    profile = world["application"].organisation.profile
    profile.address_line_1 = "9 New Road"
    profile.save()

    page = client.get(_section_url(world)).content.decode()

    assert re.search(r"9 New Road, Millbrook, MB1 2CD", page)
