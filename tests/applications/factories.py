"""Group profiles, documents, invitations and applications for tests."""

from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import (
    Answer,
    Application,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
    OrganisationInvitation,
    OrganisationProfile,
)
from applications.services.places import application_places_refresh
from microcomm.models import Membership, Organisation, User
from tests.microcomm.factories import PDF_BYTES, MembershipFactory, OrganisationFactory
from tests.rounds.factories import OpenRoundFactory, QuestionFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationProfile
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationInvitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.EDITOR
    token = factory.Sequence(lambda n: f"token-{n:040d}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganisationDocument.Kind.SAFEGUARDING
    title = "Safeguarding policy"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="stored.pdf"))
    original_name = "safeguarding.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


def group_with_owner(**organisation_kwargs) -> tuple[Organisation, User]:
    """A group, its profile and an owner; returns (organisation, owner)."""
    membership = MembershipFactory(
        organisation=OrganisationFactory(**organisation_kwargs), role=Membership.Role.OWNER
    )
    ProfileFactory(organisation=membership.organisation)
    return membership.organisation, membership.user


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application to an open round."""

    class Meta:
        model = Application

    round = factory.SubFactory(OpenRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SubmittedApplicationFactory(ApplicationFactory):
    """A submitted application with a reference."""

    reference = factory.Sequence(lambda n: f"MC-2027-{n + 1:04d}")
    status = Application.Status.SUBMITTED
    title = factory.Sequence(lambda n: f"Project {n}")
    amount_requested = Decimal("500.00")
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer
        skip_postgeneration_save = True

    application = factory.SubFactory(SubmittedApplicationFactory)
    question = factory.SubFactory(QuestionFactory)
    value = "An answer"

    @factory.post_generation
    def places(answer, create, extracted, **kwargs):
        """Keep the places the answers name, as the services that save answers do."""
        if create:
            application_places_refresh(application_ids=[answer.application_id])


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(SubmittedApplicationFactory)
    item = factory.Sequence(lambda n: f"Cost {n}")
    amount = Decimal("100.00")


class DueDiligenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DueDiligenceItem

    application = factory.SubFactory(SubmittedApplicationFactory)
    code = factory.Sequence(lambda n: f"check-{n}")
    label = factory.Sequence(lambda n: f"Check {n}")
