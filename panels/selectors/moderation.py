"""What the moderation page reads: every counted score of the round, in a fixed number of
queries, put through panels.moderation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from panels.meeting_cache import meeting_cached
from panels.models import Criterion, Panel, PanelMember, Score
from panels.moderation import CriterionSpread, Leniency, criterion_spread, leniency
from panels.selectors.meeting.panel import applications_stamp, counted_scorecards, panel_members


@dataclass
class ScoreCell:
    """One scorer's score on one criterion, flagged in words when it is an outlier."""

    member: PanelMember
    scorecard_id: int
    value: int | None
    outlier: str = ""

    @property
    def text(self) -> str:
        return "No score" if self.value is None else str(self.value)


@dataclass
class CriterionRow:
    criterion: Criterion
    spread: CriterionSpread
    cells: list[ScoreCell]


@dataclass
class ApplicationModeration:
    application_id: int
    reference: str
    organisation: str
    rows: list[CriterionRow]
    scorers: list[PanelMember]
    scorecards: dict[int, int]  # member id -> scorecard id

    @property
    def outliers(self) -> int:
        return sum(len(row.spread.outliers) for row in self.rows)


@dataclass
class ScorerLeniency:
    member: PanelMember
    leniency: Leniency


@dataclass(frozen=True)
class ScoredApplication:
    """One scored application as kept in the cache: plain values only."""

    application_id: int
    reference: str
    organisation: str
    scorecards: dict[int, int]  # member id -> scorecard id


@dataclass(frozen=True)
class _Makings:
    """What the moderation page is made of, kept in the cache (``panels.meeting_cache``)."""

    criteria: list[Criterion]
    applications: list[ScoredApplication]
    leniency: dict[int, Leniency]


@dataclass
class Moderation:
    """The page's makings: the scored applications (plain, kept in the cache), made into
    ``ApplicationModeration`` with their scores only for those a page shows."""

    criteria: list[Criterion]
    applications: list[ScoredApplication]
    members: dict[int, PanelMember]
    scorers: list[ScorerLeniency] = field(default_factory=list)


def _makings(panel: Panel) -> _Makings:
    criteria = list(Criterion.objects.filter(rubric__round_id=panel.round_id))
    rows = (
        counted_scorecards(panel=panel)
        .values_list(
            "application_id",
            "application__reference",
            "application__organisation__name",
            "pk",
            "member_id",
            "weighted_score",
        )
        .order_by("application__reference", "application_id")
    )
    applications: dict[int, ScoredApplication] = {}
    weighted: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for application_id, reference, group, card, member_id, score in rows:
        application = applications.get(application_id)
        if application is None:
            application = applications[application_id] = ScoredApplication(
                application_id=application_id,
                reference=reference or "",
                organisation=group,
                scorecards={},
            )
        application.scorecards[member_id] = card
        weighted[application_id][member_id] = score
    return _Makings(
        criteria=criteria, applications=list(applications.values()), leniency=leniency(weighted)
    )


def moderation_for(*, panel: Panel) -> Moderation:
    """The round's scored applications in reference order, without their scores yet, and
    each scorer's leniency: the members' query, and two more when not kept in the cache.
    Fill in the scores of the applications a page shows with ``moderation_scores``."""
    members = {member.pk: member for member in panel_members(panel=panel)}
    makings = meeting_cached(
        panel_id=panel.pk,
        name=f"moderation:{applications_stamp(panel)}",
        compute=lambda: _makings(panel),
    )
    name_of = {pk: (member.user.full_name, pk) for pk, member in members.items()}
    scorers = [
        ScorerLeniency(member=members[pk], leniency=makings.leniency[pk])
        for pk in sorted((pk for pk in makings.leniency if pk in members), key=name_of.get)
    ]
    return Moderation(
        criteria=makings.criteria,
        applications=makings.applications,
        members=members,
        scorers=scorers,
    )


def moderation_outlier_ids(*, panel: Panel, moderation: Moderation) -> set[int]:
    """The applications with an outlying score: every score of the round is read for it
    (one query), so the answer is kept in the cache like the rest."""

    def compute() -> set[int]:
        scored = moderation_scores(
            panel=panel, moderation=moderation, applications=list(moderation.applications)
        )
        return {application.application_id for application in scored if application.outliers}

    return meeting_cached(
        panel_id=panel.pk,
        name=f"moderation-outliers:{panel.outlier_distance}:{applications_stamp(panel)}",
        compute=compute,
    )


def moderation_scores(
    *, panel: Panel, moderation: Moderation, applications: list[ScoredApplication]
) -> list[ApplicationModeration]:
    """These applications with their scores, spread and outliers per criterion (one
    query, of the scorecards ``moderation_for`` found to count)."""
    members = moderation.members
    whose = {
        card: (application.application_id, member_id)
        for application in applications
        for member_id, card in application.scorecards.items()
    }
    values: dict[int, dict[int, dict[int, int | None]]] = defaultdict(lambda: defaultdict(dict))
    rows = Score.objects.filter(scorecard_id__in=list(whose)).values_list(
        "scorecard_id", "criterion_id", "value"
    )
    for card, criterion_id, value in rows:
        application_id, member_id = whose[card]
        values[application_id][criterion_id][member_id] = value
    found = []
    for scored in applications:
        scorers = sorted(
            (members[pk] for pk in scored.scorecards if pk in members),
            key=lambda member: (member.user.full_name, member.pk),
        )
        application = ApplicationModeration(
            application_id=scored.application_id,
            reference=scored.reference,
            organisation=scored.organisation,
            rows=[],
            scorers=scorers,
            scorecards=scored.scorecards,
        )
        for criterion in moderation.criteria:
            given = values[scored.application_id].get(criterion.pk, {})
            spread = criterion_spread(criterion.pk, given, panel.outlier_distance)
            cells = [
                ScoreCell(
                    member=member,
                    scorecard_id=scored.scorecards[member.pk],
                    value=given.get(member.pk),
                    outlier=spread.outlier_sentence(member.pk),
                )
                for member in scorers
            ]
            application.rows.append(CriterionRow(criterion=criterion, spread=spread, cells=cells))
        found.append(application)
    return found


def moderation_page(
    *, panel: Panel, moderation: Moderation, applications: list[ScoredApplication]
) -> list[ApplicationModeration]:
    """``moderation_scores`` of the applications a page shows, kept in the cache like the
    rest of the page's makings (a page of scores reads hundreds of them)."""
    shown = ",".join(str(application.application_id) for application in applications)
    return meeting_cached(
        panel_id=panel.pk,
        name=f"moderation-page:{panel.outlier_distance}:{shown}:{applications_stamp(panel)}",
        compute=lambda: moderation_scores(
            panel=panel, moderation=moderation, applications=applications
        ),
    )
