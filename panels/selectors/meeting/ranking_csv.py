"""The ranking as the CSV's rows, streamed from plain values: no model instance is made."""

from __future__ import annotations

from collections.abc import Iterator

from panels.models import Decision, Panel
from panels.selectors.meeting.kept_ranking import (
    ROW_ABOVE,
    ROW_AMOUNT,
    ROW_MEAN,
    ROW_ORGANISATION,
    ROW_PK,
    ROW_PRIORITIES,
    ROW_RANK,
    ROW_REFERENCE,
    ROW_SCORERS,
    ranking_for,
)

RANKING_HEADER = [
    "Rank",
    "Reference",
    "Organisation",
    "Amount requested",
    "Weighted score",
    "Number of scorers",
    "Priorities addressed",
    "Above the funding line",
    "Decision",
]


def ranking_csv_rows(*, panel: Panel) -> Iterator[list[object]]:
    """The ranking's rows in the order of RANKING_HEADER, from the kept ranking's plain
    rows and the decisions' outcomes, both read before the first row is made."""
    rows = ranking_for(panel=panel).rows
    outcomes = dict(
        Decision.objects.filter(application__round_id=panel.round_id).values_list(
            "application_id", "outcome"
        )
    )
    labels = dict(Decision.Outcome.choices)
    return (
        [
            row[ROW_RANK],
            row[ROW_REFERENCE],
            row[ROW_ORGANISATION],
            row[ROW_AMOUNT] or "",
            row[ROW_MEAN] if row[ROW_MEAN] is not None else "",
            row[ROW_SCORERS],
            len(row[ROW_PRIORITIES]),
            "Yes" if row[ROW_ABOVE] else "No",
            labels.get(outcomes.get(row[ROW_PK], ""), ""),
        ]
        for row in rows
    )
