"""Commissioners' pages of a round's panel: its rules, members, attendance and payments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.csv import csv_download
from microcomm.errors import DomainError
from microcomm.formatting import pounds
from microcomm.http import action_submit, authorize, form_submit, posted
from panels.forms.members import (
    AttendanceForm,
    MemberAddForm,
    MemberRemoveForm,
    MemberRoleForm,
    MemberSearchForm,
    PanelSettingsForm,
)
from panels.models import Panel, PanelMember
from panels.permissions import can_manage_panel
from panels.selectors import members as selectors
from panels.services import members as services
from rounds.models import Round, RoundEvent
from rounds.selectors.public import round_for_managing


def _managed_round(request: HttpRequest, slug: str) -> Round:
    """The round for a commissioner: a draft is hidden from others, a published one refused."""
    round = round_for_managing(user=request.user, slug=slug)
    authorize(request, can_see=round is not None, can_do=can_manage_panel(request.user))
    return round


def _member(request: HttpRequest, round: Round, member_pk: int) -> PanelMember:
    member = selectors.panel_member_of(panel=selectors.panel_of_round(round=round), pk=member_pk)
    authorize(request, can_see=member is not None)
    return member


def _panel_url(round: Round) -> str:
    return reverse("panels:panel-detail", args=[round.slug])


@require_http_methods(["GET"])
def panel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    panel = selectors.panel_of_round(round=round)
    members = selectors.panel_members(panel=panel)
    seated = [member for member in members if member.status != PanelMember.Status.REMOVED]
    return render(
        request,
        "panels/panel_detail.html",
        {
            "round": round,
            "panel": panel or Panel(round=round),
            "members": members,
            "seated_count": len(seated),
            "lay_count": sum(1 for member in seated if member.is_lay),
            "meetings": list(selectors.panel_meetings(round=round)),
            "payments_total": pounds(selectors.payments_total(panel=panel)) or "£0",
        },
    )


def _settings_initial(panel: Panel) -> dict:
    return {
        "quorum_members": panel.quorum_members,
        "quorum_lay_members": panel.quorum_lay_members,
        "scorers_per_application": panel.scorers_per_application,
        "scores_shared_before_meeting": "yes" if panel.scores_shared_before_meeting else "no",
        "outlier_distance": panel.outlier_distance,
        "lay_hourly_rate": panel.lay_hourly_rate,
        "version": panel.version,
    }


@require_http_methods(["GET", "POST"])
def panel_settings(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    panel = selectors.panel_of_round(round=round) or Panel(round=round)
    form = PanelSettingsForm(posted(request), initial=_settings_initial(panel))
    done = form_submit(
        request,
        form,
        lambda data: services.panel_settings_save(round=round, actor=request.user, **data),
        message="Panel settings saved",
        next_url=_panel_url(round),
    )
    if done is not None:
        return done
    error_message = ""
    if form.is_bound and services.STALE_SETTINGS in form.non_field_errors():
        # Someone saved first: show what they saved, so nothing of theirs is lost.
        error_message = services.STALE_SETTINGS
        form = PanelSettingsForm(initial=_settings_initial(selectors.panel_of_round(round=round)))
    return render(
        request,
        "panels/panel_settings.html",
        {"round": round, "form": form, "error_message": error_message},
        status=400 if form.errors or error_message else 200,
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Find a person by email address; seat them, or invite them when they have no account."""
    round = _managed_round(request, slug)
    email = (request.POST.get("email") or request.GET.get("email") or "").strip()
    search = MemberSearchForm({"email": email} if email else None)
    found = selectors.person_by_email(email=email) if search.is_valid() else None
    add_form = None
    if search.is_valid():
        add_form = MemberAddForm(
            posted(request), initial={"email": email}, new_person=found is None
        )
        done = form_submit(
            request,
            add_form,
            lambda data: services.panel_member_add(
                round=round,
                email=data["email"],
                role=data["role"],
                full_name=data.get("full_name", ""),
                actor=request.user,
            ),
            message=lambda member: (
                f"{member.user} has joined the panel"
                if member.status == PanelMember.Status.ACTIVE
                else f"Invitation sent to {member.user.email}"
            ),
            next_url=_panel_url(round),
        )
        if done is not None:
            return done
    return render(
        request,
        "panels/member_add.html",
        {
            "round": round,
            "search": search,
            "email": email,
            "found": found,
            "form": add_form if add_form is not None else search,
            "add_form": add_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    member = _member(request, round, member_pk)
    form = MemberRoleForm(posted(request), initial={"role": member.role})
    return form_submit(
        request,
        form,
        lambda data: services.panel_member_role_change(
            member=member, role=data["role"], actor=request.user
        ),
        message=lambda saved: f"{member.user} is now {saved.get_role_display().lower()}",
        next_url=_panel_url(round),
    ) or render(
        request,
        "panels/member_role.html",
        {"round": round, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    member = _member(request, round, member_pk)
    form = MemberRemoveForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.panel_member_remove(
            member=member, reason=data["reason"], actor=request.user
        ),
        message=f"{member.user} has been removed from the panel. Their scores are kept",
        next_url=_panel_url(round),
    ) or render(
        request,
        "panels/member_remove.html",
        {"round": round, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def member_invite_again(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    member = _member(request, round, member_pk)
    return action_submit(
        request,
        lambda: services.panel_member_invite_again(member=member, actor=request.user),
        message=f"A new invitation has been sent to {member.user.email}",
        next_url=_panel_url(round),
    )


def _attendance_entries(
    forms: list[tuple[PanelMember, AttendanceForm]],
) -> list[services.AttendanceEntry]:
    return [
        services.AttendanceEntry(
            member=member,
            attended=form.cleaned_data["attended"],
            hours=form.cleaned_data["hours"],
            time_payment=form.cleaned_data["time_payment"],
            expenses=form.cleaned_data["expenses"],
        )
        for member, form in forms
    ]


def _attendance_rows(
    panel: Panel | None, event: RoundEvent, data: QueryDict | None
) -> list[tuple[PanelMember, AttendanceForm]]:
    """Each member's line of the meeting's attendance, as last saved or as posted."""
    rows = []
    for line in selectors.attendance_lines(panel=panel, event=event):
        record = line.record
        initial = (
            {
                "attended": record.attended,
                "hours": record.hours,
                "time_payment": record.time_payment,
                "expenses": record.expenses,
            }
            if record is not None
            else {}
        )
        form = AttendanceForm(data, prefix=f"member-{line.member.pk}", initial=initial)
        rows.append((line.member, form))
    return rows


@require_http_methods(["GET", "POST"])
def attendance_record(request: HttpRequest, slug: str, event_pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    event = selectors.panel_meeting_of(round=round, pk=event_pk)
    authorize(request, can_see=event is not None)
    panel = selectors.panel_of_round(round=round)
    # Reached from the panel meeting's page, the page goes back there.
    back_url = (
        reverse("panels:meeting-detail", args=[round.slug]) + "#attendance"
        if request.GET.get("from") == "meeting"
        else _panel_url(round)
    )
    rows = _attendance_rows(panel, event, posted(request))
    problem = ""
    if request.method == "POST" and all(form.is_valid() for _, form in rows):
        try:
            services.attendance_record(
                event=event,
                entries=_attendance_entries(rows),
                seen=request.POST.get("seen", ""),
                actor=request.user,
            )
        except DomainError as error:
            forms_by_field = {
                f"{form.prefix}-{name}": (form, name) for _, form in rows for name in form.fields
            }
            if error.field in forms_by_field:
                form, name = forms_by_field[error.field]
                form.add_error(name, error.message)
            else:
                problem = error.message
                # Someone saved first: show what they saved, so nothing of theirs is lost.
                rows = _attendance_rows(panel, event, None)
        else:
            messages.success(request, f"Attendance saved for {event}")
            return redirect(back_url)
    errors = [
        {"message": f"{member.user}: {message}", "href": f"#id_{form.prefix}-{name}"}
        for member, form in rows
        if form.is_bound
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]
    if problem:
        errors.insert(0, {"message": problem, "href": ""})
    return render(
        request,
        "panels/attendance_record.html",
        {
            "round": round,
            "panel": panel,
            "event": event,
            "rows": rows,
            "errors": errors,
            "seen": selectors.attendance_stamp(event=event),
            "back_url": back_url,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET"])
def payments_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    round = _managed_round(request, slug)
    return csv_download(
        filename=f"{round.slug}-panel-payments.csv",
        header=selectors.PAYMENTS_CSV_HEADER,
        rows=selectors.payments_csv_rows(panel=selectors.panel_of_round(round=round)),
    )


member_urlpatterns = [
    path("role/", member_role, name="member-role"),
    path("remove/", member_remove, name="member-remove"),
    path("invite-again/", member_invite_again, name="member-invite-again"),
]
panel_urlpatterns = [
    path("", panel_detail, name="panel-detail"),
    path("settings/", panel_settings, name="panel-settings"),
    path("members/add/", member_add, name="member-add"),
    path("members/<int:member_pk>/", include(member_urlpatterns)),
    path("meetings/<int:event_pk>/attendance/", attendance_record, name="attendance-record"),
    path("payments.csv", payments_csv, name="payments-csv"),
]

urlpatterns = [path("rounds/<slug:slug>/panel/", include(panel_urlpatterns))]
