"""Every write to a group: creating it, its profile, its members and its document vault.

Each service runs in one transaction, writes an audit event and queues email on commit.
Views check permission first; the rules that protect the data (at least one owner, only
the invited address accepts, files checked by content) are enforced here as well.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import OrganisationDocument, OrganisationInvitation, OrganisationProfile
from applications.permissions import is_owner
from applications.validators import refuse_bank_numbers
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.models import LegalForm, Membership, Organisation, User
from microcomm.services import email_queue
from microcomm.uploads import CheckedFile, upload_check

LAST_OWNER_MESSAGE = "A group must have at least one owner"
ORGANISATION_FIELDS = ("name", "legal_form", "description")
PROFILE_FIELDS = (
    "charity_number",
    "company_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "annual_income",
    "year_started",
    "main_contact_name",
    "main_contact_email",
    "main_contact_phone",
    "second_contact_name",
    "second_contact_email",
    "second_contact_phone",
    "second_contact_unrelated",
    "host_organisation_name",
    "has_bank_account",
    "bank_account_name",
)


def _name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    return Organisation.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists()


def _duplicate_name_error(name: str) -> DomainError:
    return DomainError(
        f"A group called {name} already exists. If it is your group, ask its owner to "
        "invite you; otherwise enter a different name",
        field="name",
    )


def _require_owner(actor: User, organisation: Organisation) -> None:
    if not is_owner(actor, organisation):
        raise DomainError("Only the group's owners can manage its members")


@transaction.atomic
def organisation_create(*, name: str, legal_form: str, actor: User) -> Organisation:
    """Create a group with an empty profile; the person creating it becomes its owner."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter the name of your group", field="name")
    if legal_form not in LegalForm.values:
        raise DomainError("Select the type of group", field="legal_form")
    if _name_taken(name):
        raise _duplicate_name_error(name)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(name=name, legal_form=legal_form)
    except IntegrityError as error:  # someone else took the name a moment ago
        raise _duplicate_name_error(name) from error
    OrganisationProfile.objects.create(organisation=organisation)
    Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.OWNER)
    audit_record(actor=actor, verb="organisation.create", target=organisation)
    return organisation


def profile_problems(*, legal_form: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rules across profile fields, as (field, message) pairs; forms show them all."""
    problems = []
    main_name = (values.get("main_contact_name") or "").strip()
    second_name = (values.get("second_contact_name") or "").strip()
    if legal_form == LegalForm.UNINCORPORATED:
        if not second_name:
            problems.append(
                (
                    "second_contact_name",
                    "Enter a second contact: groups that are not constituted need two",
                )
            )
        if not values.get("second_contact_unrelated"):
            problems.append(
                (
                    "second_contact_unrelated",
                    "Confirm that the second contact is not related to the main contact",
                )
            )
    if second_name and main_name and second_name.casefold() == main_name.casefold():
        problems.append(
            (
                "second_contact_name",
                "The second contact must be a different person from the main contact",
            )
        )
    if values.get("has_bank_account") is False and not values.get("host_organisation_name"):
        problems.append(
            (
                "host_organisation_name",
                "Enter the host or umbrella organisation that will hold the grant for your group",
            )
        )
    if values.get("has_bank_account") and not values.get("bank_account_name"):
        problems.append(("bank_account_name", "Enter the name on the bank account"))
    try:
        refuse_bank_numbers(values.get("bank_account_name") or "")
    except ValidationError as error:
        problems.append(("bank_account_name", error.messages[0]))
    return problems


@transaction.atomic
def organisation_profile_update(
    *, organisation: Organisation, changes: Mapping[str, Any], actor: User
) -> OrganisationProfile:
    """Save the group's details and profile from cleaned form data.

    ``changes`` holds any of ORGANISATION_FIELDS and PROFILE_FIELDS. The audit event names
    the fields that changed, not their values, which may be personal details.
    """
    unknown = set(changes) - set(ORGANISATION_FIELDS) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    profile, _ = OrganisationProfile.objects.get_or_create(organisation=organisation)
    changed = []
    for field, value in changes.items():
        target = organisation if field in ORGANISATION_FIELDS else profile
        if isinstance(value, str):
            value = value.strip()
        if getattr(target, field) != value:
            setattr(target, field, value)
            changed.append(field)
    if "name" in changed:
        organisation.name = " ".join(organisation.name.split())
        if not organisation.name:
            raise DomainError("Enter the name of your group", field="name")
        if _name_taken(organisation.name, exclude_pk=organisation.pk):
            raise _duplicate_name_error(organisation.name)
    if profile.has_bank_account is False:
        profile.bank_account_name = ""
    values = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    problems = profile_problems(legal_form=organisation.legal_form, values=values)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:
        raise _duplicate_name_error(organisation.name) from error
    profile.save()
    audit_record(
        actor=actor,
        verb="organisation.profile_update",
        target=organisation,
        detail={"fields": sorted(changed)},
    )
    return profile


def invitation_link(invitation: OrganisationInvitation) -> str:
    path = reverse("applications:invitation-accept", kwargs={"token": invitation.token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def member_invite(
    *, organisation: Organisation, email: str, role: str, actor: User
) -> OrganisationInvitation:
    """Email someone a link to join the group; a new invitation replaces a pending one."""
    _require_owner(actor, organisation)
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise DomainError("Select owner or editor", field="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise DomainError("This person is already a member of the group", field="email")
    now = timezone.now()
    OrganisationInvitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
    ).update(cancelled_at=now)
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        created_at=now,
    )
    audit_record(
        actor=actor,
        verb="organisation.member_invite",
        target=organisation,
        to_state=role,
        detail={"invitation": invitation.pk},
    )
    email_queue(
        key=f"organisation-invitation:{invitation.pk}",
        to=email,
        subject=f"Join {organisation.name} on {settings.SCHEME_NAME}",
        template="email/organisation_invitation",
        context={
            "organisation": organisation,
            "invited_by": actor,
            "role": Membership.Role(role).label.lower(),
            "link": invitation_link(invitation),
            "valid_days": OrganisationInvitation.VALID_DAYS,
        },
    )
    return invitation


def invitation_is_pending(invitation: OrganisationInvitation) -> bool:
    expires = invitation.created_at + datetime.timedelta(days=OrganisationInvitation.VALID_DAYS)
    return (
        invitation.accepted_at is None
        and invitation.cancelled_at is None
        and timezone.now() < expires
    )


@transaction.atomic
def invitation_accept(*, token: str, actor: User) -> Membership:
    """Join the group with the role offered; only the invited email address may accept.

    Someone already in the group keeps the role they have.
    """
    invitation = (
        OrganisationInvitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )
    if invitation is None or not invitation_is_pending(invitation):
        raise DomainError(
            "This invitation has expired, been cancelled or already been used. "
            "Ask the group's owner to invite you again"
        )
    if actor.email.lower() != invitation.email.lower():
        raise DomainError(
            f"This invitation was sent to {invitation.email}. Sign out, then sign in or "
            "create an account with that email address to accept it"
        )
    membership, created = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=actor,
        verb="organisation.invitation_accept",
        target=invitation.organisation,
        to_state=membership.role,
        detail={"invitation": invitation.pk, "joined": created},
    )
    return membership


def _refuse_last_owner(membership: Membership) -> None:
    """Refuse to remove or demote the group's last owner. Locks the owners first, so two
    owners removing each other at once cannot leave the group with none."""
    if membership.role != Membership.Role.OWNER:
        return
    owners = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if len(owners) <= 1:
        raise DomainError(LAST_OWNER_MESSAGE)


@transaction.atomic
def member_remove(*, membership: Membership, actor: User) -> None:
    """Take someone out of the group; refuses to remove the last owner."""
    _require_owner(actor, membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_last_owner(membership)
    audit_record(
        actor=actor,
        verb="organisation.member_remove",
        target=membership.organisation,
        from_state=membership.role,
        detail={"user": membership.user_id},
    )
    membership.delete()


@transaction.atomic
def member_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Make a member an owner or an editor; refuses to demote the last owner."""
    _require_owner(actor, membership.organisation)
    if role not in Membership.Role.values:
        raise DomainError("Select owner or editor", field="role")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    _refuse_last_owner(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        verb="organisation.member_change_role",
        target=membership.organisation,
        from_state=previous,
        to_state=role,
        detail={"user": membership.user_id},
    )
    return membership


def _document_add(
    *,
    organisation_id: int,
    kind: str,
    upload: UploadedFile,
    actor: User,
    title: str,
    expires_on: datetime.date | None,
) -> OrganisationDocument:
    """Check the file and the document's rules, then store it privately under a random name."""
    title, expires_on = _document_rules(kind=kind, title=title, expires_on=expires_on)
    checked = _checked(upload)
    document = OrganisationDocument(
        organisation_id=organisation_id,
        kind=kind,
        title=title,
        expires_on=expires_on,
        uploaded_by=actor,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
    )
    upload.seek(0)
    # A random stored name: the uploaded name is shown, never used as a path.
    document.file.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
    document.save()
    return document


def _checked(upload: UploadedFile) -> CheckedFile:
    try:
        return upload_check(upload)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="file") from error


def _document_rules(
    *, kind: str, title: str, expires_on: datetime.date | None
) -> tuple[str, datetime.date | None]:
    if kind not in OrganisationDocument.Kind.values:
        raise DomainError("Select the type of document", field="kind")
    title = " ".join(title.split()) or OrganisationDocument.Kind(kind).label
    if kind == OrganisationDocument.Kind.INSURANCE and expires_on is None:
        raise DomainError("Enter the date the insurance expires", field="expires_on")
    return title[:200], expires_on


@transaction.atomic
def document_upload(
    *,
    organisation: Organisation,
    kind: str,
    upload: UploadedFile,
    actor: User,
    title: str = "",
    expires_on: datetime.date | None = None,
) -> OrganisationDocument:
    """Add a checked file to the group's vault, stored privately under a random name."""
    document = _document_add(
        organisation_id=organisation.pk,
        kind=kind,
        upload=upload,
        actor=actor,
        title=title,
        expires_on=expires_on,
    )
    audit_record(
        actor=actor,
        verb="organisation.document_upload",
        target=organisation,
        to_state=kind,
        detail={"document": document.pk},
    )
    return document


@transaction.atomic
def document_replace(
    *,
    document: OrganisationDocument,
    upload: UploadedFile,
    actor: User,
    title: str = "",
    expires_on: datetime.date | None = None,
) -> OrganisationDocument:
    """Upload a new version; the old one stays, marked replaced, for past applications."""
    document = OrganisationDocument.objects.select_for_update().get(pk=document.pk)
    if document.replaced_at is not None:
        raise DomainError("This document has already been replaced. Replace the current one")
    new = _document_add(
        organisation_id=document.organisation_id,
        kind=document.kind,
        upload=upload,
        actor=actor,
        title=title or document.title,
        expires_on=expires_on,
    )
    document.replaced_at = timezone.now()
    document.save(update_fields=["replaced_at"])
    audit_record(
        actor=actor,
        verb="organisation.document_replace",
        target=document.organisation,
        detail={"document": new.pk, "replaces": document.pk},
    )
    return new


@transaction.atomic
def document_delete(*, document: OrganisationDocument, actor: User) -> None:
    """Remove a document from the vault.

    A document an application used is kept, marked replaced, so the application still
    shows what was sent; any other is deleted with its file.
    """
    document = OrganisationDocument.objects.select_for_update().get(pk=document.pk)
    audit_record(
        actor=actor,
        verb="organisation.document_delete",
        target=document.organisation,
        from_state=document.kind,
        detail={"document": document.pk},
    )
    if document.answers.exists():
        if document.replaced_at is None:
            document.replaced_at = timezone.now()
            document.save(update_fields=["replaced_at"])
        return
    file_name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(file_name) if file_name else None)
