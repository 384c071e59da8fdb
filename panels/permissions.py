"""Who may see and do what on a round's panel.

Each rule is stated once. Commissioners see everything. A panel member sees their own
panels and, within them, only the applications assigned to them for which they have not
declared an interest; a conflicted member may not know the application's scores, documents
or pack exist (404). Applicants see only their decision and feedback, once released.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from microcomm.permissions import Rule, is_active, is_commissioner
from panels.models import ConflictDeclaration, Panel, PanelMember, Scorecard

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
