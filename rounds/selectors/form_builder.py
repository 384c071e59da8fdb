"""Reads for the form builder, preview and form PDF: sections with questions prefetched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from microcomm.models import Locality
from rounds.answers import locality_ids_of
from rounds.models import FormSection, Question, Round
from rounds.question_kinds import AnswerContext


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
    id each ("theme:3", "need:12", "locality:7"), as answers store them, to its words."""
    priorities = {f"theme:{theme.pk}": theme.name for theme in round.priority_themes.all()}
    priorities.update({f"need:{need.pk}": need.title for need in round.priority_needs.all()})
    priorities.update(
        {
            f"locality:{locality.pk}": f"People in {locality.name}"
            for locality in round.priority_localities.all()
        }
    )
    return priorities


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
    }
