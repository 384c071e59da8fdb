"""Shared display tags: a status as a GOV.UK tag, moments in words, links apps add."""

from __future__ import annotations

from django import template
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString

from microcomm.formatting import clock_words, london_date, london_datetime, london_time
from microcomm.navigation import page_links_for
from microcomm.status_tags import status_tag_for

register = template.Library()

register.filter("london_datetime", london_datetime)
register.filter("london_date", london_date)
register.filter("london_time", london_time)
register.filter("clock_words", clock_words)


@register.simple_tag
def status_tag(obj: models.Model, variant: str = "") -> SafeString:
    """`{% status_tag application %}`: the status in words, in its registered colour."""
    tag = status_tag_for(obj, variant)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', tag.colour, tag.label)


@register.simple_tag(takes_context=True)
def page_links(context: template.Context, place: str, obj: object) -> list[dict[str, str]]:
    """`{% page_links "round" round as links %}`: links later apps add to this page."""
    request = context.get("request")
    return page_links_for(place, getattr(request, "user", None), obj)
