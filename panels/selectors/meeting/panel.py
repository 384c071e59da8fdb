"""The panel as the meeting pages read it: its meeting, members, who is present, conflicts."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONObject

from applications.models import Application
from panels.models import (
    ConflictDeclaration,
    Criterion,
    MeetingMinutes,
    Panel,
    PanelMember,
    Scorecard,
)
from panels.permissions import PANELS, conflicted
from panels.selectors.members import attendance_present
from rounds.models import RoundEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

    AnyUser = User | AnonymousUser

# Members whose submitted scores count: a member removed mid-round keeps theirs (marked).
COUNTED = (PanelMember.Status.ACTIVE, PanelMember.Status.REMOVED)


def panel_for_meeting(*, user: AnyUser, slug: str) -> Panel | None:
    """The round's panel if the person may see it, with its round, rubric and meeting.

    Annotated with the round's (first) panel meeting from its timeline, whether any
    criterion has a minimum score, the newest minutes, and ``applications_stamp``: what
    the kept ranking depends on outside the panel (its applications' last change, their
    number, the due diligence checks left, how many are not eligible), so the pages need
    not ask again.
    """
    meeting = RoundEvent.objects.filter(
        round=OuterRef("round"), kind=RoundEvent.Kind.PANEL_MEETING
    ).order_by("starts_at", "id")
    minutes = MeetingMinutes.objects.filter(panel=OuterRef("pk")).order_by("-version")
    # One row of the round's applications: when one last changed, how many there are, the
    # due diligence checks left and how many were found not eligible.
    stamp = (
        Application.objects.filter(round=OuterRef("round"))
        .order_by()
        .values("round")
        .annotate(
            stamp=JSONObject(
                changed=Max("updated_at"),
                count=Count("pk", distinct=True),
                checks=Count("due_diligence", filter=Q(due_diligence__verified=False)),
                # Eligibility is stored without touching updated_at: counted here too.
                not_eligible=Count("pk", distinct=True, filter=Q(eligibility__eligible=False)),
            )
        )
        .values("stamp")
    )
    return (
        PANELS.visible(user, Panel.objects.filter(round__slug=slug))
        .select_related("round", "round__rubric")
        .annotate(
            meeting_id=Subquery(meeting.values("pk")[:1]),
            meeting_starts_at=Subquery(meeting.values("starts_at")[:1]),
            meeting_location=Subquery(meeting.values("location")[:1]),
            has_minimums=Exists(
                Criterion.objects.filter(rubric__round=OuterRef("round"), minimum__isnull=False)
            ),
            newest_minutes=Subquery(
                minutes.values(
                    json=JSONObject(version=F("version"), status=F("status"), error=F("last_error"))
                )[:1],
                output_field=JSONField(),
            ),
            applications_stamp=Subquery(stamp[:1], output_field=JSONField()),
        )
        .first()
    )


def applications_stamp(panel: Panel) -> str:
    """What the kept ranking depends on outside the panel, from ``panel_for_meeting``."""
    return f"{panel.round.updated_at.isoformat()}:{getattr(panel, 'applications_stamp', '')}"


def meeting_event(*, panel: Panel) -> RoundEvent | None:
    """The round's (first) panel meeting on its timeline."""
    return (
        RoundEvent.objects.filter(round_id=panel.round_id, kind=RoundEvent.Kind.PANEL_MEETING)
        .order_by("starts_at", "id")
        .first()
    )


def _meeting_id(panel: Panel) -> int | None:
    """The meeting's id: annotated by panel_for_meeting, else asked for."""
    if hasattr(panel, "meeting_id"):
        return panel.meeting_id
    event = meeting_event(panel=panel)
    return event.pk if event is not None else None


def panel_members(*, panel: Panel) -> list[PanelMember]:
    """Everyone who has held a seat on the panel, with their names, each marked
    ``present`` when present at the panel's meeting (``attendance_present``)."""
    members = PanelMember.objects.filter(panel=panel).select_related("user")
    meeting_id = _meeting_id(panel)
    if meeting_id is None:
        return list(members.annotate(present=Value(False, output_field=BooleanField())))
    present = attendance_present(event_id=meeting_id).filter(member=OuterRef("pk"))
    return list(members.annotate(present=Exists(present)))


def members_present_ids(*, panel: Panel) -> set[int]:
    """The members present at the panel's meeting (``attendance_present``)."""
    meeting_id = _meeting_id(panel)
    if meeting_id is None:
        return set()
    return set(
        attendance_present(event_id=meeting_id)
        .filter(member__panel=panel)
        .values_list("member_id", flat=True)
    )


def counted_scorecards(*, panel: Panel) -> QuerySet[Scorecard]:
    """The scorecards whose scores count: submitted, by members not conflicted on them."""
    return Scorecard.objects.filter(
        member__panel=panel,
        member__status__in=COUNTED,
        status=Scorecard.Status.SUBMITTED,
        application__round_id=panel.round_id,
        application__status=Application.Status.SUBMITTED,
    ).exclude(conflicted())


def conflicts_by_organisation(*, panel: Panel) -> dict[int, list[tuple[int, str]]]:
    """The interests declared on the panel: organisation id -> [(member id, interest)]."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        ConflictDeclaration.objects.filter(member__panel=panel)
        .exclude(interest=ConflictDeclaration.Interest.NONE)
        .values_list("organisation_id", "member_id", "interest")
    )
    for organisation_id, member_id, interest in rows:
        found[organisation_id].append((member_id, interest))
    return found


def meetings_of_member(*, user: AnyUser) -> list[PanelMember]:
    """The person's active seats, with their panel's round, for links to each meeting."""
    if not user.is_authenticated:
        return []
    return list(
        PanelMember.objects.filter(user=user, status=PanelMember.Status.ACTIVE)
        .select_related("panel__round")
        .order_by("-panel__round__closes_at", "pk")
    )


def is_conflicted_on(*, user: AnyUser, application: Application) -> bool:
    """Whether the person sits on the round's panel with an interest in the group."""
    if not user.is_authenticated:
        return False
    return (
        ConflictDeclaration.objects.filter(
            member__user=user,
            member__panel__round_id=application.round_id,
            organisation_id=application.organisation_id,
        )
        .exclude(interest=ConflictDeclaration.Interest.NONE)
        .exists()
    )
