"""A round's panel: who sits on it, their conflicts, and the meetings they attend."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from microcomm.models import Organisation, Timestamped, person_field
from rounds.models import Round, RoundEvent


class Panel(Timestamped):
    """The people who score a round's applications and decide, and the rules they work by."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="panel")
    quorum_members = models.PositiveSmallIntegerField(
        "members needed for a quorum", default=3, validators=[MinValueValidator(1)]
    )
    quorum_lay_members = models.PositiveSmallIntegerField(
        "lay members needed for a quorum", default=1
    )
    scorers_per_application = models.PositiveSmallIntegerField(
        "scorers each application needs", default=3, validators=[MinValueValidator(1)]
    )
    scores_shared_before_meeting = models.BooleanField(
        "members see each other's scores before the meeting", default=False
    )
    # A score further than this many points from the median of the others is an outlier.
    outlier_distance = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("2.0"), validators=[MinValueValidator(0)]
    )
    lay_hourly_rate = models.DecimalField(
        "hourly rate paid to lay members (£)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    scores_released_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Panel for {self.round}"


class PanelMember(Timestamped):
    """A person's seat on one panel. A person can sit on several panels."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        LAY = "lay", "Lay member"
        PROFESSIONAL = "professional", "Professional member"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        REMOVED = "removed", "Removed"

    TRANSITIONS: dict[str, set[str]] = {
        Status.INVITED: {Status.ACTIVE, Status.REMOVED},
        Status.ACTIVE: {Status.REMOVED},
        Status.REMOVED: {Status.ACTIVE},
    }
    TRANSITION_LABELS = {
        Status.INVITED: "Invited to the panel",
        Status.ACTIVE: "Joined the panel",
        Status.REMOVED: "Removed from the panel",
    }

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LAY)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    invited_by = person_field()
    joined_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["panel", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="panel_member_once")]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_lay(self) -> bool:
        return self.role == self.Role.LAY


class ConflictDeclaration(Timestamped):
    """What one member declares about one organisation applying to the round."""

    class Interest(models.TextChoices):
        NONE = "none", "No interest"
        MEMBER = "member", "I am a member of the group"
        EMPLOYEE = "employee", "I work for the group"
        TRUSTEE = "trustee", "I am a trustee or committee member"
        FAMILY = "family", "A family member or partner is involved"
        HELPED_WRITE = "helped_write", "I helped write the bid"
        SUPPLIER = "supplier", "I supply or would be paid by the group"
        INDIRECT = "indirect", "Another, indirect interest"

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="panel_conflicts"
    )
    interest = models.CharField(max_length=14, choices=Interest.choices)
    description = models.TextField(max_length=2000, blank=True)
    recorded_by = person_field()

    class Meta:
        ordering = ["member", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation"], name="conflict_declared_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.organisation} ({self.get_interest_display()})"

    @property
    def is_conflict(self) -> bool:
        return self.interest != self.Interest.NONE

    @property
    def is_direct(self) -> bool:
        return self.interest not in (self.Interest.NONE, self.Interest.INDIRECT)


class MeetingAttendance(Timestamped):
    """Whether a member came to one of the round's panel meetings, and what they are paid."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="attendance")
    event = models.ForeignKey(RoundEvent, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(default=False)
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    time_payment = models.DecimalField(
        "payment for time (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    expenses = models.DecimalField(
        "expenses (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    recorded_by = person_field()

    class Meta:
        ordering = ["event", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "event"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} at {self.event}"
