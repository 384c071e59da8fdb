"""Factories for the applying tests: an open round with a small form, groups and applications."""

import datetime

import factory
from django.utils import timezone

from applications.models import Application
from microcomm.models import Membership
from rounds.models import FormSection, Question, Round
from tests.microcomm.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.rounds.form_builder_factories import RoundFactory

K = Question.Kind


class OpenRoundFactory(RoundFactory):
    """A published micro round that opened yesterday and closes in ten days."""

    status = Round.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=11))
    form_published_at = factory.LazyFunction(timezone.now)
    must_address_priority = False


def micro_form(round: Round) -> dict[str, Question]:
    """Two sections: about the group (name, a 20-word answer), the idea (yes/no, budget)."""
    about = FormSection.objects.create(round=round, title="About your group", order=1)
    idea = FormSection.objects.create(round=round, title="Your idea", order=2)
    questions = {
        "name": Question.objects.create(
            section=about, kind=K.SHORT_TEXT, label="What is the name of your group?", order=1
        ),
        "about": Question.objects.create(
            section=about,
            kind=K.LONG_TEXT,
            label="What does your group do?",
            word_limit=20,
            order=2,
        ),
        "people": Question.objects.create(
            section=idea,
            kind=K.WHOLE_NUMBER,
            label="How many people will take part?",
            order=1,
        ),
        "children": Question.objects.create(
            section=idea, kind=K.YES_NO, label="Will you work with children?", order=2
        ),
        "how": Question.objects.create(
            section=idea,
            kind=K.SHORT_TEXT,
            label="How will you keep children safe?",
            condition_question=None,
            order=3,
        ),
        "budget": Question.objects.create(
            section=idea, kind=K.BUDGET, label="What will you spend the grant on?", order=4
        ),
    }
    questions["how"].condition_question = questions["children"]
    questions["how"].condition_value = "yes"
    questions["how"].save()
    return questions


def group_with_member(**membership):
    membership.setdefault("role", Membership.Role.OWNER)
    return MembershipFactory(
        user=membership.pop("user", None) or UserFactory(),
        organisation=membership.pop("organisation", None) or OrganisationFactory(),
        **membership,
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    round = factory.SubFactory(OpenRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
