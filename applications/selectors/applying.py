"""Reads for the applying pages: visible applications, the task list, answers to check."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from applications.models import Answer, Application, ApplicationSection, BudgetLine
from applications.permissions import can_view_application
from applications.services.applying import (
    is_answered,
    locality_ids_of,
    words_over,
)
from microcomm.formatting import london_datetime, pounds
from microcomm.models import Locality, Organisation
from rounds.models import FormSection, Question, Round

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

K = Question.Kind


def applications_for_user(*, user: User) -> QuerySet[Application]:
    """The applications of the person's groups and the ones they help with, newest first."""
    return (
        Application.objects.filter(Q(organisation__memberships__user=user) | Q(assisted_by=user))
        .distinct()
        .select_related("round", "organisation")
        .order_by("-updated_at", "-id")
    )


def application_for_user(*, user: User | AnonymousUser, pk: int) -> Application | None:
    """The application with what every applying page shows, or None if the person may not see it."""
    application = (
        Application.objects.select_related("round", "organisation", "assisted_by", "copied_from")
        .filter(pk=pk)
        .first()
    )
    if application is None or not can_view_application(user, application):
        return None
    return application


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


def answer_display(
    question: Question, value: Any, places: dict[int, str] | None = None
) -> str | list[str]:
    """An answer as a person reads it; a list for several choices and for places.

    ``places`` names the localities (id to name) a localities answer may hold."""
    if not is_answered(value):
        return ""
    if question.kind == K.LOCALITIES:
        names = (places or {}).get
        return sorted(names(pk, "A place no longer on the list") for pk in locality_ids_of(value))
    if question.kind == K.YES_NO:
        return "Yes" if str(value).lower() in ("yes", "true") else "No"
    if question.kind == K.MONEY:
        try:
            return pounds(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if question.kind == K.DATE:
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B %Y}"
    if question.kind == K.FILE and isinstance(value, dict):
        return str(value.get("title", ""))
    if question.kind == K.BUDGET and isinstance(value, dict):
        return f"Total costs {pounds(Decimal(value.get('total') or '0'))}"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


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
    from rounds.services.form_builder import question_is_shown

    sections = _sections_with_answers(application)
    values = {
        question_id: answer.value for row in sections for question_id, answer in row.answers.items()
    }
    lines = list(BudgetLine.objects.filter(application=application))
    places = _place_names(
        value
        for row in sections
        for question in row.questions
        if question.kind == K.LOCALITIES
        for value in [values.get(question.pk)]
    )
    assistant = application.assisted_by
    for row in sections:
        for question in row.questions:
            if not question_is_shown(question, values):
                continue
            answer = row.answers.get(question.pk)
            value = answer.value if answer else None
            entered_by = ""
            if answer is not None and answer.entered_by_assistant:
                person = answer.updated_by or assistant
                entered_by = person.full_name if person else "a link worker"
            display = answer_display(question, value, places)
            row.rows.append(
                {
                    "question": question,
                    "display": display,
                    "choices": display if isinstance(display, list) else None,
                    "words_over": words_over(question, value),
                    "entered_by": entered_by,
                    "budget": lines if question.kind == K.BUDGET else None,
                }
            )
    return sections


def _place_names(values: Any) -> dict[int, str]:
    """The names of every locality the answers name, in one query (none if they name none)."""
    ids = set().union(*(locality_ids_of(value) for value in values))
    if not ids:
        return {}
    return dict(Locality.objects.filter(pk__in=ids).values_list("pk", "name"))


def budget_totals(lines: list[BudgetLine]) -> dict[str, Decimal]:
    totals = {kind: Decimal("0") for kind in BudgetLine.Kind.values}
    for line in lines:
        totals[line.kind] += line.amount
    return totals
