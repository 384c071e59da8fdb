"""A panel member's own pages: joining from the invitation, the panel home, practice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from microcomm.errors import DomainError
from microcomm.http import authorize, form_add_domain_error, posted
from panels.forms.members import InvitationPasswordForm
from panels.forms.practice import PracticeScoreForm
from panels.invitations import VALID_DAYS, invitation_token_matches
from panels.models import Panel
from panels.permissions import PANELS, can_practise, can_use_panel_home, seat_of
from panels.scoring import weighted_score
from panels.selectors import members as selectors
from panels.selectors import practice as practice_selectors
from panels.services import members as services
from panels.services.practice import practice_attempt_save


@require_http_methods(["GET"])
def member_home(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=can_use_panel_home(request.user))
    return render(
        request,
        "panels/member_home.html",
        {"panels": selectors.member_panels(user=request.user)},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email: set a password, join, land on the panel home."""
    member = selectors.invitation_member(token=token)
    if (
        member is None
        or not member.user.is_active
        or member.user.has_usable_password()
        or not invitation_token_matches(member, token)
    ):
        return render(
            request, "panels/invitation_invalid.html", {"valid_days": VALID_DAYS}, status=400
        )
    context = {"member": member, "round": member.panel.round}
    if request.user.is_authenticated and request.user.pk != member.user_id:
        return render(request, "panels/invitation_other_person.html", context)
    form = InvitationPasswordForm(member.user, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_invitation_accept(
                member=member, token=token, password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            member.user.refresh_from_db()
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your password is set and you have joined the panel")
            return redirect("panels:member-home")
    return render(
        request,
        "panels/invitation_accept.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


def _practice_panel(request: HttpRequest, slug: str) -> Panel:
    panel = PANELS.visible(request.user).select_related("round").filter(round__slug=slug).first()
    authorize(request, can_see=panel is not None)
    authorize(request, can_do=can_practise(request.user, panel))
    return panel


@require_http_methods(["GET", "POST"])
def practice_score(request: HttpRequest, slug: str) -> HttpResponse:
    """Score the fictional practice application on the round's scoring system, and see
    how the score is worked out. Practice scores are kept for the member only."""
    panel = _practice_panel(request, slug)
    member = seat_of(request.user, panel)
    criteria, own_rubric = practice_selectors.practice_criteria(round=panel.round)
    attempt = practice_selectors.practice_attempt_of(member=member)
    initial = {}
    if attempt is not None:
        for criterion in criteria:
            given = attempt.scores.get(str(criterion.id)) or {}
            initial[f"criterion_{criterion.id}"] = given.get("value")
            initial[f"comment_{criterion.id}"] = given.get("comment", "")
    form = PracticeScoreForm(posted(request), criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            practice_attempt_save(
                member=member, criteria=criteria, values=form.values(), actor=request.user
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, "Practice scores saved. This is how they add up")
            return redirect(f"{reverse('panels:practice-score', args=[slug])}#how-it-adds-up")
    lines = practice_selectors.practice_explained(criteria=criteria, attempt=attempt)
    total = (
        weighted_score(
            [criterion.rule for criterion in criteria],
            {line.criterion.id: line.point.value for line in lines},
        )
        if lines
        else None
    )
    return render(
        request,
        "panels/practice_score.html",
        {
            "panel": panel,
            "round": panel.round,
            "member": member,
            "application": practice_selectors.practice_application(),
            "own_rubric": own_rubric,
            "form": form,
            "lines": lines,
            "total": total,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("panel/", member_home, name="member-home"),
    path("panel/join/<str:token>/", invitation_accept, name="invitation-accept"),
    path("panel/rounds/<slug:slug>/practice/", practice_score, name="practice-score"),
]
