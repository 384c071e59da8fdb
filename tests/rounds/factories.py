"""Needs, the service map, funds, rounds, forms and the public pages' objects for tests."""

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from rounds.models import (
    Faq,
    FormSection,
    Fund,
    FundingSource,
    GuidanceResource,
    JsnaPriority,
    Need,
    NeedSignal,
    PopulationGroup,
    Question,
    Round,
    RoundEvent,
    Service,
    ServiceLocation,
    ServiceSchedule,
    SupportRequest,
    TaxonomyTerm,
)
from rounds.round_hooks import round_started
from rounds.services.form_builder import form_create_default, form_publish
from tests.microcomm.factories import OrganisationFactory, ThemeFactory, WardFactory


def london(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


# Needs


class NeedFactory(factory.django.DjangoModelFactory):
    """An open need logged once, in a ward of a primary care network."""

    class Meta:
        model = Need
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    locality = factory.SubFactory(WardFactory)
    source = Need.Source.CASELOAD
    title = factory.Sequence(lambda n: f"Need number {n}")
    description = "No group meets in the evenings."
    status = Need.Status.OPEN
    signal_count = 1

    @factory.post_generation
    def population_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.population_groups.set(extracted)


class NeedSignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedSignal

    need = factory.SubFactory(NeedFactory)
    note = "Nothing nearby"


class JsnaPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JsnaPriority

    title = factory.Sequence(lambda n: f"JSNA priority {n}")


def need_with_signals(count: int, **kwargs) -> Need:
    """A need whose signal_count matches its signals, as the services keep it."""
    need = NeedFactory(signal_count=count, **kwargs)
    NeedSignalFactory.create_batch(count, need=need)
    return need


def population_group(slug: str) -> PopulationGroup:
    """One of the groups the data migration creates, such as "carers" or "65-and-over"."""
    return PopulationGroup.objects.get(slug=slug)


# The service map


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Walking group {n}")
    provider_organisation = factory.SubFactory(OrganisationFactory)
    description = "A friendly walk round the park, then a cup of tea."
    venue = "Memorial Park"
    postcode = "S80 2AB"
    status = Service.Status.ACTIVE
    cost = Service.Cost.FREE
    join_self_referral = True
    join_link_worker_referral = True
    contact_email = "walks@example.org"
    last_verified_on = factory.LazyFunction(timezone.localdate)
    oruk_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    capacity_per_week = 10
    waiting_list = 0

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)

    @factory.post_generation
    def days(self, create, extracted, **kwargs):
        if create and extracted:
            for day in extracted:
                ServiceScheduleFactory(service=self, weekday=day)


class ServiceScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceSchedule

    service = factory.SubFactory(ServiceFactory)
    weekday = ServiceSchedule.Weekday.TUESDAY
    opens_at = datetime.time(10, 0)
    closes_at = datetime.time(12, 0)


class ServiceLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLocation

    service = factory.SubFactory(ServiceFactory)
    name = "Memorial Park pavilion"
    address = "1 Park Road, Worksop"
    postcode = "S80 2AB"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    oruk_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    name = factory.Sequence(lambda n: f"Term {n}")
    vocabulary = "esd"


# Funds and rounds


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
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Micro grants round {n}")
    slug = factory.Sequence(lambda n: f"micro-grants-{n}")
    summary = "Small grants for groups that bring people together."
    amount_available = Decimal("5000")
    minimum_grant = Decimal("100")
    maximum_grant = Decimal("1000")
    tier = Round.Tier.MICRO
    status = Round.Status.DRAFT
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


class OpenRoundFactory(RoundFactory):
    """A published micro round that opened yesterday and closes in ten days."""

    status = Round.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=11))
    form_published_at = factory.LazyFunction(timezone.now)
    must_address_priority = False


class ScheduledRoundFactory(RoundFactory):
    """A scheduled round the clock has opened: it opened a week ago and closes in three weeks."""

    status = Round.Status.SCHEDULED
    amount_available = Decimal("20000.00")
    maximum_grant = Decimal("2000.00")
    must_address_priority = False
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    how_decisions_are_made = "A panel of residents and professionals scores each application."
    contact_email = "grants@example.org"


def opening_soon_round(**kwargs) -> Round:
    now = timezone.now()
    return ScheduledRoundFactory(
        opens_at=now + datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=40),
        **kwargs,
    )


def closed_round(**kwargs) -> Round:
    now = timezone.now()
    return ScheduledRoundFactory(
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=5),
        **kwargs,
    )


def draft_round(**kwargs) -> Round:
    return ScheduledRoundFactory(status=Round.Status.DRAFT, **kwargs)


def round_with_form(*, published: bool = True, **kwargs) -> Round:
    """A round with the default form for its tier, published unless told otherwise."""
    round = RoundFactory(**kwargs)
    form_create_default(round=round, actor=None)
    if published:
        round = form_publish(round=round, actor=None)
    return round


def ready_round(**kwargs) -> Round:
    """A round that can be scheduled: a published form, and what later apps start every
    new round with (its tier's scoring system), as `round_create` gives it."""
    round = round_with_form(**kwargs)
    round_started(round=round, source=None, actor=None)
    return round


class RoundEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEvent

    round = factory.SubFactory(RoundFactory)
    kind = RoundEvent.Kind.SUPPORT_SESSION
    starts_at = factory.LazyAttribute(lambda o: o.round.opens_at + datetime.timedelta(days=3))
    title = "Drop-in help session"
    location = "Abbey Fields Library"


# Application forms


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


def micro_form(round: Round) -> dict[str, Question]:
    """Two sections: about the group (name, a 20-word answer), the idea (yes/no, budget)."""
    kind = Question.Kind
    about = FormSectionFactory(round=round, title="About your group", order=1)
    idea = FormSectionFactory(round=round, title="Your idea", order=2)
    children = QuestionFactory(
        section=idea, kind=kind.YES_NO, label="Will you work with children?", order=2
    )
    return {
        "name": QuestionFactory(
            section=about, kind=kind.SHORT_TEXT, label="What is the name of your group?", order=1
        ),
        "about": QuestionFactory(
            section=about,
            kind=kind.LONG_TEXT,
            label="What does your group do?",
            word_limit=20,
            order=2,
        ),
        "people": QuestionFactory(
            section=idea, kind=kind.WHOLE_NUMBER, label="How many people will take part?", order=1
        ),
        "children": children,
        "how": QuestionFactory(
            section=idea,
            kind=kind.SHORT_TEXT,
            label="How will you keep children safe?",
            condition_question=children,
            condition_value="yes",
            order=3,
        ),
        "budget": QuestionFactory(
            section=idea, kind=kind.BUDGET, label="What will you spend the grant on?", order=4
        ),
    }


# The public pages


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    round = factory.SubFactory(ScheduledRoundFactory)
    question = factory.Sequence(lambda n: f"Can we apply for question {n}?")
    answer = "Yes, if your group works locally."


class GuidanceResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceResource

    round = factory.SubFactory(ScheduledRoundFactory)
    title = factory.Sequence(lambda n: f"Guide {n}")
    url = "https://example.org/guide"


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    round = factory.SubFactory(ScheduledRoundFactory)
    name = factory.Sequence(lambda n: f"Asker {n}")
    group_name = factory.Sequence(lambda n: f"Asking Group {n}")
    email = "asker@example.org"
    contact_preference = SupportRequest.Contact.EMAIL
    help_needed = factory.LazyFunction(lambda: [SupportRequest.Help.FORM])
