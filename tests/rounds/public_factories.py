"""Funds, rounds, FAQs, guidance and support requests for the public pages' tests."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from rounds.models import Faq, Fund, GuidanceResource, Round, SupportRequest


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Community Fund {n}")
    starts_on = date(2026, 4, 1)
    ends_on = date(2028, 3, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    """A round open by the clock: scheduled, opened a week ago, closing in three weeks."""

    class Meta:
        model = Round
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Connecting Communities Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    summary = "Small grants for activities that bring people together."
    amount_available = Decimal("20000.00")
    minimum_grant = Decimal("100.00")
    maximum_grant = Decimal("2000.00")
    status = Round.Status.SCHEDULED
    must_address_priority = False
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    scoring_due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=35))
    decisions_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=49))
    grants_start_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=63))
    first_monitoring_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=150)
    )
    evaluation_due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=400))
    how_decisions_are_made = "A panel of residents and professionals scores each application."
    contact_email = "grants@example.org"

    @factory.post_generation
    def eligible_localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.eligible_localities.set(extracted)

    @factory.post_generation
    def priority_themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.priority_themes.set(extracted)

    @factory.post_generation
    def priority_localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.priority_localities.set(extracted)

    @factory.post_generation
    def priority_needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.priority_needs.set(extracted)


def opening_soon_round(**kwargs) -> Round:
    now = timezone.now()
    return RoundFactory(
        opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=40), **kwargs
    )


def closed_round(**kwargs) -> Round:
    now = timezone.now()
    return RoundFactory(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=5), **kwargs
    )


def draft_round(**kwargs) -> Round:
    return RoundFactory(status=Round.Status.DRAFT, **kwargs)


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    round = factory.SubFactory(RoundFactory)
    question = factory.Sequence(lambda n: f"Can we apply for question {n}?")
    answer = "Yes, if your group works locally."


class GuidanceResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceResource

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Guide {n}")
    url = "https://example.org/guide"


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Asker {n}")
    group_name = factory.Sequence(lambda n: f"Asking Group {n}")
    email = "asker@example.org"
    contact_preference = SupportRequest.Contact.EMAIL
    help_needed = factory.LazyFunction(lambda: [SupportRequest.Help.FORM])
