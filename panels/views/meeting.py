"""Moderation and the decision meeting: the ranking, decisions, the CSV and the minutes.

Who is present is recorded on the attendance page of the panel's meeting
(``panels:attendance-record``), which the meeting page links to.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from applications.models import Application
from microcomm.csv import csv_download
from microcomm.http import action_submit, authorize, form_submit, paginate, posted
from panels.forms.meeting import DecisionForm
from panels.models import Decision, Panel
from panels.permissions import (
    can_manage_panel,
    can_manage_panels,
    can_moderate_scores,
    can_run_meeting,
)
from panels.selectors.meeting import agenda
from panels.selectors.meeting import decisions as decision_reads
from panels.selectors.meeting import minutes as minutes_reads
from panels.selectors.meeting.panel import is_conflicted_on, panel_for_meeting
from panels.selectors.meeting.ranking_csv import RANKING_HEADER, ranking_csv_rows
from panels.selectors.moderation import (
    moderation_for,
    moderation_outlier_ids,
    moderation_page,
)
from panels.selectors.scoring import rubric_criteria
from panels.services import meeting as services

MODERATION_PAGE_SIZE = 10
MEETING_PAGE_SIZE = 25


def _panel(request: HttpRequest, slug: str) -> Panel:
    """The round's panel; nobody but its members and commissioners may know it exists."""
    panel = panel_for_meeting(user=request.user, slug=slug)
    authorize(request, can_see=panel is not None)
    return panel


def _meeting_url(panel: Panel) -> str:
    return reverse("panels:meeting-detail", args=[panel.round.slug])


def _look_again_exists(slug: str) -> bool:
    """Whether the scoring area's page for asking a scorer to look again exists."""
    try:
        reverse("panels:score-look-again", args=[slug, 1])
    except NoReverseMatch:
        return False
    return True


@require_http_methods(["GET"])
def moderation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(request, slug)
    authorize(request, can_do=can_moderate_scores(request.user))
    moderation = moderation_for(panel=panel)
    only_outliers = request.GET.get("show") == "outliers"
    applications = moderation.applications
    if only_outliers:
        with_outliers = moderation_outlier_ids(panel=panel, moderation=moderation)
        applications = [
            application
            for application in applications
            if application.application_id in with_outliers
        ]
    paged = paginate(request, applications, MODERATION_PAGE_SIZE)
    # Only the applications on the page are made, with their scores.
    shown = moderation_page(
        panel=panel, moderation=moderation, applications=list(paged["page"].object_list)
    )
    look_again = _look_again_exists(panel.round.slug)
    return render(
        request,
        "panels/moderation_detail.html",
        {
            "panel": panel,
            "round": panel.round,
            "moderation": moderation,
            "only_outliers": only_outliers,
            "look_again": look_again,
            "page_applications": shown,
            **paged,
        },
    )


@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(request, slug)
    runs = can_run_meeting(request.user, panel)
    meeting = agenda.meeting_for(panel=panel, viewer=request.user)
    line_before = meeting.ranking.line_before
    paged = paginate(request, meeting.ranking.rows, MEETING_PAGE_SIZE)
    return render(
        request,
        "panels/meeting_detail.html",
        {
            "panel": panel,
            "round": panel.round,
            "meeting": meeting,
            "runs_meeting": bool(runs),
            "manages_panels": can_manage_panels(request.user),
            # Who is present is recorded with the hours and payments, by a commissioner.
            "records_attendance": bool(can_manage_panel(request.user)),
            "minutes": minutes_reads.minutes_latest(panel=panel) if runs else None,
            # The rank of the first application below the funding line, and its page.
            "line_rank": None if line_before is None else line_before + 1,
            "line_page": None if line_before is None else line_before // MEETING_PAGE_SIZE + 1,
            **paged,
            # Only the items on the page are made.
            "page_items": meeting.items_of(list(paged["page"].object_list)),
        },
    )


def _item(request: HttpRequest, panel: Panel, pk: int) -> Application:
    """One application on the agenda; a member with an interest in its group gets 404."""
    application = decision_reads.meeting_application(panel=panel, pk=pk)
    authorize(
        request,
        can_see=application is not None
        and not is_conflicted_on(user=request.user, application=application),
    )
    authorize(request, can_do=can_run_meeting(request.user, panel))
    return application


def _decision_of(application: Application) -> Decision | None:
    try:
        return application.decision
    except Decision.DoesNotExist:
        return None


@require_http_methods(["GET", "POST"])
def decision_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    panel = _panel(request, slug)
    application = _item(request, panel, pk)
    criteria = rubric_criteria(round_id=panel.round_id)
    decision = _decision_of(application)
    context = {
        "panel": panel,
        "round": panel.round,
        "application": application,
        "decision": decision,
        "left": panel.round.amount_available - decision_reads.decided_total(panel=panel),
        "can_read_application": can_manage_panels(request.user),
    }
    if decision is not None:
        context["error_message"] = (
            f"The panel has already decided on {application.reference}: "
            f"{decision.get_outcome_display()}. To change it, use Change the decision "
            "and give the reason"
        )
        return render(request, "panels/decision_record.html", context, status=200)
    form = DecisionForm(posted(request), criteria=criteria)
    return form_submit(
        request,
        form,
        lambda data: services.decision_record(
            panel=panel,
            application=application,
            outcome=data["outcome"],
            reason=data["reason"],
            amount=data.get("amount"),
            conditions=data.get("conditions", ""),
            criteria_against=data.get("criteria_against", []),
            criteria_ids={criterion.pk for criterion in criteria},
            actor=request.user,
        ),
        message=f"Decision recorded for {application.reference}",
        next_url=_meeting_url(panel) + f"#item-{application.pk}",
    ) or render(request, "panels/decision_record.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
def decision_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    panel = _panel(request, slug)
    application = _item(request, panel, pk)
    decision = _decision_of(application)
    if decision is None:
        messages.info(request, "No decision has been recorded yet: record one here")
        return redirect("panels:decision-record", panel.round.slug, application.pk)
    criteria = rubric_criteria(round_id=panel.round_id)
    form = DecisionForm(
        posted(request),
        criteria=criteria,
        change=True,
        initial=DecisionForm.initial_from(decision),
    )
    context = {
        "panel": panel,
        "round": panel.round,
        "application": application,
        "decision": decision,
        "change": True,
        "can_read_application": can_manage_panels(request.user),
        "left": panel.round.amount_available
        - decision_reads.decided_total(panel=panel, excluding=application.pk),
    }
    if decision.status == Decision.Status.RELEASED:
        context["error_message"] = "This decision has been released to the group: it cannot change"
        return render(request, "panels/decision_record.html", context)
    return form_submit(
        request,
        form,
        lambda data: services.decision_change(
            decision=decision,
            outcome=data["outcome"],
            reason=data["reason"],
            change_reason=data["change_reason"],
            version=data["version"],
            amount=data.get("amount"),
            conditions=data.get("conditions", ""),
            criteria_against=data.get("criteria_against", []),
            criteria_ids={criterion.pk for criterion in criteria},
            actor=request.user,
        ),
        message=f"Decision changed for {application.reference}",
        next_url=_meeting_url(panel) + f"#item-{application.pk}",
    ) or render(request, "panels/decision_record.html", {**context, "form": form})


@require_http_methods(["GET"])
def ranking_csv(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(request, slug)
    authorize(request, can_do=can_run_meeting(request.user, panel))
    return csv_download(
        filename=f"{panel.round.slug}-ranking.csv",
        header=RANKING_HEADER,
        rows=ranking_csv_rows(panel=panel),
    )


@require_POST
def minutes_request(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(request, slug)
    authorize(request, can_do=can_run_meeting(request.user, panel))
    return action_submit(
        request,
        lambda: services.minutes_request(panel=panel, actor=request.user),
        message="The minutes are being prepared. This page shows when they are ready",
        next_url=_meeting_url(panel) + "#minutes",
    )


@require_http_methods(["GET"])
def minutes_download(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _panel(request, slug)
    authorize(request, can_do=can_run_meeting(request.user, panel))
    ready = minutes_reads.minutes_latest_ready(panel=panel)
    if ready is None:
        messages.info(request, "The minutes are not ready yet")
        return redirect(_meeting_url(panel) + "#minutes")
    try:
        handle = ready.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{panel.round.slug}-minutes-{ready.version}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


meeting_urlpatterns = [
    path("", meeting_detail, name="meeting-detail"),
    path("ranking.csv", ranking_csv, name="ranking-csv"),
    path("minutes/", minutes_request, name="minutes-request"),
    path("minutes.pdf", minutes_download, name="minutes-download"),
    path("<int:pk>/decide/", decision_record, name="decision-record"),
    path("<int:pk>/change/", decision_change, name="decision-change"),
]
