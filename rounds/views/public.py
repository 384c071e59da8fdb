"""Public pages of a round, help to apply, and the FAQs and guidance commissioners keep.

urlpatterns are joined in rounds/urls.py.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.caching import public_page
from microcomm.http import authorize, confirm_page, form_submit, paginate, posted, posted_files
from microcomm.uploads import CONTENT_TYPES
from rounds import permissions
from rounds.eligibility import eligibility_check
from rounds.forms.public import (
    EligibilityForm,
    FaqForm,
    GuidanceForm,
    SupportAssignForm,
    SupportCloseForm,
    SupportRequestForm,
)
from rounds.models import Faq, GuidanceResource, Round, SupportRequest
from rounds.selectors import public as selectors
from rounds.services import public as services

Managed = TypeVar("Managed", Faq, GuidanceResource)

TIMELINE_TEMPLATE = "rounds/funding/_timeline.html"
TIMELINE_FALLBACK = "rounds/public/_timeline_fallback.html"


def _managed_round(request: HttpRequest, slug: str | None) -> Round | None:
    """The round whose FAQs or guidance are managed, or None for the scheme-wide ones."""
    round = selectors.round_for_managing(user=request.user, slug=slug) if slug else None
    authorize(
        request,
        can_see=slug is None or round is not None,
        can_do=permissions.can_manage_funding(request.user),
    )
    return round


def _timeline_template() -> str:
    """The funding app's timeline partial when it exists, else a simple one of our own."""
    try:
        get_template(TIMELINE_TEMPLATE)
    except (TemplateDoesNotExist, TemplateSyntaxError):
        return TIMELINE_FALLBACK
    return TIMELINE_TEMPLATE


def _questions_pdf_url(round: Round) -> str | None:
    """The questions PDF, once the form is published (before that it would not be found)."""
    if round.form_published_at is None:
        return None
    try:
        return reverse("rounds:round-questions-pdf", kwargs={"slug": round.slug})
    except NoReverseMatch:
        return None


def _round_manage_url(round: Round | None) -> str:
    if round is None:
        return reverse("rounds:faq-public-list")
    return reverse("rounds:round-detail", kwargs={"slug": round.slug})


# Finding and understanding a round ------------------------------------------------------


@login_not_required
@require_http_methods(["GET"])
@public_page(query=["page"], until=selectors.public_pages_fresh_until)
def round_public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "rounds/public/round_list.html", {"rounds": selectors.rounds_public_list()}
    )


@login_not_required
@require_http_methods(["GET"])
@public_page(until=selectors.public_pages_fresh_until)
def round_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page; a commissioner previews a draft's (the public gets 404)."""
    round = selectors.round_public_detail(slug=slug, user=request.user)
    if round is None:
        raise Http404
    preview = round.status == Round.Status.DRAFT
    return render(
        request,
        "rounds/public/round_detail.html",
        {
            "round": round,
            "preview": preview,
            # A draft is previewed as it will read once scheduled: with both dates.
            "status": Round.Status.SCHEDULED if preview else round.current_status,
            "evidence": selectors.round_priority_evidence(round=round),
            "timeline_template": _timeline_template(),
            "questions_pdf_url": _questions_pdf_url(round),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@public_page(until=selectors.public_pages_fresh_until)
def round_eligibility(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask a few questions and say whether the group can apply. Nothing is stored."""
    round = selectors.round_for_eligibility(slug=slug)
    if round is None:
        raise Http404
    form = EligibilityForm(posted(request), round=round)
    if request.method == "POST" and form.is_valid():
        result = eligibility_check(round=round, **form.check_arguments())
        # "Change your answers" carries them back in its address, so nothing is stored.
        answers = QueryDict(mutable=True)
        for name in form.fields:
            answers.setlist(name, request.POST.getlist(name))
        checker = reverse("rounds:round-eligibility", args=[round.slug])
        change_url = f"{checker}?{answers.urlencode()}"
        return render(
            request,
            "rounds/public/round_eligibility_result.html",
            {
                "round": round,
                "result": result,
                "status": round.current_status,
                "change_url": change_url,
            },
        )
    if request.method == "GET":
        form = EligibilityForm(round=round, initial=_eligibility_answers(form, request.GET))
    return render(request, "rounds/public/round_eligibility.html", {"round": round, "form": form})


def _eligibility_answers(form: EligibilityForm, query: QueryDict) -> dict[str, object]:
    """The answers a "Change your answers" link carries, to show in the form again."""
    answers: dict[str, object] = {}
    for name, field in form.fields.items():
        if name not in query:
            continue
        many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        answers[name] = query.getlist(name) if many else query.get(name)
    return answers


@login_not_required
@require_http_methods(["GET"])
def round_apply_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an application: sign in (or create an account) first, then the form."""
    round = selectors.round_for_eligibility(slug=slug)
    if round is None:
        raise Http404
    authorize(request, can_do=request.user.is_authenticated)
    # The application itself belongs to the next stage of the cycle; only its URL name is
    # shared, so this app imports nothing from it.
    return redirect("applications:application-start", slug=round.slug)


@login_not_required
@require_http_methods(["GET"])
@public_page()
def faq_public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rounds/public/faq_list.html",
        {
            "faqs": selectors.faqs_scheme_wide(),
            "guidance": selectors.guidance_scheme_wide(),
            "can_manage": permissions.can_manage_funding(request.user),
        },
    )


@login_not_required
@require_http_methods(["GET"])
@public_page()
def guidance_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a guide or template: public for published rounds and the whole scheme."""
    resource = selectors.guidance_for_page(user=request.user, pk=pk)
    if resource is None or not resource.file:
        raise Http404
    extension = resource.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{resource.title[:80]}.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


# Help to apply -------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def support_request_create(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("round", "")
    round = selectors.round_for_eligibility(slug=slug) if slug else None
    if slug and round is None:
        raise Http404
    form = SupportRequestForm(posted(request))

    def save(data: dict) -> SupportRequest:
        support_request = services.support_request_create(
            round=round,
            name=data["name"],
            group_name=data["group_name"],
            email=data["email"],
            phone=data["phone"],
            contact_preference=data["contact_preference"],
            help_needed=data["help_needed"],
            language=data["language"],
            message=data["message"],
        )
        request.session["support_request_sent"] = {
            "email": support_request.email,
            "contact": support_request.get_contact_preference_display().lower(),
            "round": round.title if round else "",
        }
        return support_request

    return form_submit(
        request, form, save, next_url=reverse("rounds:support-request-sent")
    ) or render(request, "rounds/public/support_request_form.html", {"form": form, "round": round})


@login_not_required
@require_http_methods(["GET"])
def support_request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rounds/public/support_request_sent.html",
        {"sent": request.session.get("support_request_sent") or {}},
    )


SUPPORT_PAGE_SIZE = 25


@require_http_methods(["GET"])
def support_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_handle_support_requests(request.user))
    return render(
        request,
        "rounds/public/support_list.html",
        {
            **paginate(
                request, selectors.support_requests_open(user=request.user), SUPPORT_PAGE_SIZE
            ),
            "closed_requests": selectors.support_requests_closed(user=request.user),
        },
    )


def _support_request_or_404(request: HttpRequest, pk: int) -> SupportRequest:
    """The request, or 404 when it is not there or the person may not handle requests."""
    support_request = selectors.support_request_for_page(user=request.user, pk=pk)
    authorize(request, can_see=support_request is not None)
    return support_request


def _support_detail(
    request: HttpRequest,
    support_request: SupportRequest,
    *,
    assign_form: SupportAssignForm | None = None,
    close_form: SupportCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    assignees = selectors.support_request_assignees()
    return render(
        request,
        "rounds/public/support_request_detail.html",
        {
            "support_request": support_request,
            "assign_form": assign_form
            or SupportAssignForm(
                assignees=assignees,
                initial={"assignee": support_request.assigned_to_id or request.user.pk},
            ),
            "close_form": close_form or SupportCloseForm(),
            "form": assign_form if assign_form is not None else close_form,
        },
        status=status,
    )


@require_http_methods(["GET"])
def support_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _support_detail(request, _support_request_or_404(request, pk))


@require_POST
def support_request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = _support_request_or_404(request, pk)
    form = SupportAssignForm(request.POST, assignees=selectors.support_request_assignees())
    return form_submit(
        request,
        form,
        lambda data: services.support_request_assign(
            support_request=support_request, assignee=data["assignee"], actor=request.user
        ),
        message=lambda _: f"Request assigned to {form.cleaned_data['assignee']}",
        next_url=reverse("rounds:support-request-detail", kwargs={"pk": support_request.pk}),
    ) or _support_detail(request, support_request, assign_form=form)


@require_POST
def support_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = _support_request_or_404(request, pk)
    form = SupportCloseForm(request.POST)
    return form_submit(
        request,
        form,
        lambda data: services.support_request_close(
            support_request=support_request, notes=data["notes"], actor=request.user
        ),
        message="Request closed",
        next_url=reverse("rounds:support-request-detail", kwargs={"pk": support_request.pk}),
    ) or _support_detail(request, support_request, close_form=form)


# Managing FAQs and guidance ------------------------------------------------------------


@require_http_methods(["GET"])
def faq_manage_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    round = _managed_round(request, slug)
    return render(
        request,
        "rounds/public/faq_manage_list.html",
        {
            "round": round,
            "faqs": selectors.faqs_for_managing(round=round),
            "back_url": _round_manage_url(round),
        },
    )


def _manage_list_url(name: str, round: Round | None) -> str:
    """The page listing a round's FAQs or guidance (URL ``name``), or the scheme-wide ones."""
    return reverse(name, kwargs={"slug": round.slug} if round is not None else None)


def _managed(request: HttpRequest, item: Managed | None) -> Managed:
    """A FAQ or guide for a commissioner to change; 404 when it is not there."""
    authorize(
        request,
        can_see=item is not None,
        can_do=permissions.can_manage_funding(request.user),
    )
    return item


def _faq_page(request: HttpRequest, *, round: Round | None, faq: Faq | None) -> HttpResponse:
    """Add a question to a round (or the scheme), or edit ``faq``."""
    form = FaqForm(
        posted(request),
        initial=None
        if faq is None
        else {"question": faq.question, "answer": faq.answer, "order": faq.order},
    )
    list_url = _manage_list_url("rounds:faq-manage-list", round)

    def save(data: dict) -> Faq:
        if faq is None:
            return services.faq_create(round=round, actor=request.user, **data)
        return services.faq_update(faq=faq, actor=request.user, **data)

    return form_submit(
        request,
        form,
        save,
        message="Question added" if faq is None else "Question updated",
        next_url=list_url,
    ) or render(
        request,
        "rounds/public/faq_form.html",
        {
            "form": form,
            "round": round,
            "heading": "Add a question" if faq is None else "Edit a question",
            "back_url": list_url,
        },
    )


@require_http_methods(["GET", "POST"])
def faq_create(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _faq_page(request, round=_managed_round(request, slug), faq=None)


@require_http_methods(["GET", "POST"])
def faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    faq = _managed(request, selectors.faq_for_managing(user=request.user, pk=pk))
    return _faq_page(request, round=faq.round, faq=faq)


@require_http_methods(["GET", "POST"])
def faq_delete(request: HttpRequest, pk: int) -> HttpResponse:
    faq = _managed(request, selectors.faq_for_managing(user=request.user, pk=pk))
    list_url = _manage_list_url("rounds:faq-manage-list", faq.round)
    return confirm_page(
        request,
        lambda: services.faq_delete(faq=faq, actor=request.user),
        message="Question deleted",
        next_url=list_url,
        template="rounds/public/confirm_delete.html",
        context={
            "heading": "Delete this question?",
            "item": faq.question,
            "round": faq.round,
            "back_url": list_url,
        },
    )


@require_http_methods(["GET"])
def guidance_manage_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    round = _managed_round(request, slug)
    return render(
        request,
        "rounds/public/guidance_manage_list.html",
        {
            "round": round,
            "resources": selectors.guidance_for_managing(round=round),
            "back_url": _round_manage_url(round),
        },
    )


def _guidance_page(
    request: HttpRequest, *, round: Round | None, resource: GuidanceResource | None
) -> HttpResponse:
    """Add a guide or template to a round (or the scheme), or edit ``resource``."""
    form = GuidanceForm(
        posted(request),
        posted_files(request),
        has_file=bool(resource and resource.file),
        initial=None
        if resource is None
        else {
            "title": resource.title,
            "description": resource.description,
            "url": resource.url,
            "order": resource.order,
        },
    )
    list_url = _manage_list_url("rounds:guidance-manage-list", round)

    def save(data: dict) -> GuidanceResource:
        fields = {
            "title": data["title"],
            "description": data["description"],
            "file": data["file"],
            "file_extension": form.file_extension,
            "url": data["url"],
            "order": data["order"],
            "actor": request.user,
        }
        if resource is None:
            return services.guidance_create(round=round, **fields)
        return services.guidance_update(resource=resource, **fields)

    return form_submit(
        request,
        form,
        save,
        message=lambda saved: (
            f"Guidance {'added' if resource is None else 'updated'}: {saved.title}"
        ),
        next_url=list_url,
    ) or render(
        request,
        "rounds/public/guidance_form.html",
        {
            "form": form,
            "resource": resource,
            "round": round,
            "heading": "Add guidance or a template" if resource is None else "Edit guidance",
            "back_url": list_url,
        },
    )


@require_http_methods(["GET", "POST"])
def guidance_create(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _guidance_page(request, round=_managed_round(request, slug), resource=None)


@require_http_methods(["GET", "POST"])
def guidance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _managed(request, selectors.guidance_for_page(user=request.user, pk=pk))
    return _guidance_page(request, round=resource.round, resource=resource)


@require_http_methods(["GET", "POST"])
def guidance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _managed(request, selectors.guidance_for_page(user=request.user, pk=pk))
    list_url = _manage_list_url("rounds:guidance-manage-list", resource.round)
    return confirm_page(
        request,
        lambda: services.guidance_delete(resource=resource, actor=request.user),
        message=f"Guidance deleted: {resource.title}",
        next_url=list_url,
        template="rounds/public/confirm_delete.html",
        context={
            "heading": "Delete this guidance?",
            "item": resource.title,
            "round": resource.round,
            "back_url": list_url,
        },
    )


urlpatterns = [
    path("rounds/", round_public_list, name="round-public-list"),
    path("rounds/<slug:slug>/", round_public_detail, name="round-public-detail"),
    path("rounds/<slug:slug>/eligibility/", round_eligibility, name="round-eligibility"),
    path("rounds/<slug:slug>/apply/", round_apply_start, name="round-apply-start"),
    path("faqs/", faq_public_list, name="faq-public-list"),
    path("guidance/<int:pk>/download/", guidance_download, name="guidance-download"),
    path("support/", support_request_create, name="support-request-create"),
    path("support/sent/", support_request_sent, name="support-request-sent"),
    path("support-requests/", support_list, name="support-list"),
    path("support-requests/<int:pk>/", support_request_detail, name="support-request-detail"),
    path(
        "support-requests/<int:pk>/assign/", support_request_assign, name="support-request-assign"
    ),
    path("support-requests/<int:pk>/close/", support_request_close, name="support-request-close"),
    # FAQs and guidance: one set of pages for a round's and one for the scheme-wide ones.
    path("manage/faqs/", faq_manage_list, name="faq-manage-list"),
    path("manage/faqs/new/", faq_create, name="faq-create"),
    path("manage/rounds/<slug:slug>/faqs/", faq_manage_list, name="faq-manage-list"),
    path("manage/rounds/<slug:slug>/faqs/new/", faq_create, name="faq-create"),
    path("manage/faqs/<int:pk>/edit/", faq_edit, name="faq-edit"),
    path("manage/faqs/<int:pk>/delete/", faq_delete, name="faq-delete"),
    path("manage/guidance/", guidance_manage_list, name="guidance-manage-list"),
    path("manage/guidance/new/", guidance_create, name="guidance-create"),
    path("manage/rounds/<slug:slug>/guidance/", guidance_manage_list, name="guidance-manage-list"),
    path("manage/rounds/<slug:slug>/guidance/new/", guidance_create, name="guidance-create"),
    path("manage/guidance/<int:pk>/edit/", guidance_edit, name="guidance-edit"),
    path("manage/guidance/<int:pk>/delete/", guidance_delete, name="guidance-delete"),
]
