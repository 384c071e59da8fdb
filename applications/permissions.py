"""Who may see and change organisations, documents and applications.

Each rule is stated once. ``ORGANISATIONS``, ``DOCUMENTS`` and ``APPLICATIONS`` say who may
see which objects, for one object and for a list alike; the ``can_*`` predicates say who
may do what, and why not when they may not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from applications.models import Application, OrganisationDocument
from microcomm.models import Organisation
from microcomm.permissions import (
    ALLOWED,
    Rule,
    Verdict,
    is_active,
    is_commissioner,
    is_link_worker,
    is_member,
    is_scheme_staff,
    organisations_of,
    refused,
)

# Group membership belongs to the core; these are part of this app's policy as well.
from microcomm.permissions import can_manage_members as can_manage_members
from microcomm.permissions import is_owner as is_owner

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

    AnyUser = User | AnonymousUser


# Link workers and commissioners support every group; anyone else sees their own groups.
ORGANISATIONS: Rule[Organisation] = Rule(
    model=Organisation,
    sees_all=is_scheme_staff,
    involving=lambda user: Q(pk__in=organisations_of(user)),
)

# A group's vault: its members, and commissioners who assess its applications. Link
# workers see the group but not its documents.
DOCUMENTS: Rule[OrganisationDocument] = Rule(
    model=OrganisationDocument,
    sees_all=is_commissioner,
    involving=lambda user: Q(organisation__in=organisations_of(user)),
)

# An application: the group's members, the link worker who assisted it, and commissioners.
APPLICATIONS: Rule[Application] = Rule(
    model=Application,
    sees_all=is_commissioner,
    involving=lambda user: Q(organisation__in=organisations_of(user)) | Q(assisted_by=user),
)


def can_create_organisation(user: AnyUser) -> Verdict:
    """Anyone signed in may set up a group: applicants, and link workers helping one start."""
    return Verdict.of(is_active(user), "Sign in to set up a group")


def can_view_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return ORGANISATIONS.allows(user, organisation)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> Verdict:
    return Verdict.of(
        is_member(user, organisation), "Only the group's members can change its details"
    )


def can_view_documents(user: AnyUser, organisation: Organisation) -> Verdict:
    """The vault of one group, by the same rule as each of its documents."""
    return Verdict.of(
        (is_active(user) and DOCUMENTS.sees_all(user)) or is_member(user, organisation),
        "Only the group's members and commissioners can see its documents",
    )


def can_view_document(user: AnyUser, document: OrganisationDocument) -> bool:
    return DOCUMENTS.allows(user, document)


def can_view_application(user: AnyUser, application: Application) -> bool:
    return APPLICATIONS.allows(user, application)


def _no_longer_a_draft(application: Application) -> Verdict:
    if application.status == Application.Status.WITHDRAWN:
        return refused("This application has been withdrawn, so it can no longer be changed")
    return refused("This application has been submitted, so it can no longer be changed")


def can_edit_application(user: AnyUser, application: Application) -> Verdict:
    """Drafts are edited by the group's members and the link worker helping them."""
    if application.status != Application.Status.DRAFT:
        return _no_longer_a_draft(application)
    return Verdict.of(
        is_active(user)
        and (application.assisted_by_id == user.pk or is_member(user, application.organisation)),
        "Only the group's members and the link worker helping them can change this application",
    )


def can_submit_application(user: AnyUser, application: Application) -> Verdict:
    """Only the group itself submits: an assisting link worker hands it over instead."""
    if application.status != Application.Status.DRAFT:
        return _no_longer_a_draft(application)
    if not is_member(user, application.organisation):
        if is_active(user) and application.assisted_by_id == user.pk:
            return refused(
                "Only the group can submit its application. Hand it over to the group instead"
            )
        return refused("Only the group's members can submit this application")
    return ALLOWED


def can_withdraw_application(user: AnyUser, application: Application) -> Verdict:
    if application.status == Application.Status.WITHDRAWN:
        return refused("This application has already been withdrawn")
    return Verdict.of(
        is_member(user, application.organisation),
        "Only the group's members can withdraw this application",
    )


def can_copy_application(user: AnyUser, application: Application) -> Verdict:
    return Verdict.of(
        is_member(user, application.organisation),
        "Only the group's members can copy this application into another round",
    )


def can_hand_over_application(user: AnyUser, application: Application) -> Verdict:
    if application.status != Application.Status.DRAFT:
        return _no_longer_a_draft(application)
    return Verdict.of(
        is_active(user) and application.assisted_by_id == user.pk,
        "Only the link worker helping the group can hand this application over",
    )


def can_end_assistance(user: AnyUser, application: Application) -> Verdict:
    """Any member of the group can stop a link worker's help with its application."""
    if application.assisted_by_id is None:
        return refused("No link worker is helping with this application")
    return Verdict.of(
        is_member(user, application.organisation),
        "Only the group's members can end a link worker's help with this application",
    )


def can_start_assisted_application(user: AnyUser) -> Verdict:
    return Verdict.of(
        is_link_worker(user), "Only link workers can start an application for a group"
    )


def can_manage_applications(user: AnyUser) -> Verdict:
    """See every application, override eligibility, verify due diligence, reopen."""
    return Verdict.of(is_commissioner(user), "Only commissioners can assess applications")
