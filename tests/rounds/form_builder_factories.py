"""Factories for the form builder tests: funds, rounds, sections and questions."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from rounds.models import FormSection, Fund, Question, Round


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Form builder fund {n}")
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2028, 3, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    """A draft micro round opening in a month; pass `tier` or `status` to change it."""

    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Tackling loneliness round {n}")
    slug = factory.Sequence(lambda n: f"loneliness-round-{n}")
    summary = "Small grants for activities that bring people together."
    amount_available = Decimal("20000.00")
    minimum_grant = Decimal("100.00")
    maximum_grant = Decimal("1000.00")
    tier = Round.Tier.MICRO
    status = Round.Status.DRAFT
    opens_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=28))
    scoring_due_on = factory.LazyAttribute(lambda o: (o.closes_at + datetime.timedelta(14)).date())
    decisions_by = factory.LazyAttribute(lambda o: o.scoring_due_on + datetime.timedelta(14))
    grants_start_on = factory.LazyAttribute(lambda o: o.decisions_by + datetime.timedelta(14))
    first_monitoring_due_on = factory.LazyAttribute(
        lambda o: o.grants_start_on + datetime.timedelta(90)
    )
    evaluation_due_on = factory.LazyAttribute(lambda o: o.grants_start_on + datetime.timedelta(365))


class FormSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormSection

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n + 1)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(FormSectionFactory)
    kind = Question.Kind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Question {n}?")
    required = True
    order = factory.Sequence(lambda n: n + 1)
