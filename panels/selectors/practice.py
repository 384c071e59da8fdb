"""The practice application a new member tries scoring on, and the criteria they use.

The application is fictional (panels/demo_data/practice_application.json). The criteria
are the round's own scoring system, or the micro preset when the round has none yet.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from panels.models import SCALE_POINTS, Criterion, PanelMember, PracticeAttempt, Rubric
from panels.rubric_presets import preset_for_tier
from panels.scoring import CriterionRule
from rounds.models import Round

PRACTICE_FILE = Path(__file__).resolve().parent.parent / "demo_data" / "practice_application.json"


@functools.cache
def practice_application() -> dict[str, Any]:
    """The fictional application: group, answers and budget, with the budget's total."""
    data = json.loads(PRACTICE_FILE.read_text(encoding="utf-8"))
    data["budget_total"] = sum(Decimal(str(line["amount"])) for line in data["budget"])
    return data


@dataclass(frozen=True)
class PracticePoint:
    value: int
    label: str
    anchor: str


@dataclass(frozen=True)
class PracticeCriterion:
    """A criterion as the practice page shows and scores it."""

    id: int
    name: str
    question: str
    weight: Decimal
    scale: str
    points: tuple[PracticePoint, ...]

    @property
    def rule(self) -> CriterionRule:
        return CriterionRule(id=self.id, weight=self.weight, scale=self.scale)

    @property
    def weight_label(self) -> str:
        """The weight as people write it: "40", "12.5"."""
        return f"{self.weight.normalize():f}"


def practice_criteria(*, round: Round) -> tuple[list[PracticeCriterion], bool]:
    """The criteria to practise on, and whether they are the round's own (else a preset)."""
    rubric = Rubric.objects.filter(round=round).first()
    criteria = (
        list(Criterion.objects.filter(rubric=rubric).prefetch_related("points"))
        if rubric is not None
        else []
    )
    if criteria:
        return [
            PracticeCriterion(
                id=criterion.pk,
                name=criterion.name,
                question=criterion.question,
                weight=criterion.weight,
                scale=criterion.scale,
                points=tuple(
                    PracticePoint(point.value, point.label, point.anchor)
                    for point in criterion.points.all()
                )
                or _bare_points(criterion.scale),
            )
            for criterion in criteria
        ], True
    preset = preset_for_tier(Round.Tier.MICRO)
    return [
        PracticeCriterion(
            id=number,
            name=criterion.name,
            question=criterion.question,
            weight=criterion.weight,
            scale=criterion.scale,
            points=tuple(
                PracticePoint(value, label, anchor)
                for (value, label), anchor in zip(
                    SCALE_POINTS[criterion.scale], criterion.anchors, strict=True
                )
            ),
        )
        for number, criterion in enumerate(preset.criteria, start=1)
    ], False


def _bare_points(scale: str) -> tuple[PracticePoint, ...]:
    return tuple(PracticePoint(value, label, "") for value, label in SCALE_POINTS[scale])


def practice_attempt_of(*, member: PanelMember) -> PracticeAttempt | None:
    return PracticeAttempt.objects.filter(member=member).first()


@dataclass(frozen=True)
class PracticeLine:
    """How one criterion's point becomes part of the score out of 100."""

    criterion: PracticeCriterion
    point: PracticePoint
    comment: str
    earned: Decimal

    @property
    def steps(self) -> int:
        return self.point.value - self.criterion.points[0].value

    @property
    def span(self) -> int:
        return self.criterion.points[-1].value - self.criterion.points[0].value


def practice_explained(
    *, criteria: list[PracticeCriterion], attempt: PracticeAttempt | None
) -> list[PracticeLine]:
    """Each criterion's share of the weighted score for the attempt, when it scored them all."""
    if attempt is None or attempt.submitted_at is None:
        return []
    lines = []
    for criterion in criteria:
        given = attempt.scores.get(str(criterion.id))
        point = next((p for p in criterion.points if given and p.value == given.get("value")), None)
        if point is None:
            return []
        rule = criterion.rule
        earned = (
            Decimal(point.value - rule.low) / Decimal(rule.high - rule.low) * criterion.weight
        ).quantize(Decimal("0.01"))
        lines.append(
            PracticeLine(
                criterion=criterion, point=point, comment=given.get("comment", ""), earned=earned
            )
        )
    return lines
