"""Every write to a round's scoring system: start it, from a preset or a copy, and change it.

The scoring system changes only while its round is a draft. A save is all or nothing:
any broken rule refuses the whole save, with one message per field (`RubricInvalid`).
Each save bumps the rubric's version; a save made on an older version than the stored one
is refused, so two people editing at once are told instead of one silently winning.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from panels.models import SCALE_POINTS, Criterion, Rubric, ScalePoint
from panels.rubric_presets import PRESETS, RubricPreset, preset_for_tier
from panels.rubric_rules import (
    CriterionInput,
    criteria_of,
    point_label,
    rubric_locked_reason,
    rubric_problems,
)
from rounds.models import Round
from rounds.selectors.form_builder import round_priorities

if TYPE_CHECKING:
    from microcomm.models import User

CHANGED_SINCE_OPENED = (
    "Someone else changed the scoring system since you opened it. "
    "Open it again to see their changes, then make yours"
)


class RubricInvalid(DomainError):
    """The scoring system breaks one or more rules; `errors` maps each field to what to do."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self.errors = errors


def _refuse_if_locked(round: Round) -> None:
    reason = rubric_locked_reason(round)
    if reason:
        raise DomainError(reason)


def _locked_round(round: Round) -> Round:
    """The round, locked for the change, so it cannot be scheduled half way through."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    _refuse_if_locked(locked)
    return locked


def _write_criteria(rubric: Rubric, criteria: Sequence[CriterionInput]) -> None:
    """Make the rubric's criteria these, keeping the ids of the ones that stay."""
    existing = {criterion.pk: criterion for criterion in rubric.criteria.all()}
    kept = {item.id for item in criteria if item.id in existing}
    Criterion.objects.filter(rubric=rubric).exclude(pk__in=kept).delete()
    for position, item in enumerate(criteria):
        fields = {
            "position": position,
            "name": item.name.strip(),
            "question": item.question.strip(),
            "weight": item.weight,
            "scale": item.scale,
            "minimum": item.minimum,
            "rewards_priorities": list(item.rewards_priorities),
        }
        criterion = existing.get(item.id) if item.id in kept else None
        if criterion is None:
            criterion = Criterion.objects.create(rubric=rubric, **fields)
        else:
            for name, value in fields.items():
                setattr(criterion, name, value)
            criterion.save()
            criterion.points.all().delete()
        ScalePoint.objects.bulk_create(
            ScalePoint(
                criterion=criterion,
                value=value,
                label=point_label(item.scale, value),
                anchor=str(item.anchors[value]).strip(),
            )
            for value, _label in SCALE_POINTS[item.scale]
            if str(item.anchors.get(value, "")).strip()
        )


def _preset_criteria(preset: RubricPreset) -> list[CriterionInput]:
    return [
        CriterionInput(
            name=criterion.name,
            question=criterion.question,
            weight=criterion.weight,
            scale=criterion.scale,
            anchors={
                value: anchor
                for (value, _label), anchor in zip(
                    SCALE_POINTS[criterion.scale], criterion.anchors, strict=True
                )
            },
            minimum=criterion.minimum,
        )
        for criterion in preset.criteria
    ]


def _check_version(rubric: Rubric, version: int | None) -> None:
    if version != rubric.version:
        raise DomainError(CHANGED_SINCE_OPENED, field="version")


def _bump(rubric: Rubric, **changes: object) -> Rubric:
    for name, value in changes.items():
        setattr(rubric, name, value)
    rubric.version += 1
    rubric.save()
    return rubric


@transaction.atomic
def rubric_apply_preset(
    *, round: Round, preset: str, version: int | None = None, actor: User | None
) -> Rubric:
    """Start the round's scoring system from a preset, replacing any criteria it had.

    ``version`` is the version the person saw (None when the round had no scoring system).
    """
    chosen = PRESETS.get(preset)
    if chosen is None:
        raise DomainError("Select a preset from the list", field="preset")
    round = _locked_round(round)
    rubric = Rubric.objects.select_for_update().filter(round=round).first()
    if rubric is None:
        if version is not None:
            raise DomainError(CHANGED_SINCE_OPENED, field="version")
        rubric = Rubric.objects.create(round=round, preset=chosen.key, pass_mark=chosen.pass_mark)
    else:
        _check_version(rubric, version)
        _bump(rubric, preset=chosen.key, pass_mark=chosen.pass_mark)
    _write_criteria(rubric, _preset_criteria(chosen))
    audit_record(
        actor=actor, verb="rubric.apply_preset", target=rubric, detail={"preset": chosen.key}
    )
    return rubric


@transaction.atomic
def rubric_save(
    *,
    round: Round,
    version: int,
    gate_eligibility: bool,
    gate_due_diligence: bool,
    pass_mark: Decimal | None,
    criteria: Sequence[CriterionInput],
    actor: User | None,
) -> Rubric:
    """Save the whole scoring system as typed: gates, pass mark and 3 to 7 criteria.

    Refuses (changing nothing) a locked round, a version older than the stored one, and
    any broken rule of `rubric_rules`, with every problem by its field.
    """
    round = _locked_round(round)
    rubric = Rubric.objects.select_for_update().filter(round=round).first()
    if rubric is None:
        raise DomainError(CHANGED_SINCE_OPENED, field="version")
    _check_version(rubric, version)
    problems = rubric_problems(
        criteria=criteria, pass_mark=pass_mark, priorities=round_priorities(round=round)
    )
    if problems:
        raise RubricInvalid(problems)
    before = len(criteria_of(rubric))
    _bump(
        rubric,
        gate_eligibility=gate_eligibility,
        gate_due_diligence=gate_due_diligence,
        pass_mark=pass_mark,
    )
    _write_criteria(rubric, criteria)
    audit_record(
        actor=actor,
        verb="rubric.save",
        target=rubric,
        detail={
            "criteria_before": before,
            "criteria": [
                {"name": item.name.strip(), "weight": str(item.weight), "scale": item.scale}
                for item in criteria
            ],
            "pass_mark": None if pass_mark is None else str(pass_mark),
        },
    )
    return rubric


@transaction.atomic
def rubric_copy(*, source: Round, round: Round, actor: User | None) -> Rubric | None:
    """Give a draft round a copy of another round's scoring system (None if it has none)."""
    original = Rubric.objects.filter(round=source).first()
    if original is None:
        return None
    round = _locked_round(round)
    rubric, _created = Rubric.objects.update_or_create(
        round=round,
        defaults={
            "gate_eligibility": original.gate_eligibility,
            "gate_due_diligence": original.gate_due_diligence,
            "pass_mark": original.pass_mark,
            "preset": original.preset,
        },
    )
    # Priorities are the source round's ids; the copy has the same priorities.
    _write_criteria(rubric, criteria_of(original))
    audit_record(
        actor=actor, verb="rubric.copy", target=rubric, detail={"copied_from": source.slug}
    )
    return rubric


def rubric_start(*, round: Round, source: Round | None, actor: User | None) -> None:
    """The rounds app's start hook: a copied round keeps its source's scoring system; a
    new round (or a copy of a round without one) starts from its tier's preset."""
    if source is not None and rubric_copy(source=source, round=round, actor=actor):
        return
    if not Rubric.objects.filter(round=round).exists():
        rubric_apply_preset(round=round, preset=preset_for_tier(round.tier).key, actor=actor)
