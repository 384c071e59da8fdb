"""One status tag for every model with a status: words and colour from its app."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from applications.models import Application
from microcomm.models import Theme
from microcomm.status_tags import status_tag_for, status_tag_register
from rounds.models import Need, Service, SupportRequest
from tests.applications.factories import ApplicationFactory
from tests.microcomm.factories import UserFactory
from tests.rounds.factories import (
    NeedFactory,
    OpenRoundFactory,
    ServiceFactory,
    SupportRequestFactory,
    closed_round,
    draft_round,
    opening_soon_round,
)

pytestmark = pytest.mark.django_db


def _render(obj, variant=""):
    template = Template("{% load microcomm_display %}{% status_tag obj variant %}")
    return template.render(Context({"obj": obj, "variant": variant}))


@pytest.mark.parametrize(
    ("status", "html"),
    [
        (Application.Status.DRAFT, '<strong class="govuk-tag govuk-tag--blue">Draft</strong>'),
        (
            Application.Status.SUBMITTED,
            '<strong class="govuk-tag govuk-tag--green">Submitted</strong>',
        ),
        (
            Application.Status.WITHDRAWN,
            '<strong class="govuk-tag govuk-tag--grey">Withdrawn</strong>',
        ),
    ],
)
def test_an_application_shows_its_status_in_its_colour(status, html):
    assert _render(ApplicationFactory.build(status=status)) == html


def test_a_round_shows_where_it_stands_now_and_the_public_see_three_states():
    assert status_tag_for(OpenRoundFactory()).colour == "green"
    assert status_tag_for(draft_round()).label == "Draft"
    assert _render(opening_soon_round(), "public") == (
        '<strong class="govuk-tag govuk-tag--blue">Opening soon</strong>'
    )
    assert status_tag_for(closed_round(), "public").label == "Closed"


def test_a_merged_need_says_merged_whatever_its_status():
    target = NeedFactory()
    need = NeedFactory(status=Need.Status.OPEN, merged_into=target)
    assert _render(need) == '<strong class="govuk-tag govuk-tag--grey">Merged</strong>'
    assert status_tag_for(target).label == "Open"


def test_a_service_waiting_for_approval_says_so():
    tag = status_tag_for(ServiceFactory(status=Service.Status.PROPOSED))
    assert (tag.label, tag.colour) == ("Waiting for approval", "blue")


def test_a_request_for_help_names_who_has_it():
    helper = UserFactory(full_name="Sam Helper")
    request = SupportRequestFactory(status=SupportRequest.Status.ASSIGNED, assigned_to=helper)
    assert status_tag_for(request).label == "With Sam Helper"


def test_a_model_nobody_registered_is_refused():
    with pytest.raises(LookupError):
        status_tag_for(Theme(name="Loneliness"))


def test_a_colour_gov_uk_does_not_have_is_refused():
    with pytest.raises(ValueError, match="Not a GOV.UK tag colour"):
        status_tag_register(Theme, {"open": "fuchsia"})
