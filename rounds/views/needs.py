"""Needs register pages; urlpatterns are joined in rounds/urls.py."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.formatting import counted
from microcomm.http import (
    action_submit,
    authorize,
    confirm_page,
    form_submit,
    paginate,
    posted,
    posted_files,
)
from microcomm.lifecycle import allowed_transitions
from microcomm.selectors import audit_timeline
from microcomm.uploads import CONTENT_TYPES
from rounds import permissions
from rounds.forms.needs import (
    NeedCloseForm,
    NeedFilterForm,
    NeedForm,
    NeedMergeForm,
    NeedSignalMoveForm,
    QuickLogForm,
)
from rounds.models import Need, NeedSignal
from rounds.need_matching import need_best_match
from rounds.need_rules import need_move_guard
from rounds.selectors import needs as selectors
from rounds.services import needs as services

PAGE_SIZE = 25


def _need_url(need: Need) -> str:
    return reverse("rounds:need-detail", kwargs={"pk": need.pk})


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
    return render(
        request,
        "rounds/needs/need_list.html",
        {
            "filter_form": filter_form,
            **paginate(request, needs, PAGE_SIZE),
            "can_log": permissions.can_log_need(request.user),
            "area_label": filter_form.area_label(),
        },
    )


@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_log_need(request.user))
    triage = permissions.can_triage_needs(request.user)
    form = NeedForm(posted(request), posted_files(request), with_priority=triage)
    return form_submit(
        request,
        form,
        lambda data: services.need_create(
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
        ),
        message=lambda need: f"Need recorded: {need.title}",
        next_url=_need_url,
    ) or render(request, "rounds/needs/need_form.html", {"form": form, "heading": "Record a need"})


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
    return form_submit(
        request,
        form,
        lambda data: services.need_update(
            need=need,
            actor=request.user,
            population_groups=data["population_groups"],
            evidence_file=data["evidence_file"],
            evidence_extension=getattr(form, "evidence_extension", ""),
            jsna_priority=data["jsna_priority"],
            **{field: data[field] for field in services.EDITABLE_FIELDS},
        ),
        message="Need updated",
        next_url=_need_url(need),
    ) or render(
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
    return form_submit(
        request,
        form,
        lambda data: services.need_merge(
            source=need, target=data["target"], reason=data["reason"], actor=request.user
        ),
        message=lambda target: (
            f"Merged. {counted(target.signal_count, 'signal')} for {target.title}"
        ),
        next_url=_need_url,
    ) or render(
        request,
        "rounds/needs/need_merge.html",
        {"form": form, "need": need, "has_candidates": candidates.exists()},
    )


@require_http_methods(["GET", "POST"])
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    form = NeedCloseForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.need_close(need=need, reason=data["reason"], actor=request.user),
        message=f"Need closed: {need.title}",
        next_url=_need_url(need),
    ) or render(request, "rounds/needs/need_close.html", {"form": form, "need": need})


@require_POST
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a need open, being addressed or met from its page."""
    need = _need_or_404(request, pk)
    authorize(request, can_do=permissions.can_triage_needs(request.user))
    status = request.POST.get("status", "")
    if status not in (Need.Status.OPEN, Need.Status.BEING_ADDRESSED, Need.Status.MET):
        raise Http404
    return action_submit(
        request,
        lambda: services.need_status_change(need=need, status=status, actor=request.user),
        message=f"Need marked as {Need.Status(status).label.lower()}",
        next_url=_need_url(need),
    )


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


def _quick_log_message(logged: services.QuickLog) -> str:
    need, count = logged.need, logged.count
    return format_html(
        'Logged {} <a class="govuk-notification-banner__link" href="{}">{}</a> '
        "({} in {}): {} signal{} so far. "
        '<a class="govuk-notification-banner__link" href="{}">Not the right need? '
        "Move or delete this log</a>",
        "as a new need:" if logged.started else "under the need",
        _need_url(need),
        need.title,
        need.theme.name,
        need.locality.name,
        count,
        pluralize(count),
        reverse("rounds:need-signal-move", kwargs={"pk": logged.signal.pk}),
    )


def _quick_log_page(request: HttpRequest, form: QuickLogForm, *, ask: bool) -> HttpResponse:
    """The quick log form; with ``ask``, the needs already logged here to choose from."""
    return render(
        request,
        "rounds/needs/need_quick_log.html",
        {"form": form, "suggestions": getattr(form, "candidates", []) if ask else []},
    )


@require_POST
def need_quick_log(request: HttpRequest) -> HttpResponse:
    """Log a need; when it matches none of the needs logged for that theme and place, ask.

    A log joins a need by the matching rule (rounds.need_matching) or by the link worker's
    choice; when nothing matches and there are needs here already, the page lists them.
    """
    authorize(request, can_do=permissions.can_log_need(request.user))
    form = QuickLogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        undecided = data["chosen_need"] is None and not data["start_new"]
        matched = need_best_match(
            data["note"], ((need, selectors.need_texts(need)) for need in form.candidates)
        )
        if undecided and form.candidates and matched is None:
            return _quick_log_page(request, form, ask=True)
    return form_submit(
        request,
        form,
        lambda data: services.need_quick_log(
            theme=data["theme"],
            locality=data["locality"],
            note=data["note"],
            actor=request.user,
            need=data["chosen_need"],
            start_new=data["start_new"],
        ),
        message=_quick_log_message,
        next_url=reverse("microcomm:home"),
    ) or _quick_log_page(request, form, ask="need" in form.errors)


def _signal_or_404(request: HttpRequest, pk: int) -> NeedSignal:
    signal = selectors.need_signal_for_page(user=request.user, pk=pk)
    authorize(request, can_see=signal is not None)
    authorize(request, can_do=permissions.can_change_need_signal(request.user, signal))
    return signal


@require_http_methods(["GET", "POST"])
def need_signal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one log to another need of its theme, or to a new need of its own."""
    signal = _signal_or_404(request, pk)
    form = NeedSignalMoveForm(
        posted(request), targets=selectors.need_signal_move_targets(signal=signal)
    )
    return form_submit(
        request,
        form,
        lambda data: services.need_signal_move(
            signal=signal, to=form.target(), locality=data["locality"], actor=request.user
        ),
        message=lambda need: f"Log moved to {need.title}",
        next_url=_need_url,
    ) or render(request, "rounds/needs/need_signal_move.html", {"form": form, "signal": signal})


@require_http_methods(["GET", "POST"])
def need_signal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one log, after asking."""
    signal = _signal_or_404(request, pk)
    return confirm_page(
        request,
        lambda: services.need_signal_delete(signal=signal, actor=request.user),
        message="Log deleted",
        next_url=_need_url(signal.need),
        template="rounds/needs/need_signal_delete.html",
        context={"signal": signal},
    )


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
    path("needs/logs/<int:pk>/move/", need_signal_move, name="need-signal-move"),
    path("needs/logs/<int:pk>/delete/", need_signal_delete, name="need-signal-delete"),
]
