"""funding pages; urlpatterns are joined in rounds/urls.py."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path


@login_not_required
def placeholder(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("funds/", placeholder, name="fund-list"),
    path("manage/rounds/", placeholder, name="round-list"),
    path("manage/rounds/new/", placeholder, name="round-create"),
    path("manage/rounds/<slug:slug>/", placeholder, name="round-detail"),
]
