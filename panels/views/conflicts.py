"""Conflicts of interest: a member declares, a commissioner records and reads the register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from microcomm.http import authorize, form_submit, posted
from microcomm.permissions import Verdict, is_commissioner
from panels.forms.scoring import ConflictDeclarationForm
from panels.models import Panel, PanelMember
from panels.permissions import MEMBERS, can_manage_panels, seat_of
from panels.selectors.conflicts import (
    conflict_register,
    declaration_rows,
    panel_for_round,
)
from panels.services.conflicts import conflicts_declare
from rounds.models import Round
from rounds.selectors.public import round_for_managing

TEMPLATE = "panels/conflicts_declare.html"


def member_panel(request: HttpRequest, slug: str, *, doing: str) -> tuple[Panel, PanelMember]:
    """The panel and the person's seat on it. Commissioners are refused (403, saying why);
    anyone not on the panel finds nothing (404)."""
    panel = panel_for_round(slug=slug)
    member = seat_of(request.user, panel) if panel is not None else None
    authorize(
        request,
        can_see=member is not None or (panel is not None and is_commissioner(request.user)),
        can_do=Verdict.of(member is not None, f"Only members of this panel can {doing}"),
    )
    return panel, member


def _declaration_page(
    request: HttpRequest, *, member: PanelMember, next_url: str, context: dict
) -> HttpResponse:
    rows = declaration_rows(member=member)
    form = ConflictDeclarationForm(
        posted(request),
        organisations=[row.organisation for row in rows],
        declarations={
            row.organisation.pk: row.declaration for row in rows if row.declaration is not None
        },
    )
    return form_submit(
        request,
        form,
        lambda _data: conflicts_declare(member=member, answers=form.answers(), actor=request.user),
        message="Your declarations are saved"
        if member.user_id == request.user.pk
        else f"Declarations recorded for {member.user.full_name}",
        next_url=next_url,
    ) or render(
        request,
        TEMPLATE,
        {**context, "form": form, "member": member, "rows": form.rows()},
    )


@require_http_methods(["GET", "POST"])
def conflicts_declare_page(request: HttpRequest, slug: str) -> HttpResponse:
    panel, member = member_panel(request, slug, doing="declare their interests")
    return _declaration_page(
        request,
        member=member,
        next_url=reverse("panels:scorer-list", kwargs={"slug": slug}),
        context={"panel": panel, "round": panel.round, "on_behalf": False},
    )


def managed_panel(request: HttpRequest, slug: str) -> tuple[Round, Panel | None]:
    """The round for a commissioner (a draft hidden from others) and its panel, if set up."""
    round = round_for_managing(user=request.user, slug=slug)
    authorize(
        request,
        can_see=round is not None,
        can_do=Verdict.of(
            can_manage_panels(request.user), "Only commissioners can manage a round's panel"
        ),
    )
    return round, panel_for_round(slug=slug)


@require_http_methods(["GET"])
def conflict_register_page(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = managed_panel(request, slug)
    return render(
        request,
        "panels/conflict_register.html",
        {
            "round": round,
            "panel": panel,
            "register": conflict_register(panel=panel) if panel is not None else None,
        },
    )


@require_http_methods(["GET", "POST"])
def conflict_record_page(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    member = (
        PanelMember.objects.select_related("panel", "panel__round", "user")
        .filter(pk=member_pk, panel__round__slug=slug)
        .first()
    )
    authorize(
        request,
        can_see=MEMBERS.allows(request.user, member),
        can_do=Verdict.of(
            can_manage_panels(request.user),
            "Only commissioners can record interests on a member's behalf",
        ),
    )
    return _declaration_page(
        request,
        member=member,
        next_url=reverse("panels:conflict-register", kwargs={"slug": slug}),
        context={
            "panel": member.panel,
            "round": member.panel.round,
            "on_behalf": True,
        },
    )
