"""Ready-made scoring systems, one per size of round, written for lay panel members.

A commissioner starts from one and changes what the round needs, so nobody starts blank.
Each point of each scale has an anchor sentence saying what earns it. The micro preset
keeps to four criteria and gives the need and the benefit to the community the most
weight: a small group's bid is judged on why it matters, not on how polished it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from panels.models import SCALE_POINTS, Scale
from rounds.models import Round


@dataclass(frozen=True)
class PresetCriterion:
    name: str
    question: str
    weight: Decimal
    scale: str
    # One sentence per point of the scale, lowest first.
    anchors: tuple[str, ...]
    minimum: int | None = None


@dataclass(frozen=True)
class RubricPreset:
    key: str
    label: str
    hint: str
    criteria: tuple[PresetCriterion, ...]
    pass_mark: Decimal | None = None


NEED_0_3 = (
    "No evidence that people need this",
    "Some evidence of need, but general or from elsewhere",
    "Evidence of need in the area, from the group's own experience",
    "Clear evidence from link workers or residents that people here need this",
)
BENEFIT_0_3 = (
    "It is not clear who will benefit or how",
    "Some people will benefit, but the difference it makes is unclear",
    "Clear who will benefit and how their wellbeing or connections will improve",
    "A clear, lasting difference for people who find it hard to get support",
)
DELIVERY_0_3 = (
    "No plan for how the activity will happen",
    "A rough plan with gaps, such as no venue or no one to run it",
    "A workable plan with people, a place and dates",
    "A clear plan from a group that has run something like it before",
)
VALUE_0_3 = (
    "The costs are missing or do not match the activity",
    "Some costs are unclear or look high for what is planned",
    "The costs are clear and fair for what is planned",
    "The costs are clear, fair and make good use of help in kind or other funding",
)

NEED_0_5 = (
    "No evidence that people need this",
    "A general statement of need with no local evidence",
    "Some local evidence, such as the group's own experience",
    "Local evidence from more than one source",
    "Strong local evidence, such as link workers' referrals or residents' views",
    "Strong local evidence, and it meets a need the round names as a priority",
)
BENEFIT_0_5 = (
    "It is not clear who will benefit or how",
    "A few people will benefit, but the difference it makes is unclear",
    "Clear who will benefit; the difference it makes is described in general terms",
    "Clear who will benefit and how their wellbeing or connections will improve",
    "A clear difference for people who find it hard to get support, with a way to tell",
    "A clear, lasting difference for people who find it hard to get support, "
    "with a simple way to show it",
)
DELIVERY_0_5 = (
    "No plan for how the activity will happen",
    "A plan with big gaps, such as no venue or no one to run it",
    "A plan with some gaps or risks that are not yet dealt with",
    "A workable plan with people, a place and dates",
    "A workable plan from a group with relevant experience",
    "A clear plan from a group that has run something like it well before",
)
INVOLVEMENT_0_5 = (
    "The people it is for have not been asked",
    "The people it is for were told about it, not asked",
    "Some of the people it is for have been asked what they want",
    "The people it is for helped shape the idea",
    "The people it is for helped shape it and will help run it",
    "The activity is led by the people it is for",
)
VALUE_0_5 = (
    "The costs are missing or do not match the activity",
    "Many costs are unclear or look high for what is planned",
    "Some costs are unclear or look high for what is planned",
    "The costs are clear and fair for what is planned",
    "The costs are clear, fair and use some help in kind or other funding",
    "The costs are clear, fair and make very good use of help in kind or other funding",
)
SUSTAINABILITY_0_5 = (
    "Nothing is said about what happens after the grant",
    "The activity will stop when the grant ends, with no plan",
    "Some ideas for carrying on, not yet worked out",
    "A plan to carry on, such as small charges or volunteers",
    "A plan to carry on with other funding or partners already in view",
    "A realistic plan to carry on, with partners or funding already agreed",
)

PRESETS: dict[str, RubricPreset] = {
    "micro": RubricPreset(
        key="micro",
        label="Micro grants",
        hint="Four questions on a 0 to 3 scale. Need and benefit to the community carry "
        "the most weight.",
        pass_mark=Decimal("50"),
        criteria=(
            PresetCriterion(
                name="Need",
                question="How well does the group show that people in the area need this?",
                weight=Decimal("35"),
                scale=Scale.ZERO_TO_THREE,
                anchors=NEED_0_3,
                minimum=1,
            ),
            PresetCriterion(
                name="Benefit to the community",
                question="Who will benefit, and what difference will it make to them?",
                weight=Decimal("35"),
                scale=Scale.ZERO_TO_THREE,
                anchors=BENEFIT_0_3,
            ),
            PresetCriterion(
                name="Can the group do it",
                question="Is there a workable plan to run the activity?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_THREE,
                anchors=DELIVERY_0_3,
            ),
            PresetCriterion(
                name="Value for money",
                question="Are the costs clear and fair for what is planned?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_THREE,
                anchors=VALUE_0_3,
            ),
        ),
    ),
    "small": RubricPreset(
        key="small",
        label="Small grants",
        hint="Five questions on a 0 to 5 scale, adding how the people it is for are involved.",
        pass_mark=Decimal("50"),
        criteria=(
            PresetCriterion(
                name="Need",
                question="How well does the group show that people in the area need this?",
                weight=Decimal("30"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=NEED_0_5,
                minimum=2,
            ),
            PresetCriterion(
                name="Benefit to the community",
                question="Who will benefit, and what difference will it make to them?",
                weight=Decimal("25"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=BENEFIT_0_5,
            ),
            PresetCriterion(
                name="Can the group do it",
                question="Is there a workable plan, and can the group carry it out?",
                weight=Decimal("20"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=DELIVERY_0_5,
            ),
            PresetCriterion(
                name="Involving the people it is for",
                question="Have the people it is for helped shape the activity?",
                weight=Decimal("10"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=INVOLVEMENT_0_5,
            ),
            PresetCriterion(
                name="Value for money",
                question="Are the costs clear and fair for what is planned?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=VALUE_0_5,
            ),
        ),
    ),
    "standard": RubricPreset(
        key="standard",
        label="Standard grants",
        hint="Six questions on a 0 to 5 scale, adding what happens after the grant ends.",
        pass_mark=Decimal("55"),
        criteria=(
            PresetCriterion(
                name="Need",
                question="How well does the group show that people in the area need this?",
                weight=Decimal("25"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=NEED_0_5,
                minimum=2,
            ),
            PresetCriterion(
                name="Benefit to the community",
                question="Who will benefit, what difference will it make, and how will the "
                "group know?",
                weight=Decimal("20"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=BENEFIT_0_5,
            ),
            PresetCriterion(
                name="Can the group do it",
                question="Is there a workable plan, and can the group carry it out?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=DELIVERY_0_5,
            ),
            PresetCriterion(
                name="Involving the people it is for",
                question="Have the people it is for helped shape the activity?",
                weight=Decimal("10"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=INVOLVEMENT_0_5,
            ),
            PresetCriterion(
                name="After the grant",
                question="What happens to the activity when the grant ends?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=SUSTAINABILITY_0_5,
            ),
            PresetCriterion(
                name="Value for money",
                question="Are the costs clear and fair for what is planned?",
                weight=Decimal("15"),
                scale=Scale.ZERO_TO_FIVE,
                anchors=VALUE_0_5,
            ),
        ),
    ),
}

# The preset a round of each size starts from.
TIER_PRESET: dict[str, str] = {
    Round.Tier.MICRO: "micro",
    Round.Tier.SMALL: "small",
    Round.Tier.STANDARD: "standard",
}


def preset_for_tier(tier: str) -> RubricPreset:
    return PRESETS[TIER_PRESET.get(tier, "micro")]


def _check(preset: RubricPreset) -> None:
    """A preset breaking the rules a commissioner is held to is a programming error."""
    total = sum((criterion.weight for criterion in preset.criteria), Decimal("0"))
    if total != Decimal("100"):
        raise ValueError(f"The {preset.key} preset's weights add up to {total}")
    for criterion in preset.criteria:
        if len(criterion.anchors) != len(SCALE_POINTS[criterion.scale]):
            raise ValueError(f"The {preset.key} preset's {criterion.name} misses anchors")


for _preset in PRESETS.values():
    _check(_preset)
