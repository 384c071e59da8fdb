"""The demo applications: about thirty, in every state, seeded once however often it runs."""

import re

import pytest
from django.urls import reverse

from applications.demo import APPLICATIONS, OPEN_ROUND, demo_seed_applications
from applications.models import (
    Answer,
    Application,
    ApplicationPdf,
    BudgetLine,
    DueDiligenceItem,
    OrganisationProfile,
)
from microcomm import demo
from microcomm.models import (
    AuditEvent,
    Membership,
    Notification,
    Organisation,
    OutboundEmail,
    User,
)
from rounds.answers import words_over
from rounds.models import Round

pytestmark = pytest.mark.django_db

MODELS = [
    Application,
    Answer,
    BudgetLine,
    DueDiligenceItem,
    OrganisationProfile,
    Membership,
    Notification,
    AuditEvent,
]


@pytest.fixture
def seeded(monkeypatch) -> None:
    """Seed the whole demo with the applications seeder registered, as apps.py will do."""
    if demo_seed_applications not in demo._extra_seeders:
        monkeypatch.setattr(demo, "_extra_seeders", [*demo._extra_seeders, demo_seed_applications])
    demo.demo_seed()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_keeps_one_copy(seeded):
    first = counts()

    demo.demo_seed()

    assert counts() == first


def test_about_thirty_applications_over_the_open_and_closed_rounds(seeded):
    assert Application.objects.count() == len(APPLICATIONS)
    assert 25 <= Application.objects.count() <= 35
    by_round = {round.slug: round.applications.count() for round in Round.objects.all()}
    assert by_round["debt-advice-fenwick"] == 0
    assert by_round[OPEN_ROUND] >= 15
    assert by_round["carers-breaks-micro-grants"] >= 8


def test_every_state_is_there(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "withdrawn"}

    reopened = Application.objects.exclude(reopened_reason="").get()
    assert reopened.status == Application.Status.DRAFT and reopened.reference

    assisted = Application.objects.filter(assisted_by__email="linkworker@example.org")
    handed_over = assisted.get(handed_over_at__isnull=False)
    assert handed_over.answers.filter(entered_by_assistant=True).exists()
    assert Notification.objects.filter(link__contains=f"/{handed_over.pk}/").exists()
    assert assisted.filter(handed_over_at__isnull=True).exists()

    overridden = Application.objects.exclude(eligibility_override_reason="").get()
    assert overridden.status == Application.Status.SUBMITTED
    assert overridden.eligibility["eligible"] is False
    assert overridden.eligibility_overridden_by.email == "commissioner@example.org"

    assert Application.objects.filter(answers__isnull=True).exists()  # not started
    over_limit = [
        answer
        for answer in Answer.objects.filter(application__status="draft").select_related("question")
        if words_over(answer.question, answer.value)
    ]
    assert len(over_limit) == 1


def test_references_are_unique_and_submitted_ones_have_due_diligence(seeded):
    references = list(
        Application.objects.exclude(reference=None).values_list("reference", flat=True)
    )
    assert len(references) == len(set(references)) >= 10
    assert all(re.fullmatch(r"MC-\d{4}-\d{4}", reference) for reference in references)

    submitted = Application.objects.filter(status=Application.Status.SUBMITTED)
    assert submitted.count() >= 10
    for application in submitted:
        assert application.due_diligence.exists()
        assert application.submitted_at < application.round.closes_at
        assert application.submitted_at >= application.round.opens_at
        assert application.eligibility["eligible"] or application.eligibility_override_reason
    verified = DueDiligenceItem.objects.filter(verified=True)
    assert verified.exists() and DueDiligenceItem.objects.filter(verified=False).exists()
    assert AuditEvent.objects.filter(verb="application.submitted").count() == len(references)


def test_every_group_has_a_profile_that_eligibility_can_use(seeded):
    for organisation in Organisation.objects.all():
        profile = organisation.profile
        assert profile.annual_income is not None
        assert re.fullmatch(r"MB\d \d[A-Z]{2}", profile.postcode)
        assert profile.main_contact_email.endswith("@example.org")
        assert profile.second_contact_email.endswith("@example.org")
        assert organisation.memberships.filter(role=Membership.Role.OWNER).exists()


def test_seeding_sends_no_email_and_renders_no_pdf(seeded):
    assert not OutboundEmail.objects.filter(key__startswith="application").exists()
    assert not ApplicationPdf.objects.exists()


def test_demo_text_holds_no_identifiers(seeded):
    nhs_number = re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b")
    for value in Answer.objects.values_list("value", flat=True):
        assert not nhs_number.search(str(value))


def test_every_demo_person_signs_in_with_the_demo_password(seeded, client):
    people = User.objects.filter(email__endswith="@example.org")
    members = Membership.objects.exclude(
        user__email__in=[login.email for login in demo.DEMO_LOGINS]
    )
    assert members.exists()
    assert [
        person.email for person in people if not person.check_password(demo.DEMO_PASSWORD)
    ] == []

    response = client.post(
        reverse("microcomm:sign-in"),
        {"username": "maureen.ashby@example.org", "password": demo.DEMO_PASSWORD},
        follow=True,
    )

    assert response.context["user"].email == "maureen.ashby@example.org"
    assert "Welcome, Maureen" in response.content.decode()
