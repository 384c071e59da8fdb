"""The service map: the community directory, in a shape that maps to Open Referral UK."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from microcomm.ledger import LedgerRow, ledger_status_field
from microcomm.models import Locality, Organisation, Theme, Timestamped, person_field

STALE_AFTER = timedelta(days=183)


class TaxonomyTerm(models.Model):
    """A term from an ORUK taxonomy, optionally mapped to one of our themes."""

    oruk_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=200, blank=True)
    vocabulary = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["vocabulary", "name"]

    def __str__(self) -> str:
        return self.name


class Service(Timestamped):
    """A community activity or service people can be referred to."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class Cost(models.TextChoices):
        FREE = "free", "Free"
        LOW = "low", "Low cost"
        PAID = "paid", "Paid"

    TRANSITIONS: dict[str, set[str]] = {
        Status.PROPOSED: {Status.ACTIVE, Status.CLOSED},
        Status.ACTIVE: {Status.PAUSED, Status.CLOSED},
        Status.PAUSED: {Status.ACTIVE, Status.CLOSED},
        Status.CLOSED: {Status.ACTIVE},
    }
    # From waiting for approval, active means approved and closed means turned down.
    TRANSITION_LABELS = {
        Status.PROPOSED: "Proposed the service",
        Status.ACTIVE: "Made the service active",
        Status.PAUSED: "Paused the service",
        Status.CLOSED: "Closed the service",
    }

    name = models.CharField(max_length=200)
    provider_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    provider_name = models.CharField(
        "name of the group",
        max_length=200,
        blank=True,
        help_text="For an informal group with no organisation record.",
    )
    description = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="services")
    localities = models.ManyToManyField(Locality, blank=True, related_name="services")
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    venue = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    frequency = models.CharField(
        "when it runs, in words",
        max_length=200,
        blank=True,
        help_text="For example: every Tuesday, 10am to 12 noon, term time only.",
    )
    capacity_per_week = models.PositiveIntegerField("places a week", null=True, blank=True)
    waiting_list = models.PositiveIntegerField("people waiting", default=0)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    cost_description = models.CharField(max_length=200, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility = models.TextField("who it is for", blank=True)
    join_self_referral = models.BooleanField("people can refer themselves", default=False)
    join_link_worker_referral = models.BooleanField("a link worker can refer", default=False)
    join_drop_in = models.BooleanField("people can drop in", default=False)
    accessibility = models.TextField("accessibility notes", blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    url = models.URLField("website", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    last_verified_on = models.DateField(null=True, blank=True)
    verified_by = person_field()
    proposed_by = person_field()
    oruk_id = models.CharField(
        "Open Referral id", max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["last_verified_on"]),
            # The service map's order, so a page of it reads 20 rows, not every service.
            models.Index(fields=["name", "id"], name="service_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider(self) -> str:
        if self.provider_organisation_id:
            return self.provider_organisation.name
        return self.provider_name

    @property
    def is_stale(self) -> bool:
        """Not verified for six months (or never): link workers should check it still runs."""
        if self.last_verified_on is None:
            return True
        return self.last_verified_on < stale_before()


def stale_before(today: date | None = None) -> date:
    """Services last verified before this date are stale."""
    return (today or timezone.localdate()) - STALE_AFTER


class ServiceLocation(models.Model):
    """A place a service runs (an ORUK location)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    oruk_id = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.address


class ServiceSchedule(models.Model):
    """When a service runs: a weekday with times and a frequency (an ORUK schedule)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every 2 weeks"
        MONTHLY = "monthly", "Every month"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    oruk_id = models.CharField(max_length=64, blank=True)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default="weekly")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at", "id"]
        indexes = [models.Index(fields=["weekday", "service"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_frequency_display().lower()}"


class DirectoryImport(LedgerRow):
    """One uploaded Open Referral UK file and what importing it did: the import task's ledger.

    The file is kept in private storage; the task reads it, imports all or nothing and
    records the counts (created and updated per kind) or the row-by-row problems.
    """

    MAX_ATTEMPTS = 3

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"
        ZIP = "zip", "ZIP of CSV files"

    file = models.FileField(upload_to="imports/%Y/")
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=4, choices=Format.choices)
    status = ledger_status_field(
        queued="Waiting to start", running="Importing", done="Imported", failed="Not imported"
    )
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    started_by = person_field()

    class Meta(LedgerRow.Meta):
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display().lower()})"
