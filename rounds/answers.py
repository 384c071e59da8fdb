"""What a stored answer to a question says: whether one is given, its words over the
limit, the places it names. Pure rules: the applications app stores the answers, and its
forms, selectors and checks at submission read them through these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

from rounds.models import Question
from rounds.visibility import question_is_shown


class StoredAnswer(Protocol):
    question_id: int
    question: Question
    value: Any


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text or ""))


def words_over(question: Question, value: Any) -> int:
    """How many words an answer has beyond the question's limit; 0 within it."""
    if not question.word_limit or not isinstance(value, str):
        return 0
    return max(0, count_words(value) - question.word_limit)


def is_answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return bool(value)
    return True


def locality_ids_of(value: Any) -> set[int]:
    """The locality ids a "where will it happen" answer holds (a list of ids)."""
    if not isinstance(value, list | tuple):
        return set()
    ids = set()
    for item in value:
        try:
            ids.add(int(item))
        except (TypeError, ValueError):
            continue
    return ids


def answered_locality_ids(answers: Iterable[StoredAnswer]) -> set[int]:
    """Every place named in the answers to the localities questions the applicant sees."""
    answers = list(answers)
    values = {answer.question_id: answer.value for answer in answers}
    ids: set[int] = set()
    for answer in answers:
        question = answer.question
        if question.kind == Question.Kind.LOCALITIES and question_is_shown(question, values):
            ids |= locality_ids_of(answer.value)
    return ids
