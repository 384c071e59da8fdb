"""Funds and rounds for tests: a fund with one source, a round with a sensible timeline."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from rounds.models import Fund, FundingSource, Round, RoundEvent


def london(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Fund {n}")
    description = "Money for community activities."
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2028, 3, 31)

    @factory.post_generation
    def amount(self, create, extracted, **kwargs):
        """FundFactory(amount=Decimal("20000")) sets the one source's amount."""
        if create:
            FundingSourceFactory(fund=self, amount=extracted or Decimal("50000"))


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Integrated Care Board {n}")
    kind = FundingSource.Kind.NHS
    amount = Decimal("50000")


class RoundFactory(factory.django.DjangoModelFactory):
    """A draft micro round opening in a week and closing four weeks later."""

    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Micro grants round {n}")
    slug = factory.Sequence(lambda n: f"micro-grants-{n}")
    summary = "Small grants for groups that bring people together."
    amount_available = Decimal("5000")
    minimum_grant = Decimal("100")
    maximum_grant = Decimal("1000")
    tier = Round.Tier.MICRO
    opens_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=28))
    scoring_due_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.closes_at) + datetime.timedelta(days=14)
    )
    decisions_by = factory.LazyAttribute(lambda o: o.scoring_due_on + datetime.timedelta(days=14))
    grants_start_on = factory.LazyAttribute(lambda o: o.decisions_by + datetime.timedelta(days=14))
    first_monitoring_due_on = factory.LazyAttribute(
        lambda o: o.grants_start_on + datetime.timedelta(days=90)
    )
    evaluation_due_on = factory.LazyAttribute(
        lambda o: o.first_monitoring_due_on + datetime.timedelta(days=270)
    )


class RoundEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEvent

    round = factory.SubFactory(RoundFactory)
    kind = RoundEvent.Kind.SUPPORT_SESSION
    starts_at = factory.LazyAttribute(lambda o: o.round.opens_at + datetime.timedelta(days=3))
    title = "Drop-in help session"
    location = "Abbey Fields Library"


def round_with_form(*, published: bool = True, **kwargs) -> Round:
    """A round with the default form for its tier, published unless told otherwise."""
    from rounds.services.form_builder import form_create_default, form_publish

    round = RoundFactory(**kwargs)
    form_create_default(round=round, actor=None)
    if published:
        round = form_publish(round=round, actor=None)
    return round
