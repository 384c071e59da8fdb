"""Moderation, in pure functions of plain values: where scorers disagree, and who is lenient.

Per application and criterion: the scores given, their range and standard deviation, and
the outliers: a score further than the panel's outlier distance from the median of the
OTHER scores on that criterion. A score with no other score beside it cannot be an outlier.

Per scorer: leniency, the mean of (their weighted score minus the mean of the others'
weighted scores) over the applications they scored together with someone else, put into
a plain-English sentence. Missing scores are missing, never zero: they are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from panels.scoring import round_score

# A scorer within this many points (out of 100) of the others is "about the same".
SIMILAR_WITHIN = Decimal("2")


def median(values: Iterable[Decimal | int]) -> Decimal | None:
    """The middle value (the mean of the middle two for an even count); None for none."""
    return _median_of_sorted(sorted(values))


def _median_of_sorted(ordered: list[Decimal | int]) -> Decimal | None:
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def standard_deviation(values: Iterable[Decimal | int]) -> Decimal | None:
    """The population standard deviation to two places; None for no values."""
    given = [Decimal(value) for value in values]
    if not given:
        return None
    mean = sum(given, Decimal("0")) / len(given)
    variance = sum(((value - mean) ** 2 for value in given), Decimal("0")) / len(given)
    return round_score(variance.sqrt())


def outliers(scores: Mapping[int, int | None], distance: Decimal) -> dict[int, Decimal]:
    """The scorers whose score is more than ``distance`` from the median of the others'.

    ``scores`` maps a scorer's id to their value; the answer maps each outlying scorer to
    the others' median, so a page can say what the score stands apart from.
    """
    given = {scorer: value for scorer, value in scores.items() if value is not None}
    ordered = sorted(given.values())
    found: dict[int, Decimal] = {}
    for scorer, value in given.items():
        # The others' scores, in order: all of them but one of this value (sorted once).
        others_ordered = ordered.copy()
        others_ordered.remove(value)
        others = _median_of_sorted(others_ordered)
        if others is not None and abs(value - others) > distance:
            found[scorer] = others
    return found


@dataclass(frozen=True)
class CriterionSpread:
    """How the scorers of one application scored one criterion."""

    criterion_id: int
    scores: dict[int, int]  # scorer id -> value; the missing are left out
    low: int | None
    high: int | None
    range: int | None
    deviation: Decimal | None
    median: Decimal | None
    outliers: dict[int, Decimal] = field(default_factory=dict)  # scorer id -> others' median

    @property
    def count(self) -> int:
        return len(self.scores)

    def outlier_sentence(self, scorer: int) -> str:
        """Why this scorer's score is flagged, in words ('' when it is not)."""
        if scorer not in self.outliers:
            return ""
        others = self.outliers[scorer].normalize()
        value = self.scores[scorer]
        direction = "higher" if value > self.outliers[scorer] else "lower"
        return f"Outlier: {value} is much {direction} than the others' median of {others:f}"


def criterion_spread(
    criterion_id: int, scores: Mapping[int, int | None], distance: Decimal
) -> CriterionSpread:
    """The spread and outliers of one criterion's scores on one application."""
    given = {scorer: value for scorer, value in scores.items() if value is not None}
    values = list(given.values())
    low = min(values) if values else None
    high = max(values) if values else None
    return CriterionSpread(
        criterion_id=criterion_id,
        scores=given,
        low=low,
        high=high,
        range=None if low is None or high is None else high - low,
        deviation=standard_deviation(values),
        median=median(values),
        outliers=outliers(given, distance),
    )


@dataclass(frozen=True)
class Leniency:
    """How one scorer scores compared with the others who scored the same applications."""

    scorer_id: int
    difference: Decimal | None  # mean points out of 100 above (+) or below (-) the others
    applications: int  # how many applications the comparison is over

    @property
    def sentence(self) -> str:
        return leniency_sentence(self.difference, self.applications)


def _applications(count: int) -> str:
    return f"{count} application{'' if count == 1 else 's'}"


def leniency_sentence(difference: Decimal | None, applications: int) -> str:
    """A plain-English account of a scorer's leniency."""
    if difference is None or applications == 0:
        return "Cannot be compared yet: nobody else has scored the applications they scored."
    over = f"over {_applications(applications)} scored with others"
    points = f"{abs(difference).normalize():f} point{'' if abs(difference) == 1 else 's'}"
    if abs(difference) < SIMILAR_WITHIN:
        if difference == 0:
            return f"Scores the same as the other scorers on average, {over}."
        direction = "higher" if difference > 0 else "lower"
        return (
            f"Scores about the same as the other scorers: on average {points} {direction} "
            f"out of 100, {over}."
        )
    if difference > 0:
        return (
            f"Scores more generously than the other scorers: on average {points} higher "
            f"out of 100, {over}."
        )
    return (
        f"Scores more strictly than the other scorers: on average {points} lower "
        f"out of 100, {over}."
    )


def leniency(
    scores_by_application: Mapping[int, Mapping[int, Decimal | None]],
) -> dict[int, Leniency]:
    """Each scorer's leniency, from their weighted scores by application then scorer.

    On each application a scorer scored with at least one other, the difference is their
    score minus the mean of the others' scores; a scorer's leniency is the mean of those
    differences. Scorers with no application in common with anyone get no difference.
    """
    differences: dict[int, list[Decimal]] = {}
    for scores in scores_by_application.values():
        given = {scorer: value for scorer, value in scores.items() if value is not None}
        for scorer in scores:
            differences.setdefault(scorer, [])
        if len(given) < 2:
            continue
        total = sum(given.values(), Decimal("0"))
        for scorer, value in given.items():
            others_mean = (total - value) / (len(given) - 1)
            differences[scorer].append(value - others_mean)
    return {
        scorer: Leniency(
            scorer_id=scorer,
            difference=round_score(sum(found, Decimal("0")) / len(found)) if found else None,
            applications=len(found),
        )
        for scorer, found in differences.items()
    }
