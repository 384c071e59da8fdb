"""The applicant's home page lists the applications they still have to finish."""

import pytest
from django.urls import reverse

from applications.services import applying as services
from tests.applications.factories import ApplicationFactory, SubmittedApplicationFactory
from tests.microcomm.factories import commissioner, group_with_member
from tests.rounds.factories import closed_round

pytestmark = pytest.mark.django_db


def test_home_lists_drafts_and_applications_sent_back(client):
    member = group_with_member(organisation__name="Kiln Lane Friends")
    draft = ApplicationFactory(organisation=member.organisation, round__title="Warm spaces")
    sent_back = SubmittedApplicationFactory(
        organisation=member.organisation, round__title="Walking for health"
    )
    services.application_reopen(
        application=sent_back, reason="Add the hall's address", actor=commissioner()
    )
    submitted = SubmittedApplicationFactory(organisation=member.organisation)
    too_late = ApplicationFactory(organisation=member.organisation, round=closed_round())
    others = ApplicationFactory()
    client.force_login(member.user)

    page = client.get(reverse("microcomm:home")).content.decode()

    assert reverse("applications:application-detail", args=[draft.pk]) in page
    assert reverse("applications:application-detail", args=[sent_back.pk]) in page
    assert "Sent back for changes" in page
    assert "Add the hall&#x27;s address" in page
    # The one sent back comes first: it is the one someone is waiting for.
    assert page.index("Walking for health") < page.index("Warm spaces")
    for application in (submitted, too_late, others):
        assert reverse("applications:application-detail", args=[application.pk]) not in page


def test_home_says_when_there_is_nothing_to_finish(client):
    member = group_with_member()
    client.force_login(member.user)

    page = client.get(reverse("microcomm:home")).content.decode()

    assert "You have no applications to finish." in page
