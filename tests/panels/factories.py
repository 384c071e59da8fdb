"""Rubrics, panels, members, conflicts and scorecards for tests."""

from __future__ import annotations

from decimal import Decimal

import factory

from panels.models import (
    SCALE_POINTS,
    ConflictDeclaration,
    Criterion,
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
    organisation = factory.SelfAttribute("..application.organisation")
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
