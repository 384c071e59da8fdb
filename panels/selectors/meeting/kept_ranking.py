"""The ranking against the round's money as it is kept in the cache: plain rows in rank
order (``Row``), made into the ranking's objects only for the rows a page shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from panels.meeting_cache import meeting_cached
from panels.models import Panel
from panels.ranking import Candidate, Coverage, Ranked, coverage, rank_applications
from panels.selectors.meeting.candidates import AgendaApplication, standing
from panels.selectors.meeting.panel import applications_stamp

# One application's place in the ranking, kept as plain values (a tuple pickles and loads
# many times faster than objects do): its application, then its candidate, then its rank.
Row = tuple


def _row(ranked: Ranked, application: AgendaApplication) -> Row:
    candidate = ranked.candidate
    return (
        application.pk,
        application.reference,
        application.title,
        application.organisation_id,
        application.organisation_name,
        application.amount_requested,
        application.fails_eligibility,
        application.due_diligence_outstanding,
        candidate.scored,
        tuple(candidate.priorities),
        tuple(candidate.localities),
        candidate.gates_failed,
        ranked.rank,
        ranked.mean,
        ranked.scorers,
        ranked.running_total,
        ranked.above_line,
    )


def ranked_of(row: Row) -> tuple[Ranked, AgendaApplication]:
    """The ranked candidate and the application of one kept row."""
    (pk, reference, title, organisation_id, group, amount, fails, outstanding) = row[:8]
    scored, priorities, localities, gates, rank, mean, scorers, running, above = row[8:]
    application = AgendaApplication(
        pk=pk,
        reference=reference,
        title=title,
        organisation_id=organisation_id,
        organisation_name=group,
        amount_requested=amount,
        fails_eligibility=fails,
        due_diligence_outstanding=outstanding,
        scored=scored,
    )
    candidate = Candidate(
        application_id=pk,
        reference=reference,
        amount_requested=amount,
        scored=scored,
        priorities=frozenset(priorities),
        localities=frozenset(localities),
        gates_failed=gates,
    )
    return (
        Ranked(
            rank=rank,
            candidate=candidate,
            mean=mean,
            scorers=scorers,
            running_total=running,
            above_line=above,
        ),
        application,
    )


# The places of a row's values that pages read without making its objects.
ROW_PK, ROW_REFERENCE, ROW_ORGANISATION_ID, ROW_ORGANISATION = 0, 1, 3, 4
ROW_AMOUNT, ROW_PRIORITIES, ROW_RANK, ROW_MEAN, ROW_SCORERS, ROW_ABOVE = 5, 9, 12, 13, 14, 16


@dataclass(frozen=True)
class KeptRanking:
    """The ranking against the round's money, as kept: its rows in rank order, where the
    funding line falls, what the applications above it cover, and the interests declared."""

    rows: list[Row]
    amount_available: Decimal
    line_before: int | None  # the index of the row the funding line is drawn above
    total_above: Decimal
    above_count: int
    coverage: Coverage
    priorities: dict[str, str]
    conflicts: dict[int, list[tuple[int, str]]]  # organisation id -> [(member id, interest)]

    @property
    def left_over(self) -> Decimal:
        return self.amount_available - self.total_above


def ranking_for(*, panel: Panel) -> KeptRanking:
    """The round's ranking against the money it has, from the cache while no scorecard,
    conflict or application has changed (the money is part of the name it is kept under):
    four queries when computed (five with criterion minimums), none when kept."""
    amount = panel.round.amount_available

    def compute() -> KeptRanking:
        made = standing(panel=panel)
        ranking = rank_applications(made.candidates, amount_available=amount)
        return KeptRanking(
            rows=[
                _row(ranked, made.applications[ranked.candidate.application_id])
                for ranked in ranking.items
            ],
            amount_available=amount,
            line_before=ranking.line_before,
            total_above=ranking.total_above,
            above_count=len(ranking.above),
            coverage=coverage(
                ranking,
                priorities=made.places.priorities,
                localities=made.places.localities,
            ),
            priorities=made.places.priorities,
            conflicts=made.conflicts,
        )

    return meeting_cached(
        panel_id=panel.pk,
        name=f"ranking:{amount}:{applications_stamp(panel)}",
        compute=compute,
    )
