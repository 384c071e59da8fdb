"""The meeting's services and what the meeting reads: who counts, coverage, changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications.models import Application
from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from panels.models import Decision, PanelMember, Scorecard
from panels.selectors.meeting.agenda import meeting_for
from panels.selectors.meeting.panel import panel_for_meeting
from panels.services.meeting import decision_change, decision_record
from rounds.models import Question
from tests.applications.factories import AnswerFactory, DueDiligenceItemFactory
from tests.microcomm.factories import LocalityFactory, ThemeFactory, commissioner
from tests.panels.factories import ConflictFactory
from tests.panels.meeting_data import meeting_build
from tests.rounds.factories import FormSectionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _meeting(panel):
    return meeting_for(panel=panel_for_meeting(user=commissioner(), slug=panel.round.slug))


def test_conflicted_and_unsubmitted_scores_never_count_but_a_removed_members_do():
    panel = meeting_build(applications=1, scorers=4, weights=(50, 50))
    application = panel.round.applications.get()
    members = list(panel.members.order_by("pk"))
    ConflictFactory(member=members[1], application=application)
    Scorecard.objects.filter(member=members[2]).update(status=Scorecard.Status.LOOK_AGAIN)
    PanelMember.objects.filter(pk=members[3].pk).update(status=PanelMember.Status.REMOVED)

    item = _meeting(panel).items[0]

    # The chair's and the removed member's scores count; not the conflicted one's, nor
    # the ones asked to look again.
    assert item.ranked.scorers == 2
    assert [member.pk for member in item.leaving] == [members[1].pk]


def test_coverage_comes_from_the_priorities_and_places_the_answers_chose():
    panel = meeting_build(applications=2, scorers=3, amount_available=Decimal("400"))
    round = panel.round
    food, walking = ThemeFactory(name="Food"), ThemeFactory(name="Walking")
    oak, ash = LocalityFactory(name="Oak"), LocalityFactory(name="Ash")
    round.priority_themes.add(food, walking)
    round.eligible_localities.add(oak, ash)
    section = FormSectionFactory(round=round)
    priorities = QuestionFactory(section=section, kind=Question.Kind.PRIORITIES)
    places = QuestionFactory(section=section, kind=Question.Kind.LOCALITIES)
    first, second = Application.objects.filter(round=round).order_by("reference")
    # They ask for 300 and 400 of the 400: whichever ranks first is above the line.
    AnswerFactory(application=first, question=priorities, value=[f"theme:{food.pk}"])
    AnswerFactory(application=first, question=places, value=[oak.pk])
    AnswerFactory(application=second, question=priorities, value=[f"theme:{walking.pk}"])
    AnswerFactory(application=second, question=places, value=[ash.pk])

    meeting = _meeting(panel)

    above = [item.application.pk for item in meeting.items if item.ranked.above_line]
    assert above == [first.pk] or above == [second.pk]
    covered_theme = "Food" if above == [first.pk] else "Walking"
    assert meeting.coverage.priorities_covered == [covered_theme]
    assert meeting.coverage.localities_covered == ["Oak" if above == [first.pk] else "Ash"]
    assert len(meeting.coverage.priorities_uncovered) == 1


def test_a_decision_records_the_conflicts_and_who_left_the_room():
    panel = meeting_build(applications=1, scorers=4)
    application = panel.round.applications.get()
    away = panel.members.order_by("pk").last()
    ConflictFactory(member=away, application=application, description="Chair of the group")
    boss = commissioner()

    decision = decision_record(
        panel=panel, application=application, outcome="defer", reason="Later", actor=boss
    )

    assert decision.members_present.count() == 3
    assert decision.conflicts_at_decision[0]["member"] == away.pk
    assert decision.conflicts_at_decision[0]["present"] is True
    assert AuditEvent.objects.filter(verb="decision.recorded").count() == 1


def test_two_people_changing_a_decision_at_once_are_told_not_overwritten():
    panel = meeting_build(applications=1, scorers=3)
    application = panel.round.applications.get()
    boss = commissioner()
    decision = decision_record(
        panel=panel, application=application, outcome="defer", reason="Later", actor=boss
    )
    decision_change(
        decision=decision,
        outcome="interview",
        reason="Meet them",
        change_reason="We want to meet them",
        version=1,
        actor=boss,
    )

    with pytest.raises(DomainError, match="Someone else changed this decision"):
        decision_change(
            decision=decision,
            outcome="fund_full",
            reason="Fund",
            change_reason="Fund it",
            version=1,
            actor=boss,
        )

    assert Decision.objects.get().outcome == "interview"
    assert AuditEvent.objects.filter(verb="decision.change").count() == 1


def test_a_released_decision_cannot_change():
    panel = meeting_build(applications=1, scorers=3)
    application = panel.round.applications.get()
    boss = commissioner()
    decision = decision_record(
        panel=panel, application=application, outcome="defer", reason="Later", actor=boss
    )
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.RELEASED)

    with pytest.raises(DomainError, match="released"):
        decision_change(
            decision=decision,
            outcome="fund_full",
            reason="Fund",
            change_reason="Fund it",
            version=1,
            actor=boss,
        )


def test_gates_failed_are_shown_and_not_counted_against_the_money():
    panel = meeting_build(applications=3, scorers=3)
    not_eligible, overridden, unchecked = Application.objects.filter(round=panel.round).order_by(
        "reference"
    )
    Application.objects.filter(pk=not_eligible.pk).update(eligibility={"eligible": False})
    Application.objects.filter(pk=overridden.pk).update(
        eligibility={"eligible": False}, eligibility_override_reason="Checked by phone"
    )
    DueDiligenceItemFactory(application=unchecked, verified=False)

    items = {item.application.pk: item for item in _meeting(panel).items}

    assert items[not_eligible.pk].gates_failed == ("Not eligible",)
    assert items[overridden.pk].gates_failed == ()
    assert items[unchecked.pk].gates_failed == ("Due diligence not complete (1 check left)",)
    assert items[not_eligible.pk].ranked.running_total is None
    assert items[overridden.pk].ranked.above_line
