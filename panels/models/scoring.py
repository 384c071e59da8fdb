"""Independent scoring: who scores what, their scores per criterion, and practice."""

from __future__ import annotations

from django.db import models

from applications.models import Application
from microcomm.models import Timestamped, person_field
from panels.models.panel import PanelMember
from panels.models.rubric import Criterion


class Scorecard(Timestamped):
    """One member's scoring of one application: made when the application is assigned."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Scored"
        LOOK_AGAIN = "look_again", "Asked to look again"

    TRANSITIONS: dict[str, set[str]] = {
        Status.NOT_STARTED: {Status.IN_PROGRESS, Status.SUBMITTED},
        Status.IN_PROGRESS: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.LOOK_AGAIN},
        Status.LOOK_AGAIN: {Status.SUBMITTED},
    }
    TRANSITION_LABELS = {
        Status.NOT_STARTED: "Assigned the application for scoring",
        Status.IN_PROGRESS: "Started scoring the application",
        Status.SUBMITTED: "Submitted scores",
        Status.LOOK_AGAIN: "Asked the scorer to look again at a score",
    }
    TRANSITION_REFUSALS = {
        Status.SUBMITTED: "These scores have already been submitted",
        Status.LOOK_AGAIN: "Only submitted scores can be looked at again",
    }

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scorecards")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    assigned_by = person_field()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Out of 100, two places, half up; empty until every criterion is scored.
    weighted_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    look_again_note = models.TextField(max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["application", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="scorecard_once")
        ]
        indexes = [
            models.Index(fields=["member", "status"]),
            models.Index(fields=["application", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} scoring {self.application}"


class Score(models.Model):
    """A member's point on one criterion's scale, with their comment. Missing is missing."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scorecard", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class PracticeAttempt(Timestamped):
    """A new member's try at scoring the fictional practice application. Never counted."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="practice")
    # {criterion id: {"value": int, "comment": str}}
    scores = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member"], name="practice_once")]

    def __str__(self) -> str:
        return f"Practice by {self.member}"
