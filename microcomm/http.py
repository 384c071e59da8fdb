"""Small helpers every app's views share when they handle a form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from microcomm.errors import DomainError


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data on a POST, even an empty one, so that the form shows its errors."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None


def form_add_domain_error(form: Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or at the top of the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def require(allowed: bool) -> None:
    """Refuse with the 403 page when a permission predicate says no."""
    if not allowed:
        raise PermissionDenied
