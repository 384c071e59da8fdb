"""Reads for the applying pages: visible applications, the task list, answers to check."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from applications.due_diligence import DOCUMENT_KIND_FOR_CODE, due_diligence_items_for
from applications.models import (
    Answer,
    Application,
    ApplicationPdf,
    ApplicationSection,
    BudgetLine,
    OrganisationDocument,
)
from applications.permissions import APPLICATIONS
from applications.previous_feedback import previous_feedback_for
from applications.profile_answers import profile_answers
from microcomm.formatting import london_datetime
from microcomm.models import Organisation
from rounds.answers import is_answered, words_over
from rounds.form_presets import ABOUT_YOUR_GROUP
from rounds.models import FormSection, Question, Round
from rounds.question_kinds import AnswerContext, Option, question_kind
from rounds.selectors.form_builder import (
    answers_display_context,
    round_places,
    round_priorities,
)
from rounds.visibility import question_is_shown

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

K = Question.Kind


def applications_for_user(*, user: User) -> QuerySet[Application]:
    """The applications of the person's groups and the ones they help with, newest first."""
    return (
        APPLICATIONS.involved(user)
        .select_related("round", "organisation")
        .order_by("-updated_at", "-id")
    )


def applications_to_finish(*, user: User) -> QuerySet[Application]:
    """Drafts of the person's groups that can still be submitted: sent back for changes
    first, then by the round's closing time."""
    return (
        Application.objects.filter(
            organisation__memberships__user=user,
            status=Application.Status.DRAFT,
            round__closes_at__gt=timezone.now(),
        )
        .select_related("round", "organisation")
        .annotate(sent_back=~Q(reopened_reason=""))
        .order_by("-sent_back", "round__closes_at", "id")
    )


def applications_assisted_by(*, user: User) -> QuerySet[Application]:
    """The drafts a link worker is helping with, the soonest to close first."""
    return (
        Application.objects.filter(assisted_by=user, status=Application.Status.DRAFT)
        .select_related("round", "organisation")
        .order_by("round__closes_at", "id")
    )


def application_for_user(*, user: User | AnonymousUser, pk: int) -> Application | None:
    """The application with what every applying page shows, or None if the person may not see it."""
    return (
        APPLICATIONS.visible(user)
        .select_related("round", "organisation", "assisted_by", "copied_from")
        .filter(pk=pk)
        .first()
    )


def application_live(*, round: Round, organisation: Organisation) -> Application | None:
    """The group's application to the round that has not been withdrawn, if there is one
    (whoever may see it: the page that uses it says only what exists)."""
    return (
        Application.objects.select_related("round", "organisation", "assisted_by")
        .filter(round=round, organisation=organisation)
        .exclude(status=Application.Status.WITHDRAWN)
        .first()
    )


def round_for_start(*, slug: str) -> Round | None:
    return Round.objects.filter(slug=slug, form_published_at__isnull=False).first()


def organisations_of(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def rounds_open_now() -> list[Round]:
    now = timezone.now()
    return [
        round
        for round in Round.objects.filter(
            status__in=[Round.Status.OPEN, Round.Status.SCHEDULED],
            closes_at__gt=now,
            form_published_at__isnull=False,
        ).order_by("closes_at", "title")
        if round.status_at(now) == Round.Status.OPEN
    ]


def time_left(*, round: Round, moment: datetime.datetime | None = None) -> str:
    """ "You have 3 days left to submit. The round closes at 5pm on 12 March 2027." """
    moment = moment or timezone.now()
    closes = f"The round closes at {london_datetime(round.closes_at)}."
    left = round.closes_at - moment
    if left.total_seconds() <= 0:
        return f"The round closed at {london_datetime(round.closes_at)}."
    if left.days >= 1:
        amount = f"{left.days} day{'s' * (left.days != 1)}"
    elif left.seconds >= 3600:
        hours = left.seconds // 3600
        amount = f"{hours} hour{'s' * (hours != 1)}"
    else:
        minutes = max(1, left.seconds // 60)
        amount = f"{minutes} minute{'s' * (minutes != 1)}"
    return f"You have {amount} left to submit. {closes}"


def section_answer_context(*, application: Application, questions: list[Question]) -> AnswerContext:
    """What the questions of one section offer to choose: the round's priorities and
    places, the group's documents in force. Only what the questions need is read."""
    kinds = {question.kind for question in questions}
    round = application.round
    documents = []
    if K.FILE in kinds:
        documents = [
            Option(str(d.pk), d.title, f"{d.get_kind_display()}, {d.original_name}")
            for d in OrganisationDocument.objects.filter(
                organisation_id=application.organisation_id, replaced_at__isnull=True
            ).order_by("kind", "title")
        ]
    return AnswerContext(
        priorities=round_priorities(round=round) if K.PRIORITIES in kinds else {},
        places={place.pk: place.name for place in round_places(round=round)}
        if K.LOCALITIES in kinds
        else {},
        documents=documents,
    )


def section_from_profile(
    *, application: Application, questions: list[Question]
) -> dict[int, Any] | None:
    """The answers a draft's section takes from the group's profile: shown, not asked."""
    return profile_answers(application=application, questions=questions)


# The default form's question for the group's name: the profile holds the answer.
_GROUP_NAME_LABELS = {
    " ".join(str(question["label"]).lower().split())
    for question in ABOUT_YOUR_GROUP["questions"]
    if question["key"] == "group_name"
}


def section_prefill(
    *, application: Application, questions: list[Question], answers: dict[int, Answer]
) -> dict[int, Any]:
    """Answers the group's profile already holds, for questions not answered yet: filled
    in for the person to keep or change rather than typed again."""
    return {
        question.pk: application.organisation.name
        for question in questions
        if question.pk not in answers
        and question.kind == K.SHORT_TEXT
        and " ".join(question.label.lower().split()) in _GROUP_NAME_LABELS
    }


@dataclass
class SectionRow:
    section: FormSection
    status: str
    questions: list[Question]
    answers: dict[int, Answer]
    feedback: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {
            "completed": "Completed",
            "in_progress": "In progress",
            "not_started": "Not started",
        }[self.status]


def _sections_with_answers(application: Application) -> list[SectionRow]:
    sections = FormSection.objects.filter(round_id=application.round_id).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("condition_question").order_by("order", "id"),
        )
    )
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(application=application).select_related("updated_by")
    }
    states = {s.section_id: s for s in ApplicationSection.objects.filter(application=application)}
    feedback: dict[str, str] = {}
    if application.copied_from_id:
        for state in ApplicationSection.objects.filter(
            application_id=application.copied_from_id
        ).select_related("section"):
            if state.feedback:
                feedback[state.section.title.strip().lower()] = state.feedback
        for title, text in previous_feedback_for(application.copied_from_id).items():
            feedback[title] = f"{feedback[title]}\n\n{text}" if title in feedback else text
    result = []
    for section in sections.order_by("order", "id"):
        questions = list(section.questions.all())
        state = states.get(section.pk)
        if state is not None and state.completed:
            status = "completed"
        elif any(is_answered(answers[q.pk].value) for q in questions if q.pk in answers):
            status = "in_progress"
        else:
            status = "not_started"
        result.append(
            SectionRow(
                section=section,
                status=status,
                questions=questions,
                answers={q.pk: answers[q.pk] for q in questions if q.pk in answers},
                feedback=feedback.get(section.title.strip().lower(), ""),
            )
        )
    return result


def application_task_list(*, application: Application) -> list[SectionRow]:
    """The sections of the task list with their statuses and any earlier panel feedback.

    A fixed number of queries, however many sections and answers there are.
    """
    return _sections_with_answers(application)


def application_answer_sections(*, application: Application) -> list[SectionRow]:
    """Every section with the questions the group sees and their answers, for checking,
    printing and the PDF copy. Budget questions carry the budget lines."""
    sections = _sections_with_answers(application)
    values = {
        question_id: answer.value for row in sections for question_id, answer in row.answers.items()
    }
    from_profile = profile_answers(
        application=application, questions=[q for row in sections for q in row.questions]
    )
    values.update(from_profile or {})
    lines = list(BudgetLine.objects.filter(application=application))
    context = answers_display_context(
        round=application.round,
        questions=[question for row in sections for question in row.questions],
        values=values,
    )
    assistant = application.assisted_by
    for row in sections:
        for question in row.questions:
            if not question_is_shown(question, values):
                continue
            answer = row.answers.get(question.pk)
            value = values.get(question.pk)
            entered_by = ""
            if from_profile is not None and question.pk in from_profile:
                answer = None
            if answer is not None and answer.entered_by_assistant:
                person = answer.updated_by or assistant
                entered_by = person.full_name if person else "a link worker"
            display = question_kind(question).display(question, value, context)
            row.rows.append(
                {
                    "question": question,
                    "display": display,
                    "choices": display if isinstance(display, list) else None,
                    "words_over": words_over(question, value),
                    "entered_by": entered_by,
                    "budget": lines if question.kind == K.BUDGET else None,
                    # A draft's answer from the group's profile is changed there.
                    "from_profile": from_profile is not None and question.pk in from_profile,
                }
            )
    return sections


@dataclass(frozen=True)
class RequiredDocument:
    """A document the round asks of this group, and the one in its vault that answers it."""

    kind: str
    label: str
    document: OrganisationDocument | None
    expired: bool = False

    @property
    def status(self) -> str:
        if self.document is None:
            return "Not uploaded"
        return "Expired" if self.expired else "Ready"


def application_required_documents(*, application: Application) -> list[RequiredDocument]:
    """The documents due diligence will ask for, each with the group's newest current one
    of that kind: the group keeps them once in its vault, for every application."""
    wanted = due_diligence_items_for(
        round=application.round,
        organisation=application.organisation,
        answers=Answer.objects.filter(application=application),
    )
    newest: dict[str, OrganisationDocument] = {}
    for document in OrganisationDocument.objects.filter(
        organisation_id=application.organisation_id, replaced_at__isnull=True
    ).order_by("-uploaded_at", "-id"):
        newest.setdefault(document.kind, document)
    today = timezone.localdate()
    rows = []
    for code, label in wanted:
        kind = DOCUMENT_KIND_FOR_CODE.get(code)
        if kind is None:
            continue
        document = newest.get(kind)
        expired = bool(document and document.expires_on and document.expires_on < today)
        rows.append(RequiredDocument(kind=kind, label=label, document=document, expired=expired))
    return rows


def budget_totals(lines: list[BudgetLine]) -> dict[str, Decimal]:
    totals = {kind: Decimal("0") for kind in BudgetLine.Kind.values}
    for line in lines:
        totals[line.kind] += line.amount
    return totals


def application_pdf_latest(*, application: Application) -> ApplicationPdf | None:
    """The PDF copy of the application's latest submission, if one was queued."""
    return application.pdfs.order_by("-submission").first()
