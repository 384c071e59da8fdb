"""Feedback, releasing decisions, the group's decision page, interviews and panel packs:
the pages (area E)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microcomm.models import Membership
from panels.models import Decision, InterviewInvitation, PanelPack
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import MembershipFactory, commissioner
from tests.panels.factories import (
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


@pytest.fixture
def decided():
    round = closed_round(title="Carers' breaks")
    rubric = rubric_for(round, weights=(50, 50))
    panel = PanelFactory(round=round)
    application = SubmittedApplicationFactory(round=round)
    owner = MembershipFactory(organisation=application.organisation, role=Membership.Role.OWNER)
    scorer = PanelMemberFactory(panel=panel, user__full_name="Rosa Fenwick")
    card = ScorecardFactory(member=scorer, application=application, status="submitted")
    first = rubric.criteria.order_by("position").first()
    scored(card, {first: 1})
    card.scores.update(comment="Tell us who asked for it.")
    decision = DecisionFactory(application=application, reason="Need not shown.")
    return decision, owner.user


def _edit_url(decision: Decision) -> str:
    return reverse("panels:feedback-edit", args=[decision.application.round.slug, decision.pk])


def test_feedback_page_offers_the_draft(client, decided):
    decision, _owner = decided
    client.force_login(commissioner())
    page = client.get(_edit_url(decision)).content.decode()
    assert "Tell us who asked for it." in page
    assert "Need not shown." in page
    assert "council for voluntary service" in page


def test_save_and_approve(client, decided):
    decision, _owner = decided
    client.force_login(commissioner())
    response = client.post(
        _edit_url(decision),
        {"feedback": "Clear words", "signposting": "Ask the CVS", "version": 1, "approve": "yes"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.feedback) == (Decision.Status.APPROVED, "Clear words")


def test_empty_feedback_is_refused_and_nothing_changes(client, decided):
    decision, _owner = decided
    client.force_login(commissioner())
    response = client.post(_edit_url(decision), {"feedback": "", "version": 1, "approve": "yes"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "Enter the feedback for the group" in response.content.decode()
    decision.refresh_from_db()
    assert (decision.status, decision.feedback) == (Decision.Status.RECORDED, "")


def test_two_commissioners_saving_at_once_the_second_is_told(client, decided):
    decision, _owner = decided
    client.force_login(commissioner())
    client.post(_edit_url(decision), {"feedback": "First", "version": 1})
    response = client.post(_edit_url(decision), {"feedback": "Second", "version": 1})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this feedback" in page
    assert "First" in page
    decision.refresh_from_db()
    assert decision.feedback == "First"


def test_release_refused_lists_what_is_not_approved(client, decided):
    decision, _owner = decided
    client.force_login(commissioner())
    url = reverse("panels:decisions-release", args=[decision.application.round.slug])
    response = client.post(url)
    assert response.status_code == 400
    assert decision.application.reference in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RECORDED


def test_group_sees_its_decision_only_once_released_and_never_scorers(client, decided):
    decision, owner = decided
    section = FormSectionFactory(round=decision.application.round, title="Your project")
    client.force_login(owner)
    url = reverse("panels:decision-detail", args=[decision.application.reference])
    detail = reverse("applications:application-detail", args=[decision.application.pk])
    assert client.get(url).status_code == 404
    assert "The panel’s decision and feedback" not in client.get(detail).content.decode()
    Decision.objects.filter(pk=decision.pk).update(
        status=Decision.Status.RELEASED,
        feedback="Tell us who asked for it.",
        section_feedback={str(section.pk): "Count the carers."},
    )
    page = client.get(url).content.decode()
    assert "Decline" in page
    assert "Tell us who asked for it." in page
    assert "Your project" in page and "Count the carers." in page
    assert "Rosa Fenwick" not in page
    assert "The panel’s decision and feedback" in client.get(detail).content.decode()


def test_group_chooses_a_time_and_a_taken_time_is_refused(client):
    round = closed_round()
    panel = PanelFactory(round=round)
    slot = InterviewSlotFactory(panel=panel)
    mine = InterviewInvitationFactory(application=SubmittedApplicationFactory(round=round))
    theirs = InterviewInvitationFactory(application=SubmittedApplicationFactory(round=round))
    owner = MembershipFactory(organisation=mine.application.organisation).user
    other = MembershipFactory(organisation=theirs.application.organisation).user
    client.force_login(owner)
    url = reverse("panels:interview-book", args=[mine.application.reference])
    response = client.post(url, {"slot": slot.pk, "access_needs": "A hearing loop"})
    assert response.status_code == 302
    client.force_login(other)
    url = reverse("panels:interview-book", args=[theirs.application.reference])
    response = client.post(url, {"slot": slot.pk})
    assert response.status_code == 400
    assert "Another group has just chosen that time" in response.content.decode()
    assert InterviewInvitation.objects.get(pk=theirs.pk).slot is None
    assert InterviewInvitation.objects.get(pk=mine.pk).access_needs == "A hearing loop"


def test_commissioner_adds_a_time_and_a_bad_one_is_explained(client):
    panel = PanelFactory(round=closed_round())
    client.force_login(commissioner())
    url = reverse("panels:interview-slot-add", args=[panel.round.slug])
    bad = client.post(
        url,
        {"date_day": "3", "date_month": "3", "date_year": "2099", "starts": "11am", "ends": "10am"},
    )
    assert bad.status_code == 400
    assert "The interview must end after it starts" in bad.content.decode()
    good = client.post(
        url,
        {
            "date_day": "3",
            "date_month": "3",
            "date_year": "2099",
            "starts": "10am",
            "ends": "11am",
            "place": "Marsh Lane Hall",
        },
    )
    assert good.status_code == 302
    assert [slot.place for slot in panel.interview_slots.all()] == ["Marsh Lane Hall"]


def test_member_pack_page_refreshes_while_being_prepared(client):
    member = PanelMemberFactory(panel=PanelFactory(round=closed_round()))
    client.force_login(member.user)
    url = reverse("panels:pack-detail", args=[member.panel.round.slug])
    assert "Make my panel pack" in client.get(url).content.decode()
    PanelPack.objects.create(key="waiting", member=member)
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "Being prepared" in page
