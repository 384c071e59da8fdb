"""Small helpers every app's views share: the one refusal rule, and form handling."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

from microcomm.errors import DomainError
from microcomm.permissions import Verdict

GENERIC_REASON = "Your account does not give you access to this page."


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data on a POST, even an empty one, so that the form shows its errors."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None


def form_add_domain_error(form: Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or at the top of the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


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
