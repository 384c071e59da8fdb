"""The core every app shares: people, organisations, places, themes and the audit log."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from microcomm.ledger import LedgerRow, ledger_status_field


def person_field(*, blank: bool = True, related_name: str = "+") -> models.ForeignKey:
    """A person named on a record: who made, changed or checked it, or who took it on.

    The record outlives their account: deleting the account empties the field.
    `blank=False` where a service always sets it.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class Timestamped(models.Model):
    """When a record was made (a service may give an earlier moment) and last saved."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; roles come from groups and memberships."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_staff = models.BooleanField(
        "admin", default=False, help_text="Can sign in to the Django admin."
    )
    is_active = models.BooleanField(
        default=True, help_text="Unticked: the person cannot sign in (account closed)."
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class LegalForm(models.TextChoices):
    UNINCORPORATED = "unincorporated", "Unincorporated community group"
    CHARITY = "charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CIC = "cic", "Community interest company (CIC)"
    CLG = "clg", "Company limited by guarantee"
    COMMUNITY_BENEFIT = "bencom", "Community benefit society"
    PARISH_COUNCIL = "parish", "Parish or town council"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A voluntary, community or social enterprise group that applies for grants."""

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices)
    description = models.TextField("what the group does", blank=True)
    website = models.URLField(blank=True)
    oruk_id = models.CharField(
        "Open Referral id", max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_constituted(self) -> bool:
        return self.legal_form != LegalForm.UNINCORPORATED


class Membership(models.Model):
    """A person's place in an organisation: owners manage members, editors apply."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"


LOCALITY_CODE_PATTERNS = {
    "pcn": (re.compile(r"^U\d{5}$"), "a PCN code is U followed by 5 digits, like U12345"),
    "ward": (re.compile(r"^E05\d{6}$"), "a ward code is E05 followed by 6 digits, like E05001234"),
    "lsoa": (re.compile(r"^E01\d{6}$"), "an LSOA code is E01 followed by 6 digits, like E01012345"),
}


def locality_code_problem(kind: str, code: str) -> str | None:
    """Return why an official code does not fit a locality kind, or None when it fits."""
    if not code:
        return None
    if kind in LOCALITY_CODE_PATTERNS:
        pattern, expected = LOCALITY_CODE_PATTERNS[kind]
        if not pattern.match(code):
            return f"Enter the code in the right format: {expected}"
        return None
    for other_pattern, _expected in LOCALITY_CODE_PATTERNS.values():
        if other_pattern.match(code):
            return None
    if re.match(r"^E0[6-9]\d{6}$", code):
        return None  # local authority codes (E06-E09)
    return (
        "Enter an official code such as a PCN code (U12345), a ward code (E05001234) "
        "or an LSOA code (E01012345), or leave it blank"
    )


class Locality(models.Model):
    """A place the scheme works in: a PCN, a ward, a neighbourhood or a local authority."""

    class Kind(models.TextChoices):
        ICB = "icb", "Integrated care board"
        LOCAL_AUTHORITY = "la", "Local authority"
        PCN = "pcn", "Primary care network"
        WARD = "ward", "Ward"
        LSOA = "lsoa", "Lower layer super output area (LSOA)"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(
        "official code",
        max_length=12,
        blank=True,
        help_text="PCN: U and 5 digits. Ward: E05 and 6 digits. LSOA: E01 and 6 digits.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="locality_kind_name_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="locality_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = locality_code_problem(self.kind, self.code)
        if problem:
            raise ValidationError({"code": problem})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A locality cannot be its own parent"})


class Theme(models.Model):
    """A needs theme such as loneliness or money and debt. The list is editable."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """Who did what to which record, when, from which state to which, and why.

    Append-only: saving an existing event or deleting one raises.
    """

    actor = person_field(related_name="audit_events")
    verb = models.CharField(max_length=80)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(max_length=200, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_repr}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only")


class Notification(models.Model):
    """An in-app message for one person; the matching email is an OutboundEmail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class OutboundEmail(LedgerRow):
    """The ledger row for one email: unique by key, so it is sent once.

    The Celery task delivers it after commit; the ledger's sweep sends again any that a lost
    message left unsent. An email that keeps failing shows in the admin with its error.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # A private file (a path in the default storage) sent with the email, such as the PDF
    # copy of a submitted application.
    attachment_path = models.CharField(max_length=300, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    status = ledger_status_field(running="Sending", done="Sent")

    class Meta(LedgerRow.Meta):
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"
