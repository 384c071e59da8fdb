"""The places applications' answers name, stored for filtering (ApplicationPlace).

Not an audit event: a copy of what the answers already say, written in the transaction
that writes the answers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from applications.models import Answer, ApplicationPlace
from microcomm.models import Locality
from rounds.answers import places_named
from rounds.models import Question

# Answers to questions of these kinds can name a place.
PLACE_KINDS = {Question.Kind.LOCALITIES, Question.Kind.PRIORITIES, *Question.CHOICE_KINDS}
BATCH = 1_000


def names_places(question: Question) -> bool:
    """Whether saving an answer to the question can change the places stored."""
    return question.kind in PLACE_KINDS


@transaction.atomic
def application_places_refresh(*, application_ids: Iterable[int]) -> None:
    """Store again the places each application's answers name (rounds.answers.places_named).

    Call it after writing answers that can name a place. Costs four queries for a batch of
    up to a thousand applications, however many answers they hold.
    """
    ids = sorted(set(application_ids))
    if not ids:
        return
    places = {
        pk: (name, parent)
        for pk, name, parent in Locality.objects.values_list("pk", "name", "parent_id")
    }
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        named: set[tuple[int, int]] = set()
        answers = Answer.objects.filter(
            application_id__in=batch, question__kind__in=PLACE_KINDS
        ).values_list("application_id", "question__kind", "question__label", "value")
        for application_id, kind, label, value in answers:
            for locality_id in places_named(kind=kind, label=label, value=value, places=places):
                named.add((application_id, locality_id))
        ApplicationPlace.objects.filter(application_id__in=batch).delete()
        ApplicationPlace.objects.bulk_create(
            ApplicationPlace(application_id=application_id, locality_id=locality_id)
            for application_id, locality_id in sorted(named)
        )
