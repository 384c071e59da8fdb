"""What a round tells the public: FAQs, guidance, and requests for help to apply."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from microcomm.models import person_field
from rounds.models.funding import Round


class Faq(models.Model):
    """A question and answer, for one round or (with no round) for the whole scheme."""

    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="faqs"
    )
    question = models.CharField(max_length=300)
    answer = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "FAQ"

    def __str__(self) -> str:
        return self.question


class GuidanceResource(models.Model):
    """A guide or template to download (a file) or read elsewhere (a link)."""

    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="guidance"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to="guidance/%Y/", blank=True)
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class SupportRequest(models.Model):
    """A group asking for help to apply; link workers pick it up from their home page."""

    class Help(models.TextChoices):
        CALL = "call", "A phone call to talk it through"
        FORM = "form", "Help filling in the form"
        TRANSLATION = "translation", "A translation"
        ACCESSIBLE_FORMAT = "format", "An accessible format, such as large print or easy read"
        CONSTITUTION = "constitution", "Help to set up a constitution or bank account"

    class Contact(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        CLOSED = "closed", "Closed"

    # Assigned again means handed to another link worker.
    TRANSITIONS: dict[str, set[str]] = {
        Status.NEW: {Status.ASSIGNED, Status.CLOSED},
        Status.ASSIGNED: {Status.ASSIGNED, Status.CLOSED},
        Status.CLOSED: set(),
    }
    TRANSITION_LABELS = {
        Status.NEW: "Asked for help to apply",
        Status.ASSIGNED: "Asked a link worker to help",
        Status.CLOSED: "Closed the request for help",
    }
    TRANSITION_REFUSALS = {
        Status.ASSIGNED: "This request is closed already",
        Status.CLOSED: "This request is closed already",
    }

    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_requests"
    )
    name = models.CharField(max_length=150)
    group_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_preference = models.CharField(max_length=10, choices=Contact.choices)
    help_needed = models.JSONField(default=list)
    language = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = person_field(related_name="support_requests")
    notes = models.TextField("what was done", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The latest closed requests, on the list of requests.
            models.Index(fields=["status", "-closed_at", "-id"], name="support_request_closed"),
        ]

    def __str__(self) -> str:
        return f"Help for {self.group_name or self.name}"
