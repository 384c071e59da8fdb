"""Eligibility checks and overrides, and verifying due diligence."""

from decimal import Decimal

import pytest

from applications.services.assessing import (
    due_diligence_verify,
    eligibility_check,
    eligibility_override,
)
from microcomm.models import AuditEvent, LegalForm
from microcomm.services import DomainError
from rounds.models import Question
from tests.applications.assess_factories import (
    AssessAnswerFactory,
    AssessApplicationFactory,
    AssessDueDiligenceItemFactory,
    AssessProfileFactory,
    AssessQuestionFactory,
)
from tests.microcomm.factories import LocalityFactory, ThemeFactory, UserFactory, commissioner

pytestmark = pytest.mark.django_db


def test_an_application_within_the_rules_is_eligible():
    application = AssessApplicationFactory(amount_requested=Decimal("500"))

    result = eligibility_check(application=application)

    application.refresh_from_db()
    assert result["eligible"] is True
    assert application.eligibility["reasons"] == []
    assert application.eligibility["checked_at"]


def test_each_broken_rule_is_given_with_its_reason():
    profile = AssessProfileFactory(annual_income=Decimal("90000"))
    application = AssessApplicationFactory(
        organisation=profile.organisation,
        amount_requested=Decimal("5000"),
        round__allowed_legal_forms=[LegalForm.CHARITY],
        round__maximum_annual_income=Decimal("50000"),
    )
    round = application.round
    round.priority_themes.add(ThemeFactory())
    AssessQuestionFactory(section__round=round, kind=Question.Kind.PRIORITIES, label="Which?")
    eligible_place = LocalityFactory(name="Northfield")
    round.eligible_localities.add(eligible_place)
    where = AssessQuestionFactory(
        section__round=round,
        kind=Question.Kind.ONE_CHOICE,
        label="Which locality is the activity in?",
        choices=["Northfield", "Southgate"],
    )
    AssessAnswerFactory(application=application, question=where, value="Southgate")

    reasons = eligibility_check(application=application)["reasons"]

    assert reasons == [
        "The round is open only to: Registered charity. "
        "The group's legal form is Unincorporated community group",
        "The group's annual income of £90,000 is above the round's limit of £50,000",
        "The amount asked for, £5,000, is not between £100 and £1,000",
        "The activity is not in one of the round's eligible localities",
        "The application does not say which of the round's priorities it meets",
    ]


def test_override_records_reason_actor_and_an_audit_event():
    application = AssessApplicationFactory(eligibility={"eligible": False, "reasons": ["x"]})
    boss = commissioner()

    eligibility_override(application=application, reason="  Income was a one-off  ", actor=boss)

    application.refresh_from_db()
    assert application.eligibility_override_reason == "Income was a one-off"
    assert application.eligibility_overridden_by == boss
    event = AuditEvent.objects.get(verb="application.eligibility_override")
    assert (event.actor, event.from_state, event.to_state) == (boss, "not eligible", "overridden")
    assert event.target_id == str(application.pk)
    assert event.reason == "Income was a one-off"


def test_override_needs_a_reason():
    application = AssessApplicationFactory()

    with pytest.raises(DomainError, match="Enter why"):
        eligibility_override(application=application, reason="  ", actor=commissioner())
    application.refresh_from_db()
    assert application.eligibility_override_reason == ""


def test_only_commissioners_can_override():
    application = AssessApplicationFactory()

    with pytest.raises(DomainError, match="Only commissioners"):
        eligibility_override(application=application, reason="Fine", actor=UserFactory())
    assert not AuditEvent.objects.filter(verb="application.eligibility_override").exists()


def test_verify_marks_the_check_done_with_note_and_audits_it():
    item = AssessDueDiligenceItemFactory(label="Governing document")
    boss = commissioner()

    due_diligence_verify(item=item, verified=True, note="Seen the constitution", actor=boss)

    item.refresh_from_db()
    assert (item.verified, item.verified_by, item.note) == (True, boss, "Seen the constitution")
    assert item.verified_at is not None
    event = AuditEvent.objects.get(verb="due_diligence.verify")
    assert event.target_id == str(item.application_id)
    assert event.detail["label"] == "Governing document"


def test_unverify_clears_who_and_when():
    boss = commissioner()
    item = AssessDueDiligenceItemFactory()
    due_diligence_verify(item=item, verified=True, note="ok", actor=boss)

    due_diligence_verify(item=item, verified=False, note="Expired", actor=boss)

    item.refresh_from_db()
    assert (item.verified, item.verified_by, item.verified_at) == (False, None, None)
    assert AuditEvent.objects.get(verb="due_diligence.unverify").from_state == "verified"


def test_verify_needs_a_note():
    item = AssessDueDiligenceItemFactory()

    with pytest.raises(DomainError, match="Enter what you checked"):
        due_diligence_verify(item=item, verified=True, note="", actor=commissioner())
    item.refresh_from_db()
    assert item.verified is False
