"""Who may do what with needs, services and gaps: plain predicates, tested as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microcomm.permissions import is_commissioner, is_link_worker

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import Organisation, User
    from rounds.models import Service

    AnyUser = User | AnonymousUser


def _staff(user: AnyUser) -> bool:
    return is_commissioner(user) or is_link_worker(user)


def can_view_needs(user: AnyUser) -> bool:
    """Individual needs are for link workers and commissioners only."""
    return _staff(user)


def can_log_need(user: AnyUser) -> bool:
    return _staff(user)


def can_triage_needs(user: AnyUser) -> bool:
    """Edit, merge, link to a JSNA priority, close."""
    return is_commissioner(user)


def can_view_gaps(user: AnyUser) -> bool:
    return _staff(user)


def can_search_services(user: AnyUser) -> bool:
    return _staff(user)


def can_manage_services(user: AnyUser) -> bool:
    """Add, edit, verify, pause, close and approve listings."""
    return _staff(user)


def can_import_directory(user: AnyUser) -> bool:
    return is_commissioner(user)


def can_propose_service(user: AnyUser, organisation: Organisation) -> bool:
    """An applicant may propose a listing for an organisation they belong to."""
    if not (user.is_authenticated and user.is_active):
        return False
    return organisation.memberships.filter(user=user).exists()


def can_view_service(user: AnyUser, service: Service) -> bool:
    if _staff(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(
        service.provider_organisation_id
        and service.provider_organisation.memberships.filter(user=user).exists()
    )


def can_manage_funding(user: AnyUser) -> bool:
    """Funds, rounds, forms, FAQs and guidance are the commissioners' to manage."""
    return is_commissioner(user)


def can_handle_support_requests(user: AnyUser) -> bool:
    """Link workers (and commissioners) pick up requests for help to apply."""
    return _staff(user)
