"""The decision meeting's outcomes, feedback, interviews, and the panel's PDFs."""

from __future__ import annotations

from django.db import models

from applications.models import Application
from microcomm.ledger import LedgerRow, ledger_status_field
from microcomm.models import Timestamped, person_field
from panels.models.panel import Panel, PanelMember


class Decision(Timestamped):
    """What the panel decided about one application, with its feedback to the group.

    Decisions and feedback reach the group together when the commissioner releases them.
    """

    class Outcome(models.TextChoices):
        FUND_FULL = "fund_full", "Fund in full"
        FUND_PART = "fund_part", "Fund in part"
        FUND_CONDITIONS = "fund_conditions", "Fund with conditions"
        DECLINE = "decline", "Decline"
        DEFER = "defer", "Defer to a later round"
        INTERVIEW = "interview", "Invite to interview"

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        APPROVED = "approved", "Feedback approved"
        RELEASED = "released", "Released to the group"

    TRANSITIONS: dict[str, set[str]] = {
        Status.RECORDED: {Status.APPROVED},
        Status.APPROVED: {Status.RECORDED, Status.RELEASED},
        Status.RELEASED: set(),
    }
    TRANSITION_LABELS = {
        Status.RECORDED: "Recorded the panel's decision",
        Status.APPROVED: "Approved the feedback",
        Status.RELEASED: "Released the decision and feedback to the group",
    }
    TRANSITION_REFUSALS = {
        Status.RELEASED: "The decision has already been released",
    }

    FUNDED = frozenset({Outcome.FUND_FULL, Outcome.FUND_PART, Outcome.FUND_CONDITIONS})

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    amount = models.DecimalField(
        "amount awarded (£)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    conditions = models.TextField(max_length=4000, blank=True)
    reason = models.TextField(max_length=4000)
    # Criterion ids that weighed against a declined application.
    criteria_against = models.JSONField(default=list, blank=True)
    decided_by = person_field(blank=False)
    members_present = models.ManyToManyField(PanelMember, blank=True, related_name="+")
    # The conflicts declared for this application when it was decided: who left the room.
    conflicts_at_decision = models.JSONField(default=list, blank=True)
    weighted_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(max_length=8000, blank=True)
    signposting = models.TextField(max_length=4000, blank=True)
    # Feedback on sections of the form, {section id: text}: shown beside those sections
    # when the group copies its application into a later round.
    section_feedback = models.JSONField(default=dict, blank=True)
    feedback_approved_by = person_field()
    released_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["application"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="decision_amount_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"

    @property
    def is_funded(self) -> bool:
        return self.outcome in self.FUNDED


class InterviewSlot(models.Model):
    """A time the panel offers to interview one shortlisted group, in a place or by video."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="interview_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="interview_slot_starts_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"Interview slot {self.starts_at:%Y-%m-%d %H:%M}"


class InterviewInvitation(Timestamped):
    """A shortlisted group's invitation to interview: the slot they chose and the notes."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview"
    )
    slot = models.OneToOneField(
        InterviewSlot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    access_needs = models.TextField(max_length=2000, blank=True)
    invited_by = person_field()
    booked_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(max_length=8000, blank=True)

    def __str__(self) -> str:
        return f"Interview for {self.application}"


class PanelPack(LedgerRow):
    """The PDF of a member's assigned, unconflicted applications with the rubric."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="packs")
    version = models.PositiveIntegerField(default=1)
    status = ledger_status_field(queued="Being prepared", running="Being prepared", done="Ready")
    file = models.FileField(upload_to="panels/packs/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_by = person_field()

    class Meta(LedgerRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["member", "version"], name="panel_pack_once")
        ]

    def __str__(self) -> str:
        return f"Panel pack for {self.member} (version {self.version})"


class MeetingMinutes(LedgerRow):
    """The PDF minutes of the decision meeting: attendance, conflicts, decisions."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveIntegerField(default=1)
    status = ledger_status_field(queued="Being prepared", running="Being prepared", done="Ready")
    file = models.FileField(upload_to="panels/minutes/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_by = person_field()

    class Meta(LedgerRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["panel", "version"], name="meeting_minutes_once")
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.panel} (version {self.version})"
