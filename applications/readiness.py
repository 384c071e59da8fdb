"""What stops a section being complete, or an application being submitted.

Pure reads: the question kinds say what each answer lacks; services refuse with these
problems and pages list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from applications.models import Answer, Application, BudgetLine
from applications.profile_answers import profile_missing_message, with_profile_answers
from rounds.models import FormSection, Question
from rounds.question_kinds import AnswerContext, Date, question_kind
from rounds.visibility import question_is_shown

DATE_KIND = Date()


def section_problems(*, application: Application, section: FormSection) -> list[tuple[int, str]]:
    """What stops a section being complete: (question id, message), in question order.

    Questions the applicant does not see, because of an earlier answer, are left out.
    """
    questions = list(section.questions.all().select_related("condition_question"))
    values = with_profile_answers(
        application=application,
        questions=questions,
        values=dict(
            Answer.objects.filter(application=application).values_list("question_id", "value")
        ),
    )
    costs = None
    if any(question.kind == Question.Kind.BUDGET for question in questions):
        costs = list(
            application.budget_lines.filter(kind=BudgetLine.Kind.COST).values_list(
                "amount", flat=True
            )
        )
    context = AnswerContext(budget_costs=costs)
    problems: list[tuple[int, str]] = []
    for question in questions:
        if not question_is_shown(question, values):
            continue
        if question.from_profile and question.required and values.get(question.pk) is None:
            problems.append((question.pk, profile_missing_message(question)))
            continue
        kind = question_kind(question)
        for message in kind.problems(question, values.get(question.pk), context):
            problems.append((question.pk, message))
    return problems


def application_problems(*, application: Application) -> list[str]:
    """Everything that stops the application being submitted, in task list order."""
    problems: list[str] = []
    states = {s.section_id: s.completed for s in application.section_states.all()}
    for section in application.round.sections.all().order_by("order", "id"):
        for _question_id, message in section_problems(application=application, section=section):
            problems.append(message)
        if not states.get(section.pk):
            problems.append(f"Mark the section '{section.title}' as completed")
    return problems


@dataclass(frozen=True)
class PassedDate:
    """A date answer that was fine when given and whose day has passed since."""

    section_id: int
    question: Question
    message: str


def passed_dates(
    *, application: Application, questions: Iterable[Question], values: Mapping[int, Any]
) -> list[PassedDate]:
    """The draft's date answers (``values``: question id to stored answer) that have gone
    out of date, in the order of ``questions``: the task list and check your answers show
    them before submission refuses them. Reads nothing."""
    if application.status != Application.Status.DRAFT:
        return []
    found = []
    for question in questions:
        if question.kind != Question.Kind.DATE or not question_is_shown(question, values):
            continue
        message = DATE_KIND.passed(question, values.get(question.pk))
        if message:
            found.append(PassedDate(question.section_id, question, message))
    return found
