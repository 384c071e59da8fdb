"""Rubrics, panels, members, conflicts and scorecards for tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from panels.models import (
    SCALE_POINTS,
    ConflictDeclaration,
    Criterion,
    Decision,
    InterviewInvitation,
    InterviewSlot,
    Panel,
    PanelMember,
    Rubric,
    Scale,
    ScalePoint,
    Score,
    Scorecard,
)
from rounds.models import Round
from tests.applications.factories import SubmittedApplicationFactory
from tests.microcomm.factories import UserFactory
from tests.rounds.factories import closed_round


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric
        django_get_or_create = ("round",)

    round = factory.LazyFunction(closed_round)


class CriterionFactory(factory.django.DjangoModelFactory):
    """A criterion with an anchor for each point of its scale."""

    class Meta:
        model = Criterion
        skip_postgeneration_save = True

    rubric = factory.SubFactory(RubricFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    question = "How well does the project meet this?"
    weight = Decimal("25")
    scale = Scale.ZERO_TO_THREE

    @factory.post_generation
    def anchors(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            ScalePoint.objects.bulk_create(
                ScalePoint(criterion=self, value=value, label=label, anchor=f"{label}: anchor")
                for value, label in SCALE_POINTS[self.scale]
            )


def rubric_for(round: Round, weights: tuple[int, ...] = (40, 30, 20, 10), **kwargs) -> Rubric:
    """A rubric for the round with criteria of these weights, on 0 to 3 scales by default."""
    rubric = RubricFactory(round=round)
    for position, weight in enumerate(weights):
        CriterionFactory(rubric=rubric, position=position, weight=Decimal(weight), **kwargs)
    return rubric


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel
        django_get_or_create = ("round",)

    round = factory.LazyFunction(closed_round)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    """An active lay member."""

    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.SubFactory(UserFactory)
    role = PanelMember.Role.LAY
    status = PanelMember.Status.ACTIVE


class ConflictFactory(factory.django.DjangoModelFactory):
    """A direct interest declared by a member in an organisation."""

    class Meta:
        model = ConflictDeclaration

    member = factory.SubFactory(PanelMemberFactory)
    organisation = factory.SelfAttribute("application.organisation")
    interest = ConflictDeclaration.Interest.TRUSTEE
    description = "Trustee of the group"

    class Params:
        application = None


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    member = factory.SubFactory(PanelMemberFactory)
    application = factory.SubFactory(
        SubmittedApplicationFactory, round=factory.SelfAttribute("..member.panel.round")
    )


def scored(scorecard: Scorecard, values: dict[Criterion, int | None]) -> Scorecard:
    """Give the scorecard these values (no weighted score or status change)."""
    for criterion, value in values.items():
        Score.objects.update_or_create(
            scorecard=scorecard, criterion=criterion, defaults={"value": value}
        )
    return scorecard


# A person invited to a panel who has not set a password yet.


def invited_member(**kwargs) -> PanelMember:
    """A seat invited by email: the person's account has no password and no confirmed
    address until they follow the invitation link."""
    user = UserFactory(password=None, email_confirmed_at=None)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return PanelMemberFactory(user=user, status=PanelMember.Status.INVITED, **kwargs)


# Decisions, interview slots and invitations.


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision recorded on a submitted application of a closed round."""

    class Meta:
        model = Decision

    application = factory.SubFactory(
        SubmittedApplicationFactory, round=factory.LazyFunction(closed_round)
    )
    outcome = Decision.Outcome.DECLINE
    reason = "The need was not shown clearly enough."
    decided_by = factory.SubFactory(UserFactory)


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewSlot

    panel = factory.SubFactory(PanelFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + datetime.timedelta(hours=1))
    place = "Marsh Lane Community Centre"


class InterviewInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewInvitation

    application = factory.SubFactory(
        SubmittedApplicationFactory, round=factory.LazyFunction(closed_round)
    )
