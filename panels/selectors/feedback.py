"""Reads for the feedback, the released decisions, interviews and panel packs (area E).

Nothing here ever hands a page the scorers' names or their individual scores: the feedback
is drafted from their comments alone, and the group's pages show only the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from applications.models import Application
from applications.selectors.applying import application_answer_sections
from panels.models import (
    ConflictDeclaration,
    Criterion,
    Decision,
    InterviewInvitation,
    InterviewSlot,
    Panel,
    PanelMember,
    PanelPack,
    Score,
    Scorecard,
)
from panels.permissions import DECISIONS, INTERVIEWS, PACKS, conflicted
from rounds.models import FormSection, Round

if TYPE_CHECKING:
    from panels.permissions import AnyUser

DEFAULT_SIGNPOSTING = (
    "Your local council for voluntary service (CVS) can help your group plan a project, "
    "write a bid and find other funds. Local community foundations, the National Lottery "
    "Community Fund and the funding search on your council's website list other grants "
    "you could apply for."
)


def signposting_default() -> str:
    """Where feedback points groups for help: the scheme's own words, or the default."""
    return settings.FEEDBACK_SIGNPOSTING or DEFAULT_SIGNPOSTING


def round_decisions(*, round: Round) -> QuerySet[Decision]:
    """The decisions recorded on the round's applications, for the commissioner's list."""
    return (
        Decision.objects.filter(application__round=round)
        .select_related("application__organisation", "feedback_approved_by")
        .order_by("application__reference")
    )


def round_decisions_not_approved(*, round: Round) -> list[str]:
    """The references of the round's decisions whose feedback is not approved yet."""
    return list(
        Decision.objects.filter(application__round=round, status=Decision.Status.RECORDED)
        .order_by("application__reference")
        .values_list("application__reference", flat=True)
    )


def decision_criteria(*, decision: Decision) -> list[Criterion]:
    rubric_id = getattr(getattr(decision.application.round, "rubric", None), "pk", None)
    return list(Criterion.objects.filter(rubric_id=rubric_id).order_by("position", "id"))


def decision_feedback_draft(*, decision: Decision) -> str:
    """A first draft of the feedback: the decision and its reasons, the criteria that weighed
    against the application, and what the panel said about each criterion.

    Drawn from the comments of submitted scores by members with no interest declared in
    the group; never the scorers' names or their scores.
    """
    application = decision.application
    criteria = decision_criteria(decision=decision)
    comments: dict[int, list[str]] = {criterion.pk: [] for criterion in criteria}
    scores = (
        Score.objects.filter(
            scorecard__application=application,
            scorecard__status=Scorecard.Status.SUBMITTED,
            criterion__in=criteria,
        )
        .exclude(comment="")
        .filter(~Q(conflicted("scorecard__member", "scorecard__application__organisation")))
        .order_by("criterion__position", "scorecard_id")
    )
    for score in scores:
        comments[score.criterion_id].append(score.comment.strip())
    against = {str(pk) for pk in decision.criteria_against}
    lines = [
        f"Thank you for applying to {application.round.title}. "
        f"The panel's decision: {decision.get_outcome_display()}.",
    ]
    if decision.reason.strip():
        lines += ["", "Why the panel decided this:", decision.reason.strip()]
    weighed = [c.name for c in criteria if str(c.pk) in against]
    if weighed:
        lines += ["", "What weighed against your application: " + ", ".join(weighed) + "."]
    said = [(c.name, comments[c.pk]) for c in criteria if comments[c.pk]]
    if said:
        lines += ["", "What the panel said:"]
        for name, texts in said:
            lines.append(f"{name}: " + " ".join(texts))
    if decision.conditions.strip():
        lines += ["", "Conditions:", decision.conditions.strip()]
    return "\n".join(lines)


def application_sections(*, application: Application) -> list[FormSection]:
    return list(FormSection.objects.filter(round_id=application.round_id).order_by("order", "id"))


def decision_for_group(*, user: AnyUser, reference: str) -> Decision | None:
    """The decision on the application with this reference, if this person may see it."""
    return (
        DECISIONS.visible(user)
        .filter(application__reference=reference)
        .select_related("application__round", "application__organisation")
        .first()
    )


def decision_section_feedback(*, decision: Decision) -> list[tuple[str, str]]:
    """(section title, feedback) for the sections the feedback speaks of, in form order."""
    given = {str(key): text for key, text in decision.section_feedback.items() if text}
    return [
        (section.title, given[str(section.pk)])
        for section in application_sections(application=decision.application)
        if str(section.pk) in given
    ]


def previous_feedback(application_id: int) -> dict[str, str]:
    """The released feedback on an earlier application, by section title in lower case:
    what applications shows beside each section when the group applies again."""
    decision = (
        Decision.objects.filter(application_id=application_id, status=Decision.Status.RELEASED)
        .select_related("application")
        .first()
    )
    if decision is None:
        return {}
    return {
        title.strip().lower(): text for title, text in decision_section_feedback(decision=decision)
    }


def application_released_decision(application: Application) -> Decision | None:
    """The released decision on an application, for the link on the group's page."""
    return Decision.objects.filter(application=application, status=Decision.Status.RELEASED).first()


# Interviews -----------------------------------------------------------------------------


def interview_slots(*, panel: Panel) -> QuerySet[InterviewSlot]:
    return InterviewSlot.objects.filter(panel=panel).select_related(
        "invitation__application__organisation"
    )


def interview_slots_free(*, panel: Panel) -> QuerySet[InterviewSlot]:
    return InterviewSlot.objects.filter(panel=panel, invitation__isnull=True)


def interview_invitations(*, round: Round) -> QuerySet[InterviewInvitation]:
    return (
        InterviewInvitation.objects.filter(application__round=round)
        .select_related("application__organisation", "slot")
        .order_by("application__reference")
    )


def interview_shortlist(*, round: Round) -> QuerySet[Application]:
    """The round's submitted applications not yet invited: those the chair decided to
    invite to interview first, then the others, which a commissioner may also choose."""
    return (
        Application.objects.filter(round=round, status=Application.Status.SUBMITTED)
        .filter(interview__isnull=True)
        .select_related("organisation", "decision")
        .order_by("reference")
    )


def interview_for_group(*, user: AnyUser, reference: str) -> InterviewInvitation | None:
    return (
        INTERVIEWS.visible(user)
        .filter(application__reference=reference)
        .select_related("application__round__panel", "application__organisation", "slot")
        .first()
    )


# Panel packs ----------------------------------------------------------------------------


def member_packs(*, member: PanelMember) -> QuerySet[PanelPack]:
    return PanelPack.objects.filter(member=member).order_by("-version")


def pack_for(*, user: AnyUser, pk: int) -> PanelPack | None:
    return PACKS.visible(user).filter(pk=pk).select_related("member__panel__round").first()


def panel_members_with_packs(*, panel: Panel) -> list[PanelMember]:
    """The panel's seated members, each with their packs newest first (``pack_list``)."""
    return list(
        PanelMember.objects.filter(panel=panel)
        .exclude(status=PanelMember.Status.REMOVED)
        .select_related("user")
        .prefetch_related(
            Prefetch("packs", queryset=PanelPack.objects.order_by("-version"), to_attr="pack_list")
        )
        .order_by("role", "user__full_name")
    )


@dataclass
class PackApplication:
    application: Application
    sections: list


def pack_contents(*, member: PanelMember) -> list[PackApplication]:
    """The applications assigned to the member for which they declared no interest, with
    their answers: what their panel pack prints. Never a conflicted one."""
    interests = ConflictDeclaration.objects.filter(
        member=member, organisation=OuterRef("organisation")
    ).exclude(interest=ConflictDeclaration.Interest.NONE)
    applications = (
        Application.objects.filter(scorecards__member=member)
        .filter(~Exists(interests))
        .select_related("organisation", "round")
        .order_by("reference")
    )
    return [
        PackApplication(
            application=application,
            sections=application_answer_sections(application=application),
        )
        for application in applications
    ]


def pack_criteria(*, panel: Panel) -> list[Criterion]:
    return list(
        Criterion.objects.filter(rubric__round_id=panel.round_id)
        .prefetch_related("points")
        .order_by("position", "id")
    )
