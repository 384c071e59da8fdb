"""The service map pages: search, view, add, edit, check, pause, close, propose, import.

Staff pages only; applicants see just the listings they proposed. The public ORUK API is in
rounds/views/oruk.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.errors import DomainError
from microcomm.http import authorize
from microcomm.lifecycle import allowed_transitions
from rounds import permissions
from rounds.filters import ServiceFilter
from rounds.forms.directory import (
    DirectoryImportForm,
    ServiceDecisionForm,
    ServiceForm,
    ServiceProposeForm,
    StatusReasonForm,
)
from rounds.models import Service
from rounds.oruk.jobs import directory_import_queue
from rounds.selectors import directory as selectors
from rounds.services import directory as services

PAGE_SIZE = 20


def _service_or_404(request: HttpRequest, pk: int) -> Service:
    """The listing, or 404 when it is not there or the person may not see it."""
    service = selectors.service_for_page(user=request.user, pk=pk)
    authorize(request, can_see=service is not None)
    return service


@require_http_methods(["GET"])
def service_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_search_services(request.user))
    filterset = ServiceFilter(request.GET or None, queryset=selectors.services_for_search())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "rounds/directory/service_list.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            "page_obj": page,
            "page_range": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
            ),
            "services": page.object_list,
            "querystring": params.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "can_manage": permissions.can_manage_services(request.user),
            "can_import": permissions.can_import_directory(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_manage_services(request.user))
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(data=form.service_data(), actor=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{service.name} has been added to the directory")
            return redirect("rounds:service-detail", pk=service.pk)
    return render(
        request,
        "rounds/directory/service_form.html",
        {"form": form, "title": "Add a service", "button": "Add service"},
    )


@require_http_methods(["GET"])
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    return render(
        request,
        "rounds/directory/service_detail.html",
        {
            "service": service,
            "can_manage": permissions.can_manage_services(request.user),
            "transitions": allowed_transitions(service),
        },
    )


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_services(request.user))
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, data=form.service_data(), actor=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Your changes have been saved")
            return redirect("rounds:service-detail", pk=service.pk)
    return render(
        request,
        "rounds/directory/service_form.html",
        {
            "form": form,
            "service": service,
            "title": f"Change {service.name}",
            "button": "Save changes",
        },
    )


@require_POST
def service_verify(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_services(request.user))
    try:
        services.service_verify(service=service, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{service.name} is marked as checked today")
    return redirect("rounds:service-detail", pk=service.pk)


def _status_view(
    *,
    action: Callable[..., Service],
    title: str,
    label: str,
    required_message: str,
    button: str,
    done: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        service = _service_or_404(request, pk)
        authorize(request, can_do=permissions.can_manage_services(request.user))
        form = StatusReasonForm(
            request.POST or None, label=label, required_message=required_message
        )
        if request.method == "POST" and form.is_valid():
            try:
                action(service=service, reason=form.cleaned_data["reason"], actor=request.user)
            except DomainError as error:
                form.add_error("reason" if error.field == "reason" else None, error.message)
            else:
                messages.success(request, done.format(name=service.name))
                return redirect("rounds:service-detail", pk=service.pk)
        return render(
            request,
            "rounds/directory/service_status.html",
            {"form": form, "service": service, "title": title, "button": button},
        )

    return view


service_pause = _status_view(
    action=services.service_pause,
    title="Pause this service",
    label="Why is it paused?",
    required_message="Enter why the service is paused",
    button="Pause service",
    done="{name} is paused",
)
service_close = _status_view(
    action=services.service_close,
    title="Close this service",
    label="Why is it closing?",
    required_message="Enter why the service is closing",
    button="Close service",
    done="{name} is closed",
)
service_reopen = _status_view(
    action=services.service_reopen,
    title="Reopen this service",
    label="Why is it running again?",
    required_message="Enter why the service is running again",
    button="Reopen service",
    done="{name} is active again",
)


@require_http_methods(["GET", "POST"])
def service_propose(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_propose_any_service(request.user))
    organisations = selectors.organisations_for_proposer(user=request.user)
    form = ServiceProposeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["provider_organisation"]
        authorize(request, can_do=permissions.can_propose_service(request.user, organisation))
        try:
            service = services.service_propose(
                organisation=organisation, data=form.service_data(), actor=request.user
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, "Thank you. A link worker will check your listing before it is published"
            )
            return redirect("rounds:service-detail", pk=service.pk)
    return render(
        request,
        "rounds/directory/service_form.html",
        {
            "form": form,
            "title": "Propose a listing for your group",
            "intro": "Tell link workers about an activity your group runs. A link worker "
            "will check it before it goes in the directory.",
            "button": "Send for approval",
        },
    )


@require_http_methods(["GET", "POST"])
def service_approve(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_services(request.user))
    form = ServiceDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.service_approve(service=service, actor=request.user)
                done = f"{service.name} is published in the directory"
            else:
                services.service_reject(
                    service=service, reason=form.cleaned_data["reason"], actor=request.user
                )
                done = f"{service.name} has been turned down"
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, done)
            return redirect("rounds:service-detail", pk=service.pk)
    return render(
        request, "rounds/directory/service_approve.html", {"form": form, "service": service}
    )


@require_http_methods(["GET", "POST"])
def directory_import(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_import_directory(request.user))
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        directory_import = directory_import_queue(
            upload=form.cleaned_data["file"], actor=request.user
        )
        return redirect("rounds:directory-import-status", pk=directory_import.pk)
    return render(request, "rounds/directory/directory_import.html", {"form": form})


# The summary rows of a finished import, in the order the page lists them.
IMPORT_KINDS = [
    ("services", "Services"),
    ("organisations", "Organisations"),
    ("locations", "Places"),
    ("schedules", "Times"),
    ("taxonomy_terms", "Taxonomy terms"),
]


@require_http_methods(["GET"])
def directory_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import has got to: waiting, done with counts, or failed with its problems.

    While it runs the page refreshes itself every 2 seconds; with JavaScript, htmx asks for
    just the status part instead.
    """
    directory_import = permissions.DIRECTORY_IMPORTS.visible(request.user).filter(pk=pk).first()
    authorize(request, can_see=directory_import is not None)
    counts = directory_import.counts or {}
    context = {
        "directory_import": directory_import,
        "pending": not directory_import.is_finished,
        "rows": [
            {
                "label": label,
                "created": counts.get(kind, {}).get("created", 0),
                "updated": counts.get(kind, {}).get("updated", 0),
            }
            for kind, label in IMPORT_KINDS
        ],
    }
    if request.headers.get("HX-Request"):
        return render(
            request, "rounds/directory/partials/_import_status.html", {**context, "partial": True}
        )
    return render(request, "rounds/directory/directory_import_status.html", context)


urlpatterns = [
    path("directory/", service_list, name="service-list"),
    path("directory/add/", service_create, name="service-create"),
    path("directory/propose/", service_propose, name="service-propose"),
    path("directory/import/", directory_import, name="directory-import"),
    path("directory/import/<int:pk>/", directory_import_status, name="directory-import-status"),
    path("directory/<int:pk>/", service_detail, name="service-detail"),
    path("directory/<int:pk>/change/", service_edit, name="service-edit"),
    path("directory/<int:pk>/check/", service_verify, name="service-verify"),
    path("directory/<int:pk>/pause/", service_pause, name="service-pause"),
    path("directory/<int:pk>/close/", service_close, name="service-close"),
    path("directory/<int:pk>/reopen/", service_reopen, name="service-reopen"),
    path("directory/<int:pk>/approve/", service_approve, name="service-approve"),
]
