"""Reads for independent scoring: a scorer's list, the scoring page, assignment overview.

Each page costs a fixed number of queries whatever the number of applications, scorers or
criteria: lists come with their counts annotated and rows prefetched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from applications.models import (
    Answer,
    Application,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
)
from applications.selectors.assessing import SectionAnswers
from panels.models import ConflictDeclaration, Criterion, Panel, PanelMember, Score, Scorecard
from panels.permissions import conflicted
from panels.scoring import CriterionRule
from rounds.models import Question
from rounds.question_kinds import question_kind
from rounds.selectors.form_builder import answers_display_context


def eligible_applications(*, panel: Panel) -> QuerySet[Application]:
    """The round's submitted applications that may be scored: not found ineligible (unless
    a commissioner overrode the check)."""
    return (
        Application.objects.filter(round_id=panel.round_id, status=Application.Status.SUBMITTED)
        .filter(
            Q(eligibility__eligible=True)
            | Q(eligibility__eligible__isnull=True)
            | ~Q(eligibility_override_reason="")
        )
        .select_related("organisation")
        .order_by("reference", "id")
    )


def scorecards_for_member(*, member: PanelMember) -> QuerySet[Scorecard]:
    """The member's scorecards they may open (never a conflicted one), with how many
    criteria each has scored, in reference order. One query."""
    return (
        Scorecard.objects.filter(member=member)
        .exclude(conflicted())
        .select_related("application", "application__organisation")
        .annotate(scored=Count("scores", filter=Q(scores__value__isnull=False)))
        .order_by("application__reference", "application_id")
    )


def scorecards_for_scoring() -> QuerySet[Scorecard]:
    """Scorecards with what the scoring page shows: the member, round and application (its
    budget and due diligence), whether the member declared an interest in the group
    (``is_conflicted``) and whether they have yet to declare for some group applying
    (``declarations_missing``). Apply the SCORECARDS rule to it and take one."""
    declared = ConflictDeclaration.objects.filter(member=OuterRef(OuterRef("member"))).values(
        "organisation_id"
    )
    undeclared = Application.objects.filter(
        round_id=OuterRef("member__panel__round_id"), status=Application.Status.SUBMITTED
    ).exclude(organisation_id__in=declared)
    return (
        Scorecard.objects.select_related(
            "member",
            "member__user",
            "member__panel",
            "member__panel__round",
            "application",
            "application__round",
            "application__organisation",
            "application__organisation__profile",
        )
        .prefetch_related(
            Prefetch("application__due_diligence", queryset=DueDiligenceItem.objects.all()),
            Prefetch(
                "application__budget_lines",
                queryset=BudgetLine.objects.order_by("kind", "order", "id"),
            ),
        )
        .annotate(is_conflicted=conflicted(), declarations_missing=Exists(undeclared))
    )


def rubric_criteria(*, round_id: int, scorecard: Scorecard | None = None) -> list[Criterion]:
    """The round's criteria in order, each with its scale's anchored points. Two queries.

    With a scorecard, each criterion carries its ``given_value`` and ``given_comment`` from
    that scorecard (None where it has no score yet), read in the same query."""
    criteria = Criterion.objects.filter(rubric__round_id=round_id)
    if scorecard is not None:
        given = Score.objects.filter(scorecard_id=scorecard.pk, criterion=OuterRef("pk"))
        criteria = criteria.annotate(
            given_value=Subquery(given.values("value")[:1]),
            given_comment=Subquery(given.values("comment")[:1]),
        )
    return list(criteria.prefetch_related("points").order_by("position", "id"))


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as the scoring page shows it: its value and the document it names."""

    value: object
    document: OrganisationDocument | None


def application_answers(
    *, application: Application
) -> tuple[list[SectionAnswers], dict[int, OrganisationDocument]]:
    """Every question of the round's form in order with the application's answer in words,
    as applications' own pages show them, and the documents a scorer may open: the group's
    current ones and any an answer names. Two queries (and the display context's)."""
    answer = Answer.objects.filter(application_id=application.pk, question=OuterRef("pk"))
    questions = list(
        Question.objects.filter(section__round_id=application.round_id)
        .select_related("section")
        .annotate(
            answer_value=Subquery(answer.values("value")[:1], output_field=JSONField()),
            answer_document_id=Subquery(answer.values("document_id")[:1]),
        )
        .order_by("section__order", "section_id", "order", "id")
    )
    named = [question.answer_document_id for question in questions if question.answer_document_id]
    documents = {
        document.pk: document
        for document in OrganisationDocument.objects.filter(
            Q(organisation_id=application.organisation_id, replaced_at__isnull=True)
            | Q(pk__in=named)
        ).order_by("kind", "-uploaded_at", "-id")
    }
    context = answers_display_context(
        round=application.round,
        questions=questions,
        values={question.pk: question.answer_value for question in questions},
    )
    sections: dict[int, SectionAnswers] = {}
    for question in questions:
        row = sections.setdefault(question.section_id, SectionAnswers(section=question.section))
        shown = ShownAnswer(
            value=question.answer_value, document=documents.get(question.answer_document_id)
        )
        text = question_kind(question).text(question, question.answer_value, context)
        row.rows.append((question, shown, text))
    return list(sections.values()), documents


def criterion_rules(criteria: list[Criterion]) -> list[CriterionRule]:
    return [
        CriterionRule(
            id=criterion.pk,
            weight=criterion.weight,
            scale=criterion.scale,
            minimum=criterion.minimum,
        )
        for criterion in criteria
    ]


@dataclass
class OtherScorecard:
    """Another scorer's submitted scores, without their name: a value per criterion in
    the rubric's order (None where not scored)."""

    label: str
    weighted_score: Decimal | None
    values: list[int | None]


def others_scores(*, scorecard: Scorecard, criteria: list[Criterion]) -> list[OtherScorecard]:
    """The other submitted scorecards of the application, by unconflicted members, named
    only "Scorer 1", "Scorer 2"... Two queries."""
    cards = (
        Scorecard.objects.filter(
            application_id=scorecard.application_id, status=Scorecard.Status.SUBMITTED
        )
        .exclude(pk=scorecard.pk)
        .exclude(conflicted())
        .prefetch_related("scores")
        .order_by("submitted_at", "id")
    )
    result = []
    for number, card in enumerate(cards, start=1):
        given = {score.criterion_id: score.value for score in card.scores.all()}
        result.append(
            OtherScorecard(
                label=f"Scorer {number}",
                weighted_score=card.weighted_score,
                values=[given.get(criterion.pk) for criterion in criteria],
            )
        )
    return result


@dataclass
class AssignedApplication:
    application: Application
    scorecards: list[Scorecard] = field(default_factory=list)
    conflicted_members: int = 0
    candidates: int = 0

    @property
    def scorers(self) -> int:
        """Scorers who may score it: assigned and not conflicted."""
        return len(self.scorecards)


@dataclass
class AssignmentOverview:
    panel: Panel
    applications: list[AssignedApplication]
    members: list[PanelMember]
    load: dict[int, int]

    @property
    def short(self) -> list[AssignedApplication]:
        """Applications with fewer unconflicted scorers than the round needs."""
        needed = self.panel.scorers_per_application
        return [row for row in self.applications if row.scorers < needed]

    @property
    def assigned(self) -> int:
        return sum(row.scorers for row in self.applications)


def assignment_overview(*, panel: Panel) -> AssignmentOverview:
    """Each eligible application with its unconflicted scorers, and each active member's
    load. Four queries whatever the size."""
    applications = list(eligible_applications(panel=panel))
    members = list(
        PanelMember.objects.filter(panel=panel, status=PanelMember.Status.ACTIVE)
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    interests: dict[int, set[int]] = defaultdict(set)
    for member_id, organisation_id in (
        ConflictDeclaration.objects.filter(member__panel=panel)
        .exclude(interest=ConflictDeclaration.Interest.NONE)
        .values_list("member_id", "organisation_id")
    ):
        interests[organisation_id].add(member_id)
    rows = {
        application.pk: AssignedApplication(application=application) for application in applications
    }
    active = {member.pk: member for member in members}
    load: dict[int, int] = dict.fromkeys(active, 0)
    for card in (
        Scorecard.objects.filter(member__panel=panel, application_id__in=list(rows))
        .select_related("member__user")
        .order_by("member__user__full_name", "id")
    ):
        row = rows[card.application_id]
        if card.member_id in interests[row.application.organisation_id]:
            continue
        row.scorecards.append(card)
        if card.member_id in load:
            load[card.member_id] += 1
    for row in rows.values():
        conflicted_ids = interests[row.application.organisation_id]
        row.conflicted_members = len(conflicted_ids & set(active))
        row.candidates = len(set(active) - conflicted_ids)
    return AssignmentOverview(
        panel=panel, applications=list(rows.values()), members=members, load=load
    )
