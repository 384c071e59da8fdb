"""Commissioners' pages for a round's applications; joined in applications/urls.py."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from applications.filters import ApplicationFilter
from applications.forms.assessing import (
    ApplicationReopenForm,
    DueDiligenceVerifyForm,
    EligibilityOverrideForm,
)
from applications.models import Application, DueDiligenceItem
from applications.permissions import APPLICATIONS, can_manage_applications
from applications.selectors import assessing as selectors
from applications.services import applying as applying_services
from applications.services import assessing as services
from microcomm.csv import csv_safe
from microcomm.errors import DomainError
from microcomm.http import authorize
from microcomm.selectors import audit_timeline
from rounds.models import Round
from rounds.selectors.public import round_for_managing

PAGE_SIZE = 25
CSV_HEADER = [
    "Reference",
    "Group",
    "Project",
    "Status",
    "Amount requested",
    "Submitted",
    "Eligible",
    "Eligibility reasons",
    "Due diligence verified",
]


def _managed_round(request: HttpRequest, slug: str) -> Round:
    """The round for a commissioner: a draft is hidden from others, a published one refused."""
    round = round_for_managing(user=request.user, slug=slug)
    authorize(
        request,
        can_see=round is not None,
        can_do=can_manage_applications(request.user),
    )
    return round


def _filtered(request: HttpRequest, round: Round) -> ApplicationFilter:
    return ApplicationFilter(
        request.GET or None,
        queryset=selectors.applications_for_round(round=round),
        round=round,
    )


@require_http_methods(["GET"])
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    application_filter = _filtered(request, round)
    page = Paginator(application_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/manage/application_list.html",
        {
            "round": round,
            "filter": application_filter,
            "form": application_filter.form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


@require_http_methods(["GET"])
def application_csv(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-applications.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in selectors.applications_csv_rows(_filtered(request, round).qs):
        writer.writerow([csv_safe(value) for value in row])
    return response


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    """The application for a commissioner; its group is refused, anyone else finds nothing."""
    application = selectors.application_for_management(pk=pk)
    authorize(
        request,
        can_see=APPLICATIONS.allows(request.user, application),
        can_do=can_manage_applications(request.user),
    )
    return application


def _can_reopen(application: Application) -> bool:
    return (
        application.status == Application.Status.SUBMITTED
        and timezone.now() < application.round.closes_at
    )


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    override_form: EligibilityOverrideForm | None = None,
    reopen_form: ApplicationReopenForm | None = None,
    verify_forms: dict[int, DueDiligenceVerifyForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = selectors.application_answers_by_section(application=application)
    documents = selectors.current_documents(application=application)
    checklist = selectors.due_diligence_checklist(application=application, documents=documents)
    verify_forms = verify_forms or {}
    for row in checklist:
        row.form = verify_forms.get(row.item.pk) or DueDiligenceVerifyForm(
            prefix=f"item-{row.item.pk}",
            initial={"verified": "no" if row.item.verified else "yes", "note": row.item.note},
        )
    return render(
        request,
        "applications/manage/application_detail.html",
        {
            "application": application,
            "round": application.round,
            "sections": sections,
            "budget": selectors.application_budget(application=application),
            "documents": documents,
            "checklist": checklist,
            "outstanding": sum(1 for row in checklist if not row.item.verified),
            "due_diligence_complete": bool(checklist)
            and all(row.item.verified for row in checklist),
            "override_form": override_form or EligibilityOverrideForm(),
            "reopen_form": reopen_form or ApplicationReopenForm(),
            "can_reopen": _can_reopen(application),
            "timeline": audit_timeline(target=application),
        },
        status=status,
    )


@require_http_methods(["GET"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _application_or_404(request, pk))


@require_POST
def application_override(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = EligibilityOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.eligibility_override(
                application=application, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Eligibility overridden. The group can now submit.")
            return redirect("applications:manage-application-detail", pk=pk)
    return _detail(request, application, override_form=form, status=400)


@require_POST
def due_diligence_verify(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    item = get_object_or_404(DueDiligenceItem, pk=item_pk, application=application)
    form = DueDiligenceVerifyForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.due_diligence_verify(
                item=item,
                verified=form.cleaned_data["verified"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            state = "verified" if form.cleaned_data["verified"] else "marked not verified"
            messages.success(request, f"{item.label}: {state}")
            return redirect("applications:manage-application-detail", pk=pk)
    return _detail(request, application, verify_forms={item.pk: form}, status=400)


@require_POST
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ApplicationReopenForm(request.POST)
    if form.is_valid():
        if not _can_reopen(application):
            form.add_error(
                None,
                "Only a submitted application can be reopened, and only before the round closes",
            )
        else:
            try:
                applying_services.application_reopen(
                    application=application,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Application reopened. The group can make changes.")
                return redirect("applications:manage-application-detail", pk=pk)
    return _detail(request, application, reopen_form=form, status=400)


urlpatterns = [
    path(
        "manage/rounds/<slug:slug>/applications/",
        application_list,
        name="manage-application-list",
    ),
    path(
        "manage/rounds/<slug:slug>/applications.csv",
        application_csv,
        name="manage-application-csv",
    ),
    path("manage/applications/<int:pk>/", application_detail, name="manage-application-detail"),
    path(
        "manage/applications/<int:pk>/eligibility/",
        application_override,
        name="manage-application-override",
    ),
    path(
        "manage/applications/<int:pk>/due-diligence/<int:item_pk>/",
        due_diligence_verify,
        name="manage-due-diligence-verify",
    ),
    path(
        "manage/applications/<int:pk>/reopen/",
        application_reopen,
        name="manage-application-reopen",
    ),
]
