"""Feedback on the panel's decisions, and releasing decisions and feedback together.

After the chair records a decision, the commissioner edits the drafted feedback and
approves it; editing approved feedback takes the approval back. When every decision of
the round is approved, the commissioner releases them all at once and each group is told.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.lifecycle import transition
from microcomm.models import Membership, User
from microcomm.services import notify
from panels.models import Decision
from rounds.models import Round

STALE = (
    "Someone else changed this feedback while you were editing it. "
    "Their version is shown: make your changes again."
)


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def decision_feedback_save(
    *,
    decision: Decision,
    feedback: str,
    signposting: str,
    section_feedback: dict[str, str],
    version: int,
    actor: User,
) -> Decision:
    """Save the commissioner's feedback on a decision, refusing a stale version.

    Approved feedback that changes goes back to recorded, to be approved again; released
    feedback cannot change.
    """
    feedback = _plain(feedback)
    if not feedback:
        raise DomainError("Enter the feedback for the group", field="feedback")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status == Decision.Status.RELEASED:
            raise DomainError("The feedback has been released to the group, so it cannot change")
        if locked.version != version:
            raise DomainError(STALE)
        cleaned = {str(key): _plain(text) for key, text in section_feedback.items() if text.strip()}
        changed = (
            locked.feedback != feedback
            or locked.signposting != _plain(signposting)
            or locked.section_feedback != cleaned
        )
        if changed and locked.status == Decision.Status.APPROVED:
            transition(
                locked,
                to=Decision.Status.RECORDED,
                actor=actor,
                reason="The feedback changed after it was approved",
                changes={"feedback_approved_by": None},
            )
        locked.feedback = feedback
        locked.signposting = _plain(signposting)
        locked.section_feedback = cleaned
        locked.version += 1
        locked.save(
            update_fields=[
                "feedback",
                "signposting",
                "section_feedback",
                "version",
                "feedback_approved_by",
                "updated_at",
            ]
        )
        audit_record(actor=actor, verb="decision.feedback_save", target=locked)
    return locked


def decision_feedback_approve(*, decision: Decision, actor: User) -> Decision:
    """Approve the feedback on a decision, ready to be released with the others."""

    def guard(locked: Decision, to: str) -> str:
        if not locked.feedback.strip():
            return "Write the feedback before approving it"
        return ""

    return transition(
        decision,
        to=Decision.Status.APPROVED,
        actor=actor,
        guard=guard,
        changes={"feedback_approved_by": actor},
    )


def _group_contact(application: Application) -> User | None:
    """The one person a group's email goes to: who submitted, else its first owner."""
    if application.submitted_by_id and application.submitted_by.is_active:
        return application.submitted_by
    owner = (
        Membership.objects.filter(
            organisation_id=application.organisation_id,
            user__is_active=True,
            role=Membership.Role.OWNER,
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return owner.user if owner else None


def decisions_release(*, round: Round, actor: User) -> list[Decision]:
    """Release every decision of the round and its feedback to the groups, all together.

    Refused, listing them, while any decision's feedback is not approved. Each group is
    told once, by email, after the release is saved.
    """
    with transaction.atomic():
        decisions = list(
            Decision.objects.select_for_update()
            .filter(application__round=round)
            .exclude(status=Decision.Status.RELEASED)
            .order_by("application_id")
        )
        if not decisions:
            raise DomainError("There are no decisions waiting to be released")
        waiting = sorted(
            Application.objects.filter(
                decision__in=[d for d in decisions if d.status != Decision.Status.APPROVED]
            ).values_list("reference", flat=True)
        )
        if waiting:
            raise DomainError(
                "Approve the feedback on every decision first. Not approved yet: "
                + ", ".join(waiting)
            )
        now = timezone.now()
        released = [
            transition(
                decision,
                to=Decision.Status.RELEASED,
                actor=actor,
                changes={"released_at": now},
            )
            for decision in decisions
        ]
        applications = Application.objects.filter(decision__in=released).select_related(
            "submitted_by", "organisation", "round"
        )
        for application in applications:
            contact = _group_contact(application)
            if contact is None:
                continue
            link = reverse("panels:decision-detail", args=[application.reference])
            notify(
                user=contact,
                subject=f"The panel's decision on your application {application.reference}",
                template="email/decision_released",
                context={"application": application, "user": contact},
                link=link,
                key=f"decision-released:{application.pk}",
            )
    return released
