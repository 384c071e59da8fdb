"""Reads of a round's scoring system: for its pages, the public page, the PDF and the checks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Prefetch

from panels.models import SCALE_POINTS, Criterion, Rubric, ScalePoint
from panels.rubric_rules import rubric_move_problem
from rounds.models import Round
from rounds.selectors.form_builder import round_priorities


def round_for_rubric(*, slug: str) -> Round | None:
    return Round.objects.select_related("fund").filter(slug=slug).first()


def rubric_of(*, round: Round) -> Rubric | None:
    """The round's scoring system with its criteria and their points, or None."""
    criteria = Criterion.objects.order_by("position", "id").prefetch_related(
        Prefetch("points", queryset=ScalePoint.objects.order_by("value"))
    )
    return (
        Rubric.objects.filter(round=round)
        .prefetch_related(Prefetch("criteria", queryset=criteria))
        .first()
    )


@dataclass(frozen=True)
class PointShown:
    value: int
    label: str
    anchor: str


@dataclass(frozen=True)
class CriterionShown:
    """A criterion as a page shows it: its points with anchors, the priorities it rewards."""

    criterion: Criterion
    points: list[PointShown]
    minimum_label: str
    priorities: list[str]

    @property
    def name(self) -> str:
        return self.criterion.name


def criteria_shown(*, rubric: Rubric, priorities: dict[str, str]) -> list[CriterionShown]:
    shown = []
    for criterion in rubric.criteria.all():
        labels = dict(SCALE_POINTS.get(criterion.scale, ()))
        anchors = {point.value: point.anchor for point in criterion.points.all()}
        shown.append(
            CriterionShown(
                criterion=criterion,
                points=[
                    PointShown(value=value, label=label, anchor=anchors.get(value, ""))
                    for value, label in SCALE_POINTS.get(criterion.scale, ())
                ],
                minimum_label=(
                    labels.get(criterion.minimum, str(criterion.minimum))
                    if criterion.minimum is not None
                    else ""
                ),
                priorities=[
                    priorities[item] for item in criterion.rewards_priorities if item in priorities
                ],
            )
        )
    return shown


def rubric_public(round: Round) -> dict[str, object] | None:
    """What "How we will score" shows of the round: None until it has a scoring system."""
    rubric = rubric_of(round=round)
    if rubric is None:
        return None
    criteria = criteria_shown(rubric=rubric, priorities=rewarded_priorities(rubric, round))
    if not criteria:
        return None
    return {"rubric": rubric, "criteria": criteria}


def rewarded_priorities(rubric: Rubric | None, round: Round) -> dict[str, str]:
    """The round's priorities by id, asked for only when a criterion rewards some (it costs
    a query or three)."""
    if rubric is None or not any(c.rewards_priorities for c in rubric.criteria.all()):
        return {}
    return round_priorities(round=round)


def rubric_version(round: Round) -> str:
    """Changes whenever the scoring system the form PDF shows changes."""
    rubric = Rubric.objects.filter(round=round).values("pk", "version").first()
    if rubric is None:
        return ""
    encoded = json.dumps(rubric, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def rubric_round_move_problem(round: Round, to: str) -> str:
    """Why the round cannot be scheduled or opened for want of an agreed scoring system."""
    rubric = rubric_of(round=round)
    return rubric_move_problem(rubric=rubric, priorities=rewarded_priorities(rubric, round))
