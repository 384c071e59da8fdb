"""Reads for the form builder, preview and form PDF: sections with questions prefetched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet, Value

from microcomm.models import Locality, Theme
from rounds.answers import locality_ids_of
from rounds.models import FormSection, Need, Question, Round
from rounds.question_kinds import AnswerContext
from rounds.round_hooks import round_parts


def round_for_form(*, slug: str) -> Round | None:
    return Round.objects.select_related("fund").filter(slug=slug).first()


def form_sections(*, round: Round) -> QuerySet[FormSection]:
    """The round's sections in order, each with its questions (and what they depend on)."""
    questions = Question.objects.select_related("condition_question", "section").order_by(
        "order", "id"
    )
    return (
        FormSection.objects.filter(round=round)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def form_questions(*, round: Round) -> QuerySet[Question]:
    """Every question of the round in form order."""
    return (
        Question.objects.filter(section__round=round)
        .select_related("section", "condition_question")
        .order_by("section__order", "section_id", "order", "id")
    )


def round_priorities(*, round: Round) -> dict[str, str]:
    """The priorities an applicant chooses from in a "which priorities" question: a stable
    id each ("theme:3", "need:12", "locality:7"), as answers store them, to its words.

    Themes first (in their set order), then needs, then places, by name: one query.
    """
    themes = Theme.objects.filter(rounds=round).annotate(
        part=Value(0), rank=F("order"), words=F("name")
    )
    needs = Need.objects.filter(rounds=round).annotate(
        part=Value(1), rank=Value(0), words=F("title")
    )
    places = Locality.objects.filter(priority_rounds=round).annotate(
        part=Value(2), rank=Value(0), words=F("name")
    )
    rows = (
        themes.order_by()
        .values_list("part", "rank", "words", "pk")
        .union(
            needs.order_by().values_list("part", "rank", "words", "pk"),
            places.order_by().values_list("part", "rank", "words", "pk"),
            all=True,
        )
        .order_by("part", "rank", "words", "pk")
    )
    prefixes = ("theme", "need", "locality")
    return {
        f"{prefixes[part]}:{pk}": f"People in {words}" if part == 2 else words
        for part, _rank, words, pk in rows
    }


def round_priority_labels(*, round: Round) -> list[str]:
    """The words of the round's priorities, in the order an applicant sees them."""
    return list(round_priorities(round=round).values())


def round_places(*, round: Round) -> list[Locality]:
    """The places an applicant chooses from in a "where will it happen" question: the
    round's eligible localities if it has any, otherwise every ward of the scheme."""
    eligible = list(round.eligible_localities.order_by("name", "id"))
    if eligible:
        return eligible
    return list(Locality.objects.filter(kind=Locality.Kind.WARD).order_by("name", "id"))


def form_answer_context(*, round: Round) -> AnswerContext:
    """What the question kinds offer on the round's form: its priorities and places."""
    return AnswerContext(
        priorities=round_priorities(round=round),
        places={place.pk: place.name for place in round_places(round=round)},
    )


def answers_display_context(
    *, round: Round, questions: Iterable[Question], values: Mapping[int, Any]
) -> AnswerContext:
    """What the question kinds need to show these answers (question id to stored value) in
    words: the round's priorities, when a question asks for them, and the names of the
    places the answers name. A fixed number of queries, however many answers."""
    questions = list(questions)
    place_ids = set().union(
        *(
            locality_ids_of(values.get(question.pk))
            for question in questions
            if question.kind == Question.Kind.LOCALITIES
        )
    )
    asks_priorities = any(question.kind == Question.Kind.PRIORITIES for question in questions)
    return AnswerContext(
        priorities=round_priorities(round=round) if asks_priorities else {},
        places=dict(Locality.objects.filter(pk__in=place_ids).values_list("pk", "name"))
        if place_ids
        else {},
    )


def form_pdf_context(*, round: Round) -> dict[str, Any]:
    """Everything the form PDF and the preview page show."""
    return {
        "round": round,
        "sections": form_sections(round=round),
        "priorities": round_priority_labels(round=round),
        "places": [place.name for place in round_places(round=round)],
        "scheme_name": settings.SCHEME_NAME,
        "parts": round_parts(round, pdf=True),
    }
