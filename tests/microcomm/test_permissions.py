import pytest
from django.contrib.auth.models import AnonymousUser

from microcomm import permissions
from microcomm.permissions import Role
from tests.microcomm.factories import (
    MembershipFactory,
    UserFactory,
    commissioner,
    link_worker,
)

pytestmark = pytest.mark.django_db


def _people():
    both = link_worker()
    MembershipFactory(user=both)
    member = MembershipFactory().user
    return {
        "anonymous": AnonymousUser(),
        "commissioner": commissioner(),
        "link worker": link_worker(),
        "member": member,
        "new applicant": UserFactory(),
        "admin": UserFactory(is_staff=True),
        "link worker and member": both,
        "closed account": UserFactory(is_active=False, roles=["Commissioner"]),
    }


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", []),
        ("commissioner", [Role.COMMISSIONER]),
        ("link worker", [Role.LINK_WORKER]),
        ("member", [Role.APPLICANT]),
        ("new applicant", [Role.APPLICANT]),
        ("admin", [Role.ADMIN]),
        ("link worker and member", [Role.LINK_WORKER, Role.APPLICANT]),
        ("closed account", []),
    ],
)
def test_user_roles_table(person, expected):
    assert permissions.user_roles(_people()[person]) == expected


def test_only_owners_manage_members():
    owner = MembershipFactory(role="owner")
    editor = MembershipFactory(organisation=owner.organisation, role="editor")
    outsider = UserFactory()
    organisation = owner.organisation
    assert permissions.can_manage_members(owner.user, organisation)
    assert not permissions.can_manage_members(editor.user, organisation)
    assert not permissions.can_manage_members(outsider, organisation)
    assert not permissions.can_manage_members(AnonymousUser(), organisation)
