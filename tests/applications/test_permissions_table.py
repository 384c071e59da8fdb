"""Who can open every applications URL: a table of roles against every URL that exists.

The URLs are discovered from applications.urls, so a new page fails here until it has a row
in ROWS saying which roles may use it. The policy, the same on every page:

- anonymous people are sent to sign in (with ?next=) everywhere;
- a signed-in person who may not see the object at all (applications.permissions:
  can_view_application, can_view_organisation, can_view_document) gets 404, never 403,
  so nothing is revealed;
- a person who can see the object but may not do this particular thing gets 403;
- commissioners' manage pages are 404 for everyone else;
- pages with no object give the allowed roles 200 and everyone else 403.

So each row names the roles `allowed` and the roles `forbidden` (403); every other
signed-in role gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.urls import urlpatterns
from rounds.models import Question
from tests.applications.assess_factories import (
    AssessApplicationFactory,
    AssessDocumentFactory,
    AssessDueDiligenceItemFactory,
    AssessOrganisationFactory,
    AssessQuestionFactory,
    AssessRoundFactory,
    AssessSectionFactory,
    member_of,
)
from tests.microcomm.factories import UserFactory, commissioner, link_worker

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "other_member",
    "assisting_link_worker",
    "other_link_worker",
    "commissioner",
    "admin",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
MEMBER = {"member"}
LINK_WORKERS = {"assisting_link_worker", "other_link_worker"}
COMMISSIONERS = {"commissioner"}
# can_view_application: the group, the link worker who assisted it, commissioners.
VIEWERS = {"member", "assisting_link_worker", "commissioner"}
EDITORS = {"member", "assisting_link_worker"}
# can_view_organisation: the group, every link worker, commissioners.
ORGANISATION_VIEWERS = MEMBER | LINK_WORKERS | COMMISSIONERS
# can_view_document: the group and commissioners; link workers see the group, not its vault.
DOCUMENT_VIEWERS = MEMBER | COMMISSIONERS


@dataclass(frozen=True)
class Row:
    allowed: set[str]
    method: str = "get"
    pk: str = "application"  # what <pk> names: "application" or "organisation"
    forbidden: set[str] = field(default_factory=set)  # 403; other signed-in roles get 404


# One row per URL name. Add a row when you add a URL.
ROWS: dict[str, Row] = {
    # Pages with no object: allowed roles get 200, everyone else 403.
    "organisation-list": Row(SIGNED_IN),
    "organisation-create": Row(SIGNED_IN),
    "application-list": Row(SIGNED_IN),
    "application-start": Row(SIGNED_IN),
    "application-assist-start": Row(LINK_WORKERS, forbidden=SIGNED_IN - LINK_WORKERS),
    # An invitation link: a bad or unknown token is explained to whoever holds it.
    "invitation-accept": Row(SIGNED_IN),
    # The group: visible to ORGANISATION_VIEWERS; only its members change it.
    "organisation-detail": Row(ORGANISATION_VIEWERS, pk="organisation"),
    "organisation-edit": Row(MEMBER, pk="organisation", forbidden=ORGANISATION_VIEWERS - MEMBER),
    "member-invite": Row(MEMBER, pk="organisation", forbidden=ORGANISATION_VIEWERS - MEMBER),
    "member-remove": Row(
        MEMBER, method="post", pk="organisation", forbidden=ORGANISATION_VIEWERS - MEMBER
    ),
    "member-role": Row(MEMBER, pk="organisation", forbidden=ORGANISATION_VIEWERS - MEMBER),
    # The vault: link workers see the group but not its documents.
    "document-list": Row(DOCUMENT_VIEWERS, pk="organisation", forbidden=LINK_WORKERS),
    "document-upload": Row(MEMBER, pk="organisation", forbidden=ORGANISATION_VIEWERS - MEMBER),
    "document-download": Row(DOCUMENT_VIEWERS, pk="organisation"),
    "document-replace": Row(MEMBER, pk="organisation", forbidden=DOCUMENT_VIEWERS - MEMBER),
    "document-delete": Row(MEMBER, pk="organisation", forbidden=DOCUMENT_VIEWERS - MEMBER),
    # The application: visible to VIEWERS; drafts edited by EDITORS, submitted by the group.
    "application-detail": Row(VIEWERS),
    "application-section": Row(EDITORS, forbidden=VIEWERS - EDITORS),
    "application-autosave": Row(EDITORS, method="post", forbidden=VIEWERS - EDITORS),
    "application-budget": Row(EDITORS, forbidden=VIEWERS - EDITORS),
    # Read-only for anyone who may see the application; only the group gets the form.
    "application-check": Row(VIEWERS),
    "application-submit": Row(MEMBER, method="post", forbidden=VIEWERS - MEMBER),
    "application-submitted": Row(VIEWERS),
    "application-withdraw": Row(MEMBER, forbidden=VIEWERS - MEMBER),
    "application-copy": Row(MEMBER, method="post", forbidden=VIEWERS - MEMBER),
    "application-hand-over": Row(
        {"assisting_link_worker"}, forbidden=VIEWERS - {"assisting_link_worker"}
    ),
    "application-draft-copy": Row(VIEWERS),
    # Commissioners' pages: not found for everyone else.
    "manage-application-list": Row(COMMISSIONERS),
    "manage-application-csv": Row(COMMISSIONERS),
    "manage-application-detail": Row(COMMISSIONERS),
    "manage-application-override": Row(COMMISSIONERS, method="post"),
    "manage-due-diligence-verify": Row(COMMISSIONERS, method="post"),
    "manage-application-reopen": Row(COMMISSIONERS, method="post"),
}

URL_NAMES = [pattern.name for pattern in urlpatterns]


@pytest.fixture
def world():
    round = AssessRoundFactory(form_published_at=timezone.now())
    section = AssessSectionFactory(round=round)
    AssessQuestionFactory(section=section, kind=Question.Kind.BUDGET)
    organisation = AssessOrganisationFactory()
    helper = link_worker()
    application = AssessApplicationFactory(
        round=round,
        organisation=organisation,
        status=Application.Status.DRAFT,
        reference=None,
        submitted_at=None,
        assisted_by=helper,
    )
    other_group = AssessOrganisationFactory()
    users = {
        "anonymous": None,
        "member": member_of(organisation),
        "other_member": member_of(other_group),
        "assisting_link_worker": helper,
        "other_link_worker": link_worker(),
        "commissioner": commissioner(),
        "admin": UserFactory(is_staff=True),
    }
    return {
        "round": round,
        "section": section,
        "organisation": organisation,
        "application": application,
        "item": AssessDueDiligenceItemFactory(application=application),
        "document": AssessDocumentFactory(organisation=organisation),
        "users": users,
    }


def _kwargs(name: str, row: Row, world: dict) -> dict:
    pattern = next(p for p in urlpatterns if p.name == name)
    values = {
        "slug": world["round"].slug,
        "pk": world[row.pk].pk,
        "section_pk": world["section"].pk,
        "item_pk": world["item"].pk,
        "doc_pk": world["document"].pk,
        "document_pk": world["document"].pk,
        "membership_pk": world["users"]["member"].memberships.get().pk,
        "token": "no-such-invitation",
    }
    return {key: values[key] for key in pattern.pattern.converters}


def test_every_url_has_a_row():
    missing = [name for name in URL_NAMES if name not in ROWS]
    assert missing == [], f"Add a row to ROWS for: {', '.join(missing)}"


def test_every_row_is_a_url_and_names_real_roles():
    assert sorted(set(ROWS) - set(URL_NAMES)) == []
    for name, row in ROWS.items():
        assert row.allowed | row.forbidden <= SIGNED_IN, name
        assert not row.allowed & row.forbidden, name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [name for name in URL_NAMES if name in ROWS])
def test_role_against_url(client, world, name, role):
    row = ROWS[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(f"applications:{name}", kwargs=_kwargs(name, row, world))

    response = getattr(client, row.method)(url)

    assert response.status_code < 500, f"{role} broke {name}"
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
        assert "?next=" in response["Location"]
    elif role in row.allowed:
        assert response.status_code not in (403, 404), f"{role} should reach {name}"
        assert "/sign-in/" not in response.get("Location", "")
    elif role in row.forbidden:
        assert response.status_code == 403, f"{role} should be refused {name} (403)"
        assert "You cannot see this page" in response.content.decode()
    else:
        assert response.status_code == 404, f"{role} should not find {name} (404)"
