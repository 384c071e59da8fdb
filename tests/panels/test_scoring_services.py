"""Conflicts of interest, assignment, scoring and looking again, through the services."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from applications.models import Application
from microcomm.errors import DomainError
from microcomm.models import AuditEvent, Notification, OutboundEmail
from panels.models import ConflictDeclaration, PanelMember, Score, Scorecard
from panels.selectors.conflicts import conflict_register, declarations_missing
from panels.selectors.scoring import (
    assignment_overview,
    others_scores,
    rubric_criteria,
    scorecards_for_member,
)
from panels.services.conflicts import conflicts_declare
from panels.services.scoring import (
    STALE,
    score_look_again,
    scorecard_save,
    scorecard_submit,
    scorecards_assign,
)
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import UserFactory, commissioner
from tests.panels.factories import (
    ConflictFactory,
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    rubric_for,
)

pytestmark = pytest.mark.django_db

NONE = ConflictDeclaration.Interest.NONE
TRUSTEE = ConflictDeclaration.Interest.TRUSTEE


@pytest.fixture
def panel():
    panel = PanelFactory(scorers_per_application=2)
    rubric_for(panel.round)  # weights 40, 30, 20, 10 on 0 to 3 scales
    return panel


def _members(panel, count):
    return [
        PanelMemberFactory(panel=panel, user=UserFactory(full_name=f"Member {number}"))
        for number in range(count)
    ]


def _applications(panel, count):
    return [SubmittedApplicationFactory(round=panel.round) for _ in range(count)]


def _no_interests(member, applications):
    conflicts_declare(
        member=member,
        answers={application.organisation_id: (NONE, "") for application in applications},
        actor=member.user,
    )


def _given(criteria, values, comment="Because"):
    return {
        criterion.pk: (value, comment) for criterion, value in zip(criteria, values, strict=True)
    }


# Conflict declarations.


def test_a_member_declares_for_every_group_and_each_answer_is_audited(panel):
    applications = _applications(panel, 2)
    member = PanelMemberFactory(panel=panel)
    assert declarations_missing(member=member)

    conflicts_declare(
        member=member,
        answers={
            applications[0].organisation_id: (NONE, ""),
            applications[1].organisation_id: (TRUSTEE, "I chair their committee"),
        },
        actor=member.user,
    )

    assert not declarations_missing(member=member)
    interest = ConflictDeclaration.objects.get(organisation=applications[1].organisation)
    assert (interest.interest, interest.description, interest.recorded_by) == (
        TRUSTEE,
        "I chair their committee",
        member.user,
    )
    events = AuditEvent.objects.filter(verb="conflict.declare")
    assert events.count() == 2
    assert {event.to_state for event in events} == {NONE, TRUSTEE}


def test_an_interest_without_a_description_saves_nothing(panel):
    applications = _applications(panel, 2)
    member = PanelMemberFactory(panel=panel)

    with pytest.raises(DomainError, match="Describe your interest in"):
        conflicts_declare(
            member=member,
            answers={
                applications[0].organisation_id: (NONE, ""),
                applications[1].organisation_id: (TRUSTEE, "  "),
            },
            actor=member.user,
        )

    assert not ConflictDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(verb="conflict.declare").exists()


def test_every_group_applying_must_be_answered(panel):
    applications = _applications(panel, 2)
    member = PanelMemberFactory(panel=panel)

    with pytest.raises(DomainError, match="Say whether you have an interest"):
        conflicts_declare(
            member=member, answers={applications[0].organisation_id: (NONE, "")}, actor=member.user
        )

    assert not ConflictDeclaration.objects.exists()


def test_only_a_commissioner_withdraws_an_interest_and_the_register_says_who_recorded_it(panel):
    (application,) = _applications(panel, 1)
    member = PanelMemberFactory(panel=panel, user=UserFactory(full_name="Lay Member"))
    organisation = application.organisation_id
    conflicts_declare(
        member=member, answers={organisation: (TRUSTEE, "Trustee")}, actor=member.user
    )

    with pytest.raises(DomainError, match="Only a commissioner can withdraw it"):
        conflicts_declare(member=member, answers={organisation: (NONE, "")}, actor=member.user)

    chief = commissioner(full_name="Chief Commissioner")
    conflicts_declare(member=member, answers={organisation: (NONE, "")}, actor=chief)
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.interest, declaration.recorded_by) == (NONE, chief)
    assert AuditEvent.objects.filter(verb="conflict.record", actor=chief).count() == 1
    register = conflict_register(panel=panel)
    assert [(row.member.user.full_name, row.declared, row.interests) for row in register.rows] == [
        ("Lay Member", 1, [])
    ]


def test_declaring_an_interest_after_assignment_takes_away_unstarted_and_hides_started(panel):
    first, second = _applications(panel, 2)
    member = PanelMemberFactory(panel=panel)
    unstarted = ScorecardFactory(member=member, application=first)
    started = ScorecardFactory(
        member=member, application=second, status=Scorecard.Status.IN_PROGRESS
    )

    conflicts_declare(
        member=member,
        answers={
            first.organisation_id: (TRUSTEE, "Trustee"),
            second.organisation_id: (ConflictDeclaration.Interest.EMPLOYEE, "I work there"),
        },
        actor=member.user,
    )

    assert not Scorecard.objects.filter(pk=unstarted.pk).exists()
    assert Scorecard.objects.filter(pk=started.pk).exists()
    assert list(scorecards_for_member(member=member)) == []
    assert AuditEvent.objects.filter(verb="scorecard.unassign").count() == 1


# Assignment.


def test_balanced_assignment_spreads_the_load_and_never_assigns_a_conflicted_member(panel):
    members = _members(panel, 4)
    applications = _applications(panel, 6)
    # Member 0 is a trustee of the first two groups.
    for application in applications[:2]:
        ConflictFactory(member=members[0], application=application)

    result = scorecards_assign(panel=panel, everyone=False, actor=commissioner())

    assert result.created == 12
    per_application = Counter(Scorecard.objects.values_list("application_id", flat=True))
    assert set(per_application.values()) == {2}
    per_member = Counter(Scorecard.objects.values_list("member_id", flat=True))
    assert sorted(per_member.values()) == [3, 3, 3, 3]
    assert not Scorecard.objects.filter(
        member=members[0], application__in=applications[:2]
    ).exists()
    assert assignment_overview(panel=panel).short == []


def test_everyone_scores_everything_they_have_no_interest_in(panel):
    members = _members(panel, 3)
    applications = _applications(panel, 2)
    ConflictFactory(member=members[2], application=applications[1])

    scorecards_assign(panel=panel, everyone=True, actor=commissioner())

    assert set(Scorecard.objects.values_list("member_id", "application_id")) == {
        (members[0].pk, applications[0].pk),
        (members[0].pk, applications[1].pk),
        (members[1].pk, applications[0].pk),
        (members[1].pk, applications[1].pk),
        (members[2].pk, applications[0].pk),
    }
    assert all(card.status == Scorecard.Status.NOT_STARTED for card in Scorecard.objects.all())


def test_only_eligible_submitted_applications_are_assigned(panel):
    _members(panel, 2)
    (eligible,) = _applications(panel, 1)
    SubmittedApplicationFactory(round=panel.round, eligibility={"eligible": False})
    SubmittedApplicationFactory(
        round=panel.round, eligibility={"eligible": False}, eligibility_override_reason="Fine"
    )
    SubmittedApplicationFactory(round=panel.round, status=Application.Status.DRAFT)

    scorecards_assign(panel=panel, everyone=True, actor=commissioner())

    assigned = set(Scorecard.objects.values_list("application__reference", flat=True))
    assert eligible.reference in assigned
    assert len(assigned) == 2  # the eligible one and the overridden one


def test_an_application_with_too_few_unconflicted_members_is_flagged(panel):
    members = _members(panel, 2)
    (application,) = _applications(panel, 1)
    ConflictFactory(member=members[0], application=application)

    scorecards_assign(panel=panel, everyone=False, actor=commissioner())

    (short,) = assignment_overview(panel=panel).short
    assert (short.application, short.scorers, short.candidates) == (application, 1, 1)


def test_assigning_again_keeps_started_scorecards(panel):
    members = _members(panel, 3)
    (application,) = _applications(panel, 1)
    started = ScorecardFactory(
        member=members[2], application=application, status=Scorecard.Status.IN_PROGRESS
    )

    scorecards_assign(panel=panel, everyone=False, actor=commissioner())
    scorecards_assign(panel=panel, everyone=False, actor=commissioner())

    assert Scorecard.objects.filter(pk=started.pk, status=Scorecard.Status.IN_PROGRESS).exists()
    assert Scorecard.objects.filter(application=application).count() == 2


# Scoring.


@pytest.fixture
def scorecard(panel):
    card = ScorecardFactory(member=PanelMemberFactory(panel=panel))
    _no_interests(card.member, [card.application])
    return card


def test_saving_part_of_the_scores_starts_the_scorecard(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)

    saved = scorecard_save(
        scorecard=scorecard,
        given=_given(criteria, [3, None, None, None]),
        version=1,
        actor=scorecard.member.user,
    )

    assert (saved.status, saved.version, saved.weighted_score) == (
        Scorecard.Status.IN_PROGRESS,
        2,
        None,
    )
    assert list(Score.objects.order_by("criterion__position").values_list("value", flat=True)) == [
        3,
        None,
        None,
        None,
    ]


def test_a_save_from_a_stale_page_is_refused_and_changes_nothing(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)
    scorecard_save(
        scorecard=scorecard,
        given=_given(criteria, [3, 3, None, None]),
        version=1,
        actor=scorecard.member.user,
    )

    with pytest.raises(DomainError) as refused:
        scorecard_save(
            scorecard=scorecard,
            given=_given(criteria, [0, 0, 0, 0]),
            version=1,
            actor=scorecard.member.user,
        )

    assert refused.value.message == STALE
    assert list(Score.objects.order_by("criterion__position").values_list("value", flat=True)) == [
        3,
        3,
        None,
        None,
    ]


def test_a_score_outside_the_scale_is_refused_by_name(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)

    with pytest.raises(DomainError) as refused:
        scorecard_save(
            scorecard=scorecard,
            given=_given(criteria, [7, None, None, None]),
            version=1,
            actor=scorecard.member.user,
        )

    assert refused.value.message == f"Choose a score for {criteria[0].name} from 0 to 3"
    assert refused.value.field == f"criterion-{criteria[0].pk}-value"
    assert not Score.objects.exists()


def test_scoring_after_declaring_an_interest_is_refused(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)
    ConflictDeclaration.objects.filter(member=scorecard.member).update(
        interest=TRUSTEE, description="Trustee"
    )

    with pytest.raises(DomainError, match="declared an interest"):
        scorecard_submit(
            scorecard=scorecard,
            given=_given(criteria, [3, 3, 3, 3]),
            version=1,
            actor=scorecard.member.user,
        )

    assert not Score.objects.exists()


def test_submitting_works_out_the_weighted_score_on_the_server(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)

    submitted = scorecard_submit(
        scorecard=scorecard,
        given=_given(criteria, [3, 2, 1, 0]),
        version=1,
        actor=scorecard.member.user,
    )

    # 40 x 3/3 + 30 x 2/3 + 20 x 1/3 + 10 x 0/3
    assert submitted.weighted_score == Decimal("66.67")
    assert submitted.status == Scorecard.Status.SUBMITTED
    assert submitted.submitted_at is not None
    with pytest.raises(DomainError, match="already been submitted"):
        scorecard_save(
            scorecard=scorecard,
            given=_given(criteria, [0, 0, 0, 0]),
            version=submitted.version,
            actor=scorecard.member.user,
        )


def test_submitting_with_a_criterion_unscored_saves_nothing(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)

    with pytest.raises(DomainError, match=f"Not scored yet: {criteria[3].name}"):
        scorecard_submit(
            scorecard=scorecard,
            given=_given(criteria, [3, 2, 1, None]),
            version=1,
            actor=scorecard.member.user,
        )

    scorecard.refresh_from_db()
    assert (scorecard.status, scorecard.version) == (Scorecard.Status.NOT_STARTED, 1)
    assert not Score.objects.exists()


def test_a_member_removed_from_the_panel_cannot_change_scores(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)
    PanelMember.objects.filter(pk=scorecard.member_id).update(status=PanelMember.Status.REMOVED)

    with pytest.raises(DomainError, match="no longer on this panel"):
        scorecard_save(
            scorecard=scorecard,
            given=_given(criteria, [1, 1, 1, 1]),
            version=1,
            actor=scorecard.member.user,
        )


# Looking again.


def test_looking_again_tells_the_scorer_and_a_changed_score_needs_a_reason(scorecard):
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id)
    submitted = scorecard_submit(
        scorecard=scorecard,
        given=_given(criteria, [3, 2, 1, 0]),
        version=1,
        actor=scorecard.member.user,
    )

    asked = score_look_again(
        scorecard=submitted,
        note="The budget has no quotes",
        criterion=criteria[0],
        actor=commissioner(),
    )

    assert asked.status == Scorecard.Status.LOOK_AGAIN
    assert asked.look_again_note == f"{criteria[0].name}: The budget has no quotes"
    notification = Notification.objects.get(user=scorecard.member.user)
    assert "look again" in notification.subject
    email = OutboundEmail.objects.get(to=scorecard.member.user.email)
    assert "The budget has no quotes" in email.body_text

    with pytest.raises(DomainError, match=f"Say why you changed the score for {criteria[0].name}"):
        scorecard_submit(
            scorecard=asked,
            given=_given(criteria, [1, 2, 1, 0]),
            version=asked.version,
            actor=scorecard.member.user,
        )

    resubmitted = scorecard_submit(
        scorecard=asked,
        given=_given(criteria, [1, 2, 1, 0]),
        reasons={criteria[0].pk: "I missed that the quotes were absent"},
        version=asked.version,
        actor=scorecard.member.user,
    )

    assert resubmitted.status == Scorecard.Status.SUBMITTED
    # 40 x 1/3 + 30 x 2/3 + 20 x 1/3
    assert resubmitted.weighted_score == Decimal("40.00")
    change = AuditEvent.objects.get(verb="score.change")
    assert (change.from_state, change.to_state, change.reason) == (
        "3",
        "1",
        "I missed that the quotes were absent",
    )
    assert (change.detail["old"], change.detail["new"]) == (3, 1)


def test_only_submitted_scores_can_be_looked_at_again(scorecard):
    with pytest.raises(DomainError, match="Only submitted scores"):
        score_look_again(scorecard=scorecard, note="Please check", actor=commissioner())


def test_others_scores_leave_out_conflicted_scorers_and_never_name_anyone(panel):
    criteria = rubric_criteria(round_id=panel.round_id)
    (application,) = _applications(panel, 1)
    mine, theirs, conflicted = (
        ScorecardFactory(member=member, application=application) for member in _members(panel, 3)
    )
    for card in (mine, theirs, conflicted):
        _no_interests(card.member, [application])
        scorecard_submit(
            scorecard=card,
            given=_given(criteria, [3, 3, 3, 3]),
            version=1,
            actor=card.member.user,
        )
    ConflictDeclaration.objects.filter(member=conflicted.member).update(
        interest=TRUSTEE, description="Trustee"
    )

    others = others_scores(scorecard=mine, criteria=criteria)

    assert [(other.label, other.weighted_score, other.values) for other in others] == [
        ("Scorer 1", Decimal("100.00"), [3, 3, 3, 3])
    ]
