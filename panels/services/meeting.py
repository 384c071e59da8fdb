"""The decision meeting: the panel's decisions, and the minutes. Who is present is
recorded on the attendance page (``panels.services.members.attendance_record``).

Decisions are recorded one application at a time under a lock on the panel, so two people
deciding at once cannot together spend more than the round has.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import Application
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.formatting import pounds as money
from microcomm.ledger import ledger_queue_version, ledger_run
from microcomm.lifecycle import lifecycle_verb, transition
from microcomm.models import User
from microcomm.pdf import render_pdf
from panels.models import ConflictDeclaration, Decision, MeetingMinutes, Panel
from panels.ranking import quorum
from panels.scoring import mean_score
from panels.selectors.meeting.agenda import meeting_for
from panels.selectors.meeting.decisions import decided_total
from panels.selectors.meeting.minutes import minutes_decisions
from panels.selectors.meeting.panel import counted_scorecards, meeting_event, members_present_ids

OUTCOME = Decision.Outcome


def _amount_for(
    *, application: Application, outcome: str, amount: Decimal | None
) -> Decimal | None:
    """The amount the outcome awards, checked against the round's limits."""
    round = application.round
    requested = application.amount_requested
    if outcome in (OUTCOME.FUND_FULL, OUTCOME.FUND_CONDITIONS):
        if not requested:
            raise DomainError(
                "This application asked for no amount: fund it in part and enter the amount",
                field="outcome",
            )
        return requested
    if outcome != OUTCOME.FUND_PART:
        return None
    if amount is None:
        raise DomainError("Enter the amount to award", field="amount")
    high = round.maximum_grant
    if requested is not None and requested < high:
        high = requested
    if amount < round.minimum_grant or amount > high:
        asked = f", no more than the {money(requested)} asked for" if requested else ""
        raise DomainError(
            f"Enter an amount between {money(round.minimum_grant)} and "
            f"{money(round.maximum_grant)}{asked}",
            field="amount",
        )
    if requested is not None and amount == requested:
        raise DomainError(
            "That is the whole amount asked for: choose Fund in full instead", field="amount"
        )
    return amount


def _check(
    *,
    outcome: str,
    reason: str,
    conditions: str,
    criteria_against: Sequence[int],
    criteria_ids: set[int],
) -> None:
    if outcome not in OUTCOME.values:
        raise DomainError("Choose what the panel decided", field="outcome")
    if not reason.strip():
        raise DomainError("Give the reason for the decision", field="reason")
    if outcome == OUTCOME.FUND_CONDITIONS and not conditions.strip():
        raise DomainError("Enter the conditions of the grant", field="conditions")
    if outcome == OUTCOME.DECLINE and not criteria_against:
        raise DomainError("Choose the criteria that weighed against it", field="criteria_against")
    if set(criteria_against) - criteria_ids:
        raise DomainError(
            "Choose criteria from the round's scoring system", field="criteria_against"
        )


def _refuse_overspend(*, panel: Panel, application: Application, amount: Decimal | None) -> None:
    if amount is None:
        return
    spent = decided_total(panel=panel, excluding=application.pk)
    available = panel.round.amount_available
    if spent + amount > available:
        raise DomainError(
            f"This decision would spend more than the round has: {money(amount)} on top of "
            f"{money(spent)} already decided comes to {money(spent + amount)}, but the round "
            f"has {money(available)} ({money(available - spent)} left)",
            field="amount" if amount else None,
        )


def _room(*, panel: Panel, application: Application) -> dict[str, Any]:
    """Who is in the room for this item, who left it, and whether it keeps its quorum."""
    present_ids = members_present_ids(panel=panel)
    members = {member.pk: member for member in panel.members.select_related("user")}
    interests = list(
        ConflictDeclaration.objects.filter(
            member__panel=panel, organisation_id=application.organisation_id
        )
        .exclude(interest=ConflictDeclaration.Interest.NONE)
        .select_related("member__user")
    )
    away = {interest.member_id for interest in interests}
    in_room = [members[pk] for pk in sorted(present_ids - away) if pk in members]
    found = quorum(
        [(pk, members[pk].is_lay) for pk in present_ids if pk in members],
        away,
        members_needed=panel.quorum_members,
        lay_needed=panel.quorum_lay_members,
    )
    conflicts = [
        {
            "member": interest.member_id,
            "name": interest.member.user.full_name,
            "interest": interest.get_interest_display(),
            "description": interest.description,
            "present": interest.member_id in present_ids,
        }
        for interest in interests
    ]
    return {"in_room": in_room, "conflicts": conflicts, "quorum": found}


def _weighted_mean(*, panel: Panel, application: Application) -> Decimal | None:
    scores = counted_scorecards(panel=panel).filter(application=application)
    mean, _ = mean_score(scores.values_list("weighted_score", flat=True))
    return mean


def decision_record(
    *,
    panel: Panel,
    application: Application,
    outcome: str,
    reason: str,
    amount: Decimal | None = None,
    conditions: str = "",
    criteria_against: Sequence[int] = (),
    criteria_ids: set[int] | None = None,
    actor: User,
) -> Decision:
    """Record the panel's decision on one application, once.

    Records who decided, the members in the room, the conflicts declared (who left the
    room) and the weighted mean score. Refuses an item without its quorum, an amount
    outside the round's limits, and a decision that would spend more than the round has.
    """
    _check(
        outcome=outcome,
        reason=reason,
        conditions=conditions,
        criteria_against=criteria_against,
        criteria_ids=criteria_ids or set(criteria_against),
    )
    with transaction.atomic():
        locked_panel = Panel.objects.select_for_update().select_related("round").get(pk=panel.pk)
        existing = Decision.objects.filter(application=application).first()
        if existing is not None:
            raise DomainError(
                f"The panel has already decided on {application.reference}: "
                f"{existing.get_outcome_display()}. To change it, use Change the decision "
                "and give the reason"
            )
        awarded = _amount_for(application=application, outcome=outcome, amount=amount)
        room = _room(panel=locked_panel, application=application)
        if not room["quorum"].met:
            raise DomainError(
                f"{room['quorum'].problem}. Record who is present before deciding this item"
            )
        _refuse_overspend(panel=locked_panel, application=application, amount=awarded)
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    application=application,
                    outcome=outcome,
                    amount=awarded,
                    conditions=conditions.strip() if outcome == OUTCOME.FUND_CONDITIONS else "",
                    reason=reason.strip(),
                    criteria_against=list(criteria_against) if outcome == OUTCOME.DECLINE else [],
                    decided_by=actor,
                    conflicts_at_decision=room["conflicts"],
                    weighted_score=_weighted_mean(panel=locked_panel, application=application),
                )
        except IntegrityError:
            raise DomainError(
                f"The panel has already decided on {application.reference}. To change it, "
                "use Change the decision and give the reason"
            ) from None
        decision.members_present.set(room["in_room"])
        audit_record(
            actor=actor,
            verb=lifecycle_verb(Decision, Decision.Status.RECORDED),
            target=decision,
            to_state=Decision.Status.RECORDED,
            reason=decision.reason,
            detail={
                "outcome": outcome,
                "amount": str(awarded) if awarded is not None else None,
                "members_present": [member.pk for member in room["in_room"]],
            },
        )
    return decision


def decision_change(
    *,
    decision: Decision,
    outcome: str,
    reason: str,
    change_reason: str,
    version: int,
    amount: Decimal | None = None,
    conditions: str = "",
    criteria_against: Sequence[int] = (),
    criteria_ids: set[int] | None = None,
    actor: User,
) -> Decision:
    """Change a decision before it is released, with the reason for the change.

    Feedback approved for the old decision has to be approved again.
    """
    if not change_reason.strip():
        raise DomainError("Say why the decision is being changed", field="change_reason")
    _check(
        outcome=outcome,
        reason=reason,
        conditions=conditions,
        criteria_against=criteria_against,
        criteria_ids=criteria_ids or set(criteria_against),
    )
    with transaction.atomic():
        locked = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application__round__panel")
            .get(pk=decision.pk)
        )
        if locked.status == Decision.Status.RELEASED:
            raise DomainError("This decision has been released to the group: it cannot change")
        if locked.version != version:
            raise DomainError(
                "Someone else changed this decision while you were editing it. "
                "Check the decision as it is now, then make your change again"
            )
        application = locked.application
        panel = Panel.objects.select_for_update().get(pk=application.round.panel.pk)
        panel.round = application.round
        awarded = _amount_for(application=application, outcome=outcome, amount=amount)
        _refuse_overspend(panel=panel, application=application, amount=awarded)
        before = {"outcome": locked.outcome, "amount": str(locked.amount or "")}
        changes = {
            "outcome": outcome,
            "amount": awarded,
            "conditions": conditions.strip() if outcome == OUTCOME.FUND_CONDITIONS else "",
            "reason": reason.strip(),
            "criteria_against": list(criteria_against) if outcome == OUTCOME.DECLINE else [],
            "decided_by": actor,
            "version": locked.version + 1,
        }
        detail = {
            "from": before,
            "to": {"outcome": outcome, "amount": str(awarded or "")},
        }
        if locked.status == Decision.Status.APPROVED:
            locked = transition(
                locked,
                to=Decision.Status.RECORDED,
                actor=actor,
                reason=change_reason.strip(),
                changes=changes,
                detail=detail,
            )
        else:
            for name, value in changes.items():
                setattr(locked, name, value)
            locked.save()
        audit_record(
            actor=actor,
            verb="decision.change",
            target=locked,
            reason=change_reason.strip(),
            detail=detail,
        )
    return locked


def minutes_request(*, panel: Panel, actor: User) -> MeetingMinutes:
    """Queue fresh minutes of the meeting; minutes already being prepared are returned."""
    with transaction.atomic():
        locked = Panel.objects.select_for_update().get(pk=panel.pk)
        minutes, new = ledger_queue_version(
            MeetingMinutes,
            owner={"panel": locked},
            key=f"meeting-minutes:{locked.pk}",
            requested_by=actor,
        )
        if new:
            audit_record(
                actor=actor,
                verb="minutes.request",
                target=locked,
                detail={"version": minutes.version},
            )
    return minutes


def _minutes_make(minutes: MeetingMinutes) -> None:
    panel = minutes.panel
    meeting = meeting_for(panel=panel)
    content = render_pdf(
        template="pdf/meeting_minutes.html",
        context={
            "panel": panel,
            "round": panel.round,
            "meeting": meeting,
            "event": meeting_event(panel=panel),
            "decisions": minutes_decisions(panel=panel),
            "made_at": timezone.now(),
        },
    )
    name = f"meeting-minutes-{panel.round.slug}-{minutes.version}.pdf"
    minutes.file.save(name, ContentFile(content), save=False)


def minutes_render(*, minutes_id: int) -> MeetingMinutes:
    """Render one queued set of minutes once; a failure is kept and tried again."""
    return ledger_run(MeetingMinutes, pk=minutes_id, work=_minutes_make)
