"""What makes a scoring system one a panel can agree to: pure rules on plain values.

The service refuses a save that breaks any of them, and a round cannot be scheduled or
opened while its scoring system breaks one. Each problem is keyed by the form field it is
about ("criteria-1-weight", "criteria-0-anchor_3"), so a form shows it beside the field;
"criteria" is about the number of criteria and "weights" about their total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from panels.models import SCALE_POINTS, Rubric, Scale
from panels.scoring import weights_problem
from rounds.models import Round

FEWEST_CRITERIA = 3
MOST_CRITERIA = 7
CRITERIA_PREFIX = "criteria"


@dataclass(frozen=True)
class CriterionInput:
    """One criterion as a commissioner typed it; `id` is the criterion it changes, if any."""

    name: str
    question: str
    weight: Decimal | None
    scale: str
    anchors: Mapping[int, str]
    minimum: int | None = None
    rewards_priorities: Sequence[str] = field(default_factory=tuple)
    id: int | None = None


def criterion_key(index: int, name: str) -> str:
    return f"{CRITERIA_PREFIX}-{index}-{name}"


def point_label(scale: str, value: int) -> str:
    return dict(SCALE_POINTS[scale]).get(value, str(value))


def _criterion_problems(
    index: int, criterion: CriterionInput, priorities: Mapping[str, str]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    number = index + 1
    called = criterion.name.strip() or f"criterion {number}"
    if not criterion.name.strip():
        problems[criterion_key(index, "name")] = f"Enter a name for criterion {number}"
    if not criterion.question.strip():
        problems[criterion_key(index, "question")] = (
            f"Enter the question the panel asks for {called}"
        )
    if criterion.weight is None:
        problems[criterion_key(index, "weight")] = f"Enter a weight for {called}"
    elif not Decimal("0") < criterion.weight <= Decimal("100"):
        problems[criterion_key(index, "weight")] = (
            f"Enter a weight for {called} between 0.01% and 100%"
        )
    if criterion.scale not in SCALE_POINTS:
        problems[criterion_key(index, "scale")] = f"Select a scale for {called}"
        return problems
    points = SCALE_POINTS[criterion.scale]
    for value, label in points:
        if not str(criterion.anchors.get(value, "")).strip():
            problems[criterion_key(index, f"anchor_{value}")] = (
                f"Enter what earns {label} for {called}"
            )
    if criterion.minimum is not None:
        low, high = points[0][0], points[-1][0]
        if not low <= criterion.minimum <= high:
            if criterion.scale == Scale.WORDS:
                problems[criterion_key(index, "minimum")] = (
                    f"Select a minimum for {called} that is a point of its scale, or none"
                )
            else:
                problems[criterion_key(index, "minimum")] = (
                    f"Enter a minimum for {called} between {low} and {high}, or leave it blank"
                )
    unknown = [item for item in criterion.rewards_priorities if item not in priorities]
    if unknown:
        problems[criterion_key(index, "rewards_priorities")] = (
            f"Select only the round's own priorities for {called}"
        )
    return problems


def rubric_problems(
    *,
    criteria: Sequence[CriterionInput],
    pass_mark: Decimal | None,
    priorities: Mapping[str, str],
) -> dict[str, str]:
    """Every reason these criteria and pass mark cannot be agreed; empty when they can."""
    problems: dict[str, str] = {}
    if not FEWEST_CRITERIA <= len(criteria) <= MOST_CRITERIA:
        problems[CRITERIA_PREFIX] = (
            f"Give the scoring system between {FEWEST_CRITERIA} and {MOST_CRITERIA} criteria. "
            f"It has {len(criteria)}"
        )
    for index, criterion in enumerate(criteria):
        problems.update(_criterion_problems(index, criterion, priorities))
    weights = [criterion.weight for criterion in criteria if criterion.weight is not None]
    if criteria and len(weights) == len(criteria):
        problem = weights_problem(weights)
        if problem:
            problems["weights"] = problem
    if pass_mark is not None and not Decimal("0") <= pass_mark <= Decimal("100"):
        problems["pass_mark"] = "Enter a pass mark between 0 and 100, or leave it blank"
    return problems


def criteria_of(rubric: Rubric) -> list[CriterionInput]:
    """A saved rubric's criteria as inputs (criteria and points prefetched or not)."""
    return [
        CriterionInput(
            id=criterion.pk,
            name=criterion.name,
            question=criterion.question,
            weight=criterion.weight,
            scale=criterion.scale,
            anchors={point.value: point.anchor for point in criterion.points.all()},
            minimum=criterion.minimum,
            rewards_priorities=tuple(criterion.rewards_priorities),
        )
        for criterion in rubric.criteria.all()
    ]


def rubric_locked_reason(round: Round) -> str:
    """Why the round's scoring system can no longer change ('' while the round is a draft)."""
    if round.current_status == Round.Status.DRAFT:
        return ""
    return (
        "The scoring system is locked because the round is "
        f"{round.get_current_status_display().lower()}. Groups apply knowing how they will be "
        "scored, so it cannot change now"
    )


def rubric_move_problem(*, rubric: Rubric | None, priorities: Mapping[str, str]) -> str:
    """Why a round with this scoring system cannot be scheduled or opened yet."""
    if rubric is None:
        return "Set how applications will be scored before you schedule or open the round"
    problems = rubric_problems(
        criteria=criteria_of(rubric), pass_mark=rubric.pass_mark, priorities=priorities
    )
    if problems:
        return (
            "Finish how applications will be scored before you schedule or open the round: "
            + _lower_first(next(iter(problems.values())))
        )
    return ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
