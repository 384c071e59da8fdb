"""Reads for the form builder, preview and form PDF: sections with questions prefetched."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from microcomm.models import Locality
from rounds.models import FormSection, Question, Round


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


def round_priority_labels(*, round: Round) -> list[str]:
    """The priorities an applicant chooses from in a "which priorities" question."""
    labels = [theme.name for theme in round.priority_themes.all()]
    labels += [need.title for need in round.priority_needs.all()]
    labels += [f"People in {locality.name}" for locality in round.priority_localities.all()]
    return labels


def round_places(*, round: Round) -> list[Locality]:
    """The places an applicant chooses from in a "where will it happen" question: the
    round's eligible localities if it has any, otherwise every ward of the scheme."""
    eligible = list(round.eligible_localities.order_by("name", "id"))
    if eligible:
        return eligible
    return list(Locality.objects.filter(kind=Locality.Kind.WARD).order_by("name", "id"))


def form_pdf_context(*, round: Round) -> dict[str, Any]:
    """Everything the form PDF and the preview page show."""
    return {
        "round": round,
        "sections": form_sections(round=round),
        "priorities": round_priority_labels(round=round),
        "places": [place.name for place in round_places(round=round)],
        "scheme_name": settings.SCHEME_NAME,
    }
