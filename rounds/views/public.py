"""public pages; urlpatterns are joined in rounds/urls.py."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path


@login_not_required
def placeholder(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("rounds/", placeholder, name="round-public-list"),
    path("rounds/<slug:slug>/", placeholder, name="round-public-detail"),
    path("rounds/<slug:slug>/apply/", placeholder, name="round-apply-start"),
    path("support/", placeholder, name="support-request-create"),
    path("support-requests/", placeholder, name="support-list"),
]
