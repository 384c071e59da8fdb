"""The decision meeting: the applications in rank order, with who is present, who leaves
the room, each item's quorum and its decision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from panels.models import Decision, Panel, PanelMember
from panels.ranking import Coverage, Quorum, Ranked, quorum
from panels.selectors.meeting.candidates import AgendaApplication
from panels.selectors.meeting.kept_ranking import (
    ROW_ORGANISATION_ID,
    KeptRanking,
    Row,
    ranked_of,
    ranking_for,
)
from panels.selectors.meeting.panel import panel_members

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

    AnyUser = User | AnonymousUser


@dataclass
class MeetingItem:
    """One application on the meeting's agenda."""

    ranked: Ranked
    application: AgendaApplication
    decision: Decision | None
    leaving: list[PanelMember]  # the members who declared an interest: they leave the room
    quorum: Quorum
    priorities: list[str]
    viewer_conflicted: bool = False

    @property
    def gates_failed(self) -> tuple[str, ...]:
        return self.ranked.candidate.gates_failed

    # The row's numbers in words, made here rather than by template filters: the page
    # shows many rows.
    @property
    def asked(self) -> str:
        amount = self.application.amount_requested
        return "Not given" if amount is None else _money(amount)

    @property
    def score(self) -> str:
        return "" if self.ranked.mean is None else str(self.ranked.mean)

    @property
    def running(self) -> str:
        total = self.ranked.running_total
        return "Not counted" if total is None else _money(total)


def _money(amount: Decimal) -> str:
    """Pounds and pence with thousands separated, as the page shows every amount."""
    return f"£{amount:,.2f}"


@dataclass
class Meeting:
    """Everything the meeting page, the CSV and the minutes show.

    Its items are made when asked for: ``items`` makes every one (the minutes), and
    ``items_of`` only those a page shows.
    """

    panel: Panel
    members: list[PanelMember]
    present_ids: set[int]
    ranking: KeptRanking
    decided_total: Decimal
    decisions: dict[int, Decision]
    viewer: PanelMember | None = None

    @property
    def coverage(self) -> Coverage:
        return self.ranking.coverage

    @cached_property
    def _by_id(self) -> dict[int, PanelMember]:
        return {member.pk: member for member in self.members}

    @cached_property
    def _present(self) -> list[tuple[int, bool]]:
        return [(member.pk, member.is_lay) for member in self.present]

    def _quorum(self, away: list[int]) -> Quorum:
        return quorum(
            self._present,
            away,
            members_needed=self.panel.quorum_members,
            lay_needed=self.panel.quorum_lay_members,
        )

    @cached_property
    def _everyone(self) -> Quorum:
        """The quorum of an item nobody leaves the room for: most items."""
        return self._quorum([])

    def _away(self, organisation_id: int) -> list[int]:
        return [member for member, _ in self.ranking.conflicts.get(organisation_id, [])]

    def item(self, row: Row) -> MeetingItem:
        ranked, application = ranked_of(row)
        away = self._away(application.organisation_id)
        return MeetingItem(
            ranked=ranked,
            application=application,
            decision=self.decisions.get(application.pk),
            leaving=[self._by_id[pk] for pk in away if pk in self._by_id],
            quorum=self._quorum(away) if away else self._everyone,
            priorities=[
                words
                for key, words in self.ranking.priorities.items()
                if key in ranked.candidate.priorities
            ],
            viewer_conflicted=self.viewer is not None and self.viewer.pk in away,
        )

    def items_of(self, rows: list[Row]) -> list[MeetingItem]:
        return [self.item(row) for row in rows]

    @cached_property
    def items(self) -> list[MeetingItem]:
        return self.items_of(self.ranking.rows)

    @cached_property
    def present(self) -> list[PanelMember]:
        return [member for member in self.members if member.pk in self.present_ids]

    @cached_property
    def absent(self) -> list[PanelMember]:
        return [
            member
            for member in self.members
            if member.pk not in self.present_ids and member.status == PanelMember.Status.ACTIVE
        ]

    @cached_property
    def items_without_quorum(self) -> int:
        """How many items cannot be decided: all, without a quorum of those present, else
        those the members with an interest leave without one (read from the conflicts)."""
        if not self._everyone.met:
            return len(self.ranking.rows)
        return sum(
            1
            for row in self.ranking.rows
            if self._away(row[ROW_ORGANISATION_ID])
            and not self._quorum(self._away(row[ROW_ORGANISATION_ID])).met
        )

    @property
    def left_to_spend(self) -> Decimal:
        return self.panel.round.amount_available - self.decided_total


def round_decisions(*, panel: Panel) -> dict[int, Decision]:
    """The decisions recorded on the round's applications, by application: one query."""
    return {
        decision.application_id: decision
        for decision in Decision.objects.filter(application__round_id=panel.round_id).only(
            "application_id", "outcome", "status", "amount", "version"
        )
    }


def meeting_for(*, panel: Panel, viewer: AnyUser | None = None) -> Meeting:
    """The meeting's agenda in rank order, with quorum, conflicts and decisions.

    Costs two queries (the members with who is present, and the decisions) while the
    ranking is kept in the cache (``ranking_for``), and its own queries when not.
    """
    members = panel_members(panel=panel)
    decisions = round_decisions(panel=panel)
    viewer_seat = None
    if viewer is not None and viewer.is_authenticated:
        viewer_seat = next((m for m in members if m.user_id == viewer.pk), None)
    return Meeting(
        panel=panel,
        members=members,
        present_ids={member.pk for member in members if member.present},
        ranking=ranking_for(panel=panel),
        decided_total=sum(
            (
                decision.amount
                for decision in decisions.values()
                if decision.is_funded and decision.amount
            ),
            Decimal("0.00"),
        ),
        decisions=decisions,
        viewer=viewer_seat,
    )
