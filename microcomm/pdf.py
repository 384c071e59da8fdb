"""PDFs from templates with WeasyPrint: the form questions now, award letters later.

Rendering is slow, so call it from a Celery task in the `pdf` queue, never from a request.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

_fonts = threading.local()
# The style sheet of pdf/base.html (with a template's extra_style), parsed once per thread.
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_MAX_STYLESHEETS = 16


def _font_config() -> Any:
    """This thread's WeasyPrint font configuration, made once and used for every PDF.

    WeasyPrint otherwise builds a new one (a Pango font map, with its font lookups and
    metrics) for each document: about a quarter of an application PDF's time (bench/pdf.py).
    It holds the fonts of `@font-face` rules too, which our PDF templates do not use (the
    system's Liberation Sans or DejaVu Sans), so nothing of one document leaks into the
    next. One per thread: the worker renders one PDF at a time, inline mode on its own
    request thread.
    """
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
    return _fonts.config


def _stylesheet(text: str, base_url: str) -> Any:
    """The page's style sheet, parsed once per thread for each distinct text: parsing it
    (the @page rules, the margin boxes) took about a tenth of an application PDF's time."""
    from weasyprint import CSS

    parsed = getattr(_fonts, "stylesheets", None)
    if parsed is None or len(parsed) >= _MAX_STYLESHEETS:
        parsed = _fonts.stylesheets = {}
    if text not in parsed:
        parsed[text] = CSS(string=text, base_url=base_url, font_config=_font_config())
    return parsed[text]


def render_pdf(*, template: str, context: dict[str, Any]) -> bytes:
    """Render a template that extends `pdf/base.html` to the bytes of an A4 PDF."""
    from weasyprint import HTML

    full_context = {"scheme_name": settings.SCHEME_NAME, "site_url": settings.SITE_URL}
    full_context.update(context)
    html = render_to_string(template, full_context)
    base_url = str(settings.BASE_DIR / "static")
    stylesheets = []
    style = _STYLE.search(html)
    if style is not None:
        # The same rules as the <style> element, applied as the document's style sheet.
        stylesheets.append(_stylesheet(style[1], base_url))
        html = html[: style.start()] + html[style.end() :]
    return HTML(string=html, base_url=base_url).write_pdf(
        font_config=_font_config(), stylesheets=stylesheets
    )
