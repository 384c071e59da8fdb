"""The service map pages: search, view, add, edit, check, pause, close, propose, import.

Staff pages only; applicants see just the listings they proposed. The public ORUK API is in
rounds/views/oruk.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcomm.http import action_submit, authorize, form_submit, paginate, posted, posted_files
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
IMPORTS_PAGE_SIZE = 10


def _service_url(service: Service) -> str:
    return reverse("rounds:service-detail", kwargs={"pk": service.pk})


def _service_or_404(request: HttpRequest, pk: int) -> Service:
    """The listing, or 404 when it is not there or the person may not see it."""
    service = selectors.service_for_page(user=request.user, pk=pk)
    authorize(request, can_see=service is not None)
    return service


@require_http_methods(["GET"])
def service_list(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_search_services(request.user))
    filterset = ServiceFilter(request.GET or None, queryset=selectors.services_for_search())
    pages = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "rounds/directory/service_list.html",
        {
            "filterset": filterset,
            "filter_form": filterset.form,
            **pages,
            "services": pages["page"].object_list,
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "can_manage": permissions.can_manage_services(request.user),
            "can_import": permissions.can_import_directory(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_manage_services(request.user))
    form = ServiceForm(posted(request))
    return form_submit(
        request,
        form,
        lambda _: services.service_create(data=form.service_data(), actor=request.user),
        message=lambda service: f"{service.name} has been added to the directory",
        next_url=_service_url,
    ) or render(
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
    form = ServiceForm(posted(request), instance=service)
    return form_submit(
        request,
        form,
        lambda _: services.service_update(
            service=service, data=form.service_data(), actor=request.user
        ),
        message="Your changes have been saved",
        next_url=_service_url(service),
    ) or render(
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
    return action_submit(
        request,
        lambda: services.service_verify(service=service, actor=request.user),
        message=f"{service.name} is marked as checked today",
        next_url=_service_url(service),
    )


def _status_view(
    action: Callable[..., Service], verb: str, *, why: str, now: str
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A page that asks why, then pauses, closes or reopens a listing.

    ``verb`` names the button ("Pause"), ``why`` the state the reason explains ("paused")
    and ``now`` the state it is in afterwards.
    """

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        service = _service_or_404(request, pk)
        authorize(request, can_do=permissions.can_manage_services(request.user))
        form = StatusReasonForm(
            posted(request),
            label=f"Why is it {why}?",
            required_message=f"Enter why the service is {why}",
        )
        return form_submit(
            request,
            form,
            lambda data: action(service=service, reason=data["reason"], actor=request.user),
            message=f"{service.name} is {now}",
            next_url=_service_url(service),
        ) or render(
            request,
            "rounds/directory/service_status.html",
            {
                "form": form,
                "service": service,
                "title": f"{verb} this service",
                "button": f"{verb} service",
            },
        )

    return view


service_pause = _status_view(services.service_pause, "Pause", why="paused", now="paused")
service_close = _status_view(services.service_close, "Close", why="closing", now="closed")
service_reopen = _status_view(
    services.service_reopen, "Reopen", why="running again", now="active again"
)


@require_http_methods(["GET", "POST"])
def service_propose(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_propose_any_service(request.user))
    organisations = selectors.organisations_for_proposer(user=request.user)
    form = ServiceProposeForm(posted(request), organisations=organisations)

    def save(data: dict) -> Service:
        organisation = data["provider_organisation"]
        authorize(request, can_do=permissions.can_propose_service(request.user, organisation))
        return services.service_propose(
            organisation=organisation, data=form.service_data(), actor=request.user
        )

    return form_submit(
        request,
        form,
        save,
        message="Thank you. A link worker will check your listing before it is published",
        next_url=_service_url,
    ) or render(
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
    form = ServiceDecisionForm(posted(request))

    def decide(data: dict) -> str:
        if data["decision"] == "approve":
            services.service_approve(service=service, actor=request.user)
            return f"{service.name} is published in the directory"
        services.service_reject(service=service, reason=data["reason"], actor=request.user)
        return f"{service.name} has been turned down"

    return form_submit(
        request, form, decide, message=lambda done: done, next_url=_service_url(service)
    ) or render(
        request, "rounds/directory/service_approve.html", {"form": form, "service": service}
    )


@require_http_methods(["GET", "POST"])
def directory_import(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_import_directory(request.user))
    form = DirectoryImportForm(posted(request), posted_files(request))
    return form_submit(
        request,
        form,
        lambda data: directory_import_queue(upload=data["file"], actor=request.user),
        next_url=lambda queued: reverse("rounds:directory-import-status", kwargs={"pk": queued.pk}),
    ) or render(
        request,
        "rounds/directory/directory_import.html",
        {
            "form": form,
            **paginate(
                request, selectors.directory_imports_recent(user=request.user), IMPORTS_PAGE_SIZE
            ),
        },
    )


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
