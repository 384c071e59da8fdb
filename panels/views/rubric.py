"""The scoring system's pages: see it, start it from a preset, and change it.

Commissioners reach them from the round's page. Once the round is no longer a draft the
scoring system is locked: its page still shows it, and the pages that change it say why not.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from microcomm.http import authorize, form_submit, posted
from panels.forms.rubric import PresetForm, RubricForm
from panels.permissions import can_change_rubric
from panels.rubric_presets import preset_for_tier
from panels.rubric_rules import FEWEST_CRITERIA, MOST_CRITERIA
from panels.selectors.rubric import (
    criteria_shown,
    round_for_rubric,
    rubric_of,
    rubric_round_move_problem,
)
from panels.services.rubric import rubric_apply_preset, rubric_save
from rounds.models import Round
from rounds.selectors.form_builder import round_priorities
from rounds.views.common import round_managed

ADD = "add"


def _round(request: HttpRequest, slug: str) -> Round:
    return round_managed(request, round_for_rubric(slug=slug))


def _detail_url(round: Round) -> str:
    return reverse("panels:rubric-detail", args=[round.slug])


@require_http_methods(["GET"])
def rubric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's scoring system as the panel will use it; read-only once locked."""
    round = _round(request, slug)
    rubric = rubric_of(round=round)
    change = can_change_rubric(request.user, round)
    return render(
        request,
        "panels/rubric_detail.html",
        {
            "round": round,
            "rubric": rubric,
            "criteria": (
                criteria_shown(rubric=rubric, priorities=round_priorities(round=round))
                if rubric
                else []
            ),
            "can_change": bool(change),
            "locked_reason": "" if change else change.reason,
            "problem": rubric_round_move_problem(round, Round.Status.SCHEDULED) if change else "",
        },
    )


@require_http_methods(["GET", "POST"])
def rubric_preset(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the scoring system from a preset for the size of round (replacing any)."""
    round = _round(request, slug)
    authorize(request, can_do=can_change_rubric(request.user, round))
    rubric = rubric_of(round=round)
    form = PresetForm(
        posted(request),
        initial={
            "preset": (rubric.preset if rubric else "") or preset_for_tier(round.tier).key,
            "version": rubric.version if rubric else None,
        },
    )
    return form_submit(
        request,
        form,
        lambda data: rubric_apply_preset(
            round=round, preset=data["preset"], version=data["version"], actor=request.user
        ),
        next_url=reverse("panels:rubric-edit", args=[round.slug]),
        message="Scoring system started from the preset. Check each criterion and change "
        "what your round needs",
    ) or render(
        request,
        "panels/rubric_preset.html",
        {"round": round, "rubric": rubric, "form": form},
    )


@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the whole scoring system at once; nothing is saved while any rule is broken.

    "Add a criterion" shows the form again as typed with one more, saving nothing.
    """
    round = _round(request, slug)
    authorize(request, can_do=can_change_rubric(request.user, round))
    rubric = rubric_of(round=round)
    if rubric is None:
        return redirect("panels:rubric-preset", slug=round.slug)
    priorities = round_priorities(round=round)
    form = RubricForm(posted(request), rubric=rubric, priorities=priorities)
    if request.method == "POST" and ADD in request.POST:
        if form.can_add():
            form = RubricForm(rubric=rubric, priorities=priorities, again=form)
    else:
        response = form_submit(
            request,
            form,
            lambda data: rubric_save(round=round, actor=request.user, **form.save_arguments()),
            next_url=_detail_url(round),
            message="Scoring system saved",
        )
        if response is not None:
            return response
    return render(
        request,
        "panels/rubric_edit.html",
        {
            "round": round,
            "rubric": rubric,
            "form": form,
            "error_items": form.error_items() if form.is_bound else [],
            "has_priorities": bool(priorities),
            "fewest": FEWEST_CRITERIA,
            "most": MOST_CRITERIA,
        },
    )


urlpatterns = [
    path("rounds/<slug:slug>/scoring/", rubric_detail, name="rubric-detail"),
    path("rounds/<slug:slug>/scoring/preset/", rubric_preset, name="rubric-preset"),
    path("rounds/<slug:slug>/scoring/edit/", rubric_edit, name="rubric-edit"),
]
