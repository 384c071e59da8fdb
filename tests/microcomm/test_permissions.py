import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from microcomm import permissions
from microcomm.http import SignInRequired, authorize
from microcomm.models import Organisation
from microcomm.permissions import Role, Rule, Verdict
from tests.microcomm.factories import (
    MembershipFactory,
    OrganisationFactory,
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


def test_a_refused_verdict_is_falsy_and_says_why():
    refused = Verdict.of(False, "Only the group's owners can manage its members")
    assert not refused
    assert refused.reason == "Only the group's owners can manage its members"
    assert Verdict.of(True, "never shown") is permissions.ALLOWED
    assert permissions.ALLOWED


# A rule like the ones each app states: staff see every group, members see their own,
# and groups whose name starts "Public" are for everyone.
GROUPS = Rule(
    model=Organisation,
    sees_all=permissions.is_commissioner,
    involving=lambda user: Q(pk__in=permissions.organisations_of(user)),
    public=Q(name__startswith="Public"),
)


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", {"public"}),
        ("closed account", {"public"}),
        ("new applicant", {"public"}),
        ("member", {"public", "own"}),
        ("commissioner", {"public", "own", "other"}),
    ],
)
def test_a_rule_gives_the_same_answer_for_a_list_and_for_one_object(person, expected):
    people = _people()
    user = people[person]
    own = people["member"].memberships.get().organisation
    groups = {
        "public": OrganisationFactory(name="Public library friends"),
        "own": own,
        "other": OrganisationFactory(name="Riverside walkers"),
    }

    listed = set(GROUPS.visible(user).filter(pk__in=[g.pk for g in groups.values()]))
    allowed = {name for name, group in groups.items() if GROUPS.allows(user, group)}

    assert allowed == expected
    assert listed == {groups[name] for name in expected}


def test_involved_lists_only_a_persons_own_objects_whatever_their_role():
    boss = commissioner()
    own = MembershipFactory(user=boss).organisation
    OrganisationFactory()
    assert list(GROUPS.involved(boss)) == [own]
    assert list(GROUPS.involved(AnonymousUser())) == []


def _request(user):
    request = RequestFactory().get("/somewhere/?page=2")
    request.user = user
    return request


def test_authorize_lets_an_allowed_person_through():
    assert authorize(_request(AnonymousUser()), can_see=True, can_do=True) is None


def test_authorize_sends_someone_not_signed_in_to_sign_in():
    with pytest.raises(SignInRequired):
        authorize(_request(AnonymousUser()), can_see=False)


def test_authorize_hides_what_a_person_may_not_know_exists():
    with pytest.raises(Http404):
        authorize(_request(UserFactory()), can_see=False, can_do=False)


def test_authorize_refuses_with_the_reason_of_the_verdict():
    refusal = Verdict.of(False, "Only commissioners can open a round")
    with pytest.raises(PermissionDenied, match="Only commissioners can open a round"):
        authorize(_request(UserFactory()), can_do=refusal)


def test_authorize_refuses_with_a_reason_given_for_a_plain_answer():
    with pytest.raises(PermissionDenied, match="Only the panel can score"):
        authorize(_request(UserFactory()), can_do=False, reason="Only the panel can score")


def test_the_refusal_page_says_why_and_links_back(client):
    client.force_login(UserFactory())
    referer = "http://testserver" + reverse("microcomm:home")

    response = client.get(reverse("rounds:fund-list"), HTTP_REFERER=referer)

    assert response.status_code == 403
    body = response.content.decode()
    assert "Only commissioners can manage funds and rounds" in body
    assert f'href="{referer}"' in body


def test_the_refusal_page_never_links_back_to_another_site(client):
    client.force_login(UserFactory())

    response = client.get(reverse("rounds:fund-list"), HTTP_REFERER="https://elsewhere.example/")

    assert response.status_code == 403
    assert "elsewhere.example" not in response.content.decode()


def test_a_refusal_to_someone_not_signed_in_goes_to_sign_in(client):
    response = client.get(reverse("rounds:fund-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("microcomm:sign-in"))
    assert "?next=" in response["Location"]
