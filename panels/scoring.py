"""Weighted scores, in pure functions of plain values: the maths the panel agreed to.

Each criterion's score is taken as a fraction of its scale's maximum (a scale starting at
1 counts from its minimum, so its lowest point is worth nothing), times its weight, and
the criteria are summed to a score out of 100, rounded to two places half up. A missing
score is missing, never zero: a scorecard with any criterion unscored has no weighted
score, and an application's mean is over the scorers who scored it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from panels.models.rubric import SCALE_POINTS

HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionRule:
    """What scoring needs to know of one criterion."""

    id: int
    weight: Decimal
    scale: str
    minimum: int | None = None

    @property
    def low(self) -> int:
        return SCALE_POINTS[self.scale][0][0]

    @property
    def high(self) -> int:
        return SCALE_POINTS[self.scale][-1][0]

    def allows(self, value: int) -> bool:
        return value in {point for point, _ in SCALE_POINTS[self.scale]}


def weights_problem(weights: Iterable[Decimal]) -> str:
    """Why these weights cannot be agreed ('' when they add up to 100%)."""
    total = sum(weights, Decimal("0"))
    if total != HUNDRED:
        return f"The weights must add up to 100%. They add up to {total.normalize():f}%"
    return ""


def weighted_score(
    criteria: Sequence[CriterionRule], values: Mapping[int, int | None]
) -> Decimal | None:
    """The score out of 100 for one scorer's values by criterion id; None if any is missing."""
    total = Decimal("0")
    for criterion in criteria:
        value = values.get(criterion.id)
        if value is None:
            return None
        if not criterion.allows(value):
            raise ValueError(f"{value} is not a point on the scale of criterion {criterion.id}")
        span = Decimal(criterion.high - criterion.low)
        total += Decimal(value - criterion.low) / span * criterion.weight
    return round_score(total)


def mean_score(scores: Iterable[Decimal | None]) -> tuple[Decimal | None, int]:
    """The mean of the scores given, over those who scored, and how many that is."""
    given = [score for score in scores if score is not None]
    if not given:
        return None, 0
    return round_score(sum(given, Decimal("0")) / len(given)), len(given)


def below_minimum(criteria: Sequence[CriterionRule], values: Mapping[int, int | None]) -> list[int]:
    """The ids of the criteria whose score is under the criterion's minimum."""
    return [
        criterion.id
        for criterion in criteria
        if criterion.minimum is not None
        and values.get(criterion.id) is not None
        and values[criterion.id] < criterion.minimum
    ]
