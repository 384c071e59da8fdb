"""The public, read-only Open Referral UK API: `/openreferral/services` and one service.

Other directories read ours from here, so it needs no sign-in; it serves active services
only and never the name or number of a person.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from microcomm.caching import public_page
from rounds.oruk.export import oruk_page, oruk_service, oruk_service_summary, service_oruk_id
from rounds.selectors.directory import services_for_oruk

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def _positive_int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw) or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more")
    return int(raw)


@login_not_required
@require_GET
@public_page(query=["page", "per_page"])
def oruk_services(request: HttpRequest) -> JsonResponse:
    try:
        page_number = _positive_int(request, "page", 1)
        per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if per_page > MAX_PER_PAGE:
        return JsonResponse({"error": f"per_page must be {MAX_PER_PAGE} or fewer"}, status=400)
    services = services_for_oruk()
    search = request.GET.get("search", "").strip()
    if search:
        services = services.filter(name__icontains=search)
    total = services.count()
    start = (page_number - 1) * per_page
    # A page past the last one is empty; its offset may not fit a database integer.
    page = services[start : start + per_page] if start < total else []
    contents = [oruk_service_summary(s) for s in page]
    return JsonResponse(
        oruk_page(contents=contents, total_items=total, page_number=page_number, per_page=per_page)
    )


@login_not_required
@require_GET
def oruk_service_detail(request: HttpRequest, id: str) -> JsonResponse:
    services = services_for_oruk()
    service = services.filter(oruk_id=id).first()
    if service is None:
        # Listings added before they had an ORUK id are published under a made-up one.
        service = next(
            (s for s in services.filter(oruk_id__isnull=True) if service_oruk_id(s) == id), None
        )
    if service is None:
        return JsonResponse({"error": f"No active service has the id {id}"}, status=404)
    return JsonResponse(oruk_service(service))


urlpatterns = [
    path("openreferral/services", oruk_services, name="oruk-services"),
    path("openreferral/services/<str:id>", oruk_service_detail, name="oruk-service"),
]
