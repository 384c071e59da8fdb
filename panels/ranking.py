"""The decision meeting's ranking, in pure functions of plain values.

Applications are ranked by their weighted mean score (the mean over the scorers who
scored them; none scored goes last). Ties are broken by the number of round priorities
addressed (more first), then by the amount asked (smaller first), then by reference so
the order is stable. A running total of the amounts asked is kept against the money
available, down the ranking, over the applications that can be funded (scored, no gate
failed); the funding line is drawn where the money runs out: above it are the fundable
applications before the first one the money does not reach.

A meeting item keeps its quorum when the members present, less those conflicted on it,
are at least the panel's quorum and include enough lay members.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from panels.scoring import mean_score, round_score

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Candidate:
    """What ranking needs to know of one application."""

    application_id: int
    reference: str
    amount_requested: Decimal | None
    scores: tuple[Decimal | None, ...] = ()  # weighted scores of the scorers that count
    priorities: frozenset[str] = frozenset()  # the round priorities it addresses
    localities: frozenset[int] = frozenset()  # the places it names
    gates_failed: tuple[str, ...] = ()  # why it fails a gate, in words
    # The sum and number of the weighted scores given, when the database added them up
    # (in place of ``scores``).
    scored: tuple[Decimal, int] | None = None

    @property
    def amount(self) -> Decimal:
        return self.amount_requested or ZERO

    @property
    def mean_and_count(self) -> tuple[Decimal | None, int]:
        """The mean weighted score over the scorers who scored, and how many they are."""
        if self.scored is None:
            return mean_score(self.scores)
        total, count = self.scored
        return (round_score(total / count), count) if count else (None, 0)


@dataclass(frozen=True)
class Ranked:
    """One application's place in the ranking."""

    rank: int
    candidate: Candidate
    mean: Decimal | None
    scorers: int
    running_total: Decimal | None  # None when it cannot be funded, so is not counted
    above_line: bool

    @property
    def fundable(self) -> bool:
        return self.running_total is not None


@dataclass(frozen=True)
class Ranking:
    items: list[Ranked]
    amount_available: Decimal
    # The index in `items` before which the funding line is drawn; None when the money
    # reaches every fundable application.
    line_before: int | None
    total_above: Decimal

    @property
    def left_over(self) -> Decimal:
        return self.amount_available - self.total_above

    @cached_property
    def above(self) -> list[Ranked]:
        return [item for item in self.items if item.above_line]


def order_key(candidate: Candidate, mean: Decimal | None) -> tuple:
    return (
        mean is None,
        -(mean or ZERO),
        -len(candidate.priorities),
        candidate.amount,
        candidate.reference,
        candidate.application_id,
    )


def rank_applications(candidates: Iterable[Candidate], *, amount_available: Decimal) -> Ranking:
    """The applications in rank order with the running total and the funding line."""
    scored = []
    for candidate in candidates:
        mean, count = candidate.mean_and_count
        scored.append((order_key(candidate, mean), candidate, mean, count))
    scored.sort(key=lambda entry: entry[0])
    items: list[Ranked] = []
    running = ZERO
    line_before: int | None = None
    total_above = ZERO
    for index, (_, candidate, mean, count) in enumerate(scored):
        fundable = mean is not None and not candidate.gates_failed
        above = False
        total: Decimal | None = None
        if fundable:
            running += candidate.amount
            total = running
            if line_before is None and running > amount_available:
                line_before = index
            above = line_before is None
            if above:
                total_above = running
        items.append(
            Ranked(
                rank=index + 1,
                candidate=candidate,
                mean=mean,
                scorers=count,
                running_total=total,
                above_line=above,
            )
        )
    return Ranking(
        items=items,
        amount_available=amount_available,
        line_before=line_before,
        total_above=total_above,
    )


@dataclass(frozen=True)
class Coverage:
    """Which round priorities and places the applications above the line cover."""

    priorities_covered: list[str] = field(default_factory=list)
    priorities_uncovered: list[str] = field(default_factory=list)
    localities_covered: list[str] = field(default_factory=list)
    localities_uncovered: list[str] = field(default_factory=list)


def coverage(
    ranking: Ranking, *, priorities: Mapping[str, str], localities: Mapping[int, str]
) -> Coverage:
    """The round's priorities (id -> words) and places (id -> name), covered or not, in
    the order given, by the applications above the funding line."""
    above = ranking.above
    addressed = set().union(*(item.candidate.priorities for item in above)) if above else set()
    placed = set().union(*(item.candidate.localities for item in above)) if above else set()
    return Coverage(
        priorities_covered=[words for key, words in priorities.items() if key in addressed],
        priorities_uncovered=[words for key, words in priorities.items() if key not in addressed],
        localities_covered=[name for key, name in localities.items() if key in placed],
        localities_uncovered=[name for key, name in localities.items() if key not in placed],
    )


@dataclass(frozen=True)
class Quorum:
    """Whether one meeting item can be decided by the members who can take part in it."""

    members: int
    lay_members: int
    members_needed: int
    lay_needed: int

    @property
    def met(self) -> bool:
        return self.members >= self.members_needed and self.lay_members >= self.lay_needed

    @property
    def problem(self) -> str:
        """Why the item has no quorum, in words ('' when it has)."""
        if self.met:
            return ""
        return (
            f"No quorum: {self.members} of {self.members_needed} members needed can take part, "
            f"with {self.lay_members} of {self.lay_needed} lay members needed"
        )


def quorum(
    present: Sequence[tuple[int, bool]],
    conflicted: Iterable[int],
    *,
    members_needed: int,
    lay_needed: int,
) -> Quorum:
    """The quorum of one item: ``present`` is (member id, is lay) of the members present;
    the members ``conflicted`` on the item leave the room and do not count."""
    away = set(conflicted)
    taking_part = [(member, lay) for member, lay in present if member not in away]
    return Quorum(
        members=len(taking_part),
        lay_members=sum(1 for _, lay in taking_part if lay),
        members_needed=members_needed,
        lay_needed=lay_needed,
    )
