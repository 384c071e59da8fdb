"""Moderation and ranking maths: outliers, leniency, ties, the funding line, quorum."""

from __future__ import annotations

from decimal import Decimal as D

from panels.moderation import (
    criterion_spread,
    leniency,
    leniency_sentence,
    median,
    outliers,
    standard_deviation,
)
from panels.ranking import Candidate, coverage, quorum, rank_applications

# Spread and outliers -------------------------------------------------------------------


def test_median_of_odd_and_even_counts_and_of_nothing():
    assert median([3, 1, 2]) == D("2")
    assert median([1, 2, 3, 4]) == D("2.5")
    assert median([]) is None


def test_standard_deviation_is_the_population_one_to_two_places():
    assert standard_deviation([2, 4, 4, 4, 5, 5, 7, 9]) == D("2.00")
    assert standard_deviation([1, 2]) == D("0.50")
    assert standard_deviation([3]) == D("0.00")
    assert standard_deviation([]) is None


def test_an_outlier_is_further_than_the_distance_from_the_others_median():
    found = outliers({1: 3, 2: 3, 3: 2, 4: 0}, D("2"))
    assert found == {4: D("3")}


def test_a_score_exactly_the_distance_away_is_not_an_outlier():
    assert outliers({1: 3, 2: 3, 3: 1}, D("2")) == {}


def test_missing_scores_are_left_out_not_taken_as_zero():
    assert outliers({1: 3, 2: 3, 3: None}, D("1")) == {}


def test_a_lone_score_has_no_others_so_is_no_outlier():
    assert outliers({1: 0}, D("0")) == {}


def test_two_scorers_far_apart_are_both_flagged():
    assert outliers({1: 0, 2: 3}, D("2")) == {1: D("3"), 2: D("0")}


def test_criterion_spread_gives_range_deviation_and_outliers_in_words():
    spread = criterion_spread(9, {1: 5, 2: 4, 3: 0, 4: None, 5: 4}, D("2"))
    assert spread.scores == {1: 5, 2: 4, 3: 0, 5: 4}
    assert spread.count == 4
    assert (spread.low, spread.high, spread.range) == (0, 5, 5)
    assert spread.median == D("4")
    assert spread.deviation == D("1.92")
    assert set(spread.outliers) == {3}
    assert spread.outlier_sentence(3) == "Outlier: 0 is much lower than the others' median of 4"
    assert spread.outlier_sentence(1) == ""


def test_criterion_spread_with_no_scores_has_no_figures():
    spread = criterion_spread(9, {1: None}, D("2"))
    assert (spread.range, spread.deviation, spread.median, spread.outliers) == (
        None,
        None,
        None,
        {},
    )


# Leniency -------------------------------------------------------------------------------


def test_leniency_is_the_mean_difference_from_the_others_on_the_same_applications():
    found = leniency(
        {
            10: {1: D("80"), 2: D("60"), 3: D("70")},
            11: {1: D("90"), 2: D("70")},
            12: {3: D("50")},  # scored alone: not compared
        }
    )
    # Scorer 1: 80 - 65 = 15 and 90 - 70 = 20, a mean of 17.5 over 2 applications.
    assert (found[1].difference, found[1].applications) == (D("17.50"), 2)
    # Scorer 2: 60 - 75 = -15 and 70 - 90 = -20.
    assert (found[2].difference, found[2].applications) == (D("-17.50"), 2)
    # Scorer 3: 70 - 70 = 0 on one application; the one scored alone does not count.
    assert (found[3].difference, found[3].applications) == (D("0.00"), 1)


def test_leniency_leaves_out_missing_scores():
    found = leniency({10: {1: D("80"), 2: None}})
    assert found[1].difference is None
    assert found[2].difference is None
    assert found[1].sentence.startswith("Cannot be compared yet")


def test_leniency_sentences_say_generous_strict_or_similar():
    assert leniency_sentence(D("17.50"), 2) == (
        "Scores more generously than the other scorers: on average 17.5 points higher "
        "out of 100, over 2 applications scored with others."
    )
    assert leniency_sentence(D("-6"), 1) == (
        "Scores more strictly than the other scorers: on average 6 points lower "
        "out of 100, over 1 application scored with others."
    )
    assert leniency_sentence(D("1.00"), 3).startswith(
        "Scores about the same as the other scorers: on average 1 point higher"
    )
    assert leniency_sentence(D("0.00"), 3) == (
        "Scores the same as the other scorers on average, over 3 applications scored with others."
    )


# Ranking --------------------------------------------------------------------------------


def candidate(pk, scores, amount="1000", priorities=(), gates=(), localities=()):
    return Candidate(
        application_id=pk,
        reference=f"REF-{pk}",
        amount_requested=D(amount) if amount is not None else None,
        scores=tuple(D(s) if s is not None else None for s in scores),
        priorities=frozenset(priorities),
        localities=frozenset(localities),
        gates_failed=tuple(gates),
    )


def order(ranking):
    return [item.candidate.application_id for item in ranking.items]


def test_ranks_by_weighted_mean_over_those_who_scored():
    ranking = rank_applications(
        [candidate(1, ["50", "70"]), candidate(2, ["90", None]), candidate(3, [None])],
        amount_available=D("10000"),
    )
    assert order(ranking) == [2, 1, 3]
    assert [(i.rank, i.mean, i.scorers) for i in ranking.items] == [
        (1, D("90.00"), 1),
        (2, D("60.00"), 2),
        (3, None, 0),
    ]


def test_ties_go_to_more_priorities_then_the_smaller_amount():
    ranking = rank_applications(
        [
            candidate(1, ["60"], amount="900", priorities=["theme:1"]),
            candidate(2, ["60"], amount="500", priorities=["theme:1"]),
            candidate(3, ["60"], amount="100"),
            candidate(4, ["60"], amount="999", priorities=["theme:1", "need:2"]),
        ],
        amount_available=D("10000"),
    )
    assert order(ranking) == [4, 2, 1, 3]


def test_the_funding_line_is_drawn_where_the_money_runs_out():
    ranking = rank_applications(
        [
            candidate(1, ["90"], amount="600"),
            candidate(2, ["80"], amount="400"),
            candidate(3, ["70"], amount="300"),
            candidate(4, ["60"], amount="50"),
        ],
        amount_available=D("1000"),
    )
    assert [i.running_total for i in ranking.items] == [D("600"), D("1000"), D("1300"), D("1350")]
    assert [i.above_line for i in ranking.items] == [True, True, False, False]
    # The line stays where the money first ran out, though the fourth would fit.
    assert ranking.line_before == 2
    assert ranking.total_above == D("1000")
    assert ranking.left_over == D("0")


def test_gates_failed_and_unscored_applications_are_not_counted_against_the_money():
    ranking = rank_applications(
        [
            candidate(1, ["95"], amount="800", gates=["Due diligence is not complete"]),
            candidate(2, ["80"], amount="500"),
            candidate(3, [None], amount="100"),
        ],
        amount_available=D("600"),
    )
    assert order(ranking) == [1, 2, 3]
    assert [i.running_total for i in ranking.items] == [None, D("500"), None]
    assert [i.above_line for i in ranking.items] == [False, True, False]
    assert ranking.line_before is None
    assert ranking.left_over == D("100")


def test_coverage_lists_what_the_applications_above_the_line_cover():
    ranking = rank_applications(
        [
            candidate(1, ["90"], amount="600", priorities=["theme:1"], localities=[7]),
            candidate(2, ["50"], amount="600", priorities=["need:2"], localities=[8]),
        ],
        amount_available=D("1000"),
    )
    found = coverage(
        ranking,
        priorities={"theme:1": "Loneliness", "need:2": "Walking", "theme:3": "Food"},
        localities={7: "Oak", 8: "Ash"},
    )
    assert found.priorities_covered == ["Loneliness"]
    assert found.priorities_uncovered == ["Walking", "Food"]
    assert found.localities_covered == ["Oak"]
    assert found.localities_uncovered == ["Ash"]


# Quorum ---------------------------------------------------------------------------------


def test_quorum_counts_the_members_present_less_the_conflicted():
    present = [(1, True), (2, False), (3, False)]
    assert quorum(present, [], members_needed=3, lay_needed=1).met
    lost = quorum(present, [2], members_needed=3, lay_needed=1)
    assert not lost.met
    assert lost.problem == (
        "No quorum: 2 of 3 members needed can take part, with 1 of 1 lay members needed"
    )


def test_quorum_needs_enough_lay_members():
    present = [(1, True), (2, False), (3, False)]
    result = quorum(present, [1], members_needed=2, lay_needed=1)
    assert (result.members, result.lay_members, result.met) == (2, 0, False)
