"""The ranking's candidates: the round's applications, their counted scores (added up in
the database), the priorities and places they address and the gates they fail.

None of it depends on who is looking, who is present or what was decided, so it is kept
in the cache (``kept_ranking``) until a scorecard, a conflict or an application changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from applications.models import Application, DueDiligenceItem
from panels.models import ConflictDeclaration, Panel, Score, Scorecard
from panels.ranking import Candidate
from panels.selectors.meeting.panel import (
    COUNTED,
    conflicts_by_organisation,
    counted_scorecards,
)
from panels.selectors.meeting.places import (
    RoundPlaces,
    answered_priorities_and_places,
    round_places_and_priorities,
)


@dataclass(frozen=True)
class AgendaApplication:
    """What the meeting shows of one application, read as plain values."""

    pk: int
    reference: str
    title: str
    organisation_id: int
    organisation_name: str
    amount_requested: Decimal | None
    fails_eligibility: bool  # found not eligible, and not overridden
    due_diligence_outstanding: int
    scored: tuple[Decimal, int] = (Decimal("0"), 0)  # the counted weighted scores: sum, number


def _per_application(panel: Panel, aggregate: Aggregate, field: Field) -> Subquery:
    """An aggregate of the application's counted, weighted scorecards, as a subquery of
    the applications' query: the ``counted_scorecards`` rule, with the application (its
    round, status and group) taken from the outer query rather than joined again."""
    interested = ConflictDeclaration.objects.filter(
        member=OuterRef("member"), organisation=OuterRef(OuterRef("organisation"))
    ).exclude(interest=ConflictDeclaration.Interest.NONE)
    cards = (
        Scorecard.objects.filter(
            application=OuterRef("pk"),
            member__panel=panel,
            member__status__in=COUNTED,
            status=Scorecard.Status.SUBMITTED,
            weighted_score__isnull=False,
        )
        .exclude(Exists(interested))
        .order_by()
        .values("application")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(cards, output_field=field)


def agenda_applications(*, panel: Panel) -> list[AgendaApplication]:
    """The round's submitted applications as plain values, in reference order: one query."""
    outstanding = (
        DueDiligenceItem.objects.filter(application=OuterRef("pk"), verified=False)
        .order_by()
        .values("application")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        Application.objects.filter(round_id=panel.round_id, status=Application.Status.SUBMITTED)
        .annotate(
            # Read in the database, so that no application's eligibility JSON is parsed.
            fails_eligibility=ExpressionWrapper(
                Q(eligibility__eligible=False) & Q(eligibility_override_reason=""),
                output_field=BooleanField(),
            ),
            outstanding=Coalesce(Subquery(outstanding, output_field=IntegerField()), 0),
            # The counted weighted scores, added up in the database.
            score_total=_per_application(panel, Sum("weighted_score"), DecimalField()),
            score_given=Coalesce(_per_application(panel, Count("pk"), IntegerField()), 0),
        )
        .order_by("reference", "id")
        .values_list(
            "pk",
            "reference",
            "title",
            "organisation_id",
            "organisation__name",
            "amount_requested",
            "fails_eligibility",
            "outstanding",
            "score_total",
            "score_given",
        )
    )
    found = []
    for row in rows:
        pk, reference, title, organisation_id, group, amount, fails, outstanding = row[:8]
        total, given = row[8:]
        found.append(
            AgendaApplication(
                pk=pk,
                reference=reference or "",
                title=title,
                organisation_id=organisation_id,
                organisation_name=group,
                amount_requested=amount,
                fails_eligibility=bool(fails),
                due_diligence_outstanding=outstanding,
                scored=(total or Decimal("0"), given),
            )
        )
    return found


def criterion_means_below_minimum(*, panel: Panel) -> dict[int, list[str]]:
    """Per application, the criteria whose mean counted score is under their minimum,
    averaged in the database per application and criterion."""
    if not getattr(panel, "has_minimums", True):
        return {}
    rows = (
        Score.objects.filter(
            scorecard__in=counted_scorecards(panel=panel),
            criterion__minimum__isnull=False,
            value__isnull=False,
        )
        .order_by()
        .values(
            "scorecard__application_id", "criterion_id", "criterion__name", "criterion__minimum"
        )
        .annotate(total=Sum("value"), given=Count("pk"))
        .values_list(
            "scorecard__application_id",
            "criterion_id",
            "criterion__name",
            "criterion__minimum",
            "total",
            "given",
        )
    )
    below: dict[int, list[str]] = defaultdict(list)
    for application_id, _, name, minimum, total, given in sorted(rows, key=lambda row: row[:2]):
        if Decimal(total) / given < minimum:
            below[application_id].append(f"Below the minimum for {name} ({minimum})")
    return below


def gates_failed(application: AgendaApplication, *, panel: Panel) -> list[str]:
    """The rubric's pass/fail gates the application fails, in words."""
    rubric = getattr(panel.round, "rubric", None)
    failed = []
    checks_eligibility = rubric is None or rubric.gate_eligibility
    checks_due_diligence = rubric is None or rubric.gate_due_diligence
    if checks_eligibility and application.fails_eligibility:
        failed.append("Not eligible")
    if checks_due_diligence and application.due_diligence_outstanding:
        outstanding = application.due_diligence_outstanding
        failed.append(
            f"Due diligence not complete ({outstanding} check{'' if outstanding == 1 else 's'} "
            "left)"
        )
    return failed


def _with_pass_mark(candidate: Candidate, pass_mark: Decimal) -> Candidate:
    mean, _ = candidate.mean_and_count
    if mean is None or mean >= pass_mark:
        return candidate
    return Candidate(
        application_id=candidate.application_id,
        reference=candidate.reference,
        amount_requested=candidate.amount_requested,
        scores=candidate.scores,
        scored=candidate.scored,
        priorities=candidate.priorities,
        localities=candidate.localities,
        gates_failed=(*candidate.gates_failed, f"Below the pass mark ({pass_mark.normalize():f})"),
    )


@dataclass(frozen=True)
class Standing:
    """What the ranking is made of: the applications, their candidates and the round's
    priorities and places."""

    applications: dict[int, AgendaApplication]
    candidates: list[Candidate]
    places: RoundPlaces
    conflicts: dict[int, list[tuple[int, str]]]  # organisation id -> [(member id, interest)]


def standing(*, panel: Panel) -> Standing:
    """What the ranking is made of, computed (``kept_ranking.ranking_for`` keeps it)."""
    places = round_places_and_priorities(panel=panel)
    priorities, localities = answered_priorities_and_places(panel=panel, places=places)
    below_minimum = criterion_means_below_minimum(panel=panel)
    applications = agenda_applications(panel=panel)
    rubric = getattr(panel.round, "rubric", None)
    pass_mark = rubric.pass_mark if rubric is not None else None
    candidates = []
    for application in applications:
        gates = gates_failed(application, panel=panel) + below_minimum.get(application.pk, [])
        candidate = Candidate(
            application_id=application.pk,
            reference=application.reference,
            amount_requested=application.amount_requested,
            scored=application.scored,
            priorities=priorities.get(application.pk, frozenset()),
            localities=localities.get(application.pk, frozenset()),
            gates_failed=tuple(gates),
        )
        if pass_mark is not None:
            candidate = _with_pass_mark(candidate, pass_mark)
        candidates.append(candidate)
    return Standing(
        applications={application.pk: application for application in applications},
        candidates=candidates,
        places=places,
        conflicts=dict(conflicts_by_organisation(panel=panel)),
    )
