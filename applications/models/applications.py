"""Applications to a round: answers, budget, sections, eligibility and due diligence."""

from __future__ import annotations

from django.db import models

from microcomm.ledger import LedgerRow, ledger_status_field
from microcomm.models import Locality, Organisation, Timestamped, person_field
from rounds.models import FormSection, Question, Round


class Application(Timestamped):
    """One organisation's application to one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        # A commissioner can reopen a submitted application for changes (back to draft).
        Status.SUBMITTED: {Status.DRAFT, Status.WITHDRAWN},
        Status.WITHDRAWN: set(),
    }
    TRANSITION_LABELS = {
        Status.DRAFT: "Reopened the application for changes",
        Status.SUBMITTED: "Submitted the application",
        Status.WITHDRAWN: "Withdrew the application",
    }
    TRANSITION_REFUSALS = {
        Status.DRAFT: "Only a submitted application can be reopened",
        Status.SUBMITTED: "This application has already been submitted",
        Status.WITHDRAWN: "This application has already been withdrawn",
    }

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField("project name", max_length=200, blank=True)
    amount_requested = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    declaration_accepted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = person_field()
    created_by = person_field(blank=False)
    # A link worker who started or filled the application on the group's behalf.
    assisted_by = person_field(related_name="assisted_applications")
    handed_over_at = models.DateTimeField(null=True, blank=True)
    eligibility = models.JSONField(
        default=dict, blank=True, help_text="The result of the last eligibility check."
    )
    eligibility_override_reason = models.TextField(blank=True)
    eligibility_overridden_by = person_field()
    reopened_reason = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # When answers or the budget were last saved: saving is not an audit event.
    last_saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["round", "status"]),
            # A round's list in its default order, one page at a time.
            models.Index(
                fields=["round", "status", "reference", "id"], name="application_round_list"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_live_per_round_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft application from {self.organisation}"


class ReferenceCounter(models.Model):
    """The last application number used in a year, locked when a reference is issued."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ApplicationSection(models.Model):
    """Where an application stands on one section of the task list, and panel feedback."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="section_states"
    )
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="+")
    completed = models.BooleanField(default=False)
    # Written by the panel when a decision is made; shown beside the section when the
    # group copies an unsuccessful application into a later round.
    feedback = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "section"], name="application_section_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} for {self.application}"


class Answer(models.Model):
    """An answer to one question. The version guards against silent overwrites."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    document = models.ForeignKey(
        "applications.OrganisationDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = person_field(blank=False)
    entered_by_assistant = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question} in {self.application}"


class ApplicationPlace(models.Model):
    """A place an application's answers name: where the activity happens (and the place
    that holds it, so a PCN finds its wards), a place named in an older free-choice
    "which area" question, or a place chosen as a priority.

    Kept by the services that write answers, so that filtering a round's applications by
    place is an indexed join rather than a reading of every answer.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="places")
    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "locality"], name="application_place_once"
            )
        ]
        indexes = [
            models.Index(fields=["locality", "application"], name="application_place_locality")
        ]

    def __str__(self) -> str:
        return f"{self.locality_id} in {self.application_id}"


class BudgetLine(models.Model):
    """A line of an application's budget: a cost, other funding, or support in kind."""

    class Kind(models.TextChoices):
        COST = "cost", "Cost"
        OTHER_FUNDING = "other_funding", "Other funding"
        IN_KIND = "in_kind", "Support in kind"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.COST)
    item = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.item}: £{self.amount}"


class DueDiligenceItem(models.Model):
    """One check a commissioner verifies before an award, proportionate to the round."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="due_diligence"
    )
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    verified = models.BooleanField(default=False)
    verified_by = person_field()
    verified_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="due_diligence_once")
        ]

    def __str__(self) -> str:
        return self.label


class ApplicationPdf(LedgerRow):
    """The ledger row for the PDF copy of a submitted application: rendered once.

    When it is ready it is emailed to the person who submitted; a copy that could not be
    made is shown on the confirmation page and in the admin, with its error.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pdfs")
    submission = models.PositiveSmallIntegerField(
        default=1, help_text="Which submission this copy is of (reopened applications resubmit)."
    )
    status = ledger_status_field(queued="Being prepared", running="Being prepared", done="Ready")
    file = models.FileField(upload_to="applications/%Y/", blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta(LedgerRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["application", "submission"], name="application_pdf_once"
            )
        ]

    def __str__(self) -> str:
        return f"PDF of {self.application}"
