"""Independent scoring: the scorer's list and scoring page, assignment, looking again."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from applications.files import private_file_response
from applications.selectors.assessing import application_budget, due_diligence_checklist
from microcomm.errors import DomainError
from microcomm.http import authorize, form_submit, posted
from microcomm.permissions import Verdict
from panels.forms.scoring import AssignForm, LookAgainForm, ScorecardForm
from panels.models import Scorecard
from panels.permissions import (
    SCORECARDS,
    can_ask_to_look_again,
    can_score,
    can_see_others_scores,
)
from panels.selectors.conflicts import declarations_missing
from panels.selectors.scoring import (
    application_answers,
    assignment_overview,
    others_scores,
    rubric_criteria,
    scorecards_for_member,
    scorecards_for_scoring,
)
from panels.services.scoring import (
    STALE,
    score_look_again,
    scorecard_save,
    scorecard_submit,
    scorecards_assign,
)
from panels.views.conflicts import managed_panel, member_panel


def _declare_first(request: HttpRequest, slug: str) -> HttpResponse:
    messages.info(
        request,
        "Before you see any application, say whether you have an interest in each group "
        "that applied",
    )
    return redirect("panels:conflict-declare", slug=slug)


@require_http_methods(["GET"])
def scorecard_list(request: HttpRequest, slug: str) -> HttpResponse:
    panel, member = member_panel(request, slug, doing="score applications")
    if declarations_missing(member=member):
        return _declare_first(request, slug)
    scorecards = list(scorecards_for_member(member=member))
    return render(
        request,
        "panels/scorecard_list.html",
        {
            "panel": panel,
            "round": panel.round,
            "member": member,
            "scorecards": scorecards,
            "criteria_count": len(rubric_criteria(round_id=panel.round_id)),
            "submitted": sum(1 for card in scorecards if card.status == "submitted"),
        },
    )


def _scorecard_or_404(request: HttpRequest, slug: str, pk: int) -> Scorecard:
    """The scorecard for its scorer; a commissioner is refused (403), anyone else, and a
    member who declared an interest in the group, finds nothing (404)."""
    scorecard = (
        SCORECARDS.visible(request.user, scorecards_for_scoring())
        .filter(pk=pk, member__panel__round__slug=slug)
        .first()
    )
    authorize(
        request,
        can_see=scorecard is not None,
        can_do=Verdict.of(
            scorecard is not None and scorecard.member.user_id == request.user.pk,
            "Only the panel member the application is assigned to can score it",
        ),
    )
    return scorecard


def _given_back(form: ScorecardForm, scorecard: Scorecard) -> ScorecardForm:
    """After a refused save from a page read before another save, keep what the person
    chose but take the new version, so that saving again (after checking) works."""
    data = form.data.copy()
    data["version"] = str(Scorecard.objects.values_list("version", flat=True).get(pk=scorecard.pk))
    again = ScorecardForm(data, scorecard=scorecard, criteria=form.criteria)
    again.is_valid()
    return again


@require_http_methods(["GET", "POST"])
def scorecard_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scorecard = _scorecard_or_404(request, slug, pk)
    member = scorecard.member
    if scorecard.declarations_missing:
        return _declare_first(request, slug)
    criteria = rubric_criteria(round_id=member.panel.round_id, scorecard=scorecard)
    form = ScorecardForm(posted(request), scorecard=scorecard, criteria=criteria)
    error_message = ""
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        service = scorecard_submit if submitting else scorecard_save
        try:
            service(
                scorecard=scorecard,
                given=form.given(),
                reasons=form.reasons(),
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except DomainError as error:
            if error.message == STALE:
                form = _given_back(form, scorecard)
                error_message = error.message
            else:
                form.apply_service_error(error)
        else:
            if submitting:
                messages.success(request, f"Your scores for {scorecard.application} are submitted")
            else:
                messages.success(
                    request,
                    f"Your scores for {scorecard.application} are saved. Come back to finish "
                    "them before the due date",
                )
            return redirect("panels:scorer-list", slug=slug)
    application = scorecard.application
    sections, documents_by_id = application_answers(application=application)
    documents = list(documents_by_id.values())
    checklist = due_diligence_checklist(application=application, documents=documents)
    shared = can_see_others_scores(member, scorecard)
    return render(
        request,
        "panels/scorecard_detail.html",
        {
            "panel": member.panel,
            "round": member.panel.round,
            "scorecard": scorecard,
            "application": application,
            "form": form,
            "rows": form.rows(),
            "error_message": error_message,
            "can_score": can_score(request.user, scorecard),
            "sections": sections,
            "budget": application_budget(application=application),
            "documents": documents,
            "checklist": checklist,
            "due_diligence_complete": bool(checklist)
            and all(row.item.verified for row in checklist),
            "others": others_scores(scorecard=scorecard, criteria=criteria) if shared else None,
        },
        status=409 if error_message else 200,
    )


@require_http_methods(["GET"])
def scorecard_document(request: HttpRequest, slug: str, pk: int, doc_pk: int) -> FileResponse:
    """A document of the group whose application is being scored, for its scorer only."""
    scorecard = _scorecard_or_404(request, slug, pk)
    _sections, documents = application_answers(application=scorecard.application)
    document = documents.get(doc_pk)
    if document is None:
        raise Http404
    return private_file_response(
        document.file, document.original_name, content_type=document.content_type
    )


@require_http_methods(["GET", "POST"])
def scorecards_assign_page(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = managed_panel(request, slug)
    form = AssignForm(posted(request) if panel is not None else None)
    return (
        panel is not None
        and form_submit(
            request,
            form,
            lambda data: scorecards_assign(
                panel=panel, everyone=data["how"] == "everyone", actor=request.user
            ),
            message=lambda result: (
                f"{result.created} assignment{'s' if result.created != 1 else ''} made"
                + (f", {result.removed} unstarted ones planned again" if result.removed else "")
            ),
            next_url=reverse("panels:scorecards-assign", kwargs={"slug": slug}),
        )
    ) or render(
        request,
        "panels/scorecards_assign.html",
        {
            "round": round,
            "panel": panel,
            "form": form,
            "overview": assignment_overview(panel=panel) if panel is not None else None,
        },
    )


@require_http_methods(["GET", "POST"])
def score_look_again_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    scorecard = (
        SCORECARDS.visible(request.user, scorecards_for_scoring())
        .filter(pk=pk, member__panel__round__slug=slug)
        .first()
    )
    authorize(
        request,
        can_see=scorecard is not None,
        can_do=can_ask_to_look_again(request.user, scorecard),
    )
    criteria = rubric_criteria(round_id=scorecard.member.panel.round_id, scorecard=scorecard)
    form = LookAgainForm(posted(request), criteria=criteria)
    return form_submit(
        request,
        form,
        lambda data: score_look_again(
            scorecard=scorecard, note=data["note"], criterion=data["criterion"], actor=request.user
        ),
        message="The scorer has been asked to look again",
        next_url=reverse("panels:scorecards-assign", kwargs={"slug": slug}),
    ) or render(
        request,
        "panels/score_look_again.html",
        {
            "round": scorecard.member.panel.round,
            "scorecard": scorecard,
            "form": form,
            "criteria": criteria,
        },
    )
