"""The due diligence checklist is proportionate to the round's tier and the group's form."""

import pytest

from applications.due_diligence import (
    due_diligence_complete,
    due_diligence_create,
    due_diligence_items_for,
)
from microcomm.models import LegalForm
from rounds.form_presets import TIER_DOCUMENTS
from rounds.models import Question, Round
from tests.applications.factories import AnswerFactory, ProfileFactory, SubmittedApplicationFactory
from tests.microcomm.factories import OrganisationFactory
from tests.rounds.factories import OpenRoundFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def codes(items):
    return [code for code, _ in items]


@pytest.mark.parametrize(
    ("tier", "legal_form", "expected"),
    [
        (Round.Tier.MICRO, LegalForm.UNINCORPORATED, ["governing", "bank_account"]),
        (Round.Tier.MICRO, LegalForm.CHARITY, ["governing", "registration", "bank_account"]),
        (Round.Tier.MICRO, LegalForm.CIC, ["governing", "registration", "bank_account"]),
        (Round.Tier.MICRO, LegalForm.PARISH_COUNCIL, ["governing", "bank_account"]),
        (
            Round.Tier.SMALL,
            LegalForm.UNINCORPORATED,
            ["governing", "bank_account", "insurance", "accounts"],
        ),
        (
            Round.Tier.SMALL,
            LegalForm.CIO,
            ["governing", "registration", "bank_account", "insurance", "accounts"],
        ),
        (
            Round.Tier.STANDARD,
            LegalForm.UNINCORPORATED,
            ["governing", "bank_account", "safeguarding", "insurance", "accounts", "equality"],
        ),
        (
            Round.Tier.STANDARD,
            LegalForm.CLG,
            [
                "governing",
                "registration",
                "bank_account",
                "safeguarding",
                "insurance",
                "accounts",
                "equality",
            ],
        ),
    ],
)
def test_checklist_grows_with_tier_and_legal_form(tier, legal_form, expected):
    round = OpenRoundFactory(tier=tier)
    organisation = OrganisationFactory(legal_form=legal_form)

    assert codes(due_diligence_items_for(round=round, organisation=organisation)) == expected


def test_unconstituted_group_is_asked_for_its_rules_not_a_governing_document():
    items = dict(
        due_diligence_items_for(round=OpenRoundFactory(), organisation=OrganisationFactory())
    )

    assert items["governing"] == "Constitution or set of rules the group agreed"


def test_group_without_a_bank_account_is_checked_for_its_host_organisation():
    profile = ProfileFactory(has_bank_account=False, host_organisation_name="Town CVS")

    items = dict(
        due_diligence_items_for(round=OpenRoundFactory(), organisation=profile.organisation)
    )

    assert items["bank_account"] == "Host organisation will receive and hold the grant"


@pytest.mark.parametrize(
    ("label", "value", "needs_safeguarding"),
    [
        ("Will you work with children or young people?", "yes", True),
        ("Does the activity involve adults at risk?", True, True),
        ("Will you work with children or young people?", "no", False),
        ("Do you have a venue?", "yes", False),
    ],
)
def test_micro_round_asks_for_safeguarding_only_when_working_with_people_at_risk(
    label, value, needs_safeguarding
):
    round = OpenRoundFactory(tier=Round.Tier.MICRO)
    question = QuestionFactory(section__round=round, kind=Question.Kind.YES_NO, label=label)
    organisation = OrganisationFactory()

    items = due_diligence_items_for(
        round=round, organisation=organisation, answers={question.pk: value}
    )

    assert ("safeguarding" in codes(items)) is needs_safeguarding


def test_create_makes_the_checklist_from_the_application_answers():
    round = OpenRoundFactory(tier=Round.Tier.MICRO)
    question = QuestionFactory(
        section__round=round, kind=Question.Kind.YES_NO, label="Do you work with children?"
    )
    application = SubmittedApplicationFactory(round=round)
    AnswerFactory(application=application, question=question, value="yes")

    items = due_diligence_create(application=application)

    assert [item.code for item in items] == ["governing", "bank_account", "safeguarding"]
    assert [item.order for item in items] == [0, 1, 2]


def test_create_again_keeps_verified_checks_and_drops_ones_no_longer_needed():
    round = OpenRoundFactory(tier=Round.Tier.MICRO)
    question = QuestionFactory(
        section__round=round, kind=Question.Kind.YES_NO, label="Do you work with children?"
    )
    application = SubmittedApplicationFactory(round=round)
    answer = AnswerFactory(application=application, question=question, value="yes")
    first = due_diligence_create(application=application)
    first[0].verified = True
    first[0].save()
    answer.value = "no"
    answer.save()

    items = due_diligence_create(application=application)

    assert [item.code for item in items] == ["governing", "bank_account"]
    assert items[0].verified is True
    assert application.due_diligence.count() == 2


def test_complete_only_when_every_check_is_verified():
    application = SubmittedApplicationFactory()
    assert due_diligence_complete(application) is False

    items = due_diligence_create(application=application)
    assert due_diligence_complete(application) is False

    application.due_diligence.update(verified=True)
    assert len(items) == 2
    assert due_diligence_complete(application) is True


@pytest.mark.parametrize("tier", Round.Tier.values)
def test_the_documents_a_tier_change_announces_are_the_ones_the_checklist_asks_for(tier):
    round = OpenRoundFactory(tier=tier)
    group = OrganisationFactory(legal_form=LegalForm.UNINCORPORATED)
    base = {label for _, label in due_diligence_items_for(round=round, organisation=group)}
    micro = OpenRoundFactory(tier=Round.Tier.MICRO)
    everyone = {label for _, label in due_diligence_items_for(round=micro, organisation=group)}
    assert base - everyone == set(TIER_DOCUMENTS[tier])
