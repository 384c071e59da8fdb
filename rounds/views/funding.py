"""Funds and rounds pages for commissioners, and the public iCalendar feed of a round.

urlpatterns are joined in rounds/urls.py.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.http import authorize, form_submit, paginate, posted
from microcomm.lifecycle import transition_moves
from microcomm.selectors import audit_timeline
from rounds import permissions
from rounds.form_presets import tier_change
from rounds.forms.funding import (
    FundForm,
    RoundCopyForm,
    RoundEventForm,
    RoundForm,
    RoundStatusForm,
    local_parts,
    source_formset,
)
from rounds.fund_totals import fund_totals
from rounds.models import Fund, Round
from rounds.round_rules import round_move_guard
from rounds.selectors import funding as selectors
from rounds.services import funding as services
from rounds.views.common import round_managed

# The buttons of the page that asks before a round's tier changes.
TIER_CONFIRMED = "tier_confirmed"
TIER_BACK = "tier_back"

# The button text for each move a commissioner can make from the round's page, in the
# order the buttons appear.
MOVE_LABELS = {
    Round.Status.SCHEDULED: "Schedule the round",
    Round.Status.OPEN: "Open now",
    Round.Status.CLOSED: "Close now",
    Round.Status.ASSESSMENT: "Start the assessment",
    Round.Status.DECIDED: "Mark as decided",
    Round.Status.MONITORING: "Start monitoring",
    Round.Status.COMPLETED: "Mark as completed",
    Round.Status.DRAFT: "Move back to draft",
}


def _managed_fund(request: HttpRequest, pk: int) -> Fund:
    """The fund for a commissioner; nobody else knows it exists."""
    fund = selectors.fund_for_page(pk=pk)
    authorize(request, can_see=permissions.FUNDS.allows(request.user, fund))
    return fund


def _managed_round(request: HttpRequest, slug: str) -> Round:
    return round_managed(request, selectors.round_for_page(slug=slug))


def _round_url(round: Round) -> str:
    return reverse("rounds:round-detail", kwargs={"slug": round.slug})


# Funds ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def fund_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_manage_funding(request.user))
    return render(request, "rounds/funding/fund_list.html", {"funds": selectors.fund_list()})


def _fund_form_page(request: HttpRequest, fund: Fund | None) -> HttpResponse:
    if fund is None:
        form = FundForm(posted(request))
        initial_sources = None
    else:
        form = FundForm(
            posted(request),
            initial={
                "name": fund.name,
                "description": fund.description,
                "starts_on": fund.starts_on,
                "ends_on": fund.ends_on,
            },
        )
        initial_sources = [
            {
                "name": source.name,
                "kind": source.kind,
                "amount": source.amount,
                "restriction": source.restriction,
            }
            for source in fund.sources.all()
        ]
    formset = source_formset(posted(request), initial=initial_sources)

    def save(data: dict) -> Fund:
        fields = {
            "name": data["name"],
            "description": data["description"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "sources": formset.sources(),
            "actor": request.user,
        }
        if fund is None:
            return services.fund_create(**fields)
        return services.fund_update(fund=fund, **fields)

    saved = (
        form_submit(
            request,
            form,
            save,
            message=lambda fund: f"Fund saved: {fund.name}",
            next_url=lambda fund: reverse("rounds:fund-detail", kwargs={"pk": fund.pk}),
        )
        if formset.is_valid()
        else None
    )
    return saved or render(
        request,
        "rounds/funding/fund_form.html",
        {
            "form": form,
            "formset": formset,
            "fund": fund,
            "heading": "Edit the fund" if fund else "Add a fund",
        },
    )


@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_manage_funding(request.user))
    return _fund_form_page(request, None)


@require_http_methods(["GET"])
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _managed_fund(request, pk)
    return render(
        request,
        "rounds/funding/fund_detail.html",
        {"fund": fund, "totals": selectors.fund_totals_of(fund)},
    )


@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _fund_form_page(request, _managed_fund(request, pk))


# Rounds --------------------------------------------------------------------------------


ROUND_PAGE_SIZE = 25


@require_http_methods(["GET"])
def round_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_manage_funding(request.user))
    return render(
        request,
        "rounds/funding/round_list.html",
        paginate(request, selectors.rounds_for_managing(), ROUND_PAGE_SIZE),
    )


def _round_form(request: HttpRequest, *, initial: dict | None = None) -> RoundForm:
    return RoundForm(
        posted(request),
        initial=initial,
        funds=selectors.funds_for_choice(),
        needs=selectors.needs_for_priorities(),
    )


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    """A new round; ?fund=, ?gap=, ?theme=, ?locality= and ?need= (repeated) pre-fill it."""
    authorize(request, can_do=permissions.can_manage_funding(request.user))
    prefill = selectors.round_prefill(
        theme_ids=request.GET.getlist("theme"),
        locality_ids=request.GET.getlist("locality"),
        need_ids=request.GET.getlist("need"),
        gap_keys=request.GET.getlist("gap"),
    )
    initial = {
        "tier": Round.Tier.MICRO,
        "must_address_priority": True,
        "priority_themes": prefill.themes,
        "priority_localities": prefill.localities,
        "priority_needs": prefill.needs,
        "opens_time": datetime.time(9, 0),
        "closes_time": datetime.time(17, 0),
    }
    fund_id = request.GET.get("fund", "")
    if fund_id.isdigit():
        initial["fund"] = int(fund_id)
    form = _round_form(request, initial=initial)
    return form_submit(
        request,
        form,
        lambda data: services.round_create(
            fund=data["fund"], actor=request.user, **form.round_values()
        ),
        message=lambda round: f"Round saved as a draft: {round.title}",
        next_url=_round_url,
    ) or render(
        request,
        "rounds/funding/round_form.html",
        {
            "form": form,
            "heading": "Set up a funding round",
            "from_gaps": bool(prefill.themes or prefill.needs),
        },
    )


def _status_context(request: HttpRequest, round: Round, form: RoundStatusForm) -> dict:
    blocked = {move.to: move.problem for move in transition_moves(round, guard=round_move_guard)}
    return {
        "round": round,
        "status_form": form,
        "moves": [
            (status, label, blocked[status])
            for status, label in MOVE_LABELS.items()
            if status in blocked
        ],
        "milestones": selectors.round_milestones(round),
        "timeline": audit_timeline(target=round),
        "totals": fund_totals(fund=round.fund),
    }


@require_http_methods(["GET"])
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    return render(
        request,
        "rounds/funding/round_detail.html",
        _status_context(request, round, RoundStatusForm()),
    )


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a round. A new tier is first shown with what it adds to the form and which
    documents it asks for; "Change the tier" saves it all, "Go back" shows the form again."""
    round = _managed_round(request, slug)
    form = _round_form(request, initial=RoundForm.initial_from(round))
    form_page = {"form": form, "round": round, "heading": "Edit the round"}
    if request.method == "POST" and TIER_BACK in request.POST:
        return render(request, "rounds/funding/round_form.html", form_page)
    if (
        request.method == "POST"
        and TIER_CONFIRMED not in request.POST
        and round.current_status in (Round.Status.DRAFT, Round.Status.SCHEDULED)
        and form.is_valid()
        and form.cleaned_data["tier"] != round.tier
    ):
        return render(
            request,
            "rounds/funding/round_tier_confirm.html",
            {
                "round": round,
                "change": tier_change(round=round, tier=form.cleaned_data["tier"]),
                "posted": [
                    (name, value)
                    for name, values in request.POST.lists()
                    if name != "csrfmiddlewaretoken"
                    for value in values
                ],
                "confirmed": TIER_CONFIRMED,
                "back": TIER_BACK,
            },
        )
    return form_submit(
        request,
        form,
        lambda data: services.round_update(
            round=round, fund=data["fund"], actor=request.user, **form.round_values()
        ),
        message="Round updated",
        next_url=_round_url,
    ) or render(request, "rounds/funding/round_form.html", form_page)


@require_POST
def round_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a round along its lifecycle from its page; shows the page again if refused."""
    round = _managed_round(request, slug)
    form = RoundStatusForm(request.POST)
    return form_submit(
        request,
        form,
        lambda data: services.round_transition(
            round=round, to=data["to"], actor=request.user, reason=data["reason"]
        ),
        message=lambda _: f"The round is now {Round.Status(form.cleaned_data['to']).label.lower()}",
        next_url=_round_url(round),
    ) or render(
        request,
        "rounds/funding/round_detail.html",
        _status_context(request, _managed_round(request, slug), form),
    )


@require_http_methods(["GET", "POST"])
def round_copy(request: HttpRequest, slug: str) -> HttpResponse:
    source = _managed_round(request, slug)
    form = RoundCopyForm(
        posted(request),
        initial={
            "title": f"{source.title} (copy)",
            "amount_available": source.amount_available,
            "opens_time": local_parts(source.opens_at)[1],
            "closes_time": local_parts(source.closes_at)[1],
        },
    )
    return form_submit(
        request,
        form,
        lambda data: services.round_copy(
            source=source,
            title=data["title"],
            slug=data["slug"],
            amount_available=data["amount_available"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            actor=request.user,
        ),
        message=lambda round: (
            f"Round copied: {round.title}. Check its dates and publish its "
            "form before you schedule it"
        ),
        next_url=_round_url,
    ) or render(request, "rounds/funding/round_copy.html", {"form": form, "round": source})


@require_http_methods(["GET", "POST"])
def round_event_create(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    form = RoundEventForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.round_event_create(
            round=round,
            kind=data["kind"],
            starts_at=data["starts_at"],
            title=data["title"],
            location=data["location"],
            actor=request.user,
        ),
        message=lambda event: f"Added to the timeline: {event}",
        next_url=_round_url(round),
    ) or render(request, "rounds/funding/round_event_form.html", {"form": form, "round": round})


@login_not_required
@require_http_methods(["GET"])
def round_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's timeline as an iCalendar feed; public for every round but drafts."""
    round = selectors.round_for_calendar(user=request.user, slug=slug)
    if round is None:
        raise Http404
    response = HttpResponse(
        selectors.round_ical(round), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{round.slug}.ics"'
    return response


urlpatterns = [
    path("funds/", fund_list, name="fund-list"),
    path("funds/new/", fund_create, name="fund-create"),
    path("funds/<int:pk>/", fund_detail, name="fund-detail"),
    path("funds/<int:pk>/edit/", fund_edit, name="fund-edit"),
    path("manage/rounds/", round_list, name="round-list"),
    path("manage/rounds/new/", round_create, name="round-create"),
    path("manage/rounds/<slug:slug>/", round_detail, name="round-detail"),
    path("manage/rounds/<slug:slug>/edit/", round_edit, name="round-edit"),
    path("manage/rounds/<slug:slug>/status/", round_status, name="round-status"),
    path("manage/rounds/<slug:slug>/copy/", round_copy, name="round-copy"),
    path("manage/rounds/<slug:slug>/events/new/", round_event_create, name="round-event-create"),
    path("rounds/<slug:slug>/calendar.ics", round_calendar, name="round-calendar"),
]
