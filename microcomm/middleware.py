"""Middleware of the product's own.

``refuse_nul_characters`` answers 400 to a request whose address or query string holds a
NUL character. Nobody types one; databases refuse them in text (PostgreSQL raises on
them), so letting one reach a query turns a bad link into a server error. Form data is
left to the forms, whose text fields refuse NUL characters beside the field.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def _holds_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def refuse_nul_characters(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if NUL in request.path or _holds_nul(request.GET):
            raise BadRequest("A NUL character in the address")
        return get_response(request)

    return middleware
