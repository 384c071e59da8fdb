"""Needs register pages; urlpatterns are joined in rounds/urls.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.errors import DomainError
from microcomm.http import authorize, form_add_domain_error, posted, posted_files
from microcomm.lifecycle import allowed_transitions
from microcomm.selectors import audit_timeline
from microcomm.uploads import CONTENT_TYPES
from rounds import permissions
from rounds.forms.needs import NeedCloseForm, NeedFilterForm, NeedForm, NeedMergeForm, QuickLogForm
from rounds.models import Need
from rounds.need_rules import need_move_guard
from rounds.selectors import needs as selectors
from rounds.services import needs as services

PAGE_SIZE = 25


def _need_or_404(request: HttpRequest, pk: int) -> Need:
    """The need, or 404 when it is not there or the person may not see needs at all."""
    need = selectors.need_for_page(user=request.user, pk=pk)
    authorize(request, can_see=need is not None)
    return need


@require_http_methods(["GET"])
def need_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_view_needs(request.user))
    filter_form = NeedFilterForm(request.GET)
    needs = selectors.needs_filter(
        needs=selectors.needs_visible_to(request.user), filters=filter_form.filters()
    )
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rounds/needs/need_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "can_log": permissions.can_log_need(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_log_need(request.user))
    triage = permissions.can_triage_needs(request.user)
    form = NeedForm(posted(request), posted_files(request), with_priority=triage)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.need_create(
                theme=data["theme"],
                locality=data["locality"],
                source=data["source"],
                title=data["title"],
                description=data["description"],
                people_affected=data["people_affected"],
                population_groups=data["population_groups"],
                language_spoken=data["language_spoken"],
                population_other=data["population_other"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
                evidence_extension=getattr(form, "evidence_extension", ""),
                jsna_priority=data.get("jsna_priority"),
                actor=request.user,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Need recorded: {need.title}")
            return redirect("rounds:need-detail", pk=need.pk)
    return render(
        request, "rounds/needs/need_form.html", {"form": form, "heading": "Record a need"}
    )


@require_http_methods(["GET"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request, pk)
    return render(
        request,
        "rounds/needs/need_detail.html",
        {
            "need": need,
            "timeline": audit_timeline(target=need),
            "can_triage": permissions.can_triage_needs(request.user),
            # Closing has its own page, which asks why.
            "next_statuses": [
                Need.Status(status)
                for status in allowed_transitions(need, guard=need_move_guard)
                if status != Need.Status.CLOSED
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    initial = {
        "theme": need.theme,
        "locality": need.locality,
        "source": need.source,
        "title": need.title,
        "description": need.description,
        "people_affected": need.people_affected,
        "population_groups": list(need.population_groups.all()),
        "language_spoken": need.language_spoken,
        "population_other": need.population_other,
        "evidence_url": need.evidence_url,
        "jsna_priority": need.jsna_priority,
    }
    form = NeedForm(posted(request), posted_files(request), initial=initial, with_priority=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.need_update(
                need=need,
                actor=request.user,
                population_groups=data["population_groups"],
                evidence_file=data["evidence_file"],
                evidence_extension=getattr(form, "evidence_extension", ""),
                jsna_priority=data["jsna_priority"],
                **{field: data[field] for field in services.EDITABLE_FIELDS},
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Need updated")
            return redirect("rounds:need-detail", pk=need.pk)
    return render(
        request,
        "rounds/needs/need_form.html",
        {"form": form, "need": need, "heading": "Edit this need"},
    )


@require_http_methods(["GET", "POST"])
def need_merge(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    candidates = selectors.need_merge_candidates(need=need)
    form = NeedMergeForm(posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.need_merge(
                source=need,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Merged. {target.signal_count} signals for {target.title}")
            return redirect("rounds:need-detail", pk=target.pk)
    return render(
        request,
        "rounds/needs/need_merge.html",
        {"form": form, "need": need, "has_candidates": candidates.exists()},
    )


@require_http_methods(["GET", "POST"])
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    form = NeedCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.need_close(need=need, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"Need closed: {need.title}")
            return redirect("rounds:need-detail", pk=need.pk)
    return render(request, "rounds/needs/need_close.html", {"form": form, "need": need})


@require_POST
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a need open, being addressed or met from its page."""
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    status = request.POST.get("status", "")
    if status not in (Need.Status.OPEN, Need.Status.BEING_ADDRESSED, Need.Status.MET):
        raise Http404
    try:
        services.need_status_change(need=need, status=status, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Need marked as {Need.Status(status).label.lower()}")
    return redirect("rounds:need-detail", pk=need.pk)


@require_http_methods(["GET"])
def need_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an uploaded evidence file to people who may see needs; never a public URL."""
    need = _need_or_404(request, pk)
    if not need.evidence_file:
        raise Http404
    extension = need.evidence_file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = need.evidence_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"need-{need.pk}-evidence.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def need_quick_log(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_log_need(request.user))
    form = QuickLogForm(request.POST)
    if form.is_valid():
        try:
            need, count = services.need_quick_log(
                theme=form.cleaned_data["theme"],
                locality=form.cleaned_data["locality"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            signals = "signal" if count == 1 else "signals"
            messages.success(request, f"Logged. {count} {signals} for {need.title}")
            return redirect("microcomm:home")
    return render(request, "rounds/needs/need_quick_log.html", {"form": form})


urlpatterns = [
    path("needs/", need_list, name="need-list"),
    path("needs/new/", need_create, name="need-create"),
    path("needs/quick-log/", need_quick_log, name="need-quick-log"),
    path("needs/<int:pk>/", need_detail, name="need-detail"),
    path("needs/<int:pk>/edit/", need_edit, name="need-edit"),
    path("needs/<int:pk>/merge/", need_merge, name="need-merge"),
    path("needs/<int:pk>/close/", need_close, name="need-close"),
    path("needs/<int:pk>/status/", need_status, name="need-status"),
    path("needs/<int:pk>/evidence/", need_evidence, name="need-evidence"),
]
