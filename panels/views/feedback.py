"""Pages: feedback and releasing decisions, the group's decision page, interviews
and panel packs."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from applications.files import private_file_response
from microcomm.http import authorize, confirm_page, form_submit, posted
from panels.forms.feedback import (
    BookForm,
    FeedbackForm,
    InviteForm,
    NotesForm,
    PackMemberForm,
    PackRequestForm,
    SlotForm,
)
from panels.models import Decision, InterviewInvitation, InterviewSlot, Panel
from panels.permissions import (
    PANELS,
    can_book_interview,
    can_have_pack,
    can_manage_feedback,
    seat_of,
)
from panels.selectors import feedback as selectors
from panels.services import feedback as services
from panels.services import interviews as interview_services
from panels.services import packs as pack_services
from rounds.models import Round
from rounds.selectors.public import round_for_managing


def _managed_round(request: HttpRequest, slug: str) -> tuple[Round, Panel]:
    """The round and its panel for a commissioner; a round with no panel is not found."""
    round = round_for_managing(user=request.user, slug=slug)
    authorize(request, can_see=round is not None, can_do=can_manage_feedback(request.user))
    panel = Panel.objects.filter(round=round).first()
    authorize(request, can_see=panel is not None)
    return round, panel


# Feedback and releasing decisions --------------------------------------------------------


@require_http_methods(["GET"])
def feedback_list(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    decisions = list(selectors.round_decisions(round=round))
    return render(
        request,
        "panels/feedback_list.html",
        {
            "round": round,
            "decisions": decisions,
            "waiting": [d for d in decisions if d.status == Decision.Status.RECORDED],
            "releasable": [d for d in decisions if d.status == Decision.Status.APPROVED],
        },
    )


@require_http_methods(["GET", "POST"])
def feedback_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    decision = get_object_or_404(
        Decision.objects.select_related("application__organisation", "application__round"),
        pk=pk,
        application__round=round,
    )
    sections = selectors.application_sections(application=decision.application)
    initial = {
        "feedback": decision.feedback or selectors.decision_feedback_draft(decision=decision),
        "signposting": decision.signposting or selectors.signposting_default(),
        "version": decision.version,
        **{f"section_{key}": text for key, text in decision.section_feedback.items()},
    }
    form = FeedbackForm(posted(request), initial=initial, sections=sections)
    approve = "approve" in request.POST

    def save(data: dict) -> Decision:
        saved = services.decision_feedback_save(
            decision=decision,
            feedback=data["feedback"],
            signposting=data["signposting"],
            section_feedback=form.section_feedback(),
            version=data["version"],
            actor=request.user,
        )
        if approve:
            saved = services.decision_feedback_approve(decision=saved, actor=request.user)
        return saved

    list_url = reverse("panels:feedback-list", args=[round.slug])
    reference = decision.application.reference
    response = form_submit(
        request,
        form,
        save,
        next_url=list_url,
        message=f"Feedback on {reference} approved"
        if approve
        else f"Feedback on {reference} saved",
    )
    if response is not None:
        return response
    if form.errors and form.data.get("version") != str(decision.version):
        # Someone saved since this page was read: show their feedback, with the refusal.
        data = request.POST.copy()
        data["feedback"] = decision.feedback
        data["version"] = str(decision.version)
        refusals = form.non_field_errors()
        form = FeedbackForm(data, sections=sections)
        form.is_valid()
        for message in refusals:
            form.add_error(None, message)
    return render(
        request,
        "panels/feedback_edit.html",
        {"round": round, "decision": decision, "form": form, "list_url": list_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def decisions_release(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    decisions = list(selectors.round_decisions(round=round))
    return confirm_page(
        request,
        lambda: services.decisions_release(round=round, actor=request.user),
        message="Decisions and feedback released. Each group has been told by email.",
        next_url=reverse("panels:feedback-list", args=[round.slug]),
        template="panels/decisions_release.html",
        context={
            "round": round,
            "decisions": decisions,
            "waiting": selectors.round_decisions_not_approved(round=round),
        },
        refused_status=400,
    )


@require_http_methods(["GET"])
def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The group's page: the panel's decision and feedback, once released."""
    decision = selectors.decision_for_group(user=request.user, reference=reference)
    authorize(request, can_see=decision is not None)
    return render(
        request,
        "panels/decision_detail.html",
        {
            "decision": decision,
            "application": decision.application,
            "sections": selectors.decision_section_feedback(decision=decision),
            "is_released": decision.status == Decision.Status.RELEASED,
        },
    )


# Interviews ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def interview_list(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    shortlist = selectors.interview_shortlist(round=round)
    return render(
        request,
        "panels/interview_list.html",
        {
            "round": round,
            "slots": list(selectors.interview_slots(panel=panel)),
            "invitations": list(selectors.interview_invitations(round=round)),
            "form": InviteForm(None, shortlist=shortlist),
            "has_shortlist": shortlist.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def interview_slot_add(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    form = SlotForm(posted(request))
    list_url = reverse("panels:interview-list", args=[round.slug])
    return form_submit(
        request,
        form,
        lambda data: interview_services.interview_slot_add(
            panel=panel,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            video_link=data["video_link"],
            actor=request.user,
        ),
        next_url=list_url,
        message="Interview time added",
    ) or render(
        request,
        "panels/interview_slot_form.html",
        {"round": round, "form": form, "list_url": list_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def interview_slot_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    slot = get_object_or_404(InterviewSlot, pk=pk, panel=panel)
    list_url = reverse("panels:interview-list", args=[round.slug])
    return confirm_page(
        request,
        lambda: interview_services.interview_slot_remove(slot=slot, actor=request.user),
        message="Interview time taken back",
        next_url=list_url,
        template="panels/interview_slot_remove.html",
        context={"round": round, "slot": slot, "list_url": list_url},
        refused_status=400,
    )


@require_http_methods(["GET", "POST"])
def interview_invite(request: HttpRequest, slug: str) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    form = InviteForm(posted(request), shortlist=selectors.interview_shortlist(round=round))
    list_url = reverse("panels:interview-list", args=[round.slug])
    return form_submit(
        request,
        form,
        lambda data: interview_services.interviews_invite(
            panel=panel, applications=list(data["applications"]), actor=request.user
        ),
        next_url=list_url,
        message=lambda invited: f"Invited {len(invited)} group{'s' if len(invited) != 1 else ''}",
    ) or render(
        request,
        "panels/interview_invite.html",
        {"round": round, "form": form, "list_url": list_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def interview_notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round, panel = _managed_round(request, slug)
    invitation = get_object_or_404(
        InterviewInvitation.objects.select_related("application__organisation", "slot"),
        pk=pk,
        application__round=round,
    )
    form = NotesForm(posted(request), initial={"notes": invitation.notes})
    list_url = reverse("panels:interview-list", args=[round.slug])
    return form_submit(
        request,
        form,
        lambda data: interview_services.interview_notes_save(
            invitation=invitation,
            notes=data["notes"],
            ask_scorers=data["ask_scorers"],
            actor=request.user,
        ),
        next_url=list_url,
        message="Interview notes saved",
    ) or render(
        request,
        "panels/interview_notes.html",
        {"round": round, "invitation": invitation, "form": form, "list_url": list_url},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def interview_book(request: HttpRequest, reference: str) -> HttpResponse:
    """The invited group chooses one of the free times and says what it needs."""
    invitation = selectors.interview_for_group(user=request.user, reference=reference)
    authorize(request, can_see=invitation is not None)
    authorize(request, can_do=can_book_interview(request.user, invitation))
    panel = invitation.application.round.panel
    slots = selectors.interview_slots_free(panel=panel) | InterviewSlot.objects.filter(
        pk=invitation.slot_id or 0
    )
    form = BookForm(
        posted(request),
        slots=slots.order_by("starts_at", "id"),
        initial={"slot": invitation.slot_id, "access_needs": invitation.access_needs},
    )
    here = reverse("panels:interview-book", args=[reference])
    return form_submit(
        request,
        form,
        lambda data: interview_services.interview_book(
            invitation=invitation,
            slot=data["slot"],
            access_needs=data["access_needs"],
            actor=request.user,
        ),
        next_url=here,
        message="Interview time chosen. We have emailed you the details.",
    ) or render(
        request,
        "panels/interview_book.html",
        {
            "invitation": invitation,
            "application": invitation.application,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# Panel packs -----------------------------------------------------------------------------


def _panel_of(request: HttpRequest, slug: str) -> Panel:
    panel = Panel.objects.filter(round__slug=slug).select_related("round").first()
    authorize(request, can_see=PANELS.allows(request.user, panel))
    return panel


@require_http_methods(["GET", "POST"])
def pack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's own panel pack: its state, a new one on request, and the download."""
    panel = _panel_of(request, slug)
    authorize(request, can_do=can_have_pack(request.user, panel))
    member = seat_of(request.user, panel)
    form = PackRequestForm(posted(request))
    here = reverse("panels:pack-detail", args=[slug])
    response = form_submit(
        request,
        form,
        lambda _: pack_services.panel_pack_request(member=member, actor=request.user),
        next_url=here,
        message="We are preparing your panel pack",
    )
    if response is not None:
        return response
    packs = list(selectors.member_packs(member=member))
    return render(
        request,
        "panels/pack_detail.html",
        {
            "panel": panel,
            "round": panel.round,
            "packs": packs,
            "latest": packs[0] if packs else None,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def pack_members(request: HttpRequest, slug: str) -> HttpResponse:
    """A commissioner makes a pack for any member, to print and post."""
    panel = _panel_of(request, slug)
    authorize(request, can_do=can_manage_feedback(request.user))
    members = selectors.panel_members_with_packs(panel=panel)
    here = reverse("panels:pack-members", args=[slug])
    form = PackMemberForm(posted(request), members=members)
    return form_submit(
        request,
        form,
        lambda data: pack_services.panel_pack_request(member=data["member"], actor=request.user),
        next_url=here,
        message=lambda pack: f"We are preparing the panel pack for {pack.member.user.full_name}",
    ) or render(
        request,
        "panels/pack_members.html",
        {"panel": panel, "round": panel.round, "members": members, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def pack_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    pack = selectors.pack_for(user=request.user, pk=pk)
    authorize(request, can_see=pack is not None and pack.member.panel.round.slug == slug)
    return private_file_response(
        pack.file, f"panel-pack-{slug}-{pack.version}.pdf", content_type="application/pdf"
    )


urlpatterns = [
    path("rounds/<slug:slug>/panel/feedback/", feedback_list, name="feedback-list"),
    path("rounds/<slug:slug>/panel/feedback/<int:pk>/", feedback_edit, name="feedback-edit"),
    path("rounds/<slug:slug>/panel/feedback/release/", decisions_release, name="decisions-release"),
    path("rounds/<slug:slug>/panel/interviews/", interview_list, name="interview-list"),
    path(
        "rounds/<slug:slug>/panel/interviews/times/add/",
        interview_slot_add,
        name="interview-slot-add",
    ),
    path(
        "rounds/<slug:slug>/panel/interviews/times/<int:pk>/remove/",
        interview_slot_remove,
        name="interview-slot-remove",
    ),
    path("rounds/<slug:slug>/panel/interviews/invite/", interview_invite, name="interview-invite"),
    path(
        "rounds/<slug:slug>/panel/interviews/<int:pk>/notes/",
        interview_notes,
        name="interview-notes",
    ),
    path("decisions/<str:reference>/", decision_detail, name="decision-detail"),
    path("interviews/<str:reference>/", interview_book, name="interview-book"),
    path("panel/rounds/<slug:slug>/pack/", pack_detail, name="pack-detail"),
    path("panel/rounds/<slug:slug>/pack/members/", pack_members, name="pack-members"),
    path("panel/rounds/<slug:slug>/pack/<int:pk>/download/", pack_download, name="pack-download"),
]
