"""Applying pages: start, the task list, sections with autosave, budget, check and submit.

urlpatterns are joined in applications/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from applications import permissions
from applications.eligibility import application_eligibility
from applications.forms.applying import (
    AssistStartForm,
    BudgetForm,
    CopyForm,
    DeclarationForm,
    SectionForm,
    StartForm,
    WithdrawForm,
)
from applications.models import Application, BudgetLine
from applications.readiness import PassedDate, passed_dates
from applications.selectors import applying as selectors
from applications.services import applying as services
from microcomm.errors import DomainError
from microcomm.formatting import pounds
from microcomm.http import (
    authorize,
    confirm_page,
    form_add_domain_error,
    form_submit,
    paginate,
    posted,
)
from microcomm.models import Organisation
from rounds.models import FormSection, Question, Round

PAGE_SIZE = 25


def _application_url(application: Application) -> str:
    return reverse("applications:application-detail", kwargs={"pk": application.pk})


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_for_user(user=request.user, pk=pk)
    authorize(request, can_see=application is not None)
    return application


def _section_or_404(application: Application, section_pk: int) -> FormSection:
    section = FormSection.objects.filter(pk=section_pk, round_id=application.round_id).first()
    if section is None:
        raise Http404
    return section


@require_http_methods(["GET"])
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/applying/application_list.html",
        {
            **paginate(request, selectors.applications_for_user(user=request.user), PAGE_SIZE),
            "can_assist": permissions.can_start_assisted_application(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    round = selectors.round_for_start(slug=slug)
    if round is None:
        raise Http404
    organisations = selectors.organisations_of(user=request.user)
    form = StartForm(posted(request), organisations=organisations)
    return form_submit(
        request,
        form,
        lambda data: services.application_start(
            round=round, organisation=data["organisation"], actor=request.user
        ),
        next_url=_application_url,
    ) or render(
        request,
        "applications/applying/application_start.html",
        {
            "round": round,
            "form": form,
            "has_groups": organisations.exists(),
            "is_open": round.current_status == Round.Status.OPEN,
        },
    )


def _joinable(application: Application) -> bool:
    """A draft nobody is helping with: a link worker may join it (the group is told)."""
    return application.status == Application.Status.DRAFT and application.assisted_by_id is None


@require_http_methods(["GET", "POST"])
def application_assist_start(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_start_assisted_application(request.user))
    form = AssistStartForm(
        posted(request),
        rounds=selectors.rounds_open_now(),
        organisations=Organisation.objects.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        existing = selectors.application_live(
            round=form.cleaned_data["round"], organisation=form.cleaned_data["organisation"]
        )
        # The group has one already: say what it is and what this link worker may do.
        if existing is not None and not (request.POST.get("join") and _joinable(existing)):
            return render(
                request,
                "applications/applying/application_assist_existing.html",
                {
                    "form": form,
                    "existing": existing,
                    "can_open": permissions.can_view_application(request.user, existing),
                    "can_join": _joinable(existing),
                },
            )
    return form_submit(
        request,
        form,
        lambda data: services.application_start(
            round=data["round"],
            organisation=data["organisation"],
            actor=request.user,
            assisted=True,
        ),
        next_url=_application_url,
    ) or render(request, "applications/applying/application_assist_start.html", {"form": form})


@require_http_methods(["GET"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    user = request.user
    sections = selectors.application_task_list(application=application)
    is_draft = application.status == Application.Status.DRAFT
    return render(
        request,
        "applications/applying/application_detail.html",
        {
            "application": application,
            "sections": sections,
            # Known as soon as the answers that decide it are given, not only at submission.
            "eligibility": application_eligibility(application=application, so_far=True)
            if is_draft
            else None,
            # What the group's profile and vault already hold is shown, not asked again.
            "profile": getattr(application.organisation, "profile", None),
            "required_documents": selectors.application_required_documents(application=application),
            "passed_dates": _passed_dates(application, sections),
            "can_edit_group": permissions.can_edit_organisation(user, application.organisation),
            "completed_count": sum(1 for row in sections if row.status == "completed"),
            "time_left": selectors.time_left(round=application.round),
            "is_closed": timezone.now() >= application.round.closes_at,
            "can_edit": permissions.can_edit_application(user, application),
            "can_submit": permissions.can_submit_application(user, application),
            "is_member": permissions.is_member(user, application.organisation),
            "is_assistant": application.assisted_by_id == user.pk,
        },
    )


def _passed_dates(
    application: Application, sections: list[selectors.SectionRow]
) -> list[PassedDate]:
    """The date answers that have passed since they were given, from the sections read."""
    return passed_dates(
        application=application,
        questions=[question for row in sections for question in row.questions],
        values={qid: answer.value for row in sections for qid, answer in row.answers.items()},
    )


def _section_context(
    request: HttpRequest,
    application: Application,
    section: FormSection,
    form: SectionForm,
    **extra: Any,
) -> dict[str, Any]:
    sections = list(FormSection.objects.filter(round_id=application.round_id).order_by("order"))
    number = next(i for i, s in enumerate(sections, start=1) if s.pk == section.pk)
    lines = list(BudgetLine.objects.filter(application=application))
    return {
        "application": application,
        "section": section,
        "form": form,
        "number": number,
        "section_count": len(sections),
        "budget_lines": lines,
        "budget_totals": selectors.budget_totals(lines),
        "last_saved": application.last_saved_at or application.created_at,
        # An assisting link worker sees the profile's answers but cannot change the profile.
        "can_edit_group": permissions.can_edit_organisation(request.user, application.organisation),
        **extra,
    }


def _section_form(
    application: Application,
    section: FormSection,
    data: QueryDict | None = None,
    **kwargs: Any,
) -> SectionForm:
    questions = list(
        Question.objects.filter(section=section)
        .select_related("condition_question")
        .order_by("order", "id")
    )
    answers = {a.question_id: a for a in application.answers.filter(question__section=section)}
    state = application.section_states.filter(section=section).first()
    return SectionForm(
        data,
        section=section,
        questions=questions,
        answers=answers,
        prefill=selectors.section_prefill(
            application=application, questions=questions, answers=answers
        ),
        from_profile=selectors.section_from_profile(application=application, questions=questions),
        context=selectors.section_answer_context(application=application, questions=questions),
        completed=state.completed if state else None,
        **kwargs,
    )


def _resolving(data: QueryDict) -> set[int]:
    return {int(value) for value in data.getlist("conflict") if value.isdigit()}


def _editable_section(
    request: HttpRequest, pk: int, section_pk: int
) -> tuple[Application, FormSection]:
    """The application and one of its sections, for someone who may change its answers."""
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_edit_application(request.user, application))
    return application, _section_or_404(application, section_pk)


def _posted_section_form(
    request: HttpRequest, application: Application, section: FormSection
) -> SectionForm:
    """The section's form with the posted answers, checked."""
    form = _section_form(application, section, request.POST, resolving=_resolving(request.POST))
    form.is_valid()
    return form


def _answers_save(
    request: HttpRequest, application: Application, form: SectionForm, *, autosave: bool = False
) -> services.SaveResult:
    """Save what can be saved of the posted answers; a refusal raises DomainError."""
    return services.answers_save(
        application=application,
        values=form.values,
        versions=form.versions(),
        actor=request.user,
        autosave=autosave,
    )


def _section_answers_page(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse | None:
    """A section of an application that is no longer a draft: its answers to read, and why
    they can no longer be changed. None for a draft (its own rules apply)."""
    application = _application_or_404(request, pk)
    if application.status == Application.Status.DRAFT:
        return None
    section = _section_or_404(application, section_pk)
    return render(
        request,
        "applications/applying/application_section_answers.html",
        {
            "application": application,
            "section": section,
            "sections": [
                row
                for row in selectors.application_answer_sections(application=application)
                if row.section.pk == section.pk
            ],
            "reason": permissions.can_edit_application(request.user, application).reason,
        },
    )


@require_http_methods(["GET", "POST"])
def application_section(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    if request.method == "GET" and (read_only := _section_answers_page(request, pk, section_pk)):
        return read_only
    application, section = _editable_section(request, pk, section_pk)
    if request.method == "GET":
        form = _section_form(application, section)
        return render(
            request,
            "applications/applying/application_section.html",
            _section_context(request, application, section, form),
        )
    form = _posted_section_form(request, application, section)
    try:
        result = _answers_save(request, application, form)
    except DomainError as error:
        form_add_domain_error(form, error)
        result = services.SaveResult()
    mark_error = ""
    wants = form.wants_completed()
    continuing = "continue" in request.POST
    if not result.conflicts and not form.errors:
        if wants is None and continuing:
            mark_error = "Select whether you have completed this section"
        elif wants is not None:
            try:
                services.section_mark(
                    application=application, section=section, completed=wants, actor=request.user
                )
            except DomainError as error:
                mark_error = error.message
    elif wants:
        mark_error = "You cannot mark this section as completed until you fix the problems"
    if not (result.conflicts or form.errors or mark_error):
        if continuing:
            return redirect(_next_page(application, section))
        messages.success(request, "Your answers have been saved. You can come back at any time.")
        return redirect("applications:application-detail", pk=application.pk)
    data = request.POST.copy()
    new_conflicts = {conflict.question.pk for conflict in result.conflicts}
    for conflict in result.conflicts:
        data[f"version_q{conflict.question.pk}"] = str(conflict.version)
        data.pop(f"resolve_q{conflict.question.pk}", None)
    unresolved = {qid for qid in _resolving(request.POST) if f"resolve_q{qid}" in form.errors}
    data.setlist("conflict", [str(qid) for qid in sorted(new_conflicts | unresolved)])
    application.refresh_from_db(fields=["updated_at", "title"])
    shown = _section_form(
        application,
        section,
        data,
        conflicts=result.conflicts,
        resolving=new_conflicts | unresolved,
    )
    shown.is_valid()
    for qid in new_conflicts:
        shown.errors.pop(f"resolve_q{qid}", None)
    if mark_error:
        shown.add_error("completed", mark_error)
    return render(
        request,
        "applications/applying/application_section.html",
        _section_context(request, application, section, shown, conflicts=result.conflicts),
    )


def _next_page(application: Application, section: FormSection) -> str:
    later = (
        FormSection.objects.filter(round_id=application.round_id, order__gt=section.order)
        .order_by("order", "id")
        .first()
    )
    if later is not None:
        return reverse("applications:application-section", args=[application.pk, later.pk])
    return reverse("applications:application-detail", args=[application.pk])


@require_POST
def application_autosave(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Save what can be saved as the person types; answer with a small status partial."""
    application, section = _editable_section(request, pk, section_pk)
    form = _posted_section_form(request, application, section)
    try:
        result = _answers_save(request, application, form, autosave=True)
    except DomainError as error:
        return render(
            request,
            "applications/applying/partials/_autosave_status.html",
            {"problem": error.message, "versions": []},
        )
    versions = dict(
        application.answers.filter(question_id__in=result.saved).values_list(
            "question_id", "version"
        )
    )
    return render(
        request,
        "applications/applying/partials/_autosave_status.html",
        {
            "saved_at": result.saved_at,
            "conflicts": result.conflicts,
            "versions": sorted(versions.items()),
            "has_errors": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def application_budget(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_edit_application(request.user, application))
    budget_question = (
        Question.objects.filter(section__round_id=application.round_id, kind=Question.Kind.BUDGET)
        .select_related("section")
        .first()
    )
    if budget_question is None:
        raise Http404
    lines = list(BudgetLine.objects.filter(application=application))
    extra = request.POST.get("add_row") if request.method == "POST" else None
    form = BudgetForm(request.POST or None, lines=lines, extra=extra)
    changed, unsaved = "", []
    # A form with a wrong row saves nothing: the person puts the row right first.
    if request.method == "POST" and form.is_valid():
        try:
            application = services.budget_save(
                application=application,
                rows=form.rows,
                version=form.cleaned_data["version"] or None,
                actor=request.user,
            )
        except services.BudgetChanged as error:
            changed = error.message
            unsaved = [{**vars(row), "kind": BudgetLine.Kind(row.kind).label} for row in form.rows]
            form = BudgetForm(lines=error.lines)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            range_problem = _amount_problem(application)
            if not (range_problem or extra):
                if "continue" in request.POST:
                    return redirect(
                        "applications:application-section",
                        pk=application.pk,
                        section_pk=budget_question.section_id,
                    )
                messages.success(request, "Your budget has been saved.")
                return redirect("applications:application-detail", pk=application.pk)
            lines = list(application.budget_lines.all())
            form = BudgetForm(_with_rows(request.POST, form, lines), lines=lines)
            form.is_valid()
            if range_problem:
                form.add_error(None, range_problem)
    lines = list(BudgetLine.objects.filter(application=application))
    return render(
        request,
        "applications/applying/application_budget.html",
        {
            "application": application,
            "form": form,
            "question": budget_question,
            "totals": selectors.budget_totals(lines),
            "round": application.round,
            "changed": changed,
            "unsaved": unsaved,
        },
    )


def _amount_problem(application: Application) -> str:

    amount, round = application.amount_requested, application.round
    if amount is None or round.minimum_grant <= amount <= round.maximum_grant:
        return ""
    return (
        f"Ask for between {pounds(round.minimum_grant)} and {pounds(round.maximum_grant)}. "
        f"Your costs add up to {pounds(amount)}"
    )


def _with_rows(data: QueryDict, form: BudgetForm, lines: list[BudgetLine]) -> QueryDict:
    """The posted budget as just saved: the form's row counts and the saved lines' version."""
    data = data.copy()
    for kind in form.kinds:
        data[f"{kind['kind']}-rows"] = str(kind["count"])
    data["version"] = services.budget_version(lines)
    return data


@require_http_methods(["GET"])
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    return _check_page(request, application, DeclarationForm(), problems=[])


def _check_page(
    request: HttpRequest, application: Application, form: DeclarationForm, problems: list[str]
) -> HttpResponse:
    user = request.user
    sections = selectors.application_answer_sections(application=application)
    return render(
        request,
        "applications/applying/application_check.html",
        {
            "application": application,
            "sections": sections,
            "passed_dates": _passed_dates(application, sections),
            "form": form,
            "problems": problems,
            "time_left": selectors.time_left(round=application.round),
            "is_closed": timezone.now() >= application.round.closes_at,
            "can_edit": permissions.can_edit_application(user, application),
            "can_submit": permissions.can_submit_application(user, application),
            "can_edit_group": permissions.can_edit_organisation(user, application.organisation),
        },
        status=400 if problems else 200,
    )


@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_submit_application(request.user, application))
    form = DeclarationForm(request.POST)
    form.is_valid()
    try:
        application = services.application_submit(
            application=application,
            actor=request.user,
            declaration=bool(form.cleaned_data.get("declaration")),
        )
    except services.ApplicationNotReady as error:
        return _check_page(request, application, form, error.problems)
    except DomainError as error:
        return _check_page(request, application, form, [error.message])
    return redirect("applications:application-submitted", pk=application.pk)


@require_http_methods(["GET"])
def application_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    if application.status != Application.Status.SUBMITTED:
        return redirect("applications:application-detail", pk=application.pk)
    return render(
        request,
        "applications/applying/application_submitted.html",
        {
            "application": application,
            "pdf": selectors.application_pdf_latest(application=application),
        },
    )


@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_withdraw_application(request.user, application))
    form = WithdrawForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.application_withdraw(
            application=application, actor=request.user, reason=data["reason"]
        ),
        message="Your application has been withdrawn.",
        next_url=_application_url(application),
    ) or render(
        request,
        "applications/applying/application_withdraw.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def application_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_copy_application(request.user, source))
    rounds = [r for r in selectors.rounds_open_now() if r.pk != source.round_id]
    form = CopyForm(posted(request), rounds=rounds)
    return form_submit(
        request,
        form,
        lambda data: services.application_copy_to_round(
            source=source, round=data["round"], actor=request.user
        ),
        message="Your answers have been copied into a new application.",
        next_url=_application_url,
    ) or render(
        request,
        "applications/applying/application_copy.html",
        {"application": source, "form": form, "rounds": rounds},
    )


@require_http_methods(["GET", "POST"])
def application_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_hand_over_application(request.user, application))
    return confirm_page(
        request,
        lambda: services.application_hand_over(application=application, actor=request.user),
        message=f"The application has been handed over to {application.organisation}.",
        next_url=_application_url(application),
        template="applications/applying/application_hand_over.html",
        context={"application": application},
    )


@require_http_methods(["GET", "POST"])
def application_assistance_end(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of the group ends the link worker's help with its application."""
    application = _application_or_404(request, pk)
    authorize(request, can_do=permissions.can_end_assistance(request.user, application))
    helper = application.assisted_by
    return confirm_page(
        request,
        lambda: services.application_assistance_end(application=application, actor=request.user),
        message=f"{helper.full_name} is no longer helping with this application.",
        next_url=_application_url(application),
        template="applications/applying/application_assistance_end.html",
        context={"application": application, "helper": helper},
    )


@require_http_methods(["GET"])
def application_draft_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable copy of the application as it stands, draft or submitted."""
    application = _application_or_404(request, pk)
    return render(
        request,
        "applications/applying/application_draft_copy.html",
        {
            "application": application,
            "sections": selectors.application_answer_sections(application=application),
        },
    )


# The pages of one application.
application_urlpatterns = [
    path("", application_detail, name="application-detail"),
    path("sections/<int:section_pk>/", application_section, name="application-section"),
    path("sections/<int:section_pk>/autosave/", application_autosave, name="application-autosave"),
    path("budget/", application_budget, name="application-budget"),
    path("check/", application_check, name="application-check"),
    path("submit/", application_submit, name="application-submit"),
    path("submitted/", application_submitted, name="application-submitted"),
    path("withdraw/", application_withdraw, name="application-withdraw"),
    path("copy/", application_copy, name="application-copy"),
    path("hand-over/", application_hand_over, name="application-hand-over"),
    path("end-help/", application_assistance_end, name="application-assistance-end"),
    path("print/", application_draft_copy, name="application-draft-copy"),
]

urlpatterns = [
    path("applications/", application_list, name="application-list"),
    path("applications/start/<slug:slug>/", application_start, name="application-start"),
    path("applications/assist/", application_assist_start, name="application-assist-start"),
    path("applications/<int:pk>/", include(application_urlpatterns)),
]
