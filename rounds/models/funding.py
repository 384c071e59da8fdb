"""Funds (pots of money) and the funding rounds that spend them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone

from microcomm.models import LegalForm, Locality, Theme, Timestamped, person_field
from rounds.models.needs import Need


class Fund(models.Model):
    """A pot of money, often pooled from several sources, that rounds draw on."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.Model):
    """Where part of a fund's money comes from, with any restriction on its use."""

    class Kind(models.TextChoices):
        NHS = "nhs", "NHS"
        COUNCIL = "council", "Council"
        TRUST = "trust", "Trust or foundation"
        LOTTERY = "lottery", "Lottery"
        OTHER = "other", "Other"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    restriction = models.TextField("restrictions on how it is spent", blank=True)

    class Meta:
        ordering = ["fund", "-amount", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=Decimal("0")), name="funding_source_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (£{self.amount:,.2f})"


class Round(Timestamped):
    """A funding round: what it funds, who can apply, its form and its timeline."""

    class Tier(models.TextChoices):
        MICRO = "micro", "Micro (up to £1,000)"
        SMALL = "small", "Small (up to £5,000)"
        STANDARD = "standard", "Standard"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ASSESSMENT = "assessment", "Being assessed"
        DECIDED = "decided", "Decided"
        MONITORING = "monitoring", "Monitoring"
        COMPLETED = "completed", "Completed"

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SCHEDULED},
        Status.SCHEDULED: {Status.DRAFT, Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.ASSESSMENT, Status.OPEN},
        Status.ASSESSMENT: {Status.DECIDED},
        Status.DECIDED: {Status.MONITORING},
        Status.MONITORING: {Status.COMPLETED},
        Status.COMPLETED: set(),
    }
    TRANSITION_LABELS = {
        Status.DRAFT: "Moved the round back to draft",
        Status.SCHEDULED: "Scheduled the round",
        Status.OPEN: "Opened the round",
        Status.CLOSED: "Closed the round",
        Status.ASSESSMENT: "Started assessing the round",
        Status.DECIDED: "Marked the round as decided",
        Status.MONITORING: "Started monitoring the round",
        Status.COMPLETED: "Completed the round",
    }

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField()
    amount_available = models.DecimalField(max_digits=12, decimal_places=2)
    minimum_grant = models.DecimalField(max_digits=10, decimal_places=2)
    maximum_grant = models.DecimalField(max_digits=10, decimal_places=2)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.MICRO)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    priority_needs = models.ManyToManyField(Need, blank=True, related_name="rounds")
    priority_themes = models.ManyToManyField(Theme, blank=True, related_name="rounds")
    priority_localities = models.ManyToManyField(
        Locality, blank=True, related_name="priority_rounds"
    )

    allowed_legal_forms = models.JSONField(
        default=list, blank=True, help_text="Legal form codes; empty means any."
    )
    maximum_annual_income = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    eligible_localities = models.ManyToManyField(
        Locality, blank=True, related_name="eligible_rounds"
    )
    must_address_priority = models.BooleanField(default=True)

    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    scoring_due_on = models.DateField()
    decisions_by = models.DateField()
    grants_start_on = models.DateField()
    first_monitoring_due_on = models.DateField()
    evaluation_due_on = models.DateField()

    how_decisions_are_made = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    form_published_at = models.DateTimeField(null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = person_field(blank=False)

    class Meta:
        ordering = ["-opens_at", "title"]
        indexes = [models.Index(fields=["status", "opens_at", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_grant__lte=models.F("maximum_grant")),
                name="round_minimum_not_above_maximum",
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_grant__lte=models.F("amount_available")),
                name="round_maximum_not_above_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="round_opens_before_it_closes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def allowed_legal_form_labels(self) -> list[str]:
        labels = dict(LegalForm.choices)
        return [labels[code] for code in self.allowed_legal_forms if code in labels]

    def status_at(self, moment=None) -> str:  # type: ignore[no-untyped-def]
        """The status as the clock says it is, so a page never shows a stale state.

        A scheduled round past its opening time reads as open, and an open round past its
        closing time as closed, even before the beat sweep has moved it.
        """
        moment = moment or timezone.now()
        if self.status == self.Status.SCHEDULED and moment >= self.opens_at:
            return self.Status.CLOSED if moment >= self.closes_at else self.Status.OPEN
        if self.status == self.Status.OPEN and moment >= self.closes_at:
            return self.Status.CLOSED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_at()

    def get_current_status_display(self) -> str:
        return dict(self.Status.choices)[self.current_status]


class RoundEvent(models.Model):
    """A dated event in a round's timeline besides the fixed ones: support sessions,
    panel meetings and interviews."""

    class Kind(models.TextChoices):
        SUPPORT_SESSION = "support", "Applicant support session"
        PANEL_MEETING = "panel", "Panel meeting"
        INTERVIEWS = "interviews", "Interviews"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    starts_at = models.DateTimeField()
    title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
