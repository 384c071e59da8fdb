"""Template tags of the decision meeting: the panels a member can open the meeting of, and
the moderation page's cells of scores (hundreds on a page: made here, not node by node)."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from panels.selectors.meeting.panel import meetings_of_member
from panels.selectors.moderation import CriterionRow

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_meetings(context: template.Context) -> list[Any]:
    """The panels the signed-in member sits on, with whether they chair each."""
    return meetings_of_member(user=context["request"].user)


@register.filter
def score_cells(row: CriterionRow) -> SafeString:
    """The row's cells after the criterion: one per scorer (the score, and the outlier flag
    in words), then the range and the standard deviation. A score is a number or words of
    ours; only the outlier sentence needs escaping."""
    cells = [
        f'<td class="govuk-table__cell">{cell.text}'
        + (f"<br><strong>{escape(cell.outlier)}</strong>" if cell.outlier else "")
        + "</td>"
        for cell in row.cells
    ]
    spread = row.spread
    spread_range = (
        f"{spread.low} to {spread.high} ({spread.range})" if spread.range is not None else "None"
    )
    deviation = spread.deviation if spread.deviation is not None else "None"
    cells.append(f'<td class="govuk-table__cell govuk-table__cell--numeric">{spread_range}</td>')
    cells.append(f'<td class="govuk-table__cell govuk-table__cell--numeric">{deviation}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - numbers, our words, and escaped text


@register.simple_tag
def look_again_url(slug: str, scorecard_id: int) -> str:
    """The look-again page of one scorecard."""
    return _url_of("panels:score-look-again", slug, scorecard_id)


@register.simple_tag
def decision_url(name: str, slug: str, application_id: int) -> str:
    """The page recording (``record``) or changing (``change``) one decision."""
    return _url_of(f"panels:decision-{name}", slug, application_id)


PLACEHOLDER = "2147483647"


def _url_of(name: str, slug: str, pk: int) -> str:
    """A page of one object of the round, reversed once per round and page rather than
    once for each of the many rows that link to it."""
    return _pattern(name, slug).replace(PLACEHOLDER, str(pk))


@functools.lru_cache(maxsize=256)
def _pattern(name: str, slug: str) -> str:
    return reverse(name, args=[slug, int(PLACEHOLDER)])
