"""Who may see and change organisations, documents and applications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microcomm.models import Membership
from microcomm.permissions import is_commissioner, is_link_worker

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from applications.models import Application, OrganisationDocument
    from microcomm.models import Organisation, User

    AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_member(user: AnyUser, organisation: Organisation) -> bool:
    return (
        _active(user) and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


def is_owner(user: AnyUser, organisation: Organisation) -> bool:
    return (
        _active(user)
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.OWNER
        ).exists()
    )


def can_create_organisation(user: AnyUser) -> bool:
    """Anyone signed in may set up a group: applicants, and link workers helping one start."""
    return _active(user)


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return is_member(user, organisation) or is_commissioner(user) or is_link_worker(user)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return is_member(user, organisation)


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    return is_owner(user, organisation)


def can_view_document(user: AnyUser, document: OrganisationDocument) -> bool:
    """Members of the group, and commissioners who assess its applications."""
    return is_member(user, document.organisation) or is_commissioner(user)


def can_view_application(user: AnyUser, application: Application) -> bool:
    """Members of the group, the link worker who assisted it, and commissioners."""
    if not _active(user):
        return False
    return (
        is_commissioner(user)
        or application.assisted_by_id == user.pk
        or is_member(user, application.organisation)
    )


def can_edit_application(user: AnyUser, application: Application) -> bool:
    """Drafts are edited by the group's members and the link worker helping them."""
    if application.status != application.Status.DRAFT or not _active(user):
        return False
    return application.assisted_by_id == user.pk or is_member(user, application.organisation)


def can_submit_application(user: AnyUser, application: Application) -> bool:
    """Only the group itself submits: an assisting link worker hands it over instead."""
    return application.status == application.Status.DRAFT and is_member(
        user, application.organisation
    )


def can_start_assisted_application(user: AnyUser) -> bool:
    return is_link_worker(user)


def can_manage_applications(user: AnyUser) -> bool:
    """See every application, override eligibility, verify due diligence, reopen."""
    return is_commissioner(user)
