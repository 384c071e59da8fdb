"""Who may do what: the shared pieces of every app's permission policy, and the roles.

Each app states its rules once in its own ``permissions.py``:

- a ``Rule`` says which objects of one kind a person may see. It answers both for one
  object (``allows``, for a detail page) and for a query set (``visible``, for a list), so
  the two cannot disagree;
- a predicate ``can_<verb>_<noun>(user, obj) -> Verdict`` says whether the person may do
  one thing. A ``Verdict`` is truthy when allowed; when refused it carries the reason in
  plain words, which the 403 page shows.

Views refuse through one helper, ``microcomm.http.authorize``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from typing import TYPE_CHECKING, Generic, TypeVar

from django.contrib.auth.models import Group
from django.db.models import Model, Q, QuerySet, Value

from microcomm.models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import Organisation, User

    AnyUser = User | AnonymousUser

ModelT = TypeVar("ModelT", bound=Model)

COMMISSIONER_GROUP = "Commissioner"
LINK_WORKER_GROUP = "Link worker"


@dataclass(frozen=True)
class Verdict:
    """The answer of a permission predicate: truthy when allowed, else why not, in plain words."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def of(cls, allowed: bool, reason: str) -> Verdict:
        """Allowed, or refused with this reason."""
        return ALLOWED if allowed else cls(False, reason)


ALLOWED = Verdict(True)


def refused(reason: str) -> Verdict:
    return Verdict(False, reason)


def is_active(user: User | AnonymousUser) -> bool:
    """Signed in with an account that has not been closed."""
    return bool(user.is_authenticated and user.is_active)


def nobody(user: User | AnonymousUser) -> bool:
    return False


@dataclass(frozen=True)
class Rule(Generic[ModelT]):
    """Which objects of one kind a person may see, stated once.

    - ``sees_all(user)``: the roles that see every object;
    - ``involving(user) -> Q``: the objects any other signed-in person sees because they
      are involved (a member of the group, the link worker helping);
    - ``public``: the objects everyone sees, signed in or not.

    ``visible`` applies the rule to a query set and ``allows`` to one object, by asking the
    database the same question, so a list and a detail page never disagree.
    """

    model: type[ModelT]
    sees_all: Callable[[AnyUser], bool] = nobody
    involving: Callable[[User], Q] | None = None
    public: Q | None = None

    def _filter(self, user: AnyUser) -> Q | None:
        """The condition on what the person may see; None when they see everything."""
        if is_active(user) and self.sees_all(user):
            return None
        parts = []
        if self.public is not None:
            parts.append(self.public)
        if self.involving is not None and is_active(user):
            parts.append(self.involving(user))
        return reduce(operator.or_, parts) if parts else Q(pk__in=[])

    def visible(self, user: AnyUser, queryset: QuerySet[ModelT] | None = None) -> QuerySet[ModelT]:
        """The objects of the query set (default: all) the person may see."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        condition = self._filter(user)
        return queryset if condition is None else queryset.filter(condition)

    def involved(self, user: AnyUser, queryset: QuerySet[ModelT] | None = None) -> QuerySet[ModelT]:
        """The objects the person is involved in, whatever their role: their own list."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        if self.involving is None or not is_active(user):
            return queryset.none()
        return queryset.filter(self.involving(user))

    def allows(self, user: AnyUser, obj: ModelT | None) -> bool:
        """Whether the person may see this one object; nobody sees one that is not there."""
        if obj is None:
            return False
        condition = self._filter(user)
        if condition is None:
            return True
        return self.model._default_manager.filter(condition, pk=obj.pk).exists()


def organisations_of(user: User) -> QuerySet[Membership]:
    """The ids of the groups a person belongs to, as a subquery for ``Rule.involving``."""
    return Membership.objects.filter(user=user).values("organisation_id")


class Role(StrEnum):
    COMMISSIONER = "commissioner"
    LINK_WORKER = "link_worker"
    APPLICANT = "applicant"
    PANEL_MEMBER = "panel_member"
    ADMIN = "admin"


def _facts(user: User) -> tuple[frozenset[str], bool, bool]:
    """The person's groups, whether they belong to any organisation, and whether they sit on
    any panel: one query for all three, cached on the user object, since the navigation
    asks on every page.

    Panel membership is owned by the panels app, which adds the `panel_memberships`
    relation to the user; until it exists nobody is a panel member. A removed member keeps
    their seat row (and their scores) but no longer sits on the panel.
    """
    cached = getattr(user, "_microcomm_facts", None)
    if cached is None:
        nothing = Value("")
        parts = [
            Group.objects.filter(user=user).order_by().values_list(Value(0), "name"),
            Membership.objects.filter(user=user)
            .order_by()
            .values_list(Value(1), nothing)
            .distinct(),
        ]
        seats = getattr(user, "panel_memberships", None)
        if seats is not None:
            parts.append(
                seats.exclude(status="removed").order_by().values_list(Value(2), nothing).distinct()
            )
        rows = list(parts[0].union(*parts[1:], all=True))
        cached = (
            frozenset(name for fact, name in rows if fact == 0),
            any(fact == 1 for fact, _name in rows),
            any(fact == 2 for fact, _name in rows),
        )
        user._microcomm_facts = cached
    return cached


def _group_names(user: User) -> frozenset[str]:
    return _facts(user)[0]


def is_commissioner(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        COMMISSIONER_GROUP in _group_names(user)
    )


def is_link_worker(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        LINK_WORKER_GROUP in _group_names(user)
    )


def is_scheme_staff(user: User | AnonymousUser) -> bool:
    """Link workers and commissioners: the people who run the scheme day to day."""
    return is_commissioner(user) or is_link_worker(user)


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_panel_member(user: User | AnonymousUser) -> bool:
    """True when the person sits on any round's panel."""
    if not (user.is_authenticated and user.is_active):
        return False
    return _facts(user)[2]


def is_applicant(user: User | AnonymousUser) -> bool:
    """Applicants belong to an organisation, or signed up to apply and have no staff role."""
    if not (user.is_authenticated and user.is_active):
        return False
    _groups, in_group, on_panel = _facts(user)
    if in_group:
        return True
    return not (is_commissioner(user) or is_link_worker(user) or is_admin(user) or on_panel)


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


def is_member(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return (
        is_active(user) and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


def is_owner(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return (
        is_active(user)
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.OWNER
        ).exists()
    )


def can_manage_members(user: User | AnonymousUser, organisation: Organisation) -> Verdict:
    return Verdict.of(
        is_owner(user, organisation), "Only the group's owners can manage its members"
    )


def can_view_admin(user: User | AnonymousUser) -> bool:
    return is_admin(user)


def must_use_second_factor(user: User | AnonymousUser) -> bool:
    """Admins and commissioners always sign in with a second factor."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser)) or (
        is_commissioner(user)
    )


def can_turn_off_second_factor(user: User | AnonymousUser) -> Verdict:
    return Verdict.of(
        is_active(user) and not must_use_second_factor(user),
        "Admins and commissioners must use two-step sign-in, so it cannot be turned off",
    )
