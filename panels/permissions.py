"""Who may see and do what on a round's panel.

Each rule is stated once. Commissioners see everything. A panel member sees their own
panels and, within them, only the applications assigned to them for which they have not
declared an interest; a conflicted member may not know the application's scores, documents
or pack exist (404). Applicants see only their decision and feedback, once released.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from microcomm.permissions import (
    ALLOWED,
    Rule,
    Verdict,
    is_active,
    is_commissioner,
    is_member,
    organisations_of,
    refused,
)
from panels.models import (
    ConflictDeclaration,
    Decision,
    InterviewInvitation,
    Panel,
    PanelMember,
    PanelPack,
    Scorecard,
)
from panels.rubric_rules import rubric_locked_reason
from rounds.models import Round

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

    AnyUser = User | AnonymousUser

# A member who was removed keeps their scores (marked) but sees nothing any more.
SEATED = (PanelMember.Status.INVITED, PanelMember.Status.ACTIVE)


def conflicted(member_ref: str = "member", organisation_ref: str = "application__organisation"):
    """Whether the member declared an interest in the organisation: an Exists expression."""
    return Exists(
        ConflictDeclaration.objects.filter(
            member=OuterRef(member_ref), organisation=OuterRef(organisation_ref)
        ).exclude(interest=ConflictDeclaration.Interest.NONE)
    )


# The panels a person sits on (invited or active); commissioners see every panel.
PANELS: Rule[Panel] = Rule(
    model=Panel,
    sees_all=is_commissioner,
    involving=lambda user: Q(members__user=user, members__status__in=SEATED),
)

# Seats: a member sees their own; commissioners see all.
MEMBERS: Rule[PanelMember] = Rule(
    model=PanelMember,
    sees_all=is_commissioner,
    involving=lambda user: Q(user=user, status__in=SEATED),
)

# Scorecards: a member sees their own, for applications they are not conflicted on.
SCORECARDS: Rule[Scorecard] = Rule(
    model=Scorecard,
    sees_all=is_commissioner,
    involving=lambda user: (
        Q(member__user=user, member__status=PanelMember.Status.ACTIVE) & ~Q(conflicted())
    ),
)


def seat_of(user: AnyUser, panel: Panel) -> PanelMember | None:
    """The person's seat on the panel, if they hold one (invited or active)."""
    if not is_active(user):
        return None
    return PanelMember.objects.filter(panel=panel, user=user, status__in=SEATED).first()


def can_manage_panels(user: AnyUser) -> bool:
    """Commissioners set up rubrics and panels, assign, moderate and run the meeting."""
    return is_commissioner(user)


# Conflicts of interest, assignment, independent scoring, look-again.


def shows_panel_work(user: AnyUser, round: Round) -> bool:
    """Whether the panel page offers the work that follows the round's closing to this person.

    Assigning, conflicts, moderation, the meeting, feedback, interviews and packs follow
    the round's closing. A pure function of the person and the round: no query, so a page
    that lists many rounds costs nothing more for it.
    """
    return bool(can_manage_panels(user)) and round.current_status not in (
        Round.Status.DRAFT,
        Round.Status.SCHEDULED,
        Round.Status.OPEN,
    )


def can_score(user: AnyUser, scorecard: Scorecard) -> Verdict:
    """Only the member the application is assigned to scores it, while the card is open."""
    if not (is_active(user) and scorecard.member.user_id == user.pk):
        return refused("Only the panel member the application is assigned to can score it")
    if scorecard.member.status != PanelMember.Status.ACTIVE:
        return refused("You are no longer on this panel, so you cannot change scores")
    if scorecard.status == Scorecard.Status.SUBMITTED:
        return refused("You have submitted these scores. A commissioner can ask you to look again.")
    return ALLOWED


def can_ask_to_look_again(user: AnyUser, scorecard: Scorecard) -> Verdict:
    """Commissioners moderate: they ask a scorer to look again at a submitted score."""
    return Verdict.of(can_manage_panels(user), "Only commissioners can ask a scorer to look again")


def can_see_others_scores(member: PanelMember, scorecard: Scorecard) -> bool:
    """Nobody sees others' scores before submitting their own; then only if the panel allows."""
    return (
        member.panel.scores_shared_before_meeting and scorecard.status == Scorecard.Status.SUBMITTED
    )


# Feedback, releasing decisions, the applicant's view, interviews, panel packs.

# Decisions: commissioners see every one; the group sees its own once released, never
# before (404: it may not know one has been recorded).
DECISIONS: Rule[Decision] = Rule(
    model=Decision,
    sees_all=is_commissioner,
    involving=lambda user: Q(
        status=Decision.Status.RELEASED,
        application__organisation_id__in=organisations_of(user),
    ),
)

# Interview invitations: commissioners, and the invited group.
INTERVIEWS: Rule[InterviewInvitation] = Rule(
    model=InterviewInvitation,
    sees_all=is_commissioner,
    involving=lambda user: Q(application__organisation_id__in=organisations_of(user)),
)

# Panel packs: a member's own, and commissioners, who can make one for each member.
PACKS: Rule[PanelPack] = Rule(
    model=PanelPack,
    sees_all=is_commissioner,
    involving=lambda user: Q(member__user=user, member__status__in=SEATED),
)


def can_manage_feedback(user: AnyUser) -> Verdict:
    """Commissioners edit, approve and release the feedback, and run the interviews."""
    return Verdict.of(
        is_commissioner(user), "Only commissioners can change feedback and interviews"
    )


def can_book_interview(user: AnyUser, invitation: InterviewInvitation) -> Verdict:
    """A member of the invited group chooses a time, until the panel's decision is out."""
    if not is_member(user, invitation.application.organisation):
        return refused("Only the invited group can choose its interview time")
    decision = Decision.objects.filter(application_id=invitation.application_id).first()
    if decision is not None and decision.status == Decision.Status.RELEASED:
        return refused("The panel has made its decision, so the interview is over")
    return ALLOWED


def can_have_pack(user: AnyUser, panel: Panel) -> Verdict:
    """A seated member makes their own pack; others may know the panel but have none."""
    return Verdict.of(
        seat_of(user, panel) is not None, "Only members of the panel have a panel pack"
    )


# The panel's settings and members, invitations, the panel home, attendance and
# payments, practice.


def can_manage_panel(user: AnyUser) -> Verdict:
    """Commissioners set the panel's rules, seat and remove members, record attendance."""
    return Verdict.of(
        can_manage_panels(user), "Only commissioners can set up a round's panel and its members"
    )


def can_use_panel_home(user: AnyUser) -> Verdict:
    """The panel home page is for people who sit on a panel now."""
    return Verdict.of(
        is_active(user) and PanelMember.objects.filter(user=user, status__in=SEATED).exists(),
        "This page is for members of a round's panel",
    )


def can_practise(user: AnyUser, panel: Panel) -> Verdict:
    """Members try the practice application on their own panel's scoring system."""
    return Verdict.of(
        seat_of(user, panel) is not None,
        "Only members of this panel can try the practice application",
    )


# Moderation, the decision meeting, decisions, the ranking and the minutes.


def can_moderate_scores(user: AnyUser) -> Verdict:
    """Commissioners moderate: the spread of scores and each scorer's leniency."""
    return Verdict.of(is_commissioner(user), "Only commissioners can moderate the scores")


def is_chair(user: AnyUser, panel: Panel) -> bool:
    """The person holds the panel's chair as an active member."""
    return is_active(user) and (
        PanelMember.objects.filter(
            panel=panel, user=user, role=PanelMember.Role.CHAIR, status=PanelMember.Status.ACTIVE
        ).exists()
    )


def can_run_meeting(user: AnyUser, panel: Panel) -> Verdict:
    """The panel's chair or a commissioner records attendance and decisions, and the
    ranking and minutes of the meeting."""
    return Verdict.of(
        is_commissioner(user) or is_chair(user, panel),
        "Only the panel's chair or a commissioner can run the meeting and record decisions",
    )


# The scoring system (rubric).


def can_change_rubric(user: AnyUser, round: Round) -> Verdict:
    """Commissioners agree the scoring system while the round is a draft; then it is locked."""
    if not can_manage_panels(user):
        return refused("Only commissioners can set how applications will be scored")
    reason = rubric_locked_reason(round)
    return Verdict.of(not reason, reason)
