"""Gap analysis pages; urlpatterns are joined in rounds/urls.py."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from microcomm.csv import csv_safe
from microcomm.http import authorize
from rounds import permissions
from rounds.forms.gaps import GapFilterForm
from rounds.selectors.gaps import COUNTED_STATUS_FILTER, GapLevel, gap_matrix

CSV_HEADER = [
    "PCN",
    "Place",
    "Kind of place",
    "Theme",
    "Open needs",
    "Need signals",
    "People affected",
    "Active services",
    "Places a week",
    "People waiting",
    "Gap",
    "Gap score",
]


@require_http_methods(["GET"])
def gap_analysis(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_view_gaps(request.user))
    form = GapFilterForm(request.GET or None)
    filters = form.filters()
    matrix = gap_matrix(**filters)
    register_query = {"status": COUNTED_STATUS_FILTER}
    if filters["population_group"] is not None:
        register_query["population_group"] = filters["population_group"].pk
    return render(
        request,
        "rounds/gaps/gap_analysis.html",
        {
            "form": form,
            "filters": filters,
            "matrix": matrix,
            "largest": matrix.largest(5),
            "levels": list(GapLevel),
            "query": request.GET.urlencode(),
            "can_start_round": permissions.can_manage_funding(request.user),
            "register_url": f"{reverse('rounds:need-list')}?{urlencode(register_query)}",
        },
    )


@require_http_methods(["GET"])
def gap_analysis_csv(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_view_gaps(request.user))
    matrix = gap_matrix(**GapFilterForm(request.GET or None).filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gap-analysis.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for cell in matrix.cells:
        row = [
            cell.pcn.name if cell.pcn else "",
            cell.locality.name,
            cell.locality.get_kind_display(),
            cell.theme.name,
            cell.needs,
            cell.signals,
            cell.people_affected,
            cell.services,
            cell.capacity,
            cell.waiting,
            cell.level.label,
            cell.score,
        ]
        writer.writerow([csv_safe(value) for value in row])
    return response


urlpatterns = [
    path("gaps/", gap_analysis, name="gap-analysis"),
    path("gaps.csv", gap_analysis_csv, name="gap-analysis-csv"),
]
