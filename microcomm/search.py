"""Free-text searches that the database can answer from its indexes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet


def ids_by_word(queryset: QuerySet[Any], field: str, words: Sequence[str]) -> dict[str, list[int]]:
    """For each word, the ids of the rows whose ``field`` contains it, whatever the case
    (as ``icontains``); one query for all the words.

    A search matches a word in a related name (a theme, a place, a group) through these
    ids rather than a join or a subquery: a list of ids is matched from the column's
    index, so an OR of it with trigram-indexed text conditions stays an index search
    on PostgreSQL, where a join or an ``IN (subquery)`` reads every row.
    """
    if not words:
        return {}
    condition = Q()
    for word in words:
        condition |= Q(**{f"{field}__icontains": word})
    rows = list(queryset.filter(condition).order_by().values_list("pk", field))
    return {
        word: [pk for pk, text in rows if word.upper() in (text or "").upper()] for word in words
    }
