"""Reads for commissioners' pages: a round's applications and one application in full."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.due_diligence import DOCUMENT_KIND_FOR_CODE
from applications.models import (
    Answer,
    Application,
    ApplicationPlace,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
)
from microcomm.formatting import london_datetime
from microcomm.models import Locality
from rounds.answers import LOCALITY_WORDS
from rounds.models import FormSection, Question, Round
from rounds.question_kinds import question_kind
from rounds.selectors.form_builder import answers_display_context

# How many applications the spreadsheet download reads from the database at a time.
CSV_BATCH = 500


def _due_diligence_count(**conditions: Any) -> Coalesce:
    """How many due diligence checks the application has (matching the conditions), counted
    per row shown: a subquery rather than a count over a join of the whole round."""
    items = (
        DueDiligenceItem.objects.filter(application=OuterRef("pk"), **conditions)
        .order_by()
        .values("application")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), 0)


def applications_for_round(*, round: Round) -> QuerySet[Application]:
    """Every application to the round, with due diligence counts, for commissioners."""
    return (
        Application.objects.filter(round=round)
        .select_related("organisation")
        .annotate(
            due_diligence_total=_due_diligence_count(),
            due_diligence_verified=_due_diligence_count(verified=True),
        )
        .order_by("reference", "id")
    )


def applications_in_locality(
    applications: QuerySet[Application], *, locality: Locality
) -> QuerySet[Application]:
    """Applications whose answers name the place (applications.models.ApplicationPlace):
    activity in it or in a place inside it, named in an older free-choice locality
    question, or chosen as a priority. An indexed join, however many answers there are."""
    placed = ApplicationPlace.objects.filter(application=OuterRef("pk"), locality=locality)
    return applications.filter(Exists(placed))


def applications_addressing_priority(
    applications: QuerySet[Application], *, priority: str
) -> QuerySet[Application]:
    """Applications whose priorities answer chose this priority (by its id, "theme:3")."""
    answers = Answer.objects.filter(
        application=OuterRef("pk"),
        question__kind=Question.Kind.PRIORITIES,
        value__icontains=f'"{priority}"',
    )
    return applications.filter(Exists(answers))


def locality_filter_choices(*, round: Round) -> QuerySet[Locality]:
    """The places a commissioner can filter the round's applications by: its eligible and
    priority localities and, when it asks where the activity happens, the places inside
    the eligible ones (or every ward, when the question lists them all)."""
    eligible = Round.eligible_localities.through.objects.filter(round_id=round.pk).values(
        "locality_id"
    )
    priority = Round.priority_localities.through.objects.filter(round_id=round.pk).values(
        "locality_id"
    )
    places = Q(pk__in=eligible) | Q(pk__in=priority)
    asks_places = Question.objects.filter(
        section__round=round, kind=Question.Kind.LOCALITIES
    ).exists()
    if asks_places:
        if eligible.exists():
            places |= Q(parent_id__in=eligible)
        else:
            places |= Q(kind=Locality.Kind.WARD)
    return Locality.objects.filter(places)


def round_has_locality_question(*, round: Round) -> bool:
    condition = Q()
    for word in LOCALITY_WORDS:
        condition |= Q(label__icontains=word)
    return (
        Question.objects.filter(section__round=round)
        .filter(
            Q(kind__in=[Question.Kind.PRIORITIES, Question.Kind.LOCALITIES])
            | (Q(kind__in=Question.CHOICE_KINDS) & condition)
        )
        .exists()
    )


def application_for_management(*, pk: int) -> Application | None:
    """One application with what its management page shows, or None."""
    return (
        Application.objects.select_related(
            "round",
            "organisation",
            "organisation__profile",
            "eligibility_overridden_by",
            "assisted_by",
            "submitted_by",
        )
        .prefetch_related(
            Prefetch(
                "due_diligence",
                queryset=DueDiligenceItem.objects.select_related("verified_by"),
            ),
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("kind", "order", "id")),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class SectionAnswers:
    section: FormSection
    rows: list[tuple[Question, Answer | None, str]] = field(default_factory=list)


def application_answers_by_section(*, application: Application) -> list[SectionAnswers]:
    """Every question of the round's form in order, each with the application's answer and
    that answer in words."""
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(application=application).select_related("document")
    }
    sections = list(
        FormSection.objects.filter(round_id=application.round_id)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
        .order_by("order", "id")
    )
    context = answers_display_context(
        round=application.round,
        questions=[question for section in sections for question in section.questions.all()],
        values={question_id: answer.value for question_id, answer in answers.items()},
    )
    result = []
    for section in sections:
        rows = []
        for question in section.questions.all():
            answer = answers.get(question.pk)
            value = answer.value if answer is not None else None
            rows.append((question, answer, question_kind(question).text(question, value, context)))
        result.append(SectionAnswers(section=section, rows=rows))
    return result


@dataclass
class BudgetSummary:
    costs: list[BudgetLine]
    other_funding: list[BudgetLine]
    in_kind: list[BudgetLine]

    @property
    def total_costs(self) -> Decimal:
        return sum((line.amount for line in self.costs), Decimal("0"))

    @property
    def total_other_funding(self) -> Decimal:
        return sum((line.amount for line in self.other_funding), Decimal("0"))

    @property
    def total_in_kind(self) -> Decimal:
        return sum((line.amount for line in self.in_kind), Decimal("0"))

    @property
    def asked_for(self) -> Decimal:
        return self.total_costs - self.total_other_funding

    @property
    def lines(self) -> bool:
        return bool(self.costs or self.other_funding or self.in_kind)


def application_budget(*, application: Application) -> BudgetSummary:
    lines = list(application.budget_lines.all())
    return BudgetSummary(
        costs=[line for line in lines if line.kind == BudgetLine.Kind.COST],
        other_funding=[line for line in lines if line.kind == BudgetLine.Kind.OTHER_FUNDING],
        in_kind=[line for line in lines if line.kind == BudgetLine.Kind.IN_KIND],
    )


def current_documents(*, application: Application) -> list[OrganisationDocument]:
    """The group's documents in force: not replaced by a newer one."""
    return list(
        OrganisationDocument.objects.filter(
            organisation_id=application.organisation_id, replaced_at__isnull=True
        ).order_by("kind", "-uploaded_at", "-id")
    )


@dataclass
class ChecklistRow:
    item: DueDiligenceItem
    document: OrganisationDocument | None
    evidence: str

    @property
    def expired(self) -> bool:
        """The group's document (insurance, say) ran out before today."""
        expires_on = self.document.expires_on if self.document is not None else None
        return expires_on is not None and expires_on < timezone.localdate()


def due_diligence_checklist(
    *, application: Application, documents: list[OrganisationDocument]
) -> list[ChecklistRow]:
    """Each check with the evidence the group has already given, if any."""
    newest: dict[str, OrganisationDocument] = {}
    for document in documents:
        newest.setdefault(document.kind, document)
    profile = getattr(application.organisation, "profile", None)
    rows = []
    for item in application.due_diligence.all():
        document = newest.get(DOCUMENT_KIND_FOR_CODE.get(item.code, ""))
        evidence = ""
        if item.code == "bank_account" and profile is not None:
            if profile.has_bank_account:
                evidence = f"Bank account in the name of {profile.bank_account_name or 'the group'}"
            elif profile.host_organisation_name:
                evidence = f"Host organisation: {profile.host_organisation_name}"
        elif item.code == "registration" and profile is not None:
            number = profile.charity_number or profile.company_number
            evidence = f"Registered number {number}" if number else ""
        rows.append(ChecklistRow(item=item, document=document, evidence=evidence))
    return rows


CSV_FIELDS = (
    "reference",
    "organisation__name",
    "title",
    "status",
    "amount_requested",
    "submitted_at",
    "eligibility",
    "eligibility_override_reason",
    "due_diligence_verified",
    "due_diligence_total",
)


def applications_csv_rows(applications: QuerySet[Application]) -> Iterator[list[Any]]:
    """One row per application for the spreadsheet download, in the list's order, read a
    batch at a time as plain values (no model objects), so a download starts at once."""
    status_labels = dict(Application.Status.choices)
    rows = applications.values_list(*CSV_FIELDS).iterator(chunk_size=CSV_BATCH)
    for (
        reference,
        group,
        title,
        status,
        amount,
        submitted_at,
        eligibility,
        override_reason,
        verified,
        total,
    ) in rows:
        eligibility = eligibility or {}
        if override_reason:
            eligible = "Overridden"
        elif "eligible" not in eligibility:
            eligible = "Not checked"
        else:
            eligible = "Yes" if eligibility["eligible"] else "No"
        yield [
            reference or "",
            group,
            title,
            status_labels.get(status, status),
            amount if amount is not None else "",
            london_datetime(submitted_at),
            eligible,
            "; ".join(eligibility.get("reasons", [])),
            f"{verified} of {total}",
        ]
