"""The weighted score: fractions of each scale's maximum, weighted, summed, half up."""

from decimal import Decimal

import pytest

from panels.models import Scale
from panels.scoring import CriterionRule, mean_score, weighted_score, weights_problem

NEED = CriterionRule(id=1, weight=Decimal("40"), scale=Scale.ZERO_TO_THREE)
BENEFIT = CriterionRule(id=2, weight=Decimal("30"), scale=Scale.ZERO_TO_FIVE)
DELIVERY = CriterionRule(id=3, weight=Decimal("20"), scale=Scale.ONE_TO_TEN)
VALUE = CriterionRule(id=4, weight=Decimal("10"), scale=Scale.WORDS)
RUBRIC = (NEED, BENEFIT, DELIVERY, VALUE)


def test_top_marks_on_every_scale_score_100():
    assert weighted_score(RUBRIC, {1: 3, 2: 5, 3: 10, 4: 3}) == Decimal("100.00")


def test_a_scale_from_one_gives_nothing_for_its_lowest_point():
    assert weighted_score(RUBRIC, {1: 0, 2: 0, 3: 1, 4: 0}) == Decimal("0.00")


def test_each_criterion_counts_as_a_fraction_of_its_scale_times_its_weight():
    # 2/3 x 40 + 3/5 x 30 + 4/9 x 20 + 1/3 x 10 = 26.667 + 18 + 8.889 + 3.333 = 56.889
    assert weighted_score(RUBRIC, {1: 2, 2: 3, 3: 5, 4: 1}) == Decimal("56.89")


def test_rounding_is_half_up_to_two_places():
    need_only = CriterionRule(id=1, weight=Decimal("100"), scale=Scale.ZERO_TO_THREE)
    assert weighted_score((need_only,), {1: 2}) == Decimal("66.67")
    # 60.005 is exactly half way: half up gives 60.01 where banker's rounding gives 60.00.
    assert mean_score([Decimal("60.00"), Decimal("60.01")]) == (Decimal("60.01"), 2)


def test_a_missing_score_makes_no_weighted_score_never_zero():
    assert weighted_score(RUBRIC, {1: 3, 2: 5, 3: 10, 4: None}) is None
    assert weighted_score(RUBRIC, {1: 3, 2: 5, 3: 10}) is None


def test_a_value_off_the_scale_is_refused():
    with pytest.raises(ValueError):
        weighted_score(RUBRIC, {1: 4, 2: 5, 3: 10, 4: 3})
    with pytest.raises(ValueError):
        weighted_score(RUBRIC, {1: 3, 2: 5, 3: 0, 4: 3})


def test_the_mean_is_over_those_who_scored():
    assert mean_score([Decimal("60"), None, Decimal("71")]) == (Decimal("65.50"), 2)
    assert mean_score([None, None]) == (None, 0)


def test_weights_must_add_up_to_100():
    assert weights_problem([Decimal("40"), Decimal("60")]) == ""
    assert weights_problem([Decimal("40"), Decimal("50")]) == (
        "The weights must add up to 100%. They add up to 90%"
    )
