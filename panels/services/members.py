"""Writes of the panel itself: its settings, its members, their invitations and attendance.

A person already signed up joins at once and is told so; a new person gets an account
with no password and an email with a signed link that lets them set one and join. A
removed member's scorecards stay, and pages show them as a removed member's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.formatting import pounds
from microcomm.lifecycle import transition
from microcomm.models import OutboundEmail, User
from microcomm.services import notify
from panels.invitations import VALID_DAYS, invitation_token, invitation_token_matches
from panels.models import MeetingAttendance, Panel, PanelMember
from panels.selectors.members import attendance_stamp
from rounds.models import Round, RoundEvent

STALE_SETTINGS = (
    "Someone else changed the panel's settings while you were editing them. "
    "The settings below are the latest: make your changes again and save"
)


def panel_ensure(*, round: Round) -> Panel:
    """The round's panel, made with the default rules the first time anyone needs it."""
    panel, _ = Panel.objects.get_or_create(round=round)
    return panel


def _locked_panel(round: Round) -> Panel:
    panel_ensure(round=round)
    return Panel.objects.select_for_update().get(round=round)


@transaction.atomic
def panel_settings_save(
    *,
    round: Round,
    version: int,
    quorum_members: int,
    quorum_lay_members: int,
    scorers_per_application: int,
    scores_shared_before_meeting: bool,
    outlier_distance: Decimal,
    lay_hourly_rate: Decimal,
    actor: User,
) -> Panel:
    """Change the panel's rules; refuses a quorum that cannot be met and a stale page."""
    panel = _locked_panel(round)
    if version != panel.version:
        raise DomainError(STALE_SETTINGS)
    if quorum_lay_members > quorum_members:
        raise DomainError(
            "The lay members needed cannot be more than the members needed for a quorum",
            field="quorum_lay_members",
        )
    values = {
        "quorum_members": quorum_members,
        "quorum_lay_members": quorum_lay_members,
        "scorers_per_application": scorers_per_application,
        "scores_shared_before_meeting": scores_shared_before_meeting,
        "outlier_distance": outlier_distance,
        "lay_hourly_rate": lay_hourly_rate,
    }
    changed = {
        name: {"from": str(getattr(panel, name)), "to": str(value)}
        for name, value in values.items()
        if getattr(panel, name) != value
    }
    for name, value in values.items():
        setattr(panel, name, value)
    panel.version += 1
    panel.save()
    audit_record(actor=actor, verb="panel.settings_save", target=panel, detail=changed)
    return panel


def _join_link(member: PanelMember) -> str:
    path = reverse("panels:invitation-accept", kwargs={"token": invitation_token(member)})
    return f"{settings.SITE_URL}{path}"


def _home_link() -> str:
    return f"{settings.SITE_URL}{reverse('panels:member-home')}"


def _next_key(prefix: str) -> str:
    # A person may be invited again, or removed and added again: each email is its own.
    return f"{prefix}:{OutboundEmail.objects.filter(key__startswith=f'{prefix}:').count() + 1}"


def _tell(member: PanelMember, *, actor: User) -> None:
    """Email the invitation link to someone with no password yet, else say they were added."""
    round = member.panel.round
    context = {
        "member": member,
        "round": round,
        "role": member.get_role_display().lower(),
        "invited_by": actor,
        "valid_days": VALID_DAYS,
    }
    if member.user.has_usable_password():
        notify(
            user=member.user,
            subject=f"You are on the panel for {round.title}",
            template="email/panel_member_added",
            context=context,
            link=_home_link(),
            key=_next_key(f"panel-member-added:{member.pk}"),
        )
        return
    link = _join_link(member)
    notify(
        user=member.user,
        subject=f"You are invited to join the panel for {round.title}",
        template="email/panel_invitation",
        context={**context, "link": link},
        link=link,
        key=_next_key(f"panel-invitation:{member.pk}"),
    )


@transaction.atomic
def panel_member_add(
    *, round: Round, email: str, role: str, full_name: str = "", actor: User
) -> PanelMember:
    """Seat a person on the round's panel, found by email address, or invite a new person.

    Someone with a password joins at once; someone without one (a new person, whose
    account is made here) is invited and joins by setting a password from the link. A
    removed member is seated again with their earlier scorecards.
    """
    if role not in PanelMember.Role.values:
        raise DomainError("Select the person's role on the panel", field="role")
    email = User.objects.normalize_email(email).strip().lower()
    panel = _locked_panel(round)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not full_name.strip():
            raise DomainError("Enter the person's full name", field="full_name")
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        audit_record(actor=actor, verb="user.invited_to_panel", target=user)
    elif not user.is_active:
        raise DomainError(
            "This person's account is closed. Ask an admin to open it first", field="email"
        )
    joins = user.has_usable_password()
    now = timezone.now()
    member = PanelMember.objects.select_for_update().filter(panel=panel, user=user).first()
    if member is not None and member.status != PanelMember.Status.REMOVED:
        raise DomainError(f"{user} is already on this panel", field="email")
    if member is not None:
        member.role = role
        member.save(update_fields=["role", "updated_at"])
        member = transition(
            member,
            to=PanelMember.Status.ACTIVE,
            actor=actor,
            reason="Added to the panel again",
            changes={"removed_at": None, "removed_reason": "", "joined_at": now},
        )
    else:
        member = PanelMember.objects.create(
            panel=panel,
            user=user,
            role=role,
            status=PanelMember.Status.ACTIVE if joins else PanelMember.Status.INVITED,
            invited_by=actor,
            joined_at=now if joins else None,
        )
        audit_record(
            actor=actor,
            verb="panel_member.add",
            target=member,
            to_state=member.status,
            detail={"role": member.get_role_display()},
        )
    member.panel = panel
    member.user = user
    _tell(member, actor=actor)
    return member


@transaction.atomic
def panel_member_invite_again(*, member: PanelMember, actor: User) -> PanelMember:
    """Send a fresh link to someone who has not set a password yet."""
    if member.status == PanelMember.Status.REMOVED:
        raise DomainError("This person has been removed from the panel. Add them again instead")
    if member.user.has_usable_password():
        raise DomainError(f"{member.user} has already joined and can sign in")
    audit_record(actor=actor, verb="panel_member.invite_again", target=member)
    _tell(member, actor=actor)
    return member


@transaction.atomic
def panel_invitation_accept(*, member: PanelMember, token: str, password: str) -> PanelMember:
    """Set the invited person's password from their link and seat them on their panels.

    The link works once: setting the password changes what it was signed with. Receiving
    the email proves the address. Every panel the person was invited to is joined.
    """
    user = User.objects.select_for_update().get(pk=member.user_id)
    member.user = user
    if not user.is_active or not invitation_token_matches(member, token):
        raise DomainError("This link has expired or has already been used")
    if user.has_usable_password():
        raise DomainError("You have already set a password. Sign in to see your panels")
    user.set_password(password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
    user.save(update_fields=["password", "email_confirmed_at"])
    invited = PanelMember.objects.filter(user=user, status=PanelMember.Status.INVITED)
    for seat in invited:
        transition(
            seat,
            to=PanelMember.Status.ACTIVE,
            actor=user,
            changes={"joined_at": timezone.now()},
        )
    member.refresh_from_db()
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, reason: str, actor: User) -> PanelMember:
    """Take a person off the panel. Their scorecards stay, shown as a removed member's."""
    if not reason.strip():
        raise DomainError("Enter why this person is leaving the panel", field="reason")
    return transition(
        member,
        to=PanelMember.Status.REMOVED,
        actor=actor,
        reason=reason.strip(),
        changes={"removed_at": timezone.now(), "removed_reason": reason.strip()[:500]},
    )


@transaction.atomic
def panel_member_role_change(*, member: PanelMember, role: str, actor: User) -> PanelMember:
    """Give a member another role on the panel (chair, lay member, professional)."""
    if role not in PanelMember.Role.values:
        raise DomainError("Select the person's role on the panel", field="role")
    locked = PanelMember.objects.select_for_update().get(pk=member.pk)
    if locked.status == PanelMember.Status.REMOVED:
        raise DomainError("This person has been removed from the panel. Add them again first")
    if locked.role == role:
        return locked
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        verb="panel_member.role_change",
        target=locked,
        from_state=before,
        to_state=role,
    )
    return locked


@dataclass(frozen=True)
class AttendanceEntry:
    """What the form says about one member at one meeting; no time payment means the
    default (hours times the lay rate for a lay member, nothing for others)."""

    member: PanelMember
    attended: bool
    hours: Decimal
    time_payment: Decimal | None
    expenses: Decimal


def attendance_default_payment(*, member: PanelMember, hours: Decimal) -> Decimal:
    """What a member is paid for their time by default: lay members only, by the hour."""
    if not member.is_lay:
        return Decimal("0.00")
    return (hours * member.panel.lay_hourly_rate).quantize(Decimal("0.01"))


STALE_ATTENDANCE = (
    "Someone else saved the attendance at this meeting while you were editing it. "
    "The figures below are the latest: make your changes again and save"
)


@transaction.atomic
def attendance_record(
    *,
    event: RoundEvent,
    entries: list[AttendanceEntry],
    actor: User,
    seen: str | None = None,
) -> list[MeetingAttendance]:
    """Record who came to a panel meeting, their hours and what they are paid.

    ``seen`` is the `attendance_stamp` the page showed: a save by someone else since is
    refused rather than overwritten.
    """
    if event.kind != RoundEvent.Kind.PANEL_MEETING:
        raise DomainError("Attendance is recorded for panel meetings only")
    RoundEvent.objects.select_for_update().get(pk=event.pk)
    if seen is not None and seen != attendance_stamp(event=event):
        raise DomainError(STALE_ATTENDANCE)
    saved = []
    total = Decimal("0")
    for entry in entries:
        if entry.member.panel.round_id != event.round_id:
            raise DomainError("Only the round's panel members can attend its meetings")
        if not entry.attended and (entry.hours or entry.time_payment or entry.expenses):
            raise DomainError(
                f"{entry.member.user} did not attend: leave their hours, payment and "
                "expenses empty, or say they attended",
                field=f"member-{entry.member.pk}-attended",
            )
        payment = (
            entry.time_payment
            if entry.time_payment is not None
            else attendance_default_payment(member=entry.member, hours=entry.hours)
        )
        row, _ = MeetingAttendance.objects.update_or_create(
            member=entry.member,
            event=event,
            defaults={
                "attended": entry.attended,
                "hours": entry.hours,
                "time_payment": payment,
                "expenses": entry.expenses,
                "recorded_by": actor,
            },
        )
        total += payment + entry.expenses
        saved.append(row)
    audit_record(
        actor=actor,
        verb="attendance.record",
        target=event,
        detail={
            "attended": sum(1 for row in saved if row.attended),
            "total": pounds(total) or "£0",
        },
    )
    return saved
