"""Shared display tags: a status as a GOV.UK tag, moments in words."""

from __future__ import annotations

from django import template
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString

from microcomm.formatting import london_datetime
from microcomm.status_tags import status_tag_for

register = template.Library()

register.filter("london_datetime", london_datetime)


@register.simple_tag
def status_tag(obj: models.Model, variant: str = "") -> SafeString:
    """`{% status_tag application %}`: the status in words, in its registered colour."""
    tag = status_tag_for(obj, variant)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', tag.colour, tag.label)
