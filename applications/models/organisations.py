"""An organisation's profile, its members' invitations and its document vault."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from microcomm.models import Membership, Organisation, person_field


class OrganisationProfile(models.Model):
    """What a group tells funders about itself, reused by every application."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="profile"
    )
    charity_number = models.CharField(max_length=10, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    annual_income = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    year_started = models.PositiveSmallIntegerField(null=True, blank=True)
    main_contact_name = models.CharField(max_length=150, blank=True)
    main_contact_email = models.EmailField(blank=True)
    main_contact_phone = models.CharField(max_length=30, blank=True)
    second_contact_name = models.CharField(max_length=150, blank=True)
    second_contact_email = models.EmailField(blank=True)
    second_contact_phone = models.CharField(max_length=30, blank=True)
    second_contact_unrelated = models.BooleanField(
        "the second contact is not related to the main contact", default=False
    )
    host_organisation_name = models.CharField(
        "host or umbrella organisation", max_length=200, blank=True
    )
    has_bank_account = models.BooleanField(
        "the group has a bank account in its own name", null=True, blank=True
    )
    bank_account_name = models.CharField("name on the bank account", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.organisation}"


class OrganisationInvitation(models.Model):
    """An invitation by email to join an organisation as an owner or an editor."""

    VALID_DAYS = 30
    """An invitation older than this can no longer be accepted."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = person_field(blank=False)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"


class OrganisationDocument(models.Model):
    """A file in the group's document vault, private to members and assessors."""

    class Kind(models.TextChoices):
        GOVERNING = "governing", "Governing document or constitution"
        SAFEGUARDING = "safeguarding", "Safeguarding policy"
        INSURANCE = "insurance", "Public liability insurance"
        ACCOUNTS = "accounts", "Latest accounts or income and expenditure sheet"
        EQUALITY = "equality", "Equality policy"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/%Y/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    expires_on = models.DateField(null=True, blank=True)
    uploaded_by = person_field(blank=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "replaced_at"])]

    def __str__(self) -> str:
        return self.title
