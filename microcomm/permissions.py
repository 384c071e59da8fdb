"""Who may do what: plain predicates of a user (and an object), tested as a table."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import Organisation, User

COMMISSIONER_GROUP = "Commissioner"
LINK_WORKER_GROUP = "Link worker"


class Role(StrEnum):
    COMMISSIONER = "commissioner"
    LINK_WORKER = "link_worker"
    APPLICANT = "applicant"
    PANEL_MEMBER = "panel_member"
    ADMIN = "admin"


def _group_names(user: User) -> frozenset[str]:
    # Cached on the user object so a page asking several questions costs one query.
    cached = getattr(user, "_microcomm_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._microcomm_group_names = cached
    return cached


def is_commissioner(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        COMMISSIONER_GROUP in _group_names(user)
    )


def is_link_worker(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        LINK_WORKER_GROUP in _group_names(user)
    )


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_panel_member(user: User | AnonymousUser) -> bool:
    """True when the person sits on any round's panel.

    Panel membership is owned by the panels app, which adds the `panel_memberships`
    relation to the user; until it exists nobody is a panel member.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    relation = getattr(user, "panel_memberships", None)
    return bool(relation is not None and relation.exists())


def is_applicant(user: User | AnonymousUser) -> bool:
    """Applicants belong to an organisation, or signed up to apply and have no staff role."""
    if not (user.is_authenticated and user.is_active):
        return False
    # Cached on the user object like the groups: the navigation asks on every page.
    has_memberships = getattr(user, "_microcomm_has_memberships", None)
    if has_memberships is None:
        has_memberships = user.memberships.exists()
        user._microcomm_has_memberships = has_memberships
    if has_memberships:
        return True
    return not (is_commissioner(user) or is_link_worker(user) or is_admin(user))


def user_roles(user: User | AnonymousUser) -> list[Role]:
    """Every role a person holds, in the order their home page shows them."""
    roles = []
    if is_commissioner(user):
        roles.append(Role.COMMISSIONER)
    if is_link_worker(user):
        roles.append(Role.LINK_WORKER)
    if is_panel_member(user):
        roles.append(Role.PANEL_MEMBER)
    if is_applicant(user):
        roles.append(Role.APPLICANT)
    if is_admin(user):
        roles.append(Role.ADMIN)
    return roles


def can_manage_members(user: User | AnonymousUser, organisation: Organisation) -> bool:
    from microcomm.models import Membership

    return (
        bool(user.is_authenticated and user.is_active)
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.OWNER
        ).exists()
    )


def can_view_admin(user: User | AnonymousUser) -> bool:
    return is_admin(user)
