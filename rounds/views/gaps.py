"""Gap analysis pages; urlpatterns are joined in rounds/urls.py."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from microcomm.caching import GAPS, generation_cached
from microcomm.csv import csv_download
from microcomm.http import authorize
from rounds import permissions
from rounds.forms.gaps import GapFilterForm
from rounds.selectors.gaps import COUNTED_STATUS_FILTER, GapLevel, GapMatrix, gap_matrix

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
    can_start_round = permissions.can_manage_funding(request.user)
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
            "can_start_round": can_start_round,
            "register_url": f"{reverse('rounds:need-list')}?{urlencode(register_query)}",
            "matrix_table": _matrix_table(matrix, filters=filters, can_start_round=can_start_round),
        },
    )


def _matrix_table(matrix: GapMatrix, *, filters: dict, can_start_round: bool) -> str:
    """The table of the matrix as HTML, kept with the matrix until a need or service changes:
    its hundreds of cells (each with two links) cost more to render than to count."""
    name = ":".join(
        [
            "gap-table",
            *(str(getattr(value, "pk", value) or "") for value in filters.values()),
            str(can_start_round),
        ]
    )
    return generation_cached(
        kind=GAPS,
        name=name,
        compute=lambda: render_to_string(
            "rounds/gaps/_matrix_table.html",
            {"matrix": matrix, "can_start_round": can_start_round},
        ),
    )


def _gap_csv_rows(matrix: GapMatrix) -> Iterator[list[object]]:
    for cell in matrix.cells:
        yield [
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


@require_http_methods(["GET"])
def gap_analysis_csv(request: HttpRequest) -> StreamingHttpResponse:
    authorize(request, can_do=permissions.can_view_gaps(request.user))
    matrix = gap_matrix(**GapFilterForm(request.GET or None).filters())
    return csv_download(filename="gap-analysis.csv", header=CSV_HEADER, rows=_gap_csv_rows(matrix))


urlpatterns = [
    path("gaps/", gap_analysis, name="gap-analysis"),
    path("gaps.csv", gap_analysis_csv, name="gap-analysis-csv"),
]
