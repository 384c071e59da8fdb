"""Reads of the panel itself: its members, meetings, attendance, and a member's panels."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from applications.models import Application
from microcomm.formatting import london_date, london_datetime
from microcomm.models import User
from panels.invitations import invitation_member_id
from panels.models import ConflictDeclaration, MeetingAttendance, Panel, PanelMember, Scorecard
from panels.permissions import MEMBERS, SEATED, conflicted
from rounds.models import Round, RoundEvent


def panel_of_round(*, round: Round) -> Panel | None:
    return Panel.objects.filter(round=round).first()


def panel_members(*, panel: Panel | None) -> list[PanelMember]:
    """Everyone who sits or sat on the panel, chair first, with how much they have scored."""
    if panel is None:
        return []
    return list(
        PanelMember.objects.filter(panel=panel)
        .select_related("user")
        .annotate(
            scorecards_total=Count("scorecards", distinct=True),
            scorecards_submitted=Count(
                "scorecards",
                filter=Q(scorecards__status=Scorecard.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("status", "role", "user__full_name", "id")
    )


def panel_member_of(*, panel: Panel | None, pk: int) -> PanelMember | None:
    if panel is None:
        return None
    return (
        PanelMember.objects.select_related("user", "panel__round")
        .filter(panel=panel, pk=pk)
        .first()
    )


def person_by_email(*, email: str) -> User | None:
    """The account with this email address, for a commissioner adding a member."""
    return User.objects.filter(email__iexact=email.strip()).first()


def panel_meetings(*, round: Round) -> QuerySet[RoundEvent]:
    """The round's panel meetings, from its timeline, earliest first."""
    return RoundEvent.objects.filter(round=round, kind=RoundEvent.Kind.PANEL_MEETING).order_by(
        "starts_at", "id"
    )


def panel_meeting_of(*, round: Round, pk: int) -> RoundEvent | None:
    return panel_meetings(round=round).filter(pk=pk).first()


@dataclass
class AttendanceLine:
    member: PanelMember
    record: MeetingAttendance | None


def attendance_present(*, event_id: int) -> QuerySet[MeetingAttendance]:
    """Who is present at a panel meeting: active members recorded as having attended.

    The one definition the attendance page, the meeting's quorum and its decisions share:
    an invited person has not joined the panel yet, and a removed member has left it.
    """
    return MeetingAttendance.objects.filter(
        event_id=event_id, attended=True, member__status=PanelMember.Status.ACTIVE
    )


def attendance_lines(*, panel: Panel | None, event: RoundEvent) -> list[AttendanceLine]:
    """One line per member seated now, or who was recorded at this meeting before leaving.

    Someone invited who has not joined yet may come and be paid, but counts as present at
    the meeting (``attendance_present``) only once they have joined."""
    if panel is None:
        return []
    records = {row.member_id: row for row in MeetingAttendance.objects.filter(event=event)}
    members = (
        PanelMember.objects.filter(panel=panel)
        .filter(Q(status__in=SEATED) | Q(pk__in=list(records)))
        .select_related("user", "panel")
        .order_by("role", "user__full_name", "id")
    )
    return [AttendanceLine(member=member, record=records.get(member.pk)) for member in members]


def attendance_stamp(*, event: RoundEvent) -> str:
    """When the meeting's attendance was last saved: a page sends it back with its changes."""
    latest = (
        MeetingAttendance.objects.filter(event=event)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return latest.isoformat() if latest is not None else ""


PAYMENTS_CSV_HEADER = [
    "Round",
    "Meeting",
    "Meeting date",
    "Member",
    "Email address",
    "Role",
    "Attended",
    "Hours",
    "Payment for time",
    "Expenses",
    "Total",
]


def payments_csv_rows(*, panel: Panel | None) -> Iterator[list[object]]:
    """One line per member per meeting with something to pay or an attendance to show."""
    if panel is None:
        return
    rows = (
        MeetingAttendance.objects.filter(member__panel=panel)
        .select_related("member__user", "event__round")
        .order_by("event__starts_at", "event_id", "member__user__full_name", "member_id")
    )
    for row in rows.iterator(chunk_size=500):
        yield [
            row.event.round.title,
            str(row.event),
            london_datetime(row.event.starts_at),
            row.member.user.full_name,
            row.member.user.email,
            row.member.get_role_display(),
            "Yes" if row.attended else "No",
            f"{row.hours:.2f}",
            f"{row.time_payment:.2f}",
            f"{row.expenses:.2f}",
            f"{row.time_payment + row.expenses:.2f}",
        ]


# A member's own panels ------------------------------------------------------------------


@dataclass
class PanelToDo:
    """What a member has to do on one panel, and by when."""

    member: PanelMember
    round: Round
    meetings: list[RoundEvent] = field(default_factory=list)
    organisations_applying: int = 0
    interests_declared: int = 0
    to_score: int = 0
    scored: int = 0
    practised: bool = False

    @property
    def interests_to_declare(self) -> int:
        return max(self.organisations_applying - self.interests_declared, 0)

    @property
    def scoring_due(self) -> str:
        return london_date(self.round.scoring_due_on)

    @property
    def next_meeting(self) -> RoundEvent | None:
        return self.meetings[0] if self.meetings else None


def member_panels(*, user: User, today: datetime.date | None = None) -> list[PanelToDo]:
    """The panels the person sits on, each with their counts of what there is to do.

    A fixed number of queries, however many panels and applications.
    """
    seats = (
        MEMBERS.involved(user, PanelMember.objects.all())
        .select_related("panel__round")
        .annotate(
            organisations_applying=Count(
                "panel__round__applications__organisation",
                filter=Q(panel__round__applications__status=Application.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "panel__round__events",
                queryset=RoundEvent.objects.filter(kind=RoundEvent.Kind.PANEL_MEETING).order_by(
                    "starts_at", "id"
                ),
                to_attr="panel_meetings",
            )
        )
        .order_by("panel__round__scoring_due_on", "id")
    )
    seats = list(seats)
    ids = [seat.pk for seat in seats]
    declared = dict(
        ConflictDeclaration.objects.filter(member_id__in=ids)
        .values_list("member_id")
        .annotate(count=Count("id"))
    )
    scoring: dict[int, dict[str, int]] = {}
    for member_id, status, count in (
        # An application the member declared an interest in is not theirs to score.
        Scorecard.objects.filter(member_id__in=ids)
        .filter(~conflicted())
        .values_list("member_id", "status")
        .annotate(count=Count("id"))
    ):
        scoring.setdefault(member_id, {})[status] = count
    practised = set(
        PanelMember.objects.filter(pk__in=ids, practice__submitted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    return [
        PanelToDo(
            member=seat,
            round=seat.panel.round,
            meetings=list(seat.panel.round.panel_meetings),
            organisations_applying=seat.organisations_applying,
            interests_declared=declared.get(seat.pk, 0),
            to_score=sum(
                count
                for status, count in scoring.get(seat.pk, {}).items()
                if status != Scorecard.Status.SUBMITTED
            ),
            scored=scoring.get(seat.pk, {}).get(Scorecard.Status.SUBMITTED, 0),
            practised=seat.pk in practised,
        )
        for seat in seats
    ]


def member_has_seat(*, user: User) -> bool:
    return MEMBERS.involved(user, PanelMember.objects.all()).exists()


def invitation_member(*, token: str) -> PanelMember | None:
    """The seat an invitation link names (whether or not the link is still good)."""
    member_id = invitation_member_id(token)
    if member_id is None:
        return None
    return PanelMember.objects.select_related("user", "panel__round").filter(pk=member_id).first()


def payments_total(*, panel: Panel | None) -> Decimal:
    if panel is None:
        return Decimal("0")
    totals = MeetingAttendance.objects.filter(member__panel=panel).aggregate(
        total=Sum(F("time_payment") + F("expenses"))
    )
    return totals["total"] or Decimal("0")
