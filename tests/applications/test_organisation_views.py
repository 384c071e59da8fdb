import pytest
from django.urls import reverse

from applications.models import OrganisationDocument, OrganisationInvitation
from microcomm.models import LegalForm, Membership, Organisation
from tests.applications.factories import DocumentFactory, InvitationFactory, group_with_owner
from tests.microcomm.factories import (
    EXE_BYTES,
    PDF_BYTES,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    commissioner,
    link_worker,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "editor", "other_applicant", "link_worker", "commissioner"]

# Expected status of a GET per URL, in the order of ROLES. Anonymous people are sent to
# sign in; a group or document the person may not see is a 404, one they may see but not
# change a 403. Link workers see groups but not their documents; anyone may start a group.
EXPECTED = {
    "organisation-list": (302, 200, 200, 200, 200, 200),
    "organisation-create": (302, 200, 200, 200, 200, 200),
    "organisation-detail": (302, 200, 200, 404, 200, 200),
    "organisation-edit": (302, 200, 200, 404, 403, 403),
    "member-invite": (302, 200, 403, 404, 403, 403),
    "member-remove": (302, 200, 403, 404, 403, 403),
    "member-role": (302, 200, 403, 404, 403, 403),
    "document-list": (302, 200, 200, 404, 403, 200),
    "document-upload": (302, 200, 200, 404, 403, 403),
    "document-download": (302, 200, 200, 404, 404, 200),
    "document-replace": (302, 200, 200, 404, 404, 403),
    "document-delete": (302, 200, 200, 404, 404, 403),
}


@pytest.fixture
def world():
    organisation, owner = group_with_owner(name="Abbey Fields Walkers")
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    other = MembershipFactory(role=Membership.Role.OWNER).user  # owner of another group
    document = DocumentFactory(organisation=organisation)
    users = {
        "anonymous": None,
        "owner": owner,
        "editor": editor.user,
        "other_applicant": other,
        "link_worker": link_worker(),
        "commissioner": commissioner(),
    }
    return {"organisation": organisation, "editor": editor, "document": document, "users": users}


def url_for(name: str, world) -> str:
    organisation, document = world["organisation"], world["document"]
    kwargs = {"pk": organisation.pk}
    if name in ("organisation-list", "organisation-create"):
        kwargs = {}
    elif name.startswith("member-") and name != "member-invite":
        kwargs["membership_pk"] = world["editor"].pk
    elif name.startswith("document-") and name not in ("document-list", "document-upload"):
        kwargs["doc_pk"] = document.pk
    return reverse(f"applications:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(name, world))
    expected = EXPECTED[name][ROLES.index(role)]
    assert response.status_code == expected, f"{role} on {name}"
    if expected == 302:
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
    if name == "document-download" and expected == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_document_of_another_group_is_404_even_for_its_own_member(client, world):
    other_document = DocumentFactory()
    client.force_login(world["users"]["owner"])
    url = reverse(
        "applications:document-download",
        kwargs={"pk": world["organisation"].pk, "doc_pk": other_document.pk},
    )
    assert client.get(url).status_code == 404


def test_an_applicant_creates_a_group_and_a_duplicate_name_is_explained(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("applications:organisation-create")
    response = client.post(url, {"name": "Canal Side Shed", "legal_form": LegalForm.CIO})
    organisation = Organisation.objects.get(name="Canal Side Shed")
    assert response["Location"] == reverse(
        "applications:organisation-detail", args=[organisation.pk]
    )
    response = client.post(url, {"name": "CANAL SIDE SHED", "legal_form": LegalForm.CIO})
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]


GOOD_PROFILE = {
    "name": "Abbey Fields Walkers",
    "legal_form": LegalForm.CHARITY,
    "description": "Walks for people who feel alone",
    "charity_number": "sc 012345",
    "company_number": "sc123456",
    "address_line_1": "1 High Street",
    "town": "Worksop",
    "postcode": "s802ab",
    "annual_income": "£12,500",
    "year_started": "2015",
    "main_contact_name": "Jo Turner",
    "main_contact_email": "jo@example.org",
    "main_contact_phone": "07700 900982",
    "has_bank_account": "yes",
    "bank_account_name": "Abbey Fields Walkers",
}


def test_the_profile_is_saved_normalised(client, world):
    client.force_login(world["users"]["editor"])
    url = reverse("applications:organisation-edit", args=[world["organisation"].pk])
    response = client.post(url, GOOD_PROFILE)
    assert response.status_code == 302
    profile = world["organisation"].profile
    profile.refresh_from_db()
    assert (profile.charity_number, profile.company_number, profile.postcode) == (
        "SC012345",
        "SC123456",
        "S80 2AB",
    )
    assert str(profile.annual_income) == "12500.00"
    assert profile.year_started == 2015
    assert profile.has_bank_account is True
    page = client.get(reverse("applications:organisation-detail", args=[world["organisation"].pk]))
    assert "£12,500.00" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "S80", "Enter a real postcode, like S80 2AB"),
        ("charity_number", "12345", "Enter a charity number in the correct format"),
        ("company_number", "XX123456", "Enter a company number in the correct format"),
        ("annual_income", "12.345", "Annual income must not include more than 2 decimal places"),
        ("annual_income", "12a", "Annual income must be a number in pounds"),
        ("annual_income", "１２💷", "Annual income must be a number in pounds"),
        ("year_started", "15", "must include 4 numbers"),
        ("year_started", "2999", "must be this year or in the past"),
        ("main_contact_phone", "12345", "Enter a UK phone number"),
        ("main_contact_email", "jo@", "Enter an email address in the correct format"),
        ("bank_account_name", "Walkers 12-34-56", "Do not enter your account number or sort code"),
        ("description", "x" * 2001, "must be 2,000 characters or fewer"),
        ("description", "<p>We <b>walk</b></p>", "must be plain text"),
        ("name", "Walkers 🚶", "must only include letters, numbers, spaces and punctuation"),
        ("name", "", "Enter the name of your group"),
        ("town", "x" * 101, "must be 100 characters or fewer"),
    ],
)
def test_bad_profile_input_is_explained_by_the_field(client, world, field, value, message):
    client.force_login(world["users"]["owner"])
    url = reverse("applications:organisation-edit", args=[world["organisation"].pk])
    response = client.post(url, {**GOOD_PROFILE, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in errors[field][0]
    assert "There is a problem" in response.content.decode()


def test_an_unconstituted_group_is_asked_for_a_second_contact(client, world):
    client.force_login(world["users"]["owner"])
    url = reverse("applications:organisation-edit", args=[world["organisation"].pk])
    data = {**GOOD_PROFILE, "legal_form": LegalForm.UNINCORPORATED, "has_bank_account": "no"}
    data.pop("bank_account_name")
    errors = client.post(url, data).context["form"].errors
    assert errors["second_contact_name"] == [
        "Enter a second contact: groups that are not constituted need two"
    ]
    assert "second_contact_unrelated" in errors
    assert "host_organisation_name" in errors


def test_odd_input_never_gives_a_server_error(client, world):
    client.force_login(world["users"]["owner"])
    url = reverse("applications:organisation-edit", args=[world["organisation"].pk])
    odd = {key: "\u202e\U0001f4a9\x00' OR 1=1 --" for key in GOOD_PROFILE}
    odd.update({"has_bank_account": "maybe", "legal_form": "\U0001f4a9"})
    response = client.post(url, odd)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_removing_the_last_owner_shows_the_rule(client, world):
    owner = world["users"]["owner"]
    client.force_login(owner)
    membership = Membership.objects.get(user=owner)
    url = reverse("applications:member-remove", args=[world["organisation"].pk, membership.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "A group must have at least one owner" in response.content.decode()
    role_url = reverse("applications:member-role", args=[world["organisation"].pk, membership.pk])
    response = client.post(role_url, {"role": "editor"})
    assert response.context["form"].errors["role"] == ["A group must have at least one owner"]


def test_an_owner_invites_and_the_invited_person_accepts(client, world):
    client.force_login(world["users"]["owner"])
    url = reverse("applications:member-invite", args=[world["organisation"].pk])
    assert client.post(url, {"email": "sam@example.org", "role": "editor"}).status_code == 302
    invitation = OrganisationInvitation.objects.get(email="sam@example.org")

    accept_url = reverse("applications:invitation-accept", args=[invitation.token])
    client.force_login(world["users"]["other_applicant"])
    page = client.get(accept_url).content.decode()
    assert "This invitation was sent to sam@example.org" in page
    assert client.post(accept_url).status_code == 400

    sam = UserFactory(email="sam@example.org")
    client.force_login(sam)
    assert "Join Abbey Fields Walkers" in client.get(accept_url).content.decode()
    response = client.post(accept_url)
    assert response["Location"] == reverse(
        "applications:organisation-detail", args=[world["organisation"].pk]
    )
    assert Membership.objects.get(user=sam).role == Membership.Role.EDITOR


def test_an_unknown_invitation_token_says_so(client, world):
    client.force_login(world["users"]["owner"])
    response = client.get(reverse("applications:invitation-accept", args=["nope"]))
    assert "expired, been cancelled or already been used" in response.content.decode()


def test_upload_refuses_an_executable_and_asks_insurance_for_a_date(client, world):
    client.force_login(world["users"]["editor"])
    url = reverse("applications:document-upload", args=[world["organisation"].pk])
    response = client.post(url, {"kind": "other", "file": upload("run.pdf", EXE_BYTES)})
    assert response.context["form"].errors["file"] == [
        "The selected file must be a PDF, DOCX, ODT, XLSX, ODS, JPG or PNG"
    ]
    response = client.post(url, {"kind": "insurance", "file": upload()})
    assert response.context["form"].errors["expires_on"] == ["Enter the date the insurance expires"]
    response = client.post(url, {"kind": "other", "file": upload("empty.pdf", b"")})
    assert response.context["form"].errors["file"] == ["The selected file is empty"]
    response = client.post(url, {"kind": "other"})
    assert response.context["form"].errors["file"] == ["Select a file"]


def test_upload_then_replace_lists_the_current_one_and_keeps_history(client, world):
    client.force_login(world["users"]["owner"])
    organisation = world["organisation"]
    response = client.post(
        reverse("applications:document-upload", args=[organisation.pk]),
        {
            "kind": "insurance",
            "file": upload("../cover.pdf"),
            "expires_on_day": "12",
            "expires_on_month": "3",
            "expires_on_year": "2027",
        },
    )
    assert response.status_code == 302
    document = OrganisationDocument.objects.get(kind="insurance")
    assert document.original_name == "cover.pdf"
    response = client.post(
        reverse("applications:document-replace", args=[organisation.pk, document.pk]),
        {
            "file": upload("cover-2027.pdf"),
            "title": "Insurance 2027",
            "expires_on_day": "1",
            "expires_on_month": "4",
            "expires_on_year": "2028",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("applications:document-list", args=[organisation.pk]))
    current = sorted(d.title for d, _flag in page.context["documents"])
    assert current == ["Insurance 2027", "Safeguarding policy"]
    assert [d.pk for d in page.context["replaced"]] == [document.pk]
    old_download = reverse("applications:document-download", args=[organisation.pk, document.pk])
    assert client.get(old_download).status_code == 200


def test_list_pages_keep_their_query_budget(client, world, django_assert_max_num_queries):
    organisation = world["organisation"]
    for _ in range(10):
        DocumentFactory(organisation=organisation)
        MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
        InvitationFactory(organisation=organisation)
    client.force_login(world["users"]["owner"])
    with django_assert_max_num_queries(20):
        client.get(reverse("applications:document-list", args=[organisation.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("applications:organisation-detail", args=[organisation.pk]))
    with django_assert_max_num_queries(15):
        client.get(reverse("applications:organisation-list"))


def test_the_home_panel_lists_groups_and_expiring_documents(client, world):
    import datetime

    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    DocumentFactory(
        organisation=world["organisation"],
        kind="insurance",
        title="Public liability",
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    request = RequestFactory().get("/")
    request.user = world["users"]["owner"]
    html = render_to_string("applications/_home_applicant.html", {"request": request})
    assert "Abbey Fields Walkers" in html
    assert "Public liability for Abbey Fields Walkers" in html
    assert "Expired" in html
    assert "Add a group" in html


def test_staff_see_every_group_a_page_at_a_time(client):
    for n in range(55):
        OrganisationFactory(name=f"Group {n:02d}")
    client.force_login(commissioner())

    first = client.get(reverse("applications:organisation-list")).text
    second = client.get(reverse("applications:organisation-list"), {"page": 2}).text

    assert "Group 00" in first and "Group 49" in first and "Group 50" not in first
    assert 'class="govuk-pagination"' in first
    assert "Group 50" in second and "Group 54" in second and "Group 00" not in second
