"""Eligibility checks and overrides, and verifying due diligence."""

import pytest

from applications.services.assessing import (
    due_diligence_verify,
    eligibility_override,
)
from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from tests.applications.factories import DueDiligenceItemFactory, SubmittedApplicationFactory
from tests.microcomm.factories import UserFactory, commissioner

pytestmark = pytest.mark.django_db


def test_override_records_reason_actor_and_an_audit_event():
    application = SubmittedApplicationFactory(eligibility={"eligible": False, "reasons": ["x"]})
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
    application = SubmittedApplicationFactory()

    with pytest.raises(DomainError, match="Enter why"):
        eligibility_override(application=application, reason="  ", actor=commissioner())
    application.refresh_from_db()
    assert application.eligibility_override_reason == ""


def test_only_commissioners_can_override():
    application = SubmittedApplicationFactory()

    with pytest.raises(DomainError, match="Only commissioners"):
        eligibility_override(application=application, reason="Fine", actor=UserFactory())
    assert not AuditEvent.objects.filter(verb="application.eligibility_override").exists()


def test_verify_marks_the_check_done_with_note_and_audits_it():
    item = DueDiligenceItemFactory(label="Governing document")
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
    item = DueDiligenceItemFactory()
    due_diligence_verify(item=item, verified=True, note="ok", actor=boss)

    due_diligence_verify(item=item, verified=False, note="Expired", actor=boss)

    item.refresh_from_db()
    assert (item.verified, item.verified_by, item.verified_at) == (False, None, None)
    assert AuditEvent.objects.get(verb="due_diligence.unverify").from_state == "verified"


def test_verify_needs_a_note():
    item = DueDiligenceItemFactory()

    with pytest.raises(DomainError, match="Enter what you checked"):
        due_diligence_verify(item=item, verified=True, note="", actor=commissioner())
    item.refresh_from_db()
    assert item.verified is False
