"""The group hears by email when its application is reopened, let through or withdrawn,
and each email links to the application."""

import pytest
from django.urls import reverse

from applications.services import applying as services
from applications.services.assessing import eligibility_override
from microcomm.models import Notification, OutboundEmail
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import commissioner, group_with_member, link_worker, member_of
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    membership = group_with_member()
    other = member_of(membership.organisation)
    return membership.organisation, membership.user, other


def _emails(prefix):
    return OutboundEmail.objects.filter(key__startswith=prefix).order_by("to")


def _link(application):
    return reverse("applications:application-detail", args=[application.pk])


def test_reopening_emails_every_member_the_reason_and_the_link(group):
    organisation, first, second = group
    application = SubmittedApplicationFactory(organisation=organisation)

    services.application_reopen(
        application=application, reason="Add the hall's address", actor=commissioner()
    )

    emails = list(_emails("application-reopened:"))
    assert sorted(email.to for email in emails) == sorted([first.email, second.email])
    for email in emails:
        assert "sent back for changes" in email.subject
        assert "Add the hall's address" in email.body_text
        assert _link(application) in email.body_text


def test_each_reopening_is_emailed_once(group):
    organisation, first, _second = group
    application = SubmittedApplicationFactory(organisation=organisation)
    boss = commissioner()

    services.application_reopen(application=application, reason="First", actor=boss)
    application.status = "submitted"
    application.save(update_fields=["status"])
    services.application_reopen(application=application, reason="Second", actor=boss)

    bodies = [email.body_text for email in _emails("application-reopened:").filter(to=first.email)]
    assert len(bodies) == 2
    assert "First" in bodies[0] + bodies[1] and "Second" in bodies[0] + bodies[1]


def test_an_eligibility_override_emails_the_group_with_the_reason(group):
    organisation, first, second = group
    application = SubmittedApplicationFactory(
        organisation=organisation, status="draft", reference=None, eligibility={"eligible": False}
    )

    eligibility_override(
        application=application, reason="The income was a one-off legacy", actor=commissioner()
    )

    emails = list(_emails("application-eligibility-overridden:"))
    assert sorted(email.to for email in emails) == sorted([first.email, second.email])
    assert "The income was a one-off legacy" in emails[0].body_text
    assert "finish and submit" in emails[0].body_text
    assert _link(application) in emails[0].body_text


def test_withdrawing_emails_the_whole_group_with_the_reason(group):
    organisation, first, second = group
    application = SubmittedApplicationFactory(organisation=organisation)

    services.application_withdraw(
        application=application, actor=first, reason="Our hall has closed for repairs"
    )

    emails = list(_emails("application-withdrawn:"))
    assert sorted(email.to for email in emails) == sorted([first.email, second.email])
    assert f"{first.full_name} has withdrawn" in emails[0].body_text
    assert "Our hall has closed for repairs" in emails[0].body_text
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_withdrawing_without_a_reason_still_tells_the_group(group):
    organisation, first, second = group
    application = SubmittedApplicationFactory(organisation=organisation)

    services.application_withdraw(application=application, actor=second)

    emails = list(_emails("application-withdrawn:"))
    assert len(emails) == 2
    assert "The reason they gave" not in emails[0].body_text


def test_the_demo_tells_the_group_in_the_app_without_email(group):
    organisation, first, _second = group
    application = SubmittedApplicationFactory(organisation=organisation)

    services.application_withdraw(application=application, actor=first, email=False)

    assert not _emails("application-withdrawn:").exists()
    assert Notification.objects.filter(user=first, link=_link(application)).exists()


def test_the_hand_over_email_links_to_the_application():
    round = OpenRoundFactory()
    micro_form(round)
    owner = group_with_member(role="owner")
    helper = link_worker()
    application = services.application_start(
        round=round, organisation=owner.organisation, actor=helper, assisted=True
    )

    services.application_hand_over(application=application, actor=helper)

    email = _emails("application-handed-over:").get(to=owner.user.email)
    assert f"{_link(application)}\n" in email.body_text


def test_the_withdraw_page_asks_for_an_optional_reason(client, group):
    organisation, first, _second = group
    application = SubmittedApplicationFactory(organisation=organisation)
    url = reverse("applications:application-withdraw", args=[application.pk])
    client.force_login(first)

    page = client.get(url).content.decode()
    too_long = client.post(url, {"reason": "x" * 2001})
    application.refresh_from_db()
    assert "Why are you withdrawing the application? (optional)" in page
    assert too_long.status_code == 400
    assert "The reason must be 2,000 characters or fewer" in too_long.content.decode()
    assert application.status == "submitted"

    response = client.post(url, {"reason": "We found another funder"})
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == "withdrawn"
    assert "We found another funder" in _emails("application-withdrawn:").first().body_text
