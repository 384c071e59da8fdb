"""PDFs from templates with WeasyPrint: the form questions now, award letters later.

Rendering is slow, so call it from a Celery task in the `pdf` queue, never from a request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(*, template: str, context: dict[str, Any]) -> bytes:
    """Render a template that extends `pdf/base.html` to the bytes of an A4 PDF."""
    from weasyprint import HTML

    full_context = {"scheme_name": settings.SCHEME_NAME, "site_url": settings.SITE_URL}
    full_context.update(context)
    html = render_to_string(template, full_context)
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url).write_pdf()
