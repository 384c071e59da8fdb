"""The task list: eligibility as soon as the answers that decide it are in, what the
group's profile and document vault already hold, and the documents the round needs."""

import re

import pytest
from django.urls import reverse

from applications.models import OrganisationDocument
from applications.services import applying as services
from microcomm.models import LegalForm
from rounds.models import Question
from tests.applications.factories import DocumentFactory, ProfileFactory
from tests.microcomm.factories import (
    LocalityFactory,
    OrganisationFactory,
    ThemeFactory,
    group_with_member,
)
from tests.rounds.factories import OpenRoundFactory, QuestionFactory, micro_form

pytestmark = pytest.mark.django_db

WARNING = "From your answers so far, your group cannot get a grant from this round."


@pytest.fixture
def world():
    abbey = LocalityFactory(name="Abbey Fields")
    fenwick = LocalityFactory(name="Fenwick")
    round = OpenRoundFactory(eligible_localities=[abbey])
    questions = micro_form(round)
    questions["places"] = QuestionFactory(
        section=questions["name"].section, kind=Question.Kind.LOCALITIES, label="Where?", order=5
    )
    member = group_with_member(organisation=OrganisationFactory(legal_form=LegalForm.CHARITY))
    application = services.application_start(
        round=round, organisation=member.organisation, actor=member.user
    )
    return {
        "round": round,
        "questions": questions,
        "member": member.user,
        "application": application,
        "abbey": abbey,
        "fenwick": fenwick,
    }


def _task_list(client, world):
    client.force_login(world["member"])
    url = reverse("applications:application-detail", args=[world["application"].pk])
    return client.get(url).content.decode()


def _answer(world, question, value):
    services.answers_save(
        application=world["application"],
        values={world["questions"][question].pk: value},
        versions={},
        actor=world["member"],
    )


def test_a_place_outside_the_round_shows_on_the_task_list_with_the_way_to_ask(client, world):
    assert WARNING not in _task_list(client, world)

    _answer(world, "places", [world["fenwick"].pk])
    page = _task_list(client, world)

    assert WARNING in page
    assert "This round is for groups working in Abbey Fields. You told us you work in Fenwick." in (
        page
    )
    ask = f"{reverse('rounds:support-request-create')}?round={world['round'].slug}"
    assert ask in page
    assert "ask for an exception" in page

    _answer(world, "places", [world["abbey"].pk])
    assert WARNING not in _task_list(client, world)


def test_the_group_kind_from_the_profile_counts_from_the_start(client, world):
    world["round"].allowed_legal_forms = [LegalForm.UNINCORPORATED]
    world["round"].save(update_fields=["allowed_legal_forms"])

    page = _task_list(client, world)

    assert WARNING in page
    assert "You told us your group is a registered charity." in page


def test_no_priority_chosen_counts_only_once_its_section_is_completed(client, world):
    round = world["round"]
    round.must_address_priority = True
    round.save(update_fields=["must_address_priority"])
    round.priority_themes.add(ThemeFactory(name="Loneliness"))
    priorities = QuestionFactory(
        section=world["questions"]["people"].section, kind=Question.Kind.PRIORITIES, order=9
    )

    assert WARNING not in _task_list(client, world)

    world["application"].section_states.create(section=priorities.section, completed=True)
    page = _task_list(client, world)

    assert WARNING in page
    assert "only funds activities that address one of its priorities" in page


def test_an_overridden_application_is_told_it_can_go_ahead(client, world):
    _answer(world, "places", [world["fenwick"].pk])
    world["application"].eligibility_override_reason = "Fenwick borders Abbey Fields"
    world["application"].save(update_fields=["eligibility_override_reason"])

    page = _task_list(client, world)

    assert WARNING not in page
    assert "A commissioner has agreed that this application can go ahead" in page
    assert "Fenwick borders Abbey Fields" in page


def test_the_task_list_shows_the_profile_and_the_documents_the_round_needs(client, world):
    organisation = world["application"].organisation
    ProfileFactory(organisation=organisation, address_line_1="4 Kiln Lane", postcode="AB1 2CD")
    DocumentFactory(
        organisation=organisation,
        kind=OrganisationDocument.Kind.GOVERNING,
        title="Our constitution",
    )

    page = _task_list(client, world)

    assert "4 Kiln Lane" in page and "AB1 2CD" in page
    assert reverse("applications:organisation-edit", args=[organisation.pk]) in page
    documents = page[page.index('id="required-documents"') :]
    assert "Governing document" in documents and "Our constitution" in documents
    assert "Ready" in documents
    assert "Bank account" not in documents


def test_a_missing_document_links_to_the_upload_with_its_kind(client, world):
    world["round"].tier = "small"
    world["round"].save(update_fields=["tier"])
    organisation = world["application"].organisation

    page = _task_list(client, world)

    upload = reverse("applications:document-upload", args=[organisation.pk])
    assert f"{upload}?kind=insurance" in page
    form = client.get(f"{upload}?kind=insurance").content.decode()
    assert re.search(r'value="insurance"[^>]*checked', form)


def test_the_group_name_question_starts_with_the_profile_name(client, world):
    name = world["questions"]["name"]
    url = reverse(
        "applications:application-section", args=[world["application"].pk, name.section_id]
    )
    client.force_login(world["member"])

    page = client.get(url).content.decode()

    organisation = world["application"].organisation
    assert re.search(rf'name="q{name.pk}"[^>]*value="{re.escape(organisation.name)}"', page)
