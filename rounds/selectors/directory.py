"""Every read of the service map that a page or the ORUK API uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from microcomm.models import Organisation, User
from rounds.models import DirectoryImport, Service, ServiceSchedule
from rounds.permissions import DIRECTORY_IMPORTS, SERVICES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def services_for_search() -> QuerySet[Service]:
    """Listings for the staff search page, with everything a result card shows prefetched."""
    return (
        Service.objects.select_related("provider_organisation")
        .prefetch_related(
            "themes",
            "localities",
            Prefetch("schedules", queryset=ServiceSchedule.objects.order_by("weekday", "opens_at")),
        )
        .order_by("name", "id")
    )


def service_for_page(*, user: User | AnonymousUser, pk: int) -> Service | None:
    """One listing with its provider, places, schedule and terms, or None if not visible."""
    return (
        SERVICES.visible(user)
        .select_related("provider_organisation", "verified_by", "proposed_by")
        .prefetch_related("themes", "localities", "taxonomy_terms", "locations", "schedules")
        .filter(pk=pk)
        .first()
    )


def services_proposed_by(*, user: User) -> QuerySet[Service]:
    """Listings an applicant proposed, newest first, for their own organisations."""
    return SERVICES.involved(user).select_related("provider_organisation").order_by("-created_at")


def organisations_for_proposer(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def services_for_oruk() -> QuerySet[Service]:
    """Active listings only, as other directories may read them, fully prefetched."""
    return (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .select_related("provider_organisation")
        .prefetch_related("locations", "schedules", "taxonomy_terms")
        .order_by("name", "id")
    )


def directory_imports_recent(*, user: User) -> QuerySet[DirectoryImport]:
    """The imports the person may see, newest first, with who started each."""
    return (
        DIRECTORY_IMPORTS.visible(user).select_related("started_by").order_by("-queued_at", "-id")
    )
