"""Reads for the group pages: the person's groups, a group's members and its vault."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import OrganisationDocument, OrganisationInvitation
from applications.permissions import DOCUMENTS, ORGANISATIONS
from microcomm.models import Membership, Organisation, User

EXPIRY_WARNING_DAYS = 60


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    """Staff who support groups see every group; anyone else sees their own.

    Members are counted per row shown (a subquery), not by grouping every group, so a page
    of the list costs the same however many groups there are."""
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return ORGANISATIONS.visible(
        user,
        Organisation.objects.annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
        ),
    ).order_by("name", "pk")


def organisations_of_user(*, user: User) -> QuerySet[Membership]:
    """The person's memberships with their groups, for the home panel and the list."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_for_page(*, user: User, pk: int) -> Organisation | None:
    """The group with its profile, or None when it does not exist or the person may not see it."""
    return ORGANISATIONS.visible(user).select_related("profile").filter(pk=pk).first()


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def invitations_pending(*, organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    cutoff = timezone.now() - datetime.timedelta(days=OrganisationInvitation.VALID_DAYS)
    return OrganisationInvitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        created_at__gt=cutoff,
    ).select_related("invited_by")


def invitation_by_token(*, token: str) -> OrganisationInvitation | None:
    return (
        OrganisationInvitation.objects.select_related("organisation", "invited_by")
        .filter(token=token)
        .first()
    )


def documents_current(*, organisation: Organisation) -> QuerySet[OrganisationDocument]:
    """The group's documents that have not been replaced, by kind then newest first."""
    return OrganisationDocument.objects.filter(
        organisation=organisation, replaced_at__isnull=True
    ).select_related("uploaded_by")


def documents_replaced(*, organisation: Organisation) -> QuerySet[OrganisationDocument]:
    return (
        OrganisationDocument.objects.filter(organisation=organisation, replaced_at__isnull=False)
        .select_related("uploaded_by")
        .order_by("kind", "-replaced_at", "-id")
    )


def document_for_download(
    *, user: User, organisation_pk: int, pk: int
) -> OrganisationDocument | None:
    """The document, current or replaced, when the person may see it; else None."""
    return (
        DOCUMENTS.visible(user)
        .select_related("organisation")
        .filter(pk=pk, organisation_id=organisation_pk)
        .first()
    )


@dataclass(frozen=True)
class ExpiryFlag:
    """How an expiring document is tagged: "Expired" (red) or "Expires 12 March 2027"."""

    text: str
    expired: bool


def expiry_flag(
    document: OrganisationDocument, *, today: datetime.date | None = None
) -> ExpiryFlag | None:
    """A tag for a document that has expired or expires within 60 days, else None."""
    if document.expires_on is None:
        return None
    today = today or timezone.localdate()
    if document.expires_on < today:
        return ExpiryFlag(text="Expired", expired=True)
    if document.expires_on <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
        day = document.expires_on
        return ExpiryFlag(text=f"Expires {day.day} {day:%B %Y}", expired=False)
    return None


def documents_needing_attention(*, user: User) -> list[OrganisationDocument]:
    """Current documents of the person's groups that have expired or expire within 60 days."""
    horizon = timezone.localdate() + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    documents = (
        OrganisationDocument.objects.filter(
            Q(organisation__memberships__user=user),
            replaced_at__isnull=True,
            expires_on__isnull=False,
            expires_on__lte=horizon,
        )
        .select_related("organisation")
        .order_by("expires_on", "id")
    )
    return [document for document in documents if expiry_flag(document) is not None]
