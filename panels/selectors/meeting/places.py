"""The round's priorities and places, and those each application's answers chose: what
the meeting's coverage and the ranking's ties are judged on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast

from applications.models import Answer, Application
from microcomm.models import Locality, Theme
from panels.models import Panel
from rounds.answers import locality_ids_of
from rounds.models import Need, Question, Round


@dataclass(frozen=True)
class RoundPlaces:
    """The round's priorities (id -> words) and the places coverage is judged on."""

    priorities: dict[str, str]
    localities: dict[int, str]
    # A place inside one of the round's places (a ward in a PCN) -> that place.
    parent_of: dict[int, int]


def round_places_and_priorities(*, panel: Panel) -> RoundPlaces:
    """The round's priorities and places in one query: its priority themes and needs, and
    the places (its priority places, else its eligible ones) with the places inside them."""
    round_id = panel.round_id
    chosen = Round.priority_localities.through.objects.filter(round_id=round_id)
    eligible = Round.eligible_localities.through.objects.filter(round_id=round_id)
    no_parent = Cast(Value(None), output_field=IntegerField())
    yes, no = Value(True, output_field=BooleanField()), Value(False, output_field=BooleanField())
    # Every column an annotation, so that the three parts of the union line up.
    columns = ("row_kind", "row_pk", "row_words", "row_parent", "row_priority", "row_eligible")
    themes = (
        Theme.objects.filter(rounds__pk=round_id)
        .annotate(
            row_kind=Value("theme", output_field=CharField()),
            row_pk=F("pk"),
            row_words=F("name"),
            row_parent=no_parent,
            row_priority=yes,
            row_eligible=no,
        )
        .values_list(*columns)
        .order_by()
    )
    needs = (
        Need.objects.filter(rounds__pk=round_id)
        .annotate(
            row_kind=Value("need", output_field=CharField()),
            row_pk=F("pk"),
            row_words=F("title"),
            row_parent=no_parent,
            row_priority=yes,
            row_eligible=no,
        )
        .values_list(*columns)
        .order_by()
    )
    places = (
        Locality.objects.filter(
            Q(pk__in=chosen.values("locality_id"))
            | Q(pk__in=eligible.values("locality_id"))
            | Q(parent_id__in=chosen.values("locality_id"))
            | Q(parent_id__in=eligible.values("locality_id"))
        )
        .annotate(
            row_kind=Value("locality", output_field=CharField()),
            row_pk=F("pk"),
            row_words=F("name"),
            row_parent=F("parent_id"),
            row_priority=Exists(chosen.filter(locality_id=OuterRef("pk"))),
            row_eligible=Exists(eligible.filter(locality_id=OuterRef("pk"))),
        )
        .values_list(*columns)
        .order_by()
    )
    rows = list(themes.union(needs, places, all=True))
    priorities: dict[str, str] = {}
    for kind, pk, words, _, _, _ in rows:
        if kind != "locality":
            priorities[f"{kind}:{pk}"] = words
    found = sorted(
        {row[1:] for row in rows if row[0] == "locality"}, key=lambda row: (row[1], row[0])
    )
    for pk, name, _, is_priority, _ in found:
        if is_priority:
            priorities[f"locality:{pk}"] = f"People in {name}"
    use_priority = any(row[3] for row in found)
    localities = {
        pk: name
        for pk, name, _, is_priority, is_eligible in found
        if (is_priority if use_priority else is_eligible)
    }
    parent_of = {
        pk: parent for pk, _, parent, _, _ in found if parent in localities and pk not in localities
    }
    return RoundPlaces(priorities=priorities, localities=localities, parent_of=parent_of)


def answered_priorities_and_places(
    *, panel: Panel, places: RoundPlaces
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[int]]]:
    """Per application: the round priorities its answers chose and the round's places they
    name (a place inside one of the round's places counts for that place)."""
    priorities: dict[int, set[str]] = defaultdict(set)
    localities: dict[int, set[int]] = defaultdict(set)
    rows = Answer.objects.filter(
        application__round_id=panel.round_id,
        application__status=Application.Status.SUBMITTED,
        question__kind__in=[Question.Kind.PRIORITIES, Question.Kind.LOCALITIES],
    ).values_list("application_id", "question__kind", "value")
    for application_id, kind, value in rows:
        if kind == Question.Kind.PRIORITIES:
            items = value if isinstance(value, list) else [value]
            for item in items:
                key = str(item)
                if key in places.priorities:
                    priorities[application_id].add(key)
                if key.startswith("locality:"):
                    localities[application_id].update(locality_ids_of([key.split(":", 1)[1]]))
        else:
            localities[application_id].update(locality_ids_of(value))
    placed = {
        application_id: frozenset(
            places.parent_of.get(pk, pk)
            for pk in ids
            if pk in places.localities or pk in places.parent_of
        )
        for application_id, ids in localities.items()
    }
    return {key: frozenset(value) for key, value in priorities.items()}, placed
