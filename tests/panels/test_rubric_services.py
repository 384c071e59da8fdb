"""The scoring system's services: presets, saving the whole system, locking and copying."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from panels.models import Criterion, Rubric, Scale
from panels.rubric_presets import PRESETS
from panels.rubric_rules import CriterionInput, criteria_of, rubric_problems
from panels.services.rubric import RubricInvalid, rubric_apply_preset, rubric_save
from rounds.models import Round
from rounds.services import funding
from tests.microcomm.factories import ThemeFactory, commissioner
from tests.panels.factories import rubric_for
from tests.rounds.factories import closed_round, round_with_form

pytestmark = pytest.mark.django_db


def anchors(scale: str = Scale.ZERO_TO_THREE) -> dict[int, str]:
    points = {Scale.ZERO_TO_THREE: range(0, 4), Scale.ZERO_TO_FIVE: range(0, 6)}[scale]
    return {value: f"What earns {value}" for value in points}


def criterion(name: str, weight: str, **overrides) -> CriterionInput:
    values = {
        "name": name,
        "question": f"How good is the {name.lower()}?",
        "weight": Decimal(weight),
        "scale": Scale.ZERO_TO_THREE,
        "anchors": anchors(),
    }
    values.update(overrides)
    return CriterionInput(**values)


FOUR = [
    criterion("Need", "40"),
    criterion("Benefit", "30"),
    criterion("Delivery", "20"),
    criterion("Value", "10"),
]


def save(rubric: Rubric, criteria=FOUR, **overrides) -> Rubric:
    values = {
        "round": rubric.round,
        "version": rubric.version,
        "gate_eligibility": True,
        "gate_due_diligence": True,
        "pass_mark": Decimal("50"),
        "criteria": criteria,
        "actor": None,
    }
    values.update(overrides)
    return rubric_save(**values)


def names(rubric: Rubric) -> list[str]:
    return list(rubric.criteria.values_list("name", flat=True))


def test_every_preset_adds_up_to_100_with_an_anchor_for_every_point():
    for preset in PRESETS.values():
        rules = [
            CriterionInput(
                name=item.name,
                question=item.question,
                weight=item.weight,
                scale=item.scale,
                anchors=dict(enumerate(item.anchors)),
                minimum=item.minimum,
            )
            for item in preset.criteria
        ]
        assert rubric_problems(criteria=rules, pass_mark=preset.pass_mark, priorities={}) == {}


def test_the_micro_preset_weights_need_and_community_benefit_most():
    weights = {item.name: item.weight for item in PRESETS["micro"].criteria}
    assert len(weights) == 4
    heaviest = sorted(weights, key=weights.get, reverse=True)[:2]
    assert set(heaviest) == {"Need", "Benefit to the community"}


def test_a_new_round_starts_with_the_preset_of_its_tier():
    round = funding.round_create(
        fund=round_with_form().fund,
        title="Small grants 2027",
        slug="small-2027",
        summary="Grants for groups.",
        amount_available=Decimal("20000"),
        minimum_grant=Decimal("1000"),
        maximum_grant=Decimal("5000"),
        tier=Round.Tier.SMALL,
        opens_at=datetime.datetime(2030, 2, 1, 9, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2030, 3, 1, 17, tzinfo=datetime.UTC),
        scoring_due_on=datetime.date(2030, 3, 15),
        decisions_by=datetime.date(2030, 3, 30),
        grants_start_on=datetime.date(2030, 4, 15),
        first_monitoring_due_on=datetime.date(2030, 7, 1),
        evaluation_due_on=datetime.date(2031, 4, 1),
        actor=None,
    )
    assert round.rubric.preset == "small"
    assert names(round.rubric) == [item.name for item in PRESETS["small"].criteria]
    assert all(c.points.count() == 6 for c in round.rubric.criteria.all())


def test_applying_a_preset_replaces_the_criteria_and_bumps_the_version():
    rubric = rubric_for(round_with_form(), weights=(25, 25, 25, 25))
    applied = rubric_apply_preset(
        round=rubric.round, preset="standard", version=rubric.version, actor=commissioner()
    )
    assert applied.version == rubric.version + 1
    assert names(applied) == [item.name for item in PRESETS["standard"].criteria]
    assert AuditEvent.objects.filter(verb="rubric.apply_preset").count() == 1


def test_save_replaces_the_criteria_keeping_the_ids_of_those_that_stay():
    rubric = rubric_for(round_with_form())
    kept = rubric.criteria.first()
    criteria = [criterion("Need", "40", id=kept.pk), *FOUR[1:]]
    saved = save(rubric, criteria=criteria)
    assert names(saved) == ["Need", "Benefit", "Delivery", "Value"]
    assert saved.criteria.first().pk == kept.pk
    assert saved.version == rubric.version + 1
    assert [p.anchor for p in saved.criteria.first().points.all()] == list(anchors().values())
    event = AuditEvent.objects.get(verb="rubric.save")
    assert event.detail["criteria"][0] == {"name": "Need", "weight": "40", "scale": "0-3"}


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        (
            [criterion("Need", "40"), criterion("Benefit", "30"), criterion("Value", "20")],
            "weights",
            "The weights must add up to 100%. They add up to 90%",
        ),
        (FOUR[:2], "criteria", "Give the scoring system between 3 and 7 criteria. It has 2"),
        (
            [criterion("Need", "40", anchors={0: "None", 1: "Some", 2: "", 3: "Lots"}), *FOUR[1:]],
            "criteria-0-anchor_2",
            "Enter what earns 2 for Need",
        ),
        (
            [criterion("Need", "40", minimum=4), *FOUR[1:]],
            "criteria-0-minimum",
            "Enter a minimum for Need between 0 and 3, or leave it blank",
        ),
        (
            [*FOUR[:3], criterion("Value", "10", rewards_priorities=("theme:999999",))],
            "criteria-3-rewards_priorities",
            "Select only the round's own priorities for Value",
        ),
        ([criterion("", "40"), *FOUR[1:]], "criteria-0-name", "Enter a name for criterion 1"),
    ],
)
def test_a_save_breaking_a_rule_changes_nothing(criteria, field, message):
    rubric = rubric_for(round_with_form())
    before = (names(rubric), rubric.version)
    with pytest.raises(RubricInvalid) as caught:
        save(rubric, criteria=criteria)
    assert caught.value.errors[field] == message
    rubric.refresh_from_db()
    assert (names(rubric), rubric.version) == before
    assert not AuditEvent.objects.filter(verb="rubric.save").exists()


def test_a_save_on_an_older_version_is_refused_and_the_other_save_kept():
    rubric = rubric_for(round_with_form())
    opened_at = rubric.version
    save(rubric, criteria=FOUR)
    with pytest.raises(DomainError, match="Someone else changed the scoring system"):
        save(rubric, criteria=[criterion("Other", "50"), *FOUR[1:3], criterion("V", "0.01")])
    rubric.refresh_from_db()
    assert rubric.version == opened_at + 1
    assert names(rubric) == ["Need", "Benefit", "Delivery", "Value"]


def test_a_priority_the_round_has_can_be_rewarded():
    theme = ThemeFactory(name="Loneliness")
    round = round_with_form(priority_themes=[theme])
    rubric = rubric_for(round)
    saved = save(
        rubric,
        criteria=[criterion("Need", "40", rewards_priorities=(f"theme:{theme.pk}",)), *FOUR[1:]],
    )
    assert saved.criteria.first().rewards_priorities == [f"theme:{theme.pk}"]


def test_a_word_scale_is_saved_with_its_words_as_labels():
    rubric = rubric_for(round_with_form())
    words = {0: "Nothing", 1: "A little", 2: "Enough", 3: "Plenty"}
    saved = save(
        rubric, criteria=[criterion("Need", "40", scale=Scale.WORDS, anchors=words), *FOUR[1:]]
    )
    labels = list(saved.criteria.first().points.values_list("label", flat=True))
    assert labels == ["Not met", "Partly met", "Met", "Met strongly"]


def test_the_scoring_system_of_a_round_that_has_left_draft_is_locked():
    rubric = rubric_for(closed_round())
    with pytest.raises(DomainError, match="The scoring system is locked because the round is"):
        save(rubric)
    with pytest.raises(DomainError, match="locked"):
        rubric_apply_preset(round=rubric.round, preset="micro", version=rubric.version, actor=None)
    assert Rubric.objects.get(pk=rubric.pk).version == rubric.version


def test_copying_a_round_copies_its_scoring_system():
    source = round_with_form()
    rubric = rubric_for(source, weights=(50, 30, 20))
    copy = funding.round_copy(
        source=source,
        title="Copy",
        slug="copy-of-round",
        opens_at=source.opens_at + datetime.timedelta(days=365),
        closes_at=source.closes_at + datetime.timedelta(days=365),
        actor=None,
    )
    copied = copy.rubric
    assert copied.pk != rubric.pk
    assert [(c.name, c.weight) for c in copied.criteria.all()] == [
        (c.name, c.weight) for c in rubric.criteria.all()
    ]
    assert [p.anchor for p in copied.criteria.first().points.all()] == [
        p.anchor for p in rubric.criteria.first().points.all()
    ]
    assert Criterion.objects.filter(rubric=rubric).count() == 3
    assert AuditEvent.objects.filter(verb="rubric.copy").count() == 1


def test_a_round_without_a_scoring_system_cannot_be_scheduled():
    round = round_with_form()
    with pytest.raises(DomainError, match="Set how applications will be scored"):
        funding.round_schedule(round=round, actor=None)
    round.refresh_from_db()
    assert round.status == Round.Status.DRAFT


def test_a_round_whose_weights_do_not_add_up_cannot_be_scheduled():
    round = round_with_form()
    rubric_for(round, weights=(40, 30, 20))
    with pytest.raises(DomainError, match="weights must add up to 100%"):
        funding.round_schedule(round=round, actor=None)


def test_a_round_with_an_agreed_scoring_system_can_be_scheduled():
    round = round_with_form()
    rubric_for(round)
    scheduled = funding.round_schedule(round=round, actor=None)
    assert scheduled.status == Round.Status.SCHEDULED
    assert criteria_of(scheduled.rubric)


def test_a_preset_chosen_on_an_older_version_replaces_nothing():
    rubric = rubric_for(round_with_form())
    save(rubric, criteria=FOUR)
    with pytest.raises(DomainError, match="Someone else changed the scoring system"):
        rubric_apply_preset(round=rubric.round, preset="micro", version=rubric.version, actor=None)
    assert names(Rubric.objects.get(pk=rubric.pk)) == ["Need", "Benefit", "Delivery", "Value"]


def test_a_copy_of_a_round_without_a_scoring_system_starts_from_its_tier_preset():
    source = round_with_form(tier=Round.Tier.SMALL)
    copy = funding.round_copy(
        source=source,
        title="Copy",
        slug="copy-without-rubric",
        opens_at=source.opens_at + datetime.timedelta(days=365),
        closes_at=source.closes_at + datetime.timedelta(days=365),
        actor=None,
    )
    assert copy.rubric.preset == "small"
    assert names(copy.rubric) == [item.name for item in PRESETS["small"].criteria]
