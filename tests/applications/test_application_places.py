"""The places an application's answers name, kept by the services that save answers, so
that a commissioner filters a round's applications by place."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationPlace
from applications.services import applying as services
from rounds.answers import places_named
from rounds.models import FormSection, Question
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import PcnFactory, WardFactory, commissioner, group_with_member
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db

PLACES = {1: ("Northfield PCN", None), 2: ("Oak", 1), 3: ("Northfield Green", None)}


def test_a_places_answer_names_each_place_and_the_place_holding_it():
    named = places_named(
        kind=Question.Kind.LOCALITIES, label="Where?", value=[2, "3", "x", 99], places=PLACES
    )

    assert named == {1, 2, 3}


def test_a_priorities_answer_names_the_places_chosen_by_id():
    value = ["theme:2", "locality:3", "locality:x"]

    named = places_named(kind=Question.Kind.PRIORITIES, label="", value=value, places=PLACES)

    assert named == {3}


def test_an_older_area_question_names_each_place_in_its_words_whatever_the_case():
    kind = Question.Kind.ONE_CHOICE

    assert places_named(kind=kind, label="Which area?", value="northfield pcn", places=PLACES) == {
        1
    }
    assert places_named(kind=kind, label="Which colour?", value="Oak", places=PLACES) == set()


def _round_asking_where():
    round = OpenRoundFactory()
    questions = micro_form(round)
    questions["places"] = Question.objects.create(
        section=FormSection.objects.filter(round=round).first(),
        kind=Question.Kind.LOCALITIES,
        label="Where will your activity happen?",
        order=5,
    )
    return round, questions


def _places_of(application):
    return set(
        ApplicationPlace.objects.filter(application=application).values_list(
            "locality__name", flat=True
        )
    )


def test_saving_where_the_activity_happens_keeps_its_places():
    round, questions = _round_asking_where()
    north = PcnFactory(name="Northfield PCN")
    oak = WardFactory(name="Oak", parent=north)
    hilltop = WardFactory(name="Hilltop", parent=None)
    membership = group_with_member()
    application = services.application_start(
        round=round, organisation=membership.organisation, actor=membership.user
    )

    services.answers_save(
        application=application,
        values={questions["places"].pk: [oak.pk]},
        versions={},
        actor=membership.user,
    )
    assert _places_of(application) == {"Oak", "Northfield PCN"}

    services.answers_save(
        application=application,
        values={questions["places"].pk: [hilltop.pk]},
        versions={questions["places"].pk: 1},
        actor=membership.user,
    )
    assert _places_of(application) == {"Hilltop"}


def test_the_commissioners_filter_finds_an_application_by_the_ward_it_named(client):
    round, questions = _round_asking_where()
    north = PcnFactory(name="Northfield PCN")
    oak = WardFactory(name="Oak", parent=north)
    round.eligible_localities.add(north)
    membership = group_with_member()
    application = services.application_start(
        round=round, organisation=membership.organisation, actor=membership.user
    )
    services.answers_save(
        application=application,
        values={questions["places"].pk: [oak.pk]},
        versions={},
        actor=membership.user,
    )
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, reference="MC-PLACES-1"
    )
    elsewhere = SubmittedApplicationFactory(round=round)
    client.force_login(commissioner())
    url = reverse("applications:manage-application-list", args=[round.slug])

    page = client.get(url, {"locality": north.pk}).content.decode()

    assert "MC-PLACES-1" in page
    assert elsewhere.reference not in page
