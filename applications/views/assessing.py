"""Commissioners' pages for a round's applications; joined in applications/urls.py."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
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
from applications.permissions import can_manage_applications
from applications.selectors import assessing as selectors
from applications.services import assessing as services
from microcomm.errors import DomainError
from rounds.models import Round
from rounds.views.gaps import csv_safe

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


def commissioners_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in page for anonymous people; not found for anyone signed in who cannot manage."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_applications(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request: HttpRequest, round: Round) -> ApplicationFilter:
    return ApplicationFilter(
        request.GET or None,
        queryset=selectors.applications_for_round(round=round),
        round=round,
    )


@require_http_methods(["GET"])
@commissioners_only
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    round = get_object_or_404(Round, slug=slug)
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
@commissioners_only
def application_csv(request: HttpRequest, slug: str) -> HttpResponse:
    round = get_object_or_404(Round, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-applications.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in selectors.applications_csv_rows(_filtered(request, round).qs):
        writer.writerow([csv_safe(value) for value in row])
    return response


def _application_or_404(pk: int) -> Application:
    application = selectors.application_for_management(pk=pk)
    if application is None:
        raise Http404
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
    from rounds.selectors.form_builder import round_priority_labels

    priorities = round_priority_labels(round=application.round)
    sections = selectors.application_answers_by_section(application=application)
    places = selectors.answer_place_names(sections)
    for section in sections:
        section.rows = [
            (question, answer, selectors.answer_display(question, answer, priorities, places))
            for question, answer in section.rows
        ]
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
            "timeline": selectors.audit_timeline(
                selectors.application_audit_trail(application=application)
            ),
        },
        status=status,
    )


@require_http_methods(["GET"])
@commissioners_only
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _application_or_404(pk))


@require_POST
@commissioners_only
def application_override(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(pk)
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
@commissioners_only
def due_diligence_verify(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    application = _application_or_404(pk)
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
@commissioners_only
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(pk)
    form = ApplicationReopenForm(request.POST)
    if form.is_valid():
        if not _can_reopen(application):
            form.add_error(
                None,
                "Only a submitted application can be reopened, and only before the round closes",
            )
        else:
            try:
                from applications.services.applying import application_reopen as reopen
            except ImportError:
                form.add_error(None, "Reopening applications is not available yet")
            else:
                try:
                    reopen(
                        application=application,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except DomainError as error:
                    form.add_error(
                        error.field if error.field in form.fields else None, error.message
                    )
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
