"""Reads for commissioners' pages: a round's applications and one application in full."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from applications.due_diligence import DOCUMENT_KIND_FOR_CODE
from applications.models import (
    Answer,
    Application,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
)
from applications.services.assessing import LOCALITY_WORDS
from microcomm.models import AuditEvent, Locality
from rounds.models import FormSection, Question, Round


def applications_for_round(*, round: Round) -> QuerySet[Application]:
    """Every application to the round, with due diligence counts, for commissioners."""
    return (
        Application.objects.filter(round=round)
        .select_related("organisation")
        .annotate(
            due_diligence_total=Count("due_diligence", distinct=True),
            due_diligence_verified=Count(
                "due_diligence", filter=Q(due_diligence__verified=True), distinct=True
            ),
        )
        .order_by("reference", "id")
    )


def _locality_question_filter() -> Q:
    condition = Q()
    for word in LOCALITY_WORDS:
        condition |= Q(question__label__icontains=word)
    return Q(question__kind__in=Question.CHOICE_KINDS) & condition


def _applications_placing_activity_in(*, locality: Locality, round: Round) -> set[int]:
    """Ids of the round's applications whose "where will it happen" answer names the
    locality or a place inside it (a ward of a chosen PCN).

    The answers are lists of locality ids. A JSON "contains" lookup is not available on
    SQLite and matching the text of the list would find 12 when looking for 1, so the
    round's localities answers are read in one query and matched here by id.
    """
    from applications.services.applying import locality_ids_of

    wanted = {locality.pk} | set(
        Locality.objects.filter(parent=locality).values_list("pk", flat=True)
    )
    rows = Answer.objects.filter(
        application__round=round, question__kind=Question.Kind.LOCALITIES
    ).values_list("application_id", "value")
    return {application_id for application_id, value in rows if locality_ids_of(value) & wanted}


def applications_in_locality(
    applications: QuerySet[Application], *, locality: Locality, round: Round
) -> QuerySet[Application]:
    """Applications placing their activity in the locality (by id, in a localities
    question), naming it in an older free-choice locality question, or choosing it as a
    priority. Costs two queries before the list's own, however many applications."""
    from rounds.selectors.form_builder import round_priority_labels

    labels = round_priority_labels(round=round)
    priority_label = f"People in {locality.name}"
    priority_match = Q(value__icontains=priority_label)
    if priority_label in labels:
        priority_match |= Q(value__icontains=f'"{labels.index(priority_label)}"')
    answers = Answer.objects.filter(application=OuterRef("pk")).filter(
        (_locality_question_filter() & Q(value__icontains=locality.name))
        | (Q(question__kind=Question.Kind.PRIORITIES) & priority_match)
    )
    placed = _applications_placing_activity_in(locality=locality, round=round)
    return applications.filter(Exists(answers) | Q(pk__in=placed))


def applications_addressing_priority(
    applications: QuerySet[Application], *, index: int, label: str
) -> QuerySet[Application]:
    """Applications whose priorities answer chose this priority (by label or position)."""
    answers = Answer.objects.filter(
        application=OuterRef("pk"), question__kind=Question.Kind.PRIORITIES
    ).filter(Q(value__icontains=f'"{index}"') | Q(value__icontains=label))
    return applications.filter(Exists(answers))


def locality_filter_choices(*, round: Round) -> QuerySet[Locality]:
    """The places a commissioner can filter the round's applications by: its eligible and
    priority localities and, when it asks where the activity happens, the places inside
    the eligible ones (or every ward, when the question lists them all)."""
    places = Q(eligible_rounds=round) | Q(priority_rounds=round)
    asks_places = Question.objects.filter(
        section__round=round, kind=Question.Kind.LOCALITIES
    ).exists()
    if asks_places:
        if round.eligible_localities.exists():
            places |= Q(parent__eligible_rounds=round)
        else:
            places |= Q(kind=Locality.Kind.WARD)
    return Locality.objects.filter(places).distinct()


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
    rows: list[tuple[Question, Answer | None]] = field(default_factory=list)


def application_answers_by_section(*, application: Application) -> list[SectionAnswers]:
    """Every question of the round's form in order, each with the application's answer."""
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(application=application).select_related("document")
    }
    sections = FormSection.objects.filter(round_id=application.round_id).prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("order", "id"))
    )
    return [
        SectionAnswers(
            section=section,
            rows=[(question, answers.get(question.pk)) for question in section.questions.all()],
        )
        for section in sections.order_by("order", "id")
    ]


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


def application_audit_trail(*, application: Application) -> QuerySet[AuditEvent]:
    """Audit events about the application, newest first."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id=str(application.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def applications_csv_rows(applications: QuerySet[Application]) -> list[list[Any]]:
    """One row per application for the spreadsheet download, in the list's order."""
    rows = []
    for application in applications:
        eligibility = application.eligibility or {}
        if application.eligibility_override_reason:
            eligible = "Overridden"
        elif "eligible" not in eligibility:
            eligible = "Not checked"
        else:
            eligible = "Yes" if eligibility["eligible"] else "No"
        rows.append(
            [
                application.reference or "",
                application.organisation.name,
                application.title,
                application.get_status_display(),
                application.amount_requested if application.amount_requested is not None else "",
                application.submitted_at.isoformat() if application.submitted_at else "",
                eligible,
                "; ".join(eligibility.get("reasons", [])),
                f"{application.due_diligence_verified} of {application.due_diligence_total}",
            ]
        )
    return rows


EVENT_LABELS = {
    "application.create": "Application started",
    "application.submit": "Application submitted",
    "application.reopen": "Reopened for changes",
    "application.withdraw": "Application withdrawn",
    "application.hand_over": "Handed over to the group",
    "application.eligibility_override": "Eligibility overridden",
    "due_diligence.verify": "Due diligence check verified",
    "due_diligence.unverify": "Due diligence check marked not verified",
}


def audit_timeline(events: QuerySet[AuditEvent] | list[AuditEvent]) -> list[AuditEvent]:
    """The events with a plain-English `label` each, for the timeline partial."""
    timeline = list(events)
    for event in timeline:
        label = EVENT_LABELS.get(event.verb)
        if label is None:
            label = event.verb.split(".")[-1].replace("_", " ").capitalize()
        if event.verb.startswith("due_diligence.") and event.detail.get("label"):
            label = f"{label}: {event.detail['label']}"
        event.label = label
    return timeline


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return {"yes": "Yes", "no": "No", "true": "Yes", "false": "No"}.get(
        str(value).strip().lower(), str(value)
    )


def answer_place_names(sections: list[SectionAnswers]) -> dict[int, str]:
    """The names of the places the localities answers name (id to name), in one query."""
    from applications.services.applying import locality_ids_of

    ids: set[int] = set()
    for section in sections:
        for question, answer in section.rows:
            if question.kind == Question.Kind.LOCALITIES and answer is not None:
                ids |= locality_ids_of(answer.value)
    if not ids:
        return {}
    return dict(Locality.objects.filter(pk__in=ids).values_list("pk", "name"))


def answer_display(
    question: Question,
    answer: Answer | None,
    priorities: list[str],
    places: dict[int, str] | None = None,
) -> str:
    """An answer as the page shows it: words, not stored values."""
    if answer is None or answer.value in (None, "", [], {}):
        return ""
    value = answer.value
    if question.kind == Question.Kind.LOCALITIES:
        from applications.services.applying import locality_ids_of

        names = (places or {}).get
        return "; ".join(
            sorted(names(pk, "A place no longer on the list") for pk in locality_ids_of(value))
        )
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        return _yes_no(value)
    if kind == Question.Kind.MONEY:
        try:
            return f"£{Decimal(str(value)):,.2f}"
        except ArithmeticError:
            return str(value)
    if kind == Question.Kind.PRIORITIES:
        items = value if isinstance(value, list) else [value]
        labels = []
        for item in items:
            text = str(item)
            labels.append(
                priorities[int(text)] if text.isdigit() and int(text) < len(priorities) else text
            )
        return "; ".join(labels)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)
