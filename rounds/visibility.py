"""Which questions an applicant sees: a question may be shown only for one answer to an
earlier yes or no, or choice, question. Pure rules, read by the form builder, the
applying pages and the checks at submission."""

from __future__ import annotations

from collections.abc import Mapping

from rounds.models import Question

CONDITION_KINDS = {Question.Kind.YES_NO, Question.Kind.ONE_CHOICE, Question.Kind.SEVERAL_CHOICES}
YES_NO_VALUES = {"yes": "Yes", "no": "No"}


def condition_values(question: Question) -> list[tuple[str, str]]:
    """The answers another question can depend on, as (value, label) pairs."""
    if question.kind == Question.Kind.YES_NO:
        return list(YES_NO_VALUES.items())
    if question.kind in Question.CHOICE_KINDS:
        return [(choice, choice) for choice in question.choices]
    return []


def question_is_shown(question: Question, answers: Mapping[int, object]) -> bool:
    """Whether an applicant with these answers (question id to answer) sees the question.

    A question whose condition question is itself hidden is hidden too. Answers are as the
    applications app stores them: True/False or "yes"/"no", a choice, or a list of choices.
    """
    seen: set[int] = set()
    current = question
    while current.condition_question_id is not None:
        if current.pk in seen:
            return False
        seen.add(current.pk)
        if not _answer_matches(answers.get(current.condition_question_id), current):
            return False
        current = current.condition_question
    return True


def _answer_matches(answer: object, question: Question) -> bool:
    wanted = question.condition_value
    if answer is None:
        return False
    if isinstance(answer, bool):
        return wanted == ("yes" if answer else "no")
    if isinstance(answer, list | tuple | set | frozenset):
        return wanted in {str(item) for item in answer}
    return str(answer).strip().lower() == wanted.lower()
