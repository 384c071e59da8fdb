"""What a stored answer to a question says: whether one is given, its words over the
limit, the places it names. Pure rules: the applications app stores the answers, and its
forms, selectors and checks at submission read them through these."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
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


# Words in the label of an older free-choice question asking where the activity happens.
LOCALITY_WORDS = ("localit", "area", "ward", "neighbourhood")


def asks_where_by_choice(*, kind: str, label: str) -> bool:
    """An older free-choice question asking where the activity happens (by its words)."""
    label = label.lower()
    return kind in Question.CHOICE_KINDS and any(word in label for word in LOCALITY_WORDS)


def places_named(
    *, kind: str, label: str, value: Any, places: Mapping[int, tuple[str, int | None]]
) -> set[int]:
    """The places (ids of ``places``: id to name and parent id) an answer names.

    - a "where will it happen" answer: its places, and the place holding each (a ward's
      PCN), so that asking for a PCN finds the activity in its wards;
    - a priorities answer: the places chosen as priorities ("locality:7", by id);
    - an older free-choice question about the area: each place whose name is in the
      answer's words, as a commissioner searching for that name would find it.
    """
    named: set[int] = set()
    if value is None:
        return named
    if kind == Question.Kind.LOCALITIES:
        for pk in locality_ids_of(value) & places.keys():
            named.add(pk)
            parent = places[pk][1]
            if parent is not None:
                named.add(parent)
    elif kind == Question.Kind.PRIORITIES:
        for item in value if isinstance(value, list | tuple) else []:
            if isinstance(item, str) and item.startswith("locality:"):
                try:
                    pk = int(item.removeprefix("locality:"))
                except ValueError:
                    continue
                if pk in places:
                    named.add(pk)
    elif asks_where_by_choice(kind=kind, label=label):
        text = json.dumps(value, ensure_ascii=False).lower()
        named |= {pk for pk, (name, _parent) in places.items() if name.lower() in text}
    return named
