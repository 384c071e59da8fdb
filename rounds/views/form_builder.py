"""Form builder pages: sections, questions, preview, publishing and the form PDF.

urlpatterns are joined in rounds/urls.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.http import action_submit, confirm_page, form_submit, posted
from rounds.forms.form_builder import MoveForm, QuestionForm, SectionForm, SectionPreviewForm
from rounds.models import FormPdf, FormSection, Question, Round
from rounds.selectors import form_builder as selectors
from rounds.services import form_builder as services
from rounds.views.common import round_managed


def _managed_round(request: HttpRequest, slug: str) -> Round:
    return round_managed(request, selectors.round_for_form(slug=slug))


def _section_or_404(round: Round, pk: int) -> FormSection:
    section = FormSection.objects.filter(round=round, pk=pk).select_related("round").first()
    if section is None:
        raise Http404
    return section


def _question_or_404(round: Round, pk: int) -> Question:
    question = (
        Question.objects.filter(section__round=round, pk=pk)
        .select_related("section__round", "condition_question")
        .first()
    )
    if question is None:
        raise Http404
    return question


def _builder_url(round: Round) -> str:
    return reverse("rounds:round-form", kwargs={"slug": round.slug})


@require_http_methods(["GET"])
def round_form(request: HttpRequest, slug: str) -> HttpResponse:
    """The builder: every section and question with its actions, and publishing."""
    round = _managed_round(request, slug)
    return render(
        request,
        "rounds/form_builder/round_form.html",
        {
            "round": round,
            "sections": selectors.form_sections(round=round),
            "problems": services.form_problems(round=round),
            "can_unpublish": round.current_status in {Round.Status.DRAFT, Round.Status.SCHEDULED},
        },
    )


@require_http_methods(["GET"])
def round_form_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole form as applicants will see it; nothing on it can be submitted."""
    round = _managed_round(request, slug)
    context = selectors.form_answer_context(round=round)
    sections = list(selectors.form_sections(round=round))
    pages = []
    for section in sections:
        form = SectionPreviewForm(section=section, context=context)
        items = [
            {"question": question, "field": form.bound_field_for(question)}
            for question in section.questions.all()
        ]
        pages.append({"section": section, "items": items})
    return render(
        request,
        "rounds/form_builder/round_form_preview.html",
        {
            "round": round,
            "pages": pages,
            "priorities": list(context.priorities.values()),
            "places": list(context.places.values()),
        },
    )


@require_http_methods(["GET", "POST"])
def form_section_create(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    form = SectionForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.form_section_create(round=round, actor=request.user, **data),
        message=lambda _: f"Section ‘{form.cleaned_data['title']}’ added",
        next_url=_builder_url(round),
    ) or render(
        request,
        "rounds/form_builder/section_form.html",
        {"round": round, "form": form, "heading": "Add a section"},
    )


@require_http_methods(["GET", "POST"])
def form_section_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    section = _section_or_404(round, pk)
    form = SectionForm.for_section(section, posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.form_section_update(section=section, actor=request.user, **data),
        message="Section saved",
        next_url=_builder_url(round),
    ) or render(
        request,
        "rounds/form_builder/section_form.html",
        {"round": round, "form": form, "section": section, "heading": "Change section"},
    )


@require_http_methods(["GET", "POST"])
def form_section_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    section = _section_or_404(round, pk)
    return confirm_page(
        request,
        lambda: services.form_section_delete(section=section, actor=request.user),
        message=f"Section ‘{section.title}’ deleted",
        next_url=_builder_url(round),
        template="rounds/form_builder/section_delete.html",
        context={
            "round": round,
            "section": section,
            "question_count": section.questions.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, slug: str, section_pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    section = _section_or_404(round, section_pk)
    form = QuestionForm(posted(request), round=round)
    return form_submit(
        request,
        form,
        lambda _: services.question_create(
            section=section, actor=request.user, **form.service_fields()
        ),
        message=lambda _: f"Question ‘{form.cleaned_data['label']}’ added",
        next_url=_builder_url(round),
    ) or render(
        request,
        "rounds/form_builder/question_form.html",
        {
            "round": round,
            "section": section,
            "form": form,
            "heading": f"Add a question to ‘{section.title}’",
        },
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    question = _question_or_404(round, pk)
    form = QuestionForm(posted(request), round=round, question=question)
    answered = services.question_answer_count(question) > 0
    return form_submit(
        request,
        form,
        lambda _: services.question_update(
            question=question, actor=request.user, **form.service_fields()
        ),
        message="Question saved",
        next_url=_builder_url(round),
    ) or render(
        request,
        "rounds/form_builder/question_form.html",
        {
            "round": round,
            "section": question.section,
            "question": question,
            "answered": answered,
            "form": form,
            "heading": "Change question",
        },
    )


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    question = _question_or_404(round, pk)
    return confirm_page(
        request,
        lambda: services.question_delete(question=question, actor=request.user),
        message=f"Question ‘{question.label}’ deleted",
        next_url=_builder_url(round),
        template="rounds/form_builder/question_delete.html",
        context={"round": round, "question": question},
    )


@require_POST
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = _managed_round(request, slug)
    question = _question_or_404(round, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    direction = form.cleaned_data["direction"]
    return action_submit(
        request,
        lambda: services.question_move(question=question, direction=direction, actor=request.user),
        message=f"Question ‘{question.label}’ moved {direction}",
        next_url=f"{_builder_url(round)}#q-{question.pk}",
    )


@require_POST
def round_form_publish(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    return action_submit(
        request,
        lambda: services.form_publish(round=round, actor=request.user),
        message="Form published. Applicants can now see every question",
        next_url=_builder_url(round),
    )


@require_POST
def round_form_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    round = _managed_round(request, slug)
    return action_submit(
        request,
        lambda: services.form_unpublish(round=round, actor=request.user),
        message="Form unpublished. Applicants can no longer see it",
        next_url=_builder_url(round),
    )


def _pdf_response(request: HttpRequest, round: Round, *, refresh_url: str) -> HttpResponse:
    """The PDF when it is ready, else a page that refreshes itself until it is."""
    form_pdf = services.form_pdf_request(round=round)
    form_pdf.refresh_from_db()
    if form_pdf.status == FormPdf.Status.DONE and form_pdf.file:
        try:
            handle = form_pdf.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{round.slug}-questions.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "rounds/form_builder/pdf_preparing.html",
        {
            "round": round,
            "refresh_url": refresh_url,
            "failed": form_pdf.status == FormPdf.Status.FAILED,
        },
    )


@require_http_methods(["GET"])
def round_form_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The form as a PDF for commissioners, whether or not it is published."""
    round = _managed_round(request, slug)
    return _pdf_response(request, round, refresh_url=request.path)


@login_not_required
@require_http_methods(["GET"])
def round_questions_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The published form as a PDF for anyone, so applicants can prepare their answers."""
    round = selectors.round_for_form(slug=slug)
    if round is None or round.form_published_at is None:
        raise Http404
    return _pdf_response(request, round, refresh_url=request.path)


# Every page of the builder is below its round's form.
form_urlpatterns = [
    path("", round_form, name="round-form"),
    path("preview/", round_form_preview, name="round-form-preview"),
    path("preview.pdf", round_form_pdf, name="round-form-pdf"),
    path("publish/", round_form_publish, name="round-form-publish"),
    path("unpublish/", round_form_unpublish, name="round-form-unpublish"),
    path("sections/add/", form_section_create, name="form-section-create"),
    path("sections/<int:pk>/", form_section_edit, name="form-section-edit"),
    path("sections/<int:pk>/delete/", form_section_delete, name="form-section-delete"),
    path("sections/<int:section_pk>/questions/add/", question_create, name="question-create"),
    path("questions/<int:pk>/", question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", question_delete, name="question-delete"),
    path("questions/<int:pk>/move/", question_move, name="question-move"),
]

urlpatterns = [
    path("manage/rounds/<slug:slug>/form/", include(form_urlpatterns)),
    path("rounds/<slug:slug>/questions.pdf", round_questions_pdf, name="round-questions-pdf"),
]
