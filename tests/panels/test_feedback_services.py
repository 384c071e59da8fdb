"""Feedback, releasing decisions, interviews and panel packs: the services (area E)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from applications.previous_feedback import previous_feedback_for
from applications.selectors.applying import application_task_list
from microcomm.errors import DomainError
from microcomm.models import Membership, OutboundEmail
from panels.models import Decision, PanelPack, Scorecard
from panels.selectors.feedback import decision_feedback_draft
from panels.services.feedback import (
    STALE,
    decision_feedback_approve,
    decision_feedback_save,
    decisions_release,
)
from panels.services.interviews import (
    TAKEN,
    interview_book,
    interview_notes_save,
    interview_slot_add,
    interviews_invite,
)
from panels.services.packs import panel_pack_request
from tests.applications.factories import ApplicationFactory, SubmittedApplicationFactory
from tests.microcomm.factories import MembershipFactory, commissioner, group_with_member
from tests.panels.factories import (
    ConflictFactory,
    DecisionFactory,
    InterviewInvitationFactory,
    InterviewSlotFactory,
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    rubric_for,
    scored,
)
from tests.rounds.factories import FormSectionFactory, closed_round

pytestmark = pytest.mark.django_db


def _round_with_scores():
    round = closed_round(title="Carers' breaks")
    rubric = rubric_for(round, weights=(60, 40))
    need, benefit = rubric.criteria.order_by("position")
    panel = PanelFactory(round=round)
    application = SubmittedApplicationFactory(round=round)
    fair = PanelMemberFactory(panel=panel, user__full_name="Rosa Fenwick")
    card = ScorecardFactory(member=fair, application=application, status="submitted")
    scored(card, {need: 1, benefit: 2})
    card.scores.filter(criterion=need).update(comment="Say who asked for the breaks.")
    card.scores.filter(criterion=benefit).update(comment="Carers would gain a rest.")
    interested = PanelMemberFactory(panel=panel, user__full_name="Idris Marshall")
    ConflictFactory(member=interested, application=application)
    other = ScorecardFactory(member=interested, application=application, status="submitted")
    scored(other, {need: 3})
    other.scores.filter(criterion=need).update(comment="My own group: brilliant.")
    decision = DecisionFactory(
        application=application, criteria_against=[need.pk], reason="Need not shown."
    )
    return decision, need


def test_draft_uses_comments_and_reasons_never_names_scores_or_conflicted_comments():
    decision, need = _round_with_scores()
    draft = decision_feedback_draft(decision=decision)
    assert "Decline" in draft
    assert "Need not shown." in draft
    assert f"What weighed against your application: {need.name}." in draft
    assert "Say who asked for the breaks." in draft
    assert "Carers would gain a rest." in draft
    assert "Rosa" not in draft and "Idris" not in draft
    assert "brilliant" not in draft


def test_saving_with_a_stale_version_keeps_the_other_persons_feedback():
    decision, _need = _round_with_scores()
    actor = commissioner()
    decision_feedback_save(
        decision=decision,
        feedback="First words",
        signposting="",
        section_feedback={},
        version=1,
        actor=actor,
    )
    with pytest.raises(DomainError) as refused:
        decision_feedback_save(
            decision=decision,
            feedback="Second words",
            signposting="",
            section_feedback={},
            version=1,
            actor=actor,
        )
    assert refused.value.message == STALE
    decision.refresh_from_db()
    assert decision.feedback == "First words"


def test_approve_then_edit_moves_back_to_recorded():
    decision, _need = _round_with_scores()
    actor = commissioner()
    saved = decision_feedback_save(
        decision=decision,
        feedback="Words",
        signposting="Ask the CVS",
        section_feedback={},
        version=decision.version,
        actor=actor,
    )
    approved = decision_feedback_approve(decision=saved, actor=actor)
    assert approved.status == Decision.Status.APPROVED
    assert approved.feedback_approved_by == actor
    changed = decision_feedback_save(
        decision=approved,
        feedback="Better words",
        signposting="Ask the CVS",
        section_feedback={},
        version=approved.version,
        actor=actor,
    )
    assert changed.status == Decision.Status.RECORDED
    assert changed.feedback_approved_by is None


def test_approving_empty_feedback_is_refused():
    decision, _need = _round_with_scores()
    with pytest.raises(DomainError, match="Write the feedback"):
        decision_feedback_approve(decision=decision, actor=commissioner())
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RECORDED


def test_release_is_refused_listing_decisions_not_approved():
    decision, _need = _round_with_scores()
    with pytest.raises(DomainError) as refused:
        decisions_release(round=decision.application.round, actor=commissioner())
    assert decision.application.reference in refused.value.message
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RECORDED
    assert decision.released_at is None


def test_release_releases_all_and_tells_each_group_once(django_capture_on_commit_callbacks):
    decision, _need = _round_with_scores()
    application = decision.application
    membership = MembershipFactory(
        organisation=application.organisation, role=Membership.Role.OWNER
    )
    MembershipFactory(organisation=application.organisation, role=Membership.Role.EDITOR)
    actor = commissioner()
    saved = decision_feedback_save(
        decision=decision,
        feedback="Words",
        signposting="",
        section_feedback={},
        version=decision.version,
        actor=actor,
    )
    decision_feedback_approve(decision=saved, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        released = decisions_release(round=application.round, actor=actor)
    assert [d.status for d in released] == [Decision.Status.RELEASED]
    assert released[0].released_at is not None
    emails = OutboundEmail.objects.filter(key=f"decision-released:{application.pk}")
    assert [email.to for email in emails] == [membership.user.email]
    assert len(mail.outbox) == 1
    with pytest.raises(DomainError, match="no decisions waiting"):
        decisions_release(round=application.round, actor=actor)


def test_released_section_feedback_shows_beside_the_section_when_the_group_applies_again():
    decision, _need = _round_with_scores()
    earlier = decision.application
    section = FormSectionFactory(round=earlier.round, title="Your project")
    actor = commissioner()
    saved = decision_feedback_save(
        decision=decision,
        feedback="Words",
        signposting="",
        section_feedback={str(section.pk): "Say how many carers will come."},
        version=decision.version,
        actor=actor,
    )
    assert previous_feedback_for(earlier.pk) == {}
    decision_feedback_approve(decision=saved, actor=actor)
    decisions_release(round=earlier.round, actor=actor)
    later_round = closed_round(title="Next year")
    FormSectionFactory(round=later_round, title="Your project")
    again = ApplicationFactory(
        round=later_round, organisation=earlier.organisation, copied_from=earlier
    )
    rows = application_task_list(application=again)
    assert [row.feedback for row in rows] == ["Say how many carers will come."]


# Interviews ------------------------------------------------------------------------------


def _invited(panel=None):
    panel = panel or PanelFactory(round=closed_round())
    application = SubmittedApplicationFactory(round=panel.round)
    member = group_with_member(organisation=application.organisation).user
    return panel, application, member


def test_invitation_email_carries_a_calendar_of_the_free_slots(django_capture_on_commit_callbacks):
    panel, application, member = _invited()
    first = InterviewSlotFactory(panel=panel)
    InterviewSlotFactory(panel=panel, starts_at=first.starts_at + datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        interviews_invite(panel=panel, applications=[application], actor=commissioner())
    email = OutboundEmail.objects.get(to=member.email)
    assert email.attachment_name == "interview-times.ics"
    with default_storage.open(email.attachment_path, "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert str(events[0]["location"]) == "Marsh Lane Community Centre"
    sent = mail.outbox[-1]
    assert sent.attachments[0][0] == "interview-times.ics"
    assert sent.attachments[0][2] == "text/calendar"


def test_inviting_without_free_slots_is_refused():
    panel, application, _member = _invited()
    with pytest.raises(DomainError, match="Add at least one interview time"):
        interviews_invite(panel=panel, applications=[application], actor=commissioner())


def test_two_groups_choosing_one_slot_the_second_is_told():
    panel, application, member = _invited()
    _panel, other_application, other_member = _invited(panel)
    slot = InterviewSlotFactory(panel=panel)
    first = InterviewInvitationFactory(application=application)
    second = InterviewInvitationFactory(application=other_application)
    booked = interview_book(invitation=first, slot=slot, access_needs="Step-free", actor=member)
    assert booked.slot == slot
    with pytest.raises(DomainError) as refused:
        interview_book(invitation=second, slot=slot, access_needs="", actor=other_member)
    assert refused.value.message == TAKEN
    second.refresh_from_db()
    assert second.slot is None
    assert OutboundEmail.objects.get(to=member.email).attachment_name == "interview.ics"


def test_slot_must_end_after_it_starts_and_have_a_place_or_link():
    panel = PanelFactory(round=closed_round())
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(DomainError, match="end after it starts"):
        interview_slot_add(
            panel=panel, starts_at=start, ends_at=start, place="Hall", actor=commissioner()
        )
    with pytest.raises(DomainError, match="place or a video link"):
        interview_slot_add(
            panel=panel,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            actor=commissioner(),
        )
    assert not panel.interview_slots.exists()


# Panel packs -----------------------------------------------------------------------------


def test_pack_holds_assigned_applications_never_conflicted_ones(django_capture_on_commit_callbacks):
    round = closed_round(title="Carers' breaks")
    rubric_for(round)
    panel = PanelFactory(round=round)
    member = PanelMemberFactory(panel=panel)
    mine = ScorecardFactory(member=member, application__organisation__name="Kiln Lane Friends")
    hidden = ScorecardFactory(member=member, application__organisation__name="Hilltop Crafters")
    ConflictFactory(member=member, application=hidden.application)
    with django_capture_on_commit_callbacks(execute=True):
        pack = panel_pack_request(member=member, actor=member.user)
    pack.refresh_from_db()
    assert pack.status == PanelPack.Status.DONE
    with pack.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert mine.application.reference in text
    assert "Kiln Lane Friends" in text
    assert hidden.application.reference not in text
    assert "Hilltop Crafters" not in text
    assert Scorecard.objects.filter(member=member).count() == 2


def test_asking_twice_while_being_prepared_makes_one_pack():
    member = PanelMemberFactory(panel=PanelFactory(round=closed_round()))
    first = panel_pack_request(member=member, actor=member.user)
    second = panel_pack_request(member=member, actor=member.user)
    assert first.pk == second.pk
    assert PanelPack.objects.filter(member=member).count() == 1


def test_interview_notes_can_ask_the_scorers_to_look_again():
    panel, application, _member = _invited()
    invitation = InterviewInvitationFactory(application=application)
    card = ScorecardFactory(
        member=PanelMemberFactory(panel=panel), application=application, status="submitted"
    )
    saved = interview_notes_save(
        invitation=invitation,
        notes="They showed the waiting list.",
        ask_scorers=True,
        actor=commissioner(),
    )
    assert saved.notes == "They showed the waiting list."
    card.refresh_from_db()
    assert card.status == Scorecard.Status.LOOK_AGAIN
    assert "After the interview" in card.look_again_note
