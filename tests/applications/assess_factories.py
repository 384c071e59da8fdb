"""Factories for the assessing tests: rounds with forms, groups and their applications."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import (
    Answer,
    Application,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
    OrganisationProfile,
)
from microcomm.models import LegalForm, Membership, Organisation
from rounds.models import FormSection, Fund, Question, Round
from tests.microcomm.factories import UserFactory


class AssessFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Assessing fund {n}")
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2028, 3, 31)


class AssessRoundFactory(factory.django.DjangoModelFactory):
    """An open micro round that closes in two weeks."""

    class Meta:
        model = Round

    fund = factory.SubFactory(AssessFundFactory)
    title = factory.Sequence(lambda n: f"Warm spaces round {n}")
    slug = factory.Sequence(lambda n: f"warm-spaces-{n}")
    summary = "Grants for warm, welcoming places."
    amount_available = Decimal("20000.00")
    minimum_grant = Decimal("100.00")
    maximum_grant = Decimal("1000.00")
    tier = Round.Tier.MICRO
    status = Round.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=14))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    scoring_due_on = factory.LazyAttribute(lambda o: (o.closes_at + datetime.timedelta(14)).date())
    decisions_by = factory.LazyAttribute(lambda o: o.scoring_due_on + datetime.timedelta(14))
    grants_start_on = factory.LazyAttribute(lambda o: o.decisions_by + datetime.timedelta(14))
    first_monitoring_due_on = factory.LazyAttribute(
        lambda o: o.grants_start_on + datetime.timedelta(90)
    )
    evaluation_due_on = factory.LazyAttribute(lambda o: o.grants_start_on + datetime.timedelta(365))


class AssessSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormSection

    round = factory.SubFactory(AssessRoundFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n + 1)


class AssessQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(AssessSectionFactory)
    kind = Question.Kind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n + 1)


class AssessOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Assessed Group {n}")
    legal_form = LegalForm.UNINCORPORATED


class AssessProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationProfile

    organisation = factory.SubFactory(AssessOrganisationFactory)
    annual_income = Decimal("5000.00")
    has_bank_account = True
    bank_account_name = factory.LazyAttribute(lambda o: o.organisation.name)


class AssessApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application with a reference."""

    class Meta:
        model = Application

    round = factory.SubFactory(AssessRoundFactory)
    organisation = factory.SubFactory(AssessOrganisationFactory)
    reference = factory.Sequence(lambda n: f"MC-2027-{n + 1:04d}")
    status = Application.Status.SUBMITTED
    title = factory.Sequence(lambda n: f"Project {n}")
    amount_requested = Decimal("500.00")
    submitted_at = factory.LazyFunction(timezone.now)


class AssessAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(AssessApplicationFactory)
    question = factory.SubFactory(AssessQuestionFactory)
    value = "An answer"


class AssessBudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(AssessApplicationFactory)
    item = factory.Sequence(lambda n: f"Cost {n}")
    amount = Decimal("100.00")


class AssessDueDiligenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DueDiligenceItem

    application = factory.SubFactory(AssessApplicationFactory)
    code = factory.Sequence(lambda n: f"check-{n}")
    label = factory.Sequence(lambda n: f"Check {n}")


class AssessDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDocument

    organisation = factory.SubFactory(AssessOrganisationFactory)
    kind = OrganisationDocument.Kind.GOVERNING
    title = "Our constitution"
    file = factory.django.FileField(filename="constitution.pdf", data=b"%PDF-1.4 test")
    original_name = "constitution.pdf"
    content_type = "application/pdf"
    size = 13


def member_of(organisation: Organisation, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.OWNER)
    return user
