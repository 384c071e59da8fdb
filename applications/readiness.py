"""What stops a section being complete, or an application being submitted.

Pure reads: the question kinds say what each answer lacks; services refuse with these
problems and pages list them.
"""

from __future__ import annotations

from applications.models import Answer, Application, BudgetLine
from rounds.models import FormSection, Question
from rounds.question_kinds import AnswerContext, question_kind
from rounds.visibility import question_is_shown


def section_problems(*, application: Application, section: FormSection) -> list[tuple[int, str]]:
    """What stops a section being complete: (question id, message), in question order.

    Questions the applicant does not see, because of an earlier answer, are left out.
    """
    values = dict(
        Answer.objects.filter(application=application).values_list("question_id", "value")
    )
    questions = list(section.questions.all().select_related("condition_question"))
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
