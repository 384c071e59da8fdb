"""A round's application form: ordered sections of ordered questions."""

from __future__ import annotations

from django.db import models

from microcomm.ledger import LedgerRow, ledger_status_field
from rounds.models.funding import Round


class FormSection(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question on a round's form, optionally shown only when another has an answer."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text with a word limit"
        WHOLE_NUMBER = "whole_number", "Whole number"
        MONEY = "money", "Amount of money"
        DATE = "date", "Date"
        YES_NO = "yes_no", "Yes or no"
        ONE_CHOICE = "one_choice", "One choice from a list"
        SEVERAL_CHOICES = "several_choices", "Several choices from a list"
        FILE = "file", "File upload"
        PRIORITIES = "priorities", "Which of the round's priorities this addresses"
        BUDGET = "budget", "Budget table"
        LOCALITIES = "localities", "Where the activity will happen (places from the scheme's list)"

    CHOICE_KINDS = {Kind.ONE_CHOICE, Kind.SEVERAL_CHOICES}

    class FromProfile(models.TextChoices):
        """What a group's profile already holds, so a question can take it from there."""

        NAME = "name", "The group's name"
        ADDRESS = "address", "The group's address"
        MAIN_CONTACT = "main_contact", "The main contact's name"
        CHARITY_NUMBER = "charity_number", "The charity number"
        COMPANY_NUMBER = "company_number", "The company number"
        ANNUAL_INCOME = "annual_income", "The group's yearly income"
        YEAR_STARTED = "year_started", "The year the group started"

    # The kinds of answer each thing from the profile can fill.
    PROFILE_KINDS = {
        FromProfile.NAME: {Kind.SHORT_TEXT},
        FromProfile.ADDRESS: {Kind.SHORT_TEXT, Kind.LONG_TEXT},
        FromProfile.MAIN_CONTACT: {Kind.SHORT_TEXT},
        FromProfile.CHARITY_NUMBER: {Kind.SHORT_TEXT},
        FromProfile.COMPANY_NUMBER: {Kind.SHORT_TEXT},
        FromProfile.ANNUAL_INCOME: {Kind.MONEY},
        FromProfile.YEAR_STARTED: {Kind.WHOLE_NUMBER},
    }

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=300)
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    condition_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents"
    )
    condition_value = models.CharField(max_length=200, blank=True)
    from_profile = models.CharField(
        "filled from the group's profile",
        max_length=20,
        choices=FromProfile.choices,
        blank=True,
        help_text="Applicants see the profile's answer and change it in their profile.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order", "id"]

    def __str__(self) -> str:
        return self.label


class FormPdf(LedgerRow):
    """A rendered PDF of a round's form at one version: the ledger row for the render task.

    The version is a hash of the form's content, so a changed form gets a new PDF and the
    same form is rendered once.
    """

    # A person waits on the page for it: tell them at once, and let them try again.
    MAX_ATTEMPTS = 1

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="form_pdfs")
    version = models.CharField(max_length=64)
    status = ledger_status_field(queued="Being prepared", running="Being prepared", done="Ready")
    file = models.FileField(upload_to="forms/%Y/", blank=True)

    class Meta(LedgerRow.Meta):
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="form_pdf_once_per_version")
        ]

    def __str__(self) -> str:
        return f"Form PDF for {self.round} ({self.get_status_display()})"
