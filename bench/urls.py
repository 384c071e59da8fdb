"""The product's URLs, and two pages only the bench has: the yardsticks pages are timed against.

- ``__bench__/layout/``: the base layout with nothing in it, for someone signed in
  (the navigation of their roles, the session, the user): what every page costs at least.
- ``__bench__/bare/``: a bare Django view through the whole middleware, for anyone: what
  the server can answer at most.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from microcomm.urls import handler400, handler403, handler404, handler500  # noqa: F401
from microcomm.urls import urlpatterns as product_urlpatterns

LAYOUT_URL = "/__bench__/layout/"
BARE_URL = "/__bench__/bare/"


def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


urlpatterns = [
    path(LAYOUT_URL.strip("/") + "/", layout, name="bench-layout"),
    path(BARE_URL.strip("/") + "/", bare, name="bench-bare"),
    *product_urlpatterns,
]
