"""Commissioners' pages for a round's applications; joined in applications/urls.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import include, path, reverse
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
from microcomm.csv import csv_download
from microcomm.errors import DomainError
from microcomm.http import authorize, form_submit, paginate
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
    # Always bound, so that an empty query still shows only submitted applications.
    return ApplicationFilter(
        request.GET,
        queryset=selectors.applications_for_round(round=round),
        round=round,
    )


@require_http_methods(["GET"])
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    application_filter = _filtered(request, round)
    return render(
        request,
        "applications/manage/application_list.html",
        {
            "round": round,
            "filter": application_filter,
            "form": application_filter.form,
            **paginate(request, application_filter.qs, PAGE_SIZE),
        },
    )


@require_http_methods(["GET"])
def application_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    round = _managed_round(request, slug)
    return csv_download(
        filename=f"{round.slug}-applications.csv",
        header=CSV_HEADER,
        rows=selectors.applications_csv_rows(_filtered(request, round).qs),
    )


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    """The application for a commissioner; its group is refused, anyone else finds nothing."""
    application = selectors.application_for_management(pk=pk)
    authorize(
        request,
        can_see=APPLICATIONS.allows(request.user, application),
        can_do=can_manage_applications(request.user),
    )
    return application


def _detail_url(application: Application) -> str:
    return reverse("applications:manage-application-detail", kwargs={"pk": application.pk})


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
    return form_submit(
        request,
        form,
        lambda data: services.eligibility_override(
            application=application, reason=data["reason"], actor=request.user
        ),
        message="Eligibility overridden. The group can now submit.",
        next_url=_detail_url(application),
    ) or _detail(request, application, override_form=form, status=400)


@require_POST
def due_diligence_verify(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    item = get_object_or_404(DueDiligenceItem, pk=item_pk, application=application)
    form = DueDiligenceVerifyForm(request.POST, prefix=f"item-{item.pk}")
    return form_submit(
        request,
        form,
        lambda data: services.due_diligence_verify(
            item=item, verified=data["verified"], note=data["note"], actor=request.user
        ),
        message=lambda _: (
            f"{item.label}: "
            + ("verified" if form.cleaned_data["verified"] else "marked not verified")
        ),
        next_url=_detail_url(application),
    ) or _detail(request, application, verify_forms={item.pk: form}, status=400)


@require_POST
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ApplicationReopenForm(request.POST)

    def reopen(data: dict) -> Application:
        if not _can_reopen(application):
            raise DomainError(
                "Only a submitted application can be reopened, and only before the round closes"
            )
        return applying_services.application_reopen(
            application=application, reason=data["reason"], actor=request.user
        )

    return form_submit(
        request,
        form,
        reopen,
        message="Application reopened. The group can make changes.",
        next_url=_detail_url(application),
    ) or _detail(request, application, reopen_form=form, status=400)


# A round's applications, and each application's pages.
round_urlpatterns = [
    path("applications/", application_list, name="manage-application-list"),
    path("applications.csv", application_csv, name="manage-application-csv"),
]
application_urlpatterns = [
    path("", application_detail, name="manage-application-detail"),
    path("eligibility/", application_override, name="manage-application-override"),
    path("due-diligence/<int:item_pk>/", due_diligence_verify, name="manage-due-diligence-verify"),
    path("reopen/", application_reopen, name="manage-application-reopen"),
]

urlpatterns = [
    path("manage/rounds/<slug:slug>/", include(round_urlpatterns)),
    path("manage/applications/<int:pk>/", include(application_urlpatterns)),
]
