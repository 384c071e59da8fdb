"""Small helpers every app's views share: the one refusal rule, and form handling."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict

from microcomm.errors import DomainError
from microcomm.permissions import Verdict

GENERIC_REASON = "Your account does not give you access to this page."

Saved = TypeVar("Saved")


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data on a POST, even an empty one, so that the form shows its errors."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None


def form_add_domain_error(form: Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or at the top of the form.

    A form whose fields are not named as the service names them maps the error itself, in
    its ``apply_service_error`` method.
    """
    apply_service_error = getattr(form, "apply_service_error", None)
    if apply_service_error is not None:
        apply_service_error(error)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def form_submit(
    request: HttpRequest,
    form: Form,
    save: Callable[[dict[str, Any]], Saved],
    *,
    next_url: str | Callable[[Saved], str],
    message: str | Callable[[Saved], str] = "",
) -> HttpResponse | None:
    """The POST half of a form page: save a valid form, say so, and move on.

    On a POST whose form is valid, ``save(form.cleaned_data)`` calls the service; then the
    success ``message`` is shown and the response redirects to ``next_url`` (either may be
    a function of what ``save`` returned). A ``DomainError`` from ``save`` is shown on the
    form, beside the field it names. None means the view shows its page (again): a GET, an
    invalid form or a refusal. A confirmation page passes a form with no fields.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except DomainError as error:
        form_add_domain_error(form, error)
        return None
    text = message(saved) if callable(message) else message
    if text:
        messages.success(request, text)
    return redirect(next_url(saved) if callable(next_url) else next_url)


def confirm_page(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    message: str,
    next_url: str,
    template: str,
    context: dict[str, Any],
    refused_status: int = 200,
) -> HttpResponse:
    """A page that asks "Are you sure?"; its button does ``act``, then goes to ``next_url``.

    A refusal shows the page again, with the reason in the error summary of its ``form``.
    """
    form = Form(posted(request))
    return form_submit(
        request, form, lambda _: act(), message=message, next_url=next_url
    ) or render(
        request,
        template,
        {**context, "form": form},
        status=refused_status if form.errors else 200,
    )


def action_submit(
    request: HttpRequest, act: Callable[[], object], *, message: str, next_url: str
) -> HttpResponse:
    """A button that does one thing, then goes to ``next_url``: a refusal is said there."""
    try:
        act()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(next_url)


def paginate(request: HttpRequest, items: Iterable[Any], per_page: int) -> dict[str, Any]:
    """The page of ``items`` that ``?page=`` asks for, as govuk/pagination.html shows it."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1)),
    }


class SignInRequired(PermissionDenied):
    """Refused because nobody is signed in: the 403 handler sends the person to sign in."""


def authorize(
    request: HttpRequest,
    *,
    can_see: bool = True,
    can_do: bool | Verdict = True,
    reason: str = "",
) -> None:
    """The one refusal rule of the product; returns when the person may go on.

    - not signed in: go to sign in, and come back here afterwards;
    - may not know the object exists (``can_see`` is false): not found (404);
    - may see it but not do this (``can_do`` is false): 403, with the reason in plain
      words, taken from the predicate's ``Verdict`` or given as ``reason``.
    """
    if can_see and can_do:
        return
    if not request.user.is_authenticated:
        raise SignInRequired
    if not can_see:
        raise Http404
    raise PermissionDenied(getattr(can_do, "reason", "") or reason or GENERIC_REASON)


def refusal_response(request: HttpRequest, exception: Exception | None) -> HttpResponse | None:
    """The sign-in redirect for a refusal to someone not signed in, else None (the 403 page)."""
    user = getattr(request, "user", None)
    if isinstance(exception, SignInRequired) or (user is not None and not user.is_authenticated):
        return redirect_to_login(request.get_full_path())
    return None


def refusal_reason(exception: Exception | None) -> str:
    """What the 403 page says: the refusal's reason, or the generic sentence."""
    return (str(exception) if exception is not None else "") or GENERIC_REASON
