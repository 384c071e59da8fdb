"""The needs register: unmet needs link workers and commissioners record. Never patients."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from microcomm.models import Locality, Theme, Timestamped, person_field


class PopulationGroup(models.Model):
    """Who a need affects: an age band, carers, disabled people, a language, other."""

    class Kind(models.TextChoices):
        AGE = "age", "Age band"
        CARERS = "carers", "Carers"
        DISABILITY = "disability", "People with a disability"
        LANGUAGE = "language", "People who speak a language"
        OTHER = "other", "Other"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class JsnaPriority(models.Model):
    """A priority from the joint strategic needs assessment or a local plan."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    source_url = models.URLField("link to the source", blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "JSNA priority"
        verbose_name_plural = "JSNA priorities"

    def __str__(self) -> str:
        return self.title


class Need(Timestamped):
    """An unmet need in a place and theme, with the signals that it keeps coming up.

    Free text here is checked by the identifier guard before it is saved: no details that
    identify a person.
    """

    class Source(models.TextChoices):
        CASELOAD = "caseload", "Link worker caseload"
        JSNA = "jsna", "Joint strategic needs assessment (JSNA)"
        LOCAL_PRIORITY = "local_priority", "Local priority"
        CONSULTATION = "consultation", "Community consultation"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        BEING_ADDRESSED = "being_addressed", "Being addressed"
        MET = "met", "Met"
        CLOSED = "closed", "Closed"

    # Which status may follow which; services refuse anything else.
    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.BEING_ADDRESSED, Status.MET, Status.CLOSED},
        Status.BEING_ADDRESSED: {Status.OPEN, Status.MET, Status.CLOSED},
        Status.MET: {Status.OPEN, Status.CLOSED},
        Status.CLOSED: {Status.OPEN},
    }
    TRANSITION_LABELS = {
        Status.OPEN: "Opened the need again",
        Status.BEING_ADDRESSED: "Marked the need as being addressed",
        Status.MET: "Marked the need as met",
        Status.CLOSED: "Closed the need",
    }

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="needs")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="needs")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CASELOAD)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    people_affected = models.PositiveIntegerField(
        "estimated number of people affected", null=True, blank=True
    )
    population_groups = models.ManyToManyField(PopulationGroup, blank=True, related_name="needs")
    language_spoken = models.CharField(max_length=100, blank=True)
    population_other = models.CharField("other group affected", max_length=200, blank=True)
    evidence_url = models.URLField("link to evidence", blank=True)
    evidence_file = models.FileField(upload_to="needs/evidence/%Y/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.TextField(blank=True)
    jsna_priority = models.ForeignKey(
        JsnaPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_needs"
    )
    # How many times the need was logged; kept equal to the number of signals by services
    # so that the gap analysis can add it up without counting rows.
    signal_count = models.PositiveIntegerField(default=0)
    recorded_by = person_field(blank=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "locality", "theme"]),
            models.Index(fields=["theme", "locality", "source", "status"]),
            # The register's order, so a page of it reads 25 rows, not every need.
            models.Index(fields=["-updated_at", "-id"], name="need_recent_first"),
        ]

    def __str__(self) -> str:
        return self.title


class NeedSignal(models.Model):
    """One time a need was met in practice: a quick log, or a need merged into another."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="signals")
    note = models.CharField("what was missing", max_length=300, blank=True)
    recorded_by = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A person's latest logs (the link worker's home), newest first.
            models.Index(
                fields=["recorded_by", "-created_at", "-id"], name="need_signal_recent_by_person"
            ),
        ]

    def __str__(self) -> str:
        return self.note or f"Signal for {self.need}"
