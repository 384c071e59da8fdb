"""organisations pages; urlpatterns are joined in applications/urls.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("organisations/", placeholder, name="organisation-list"),
    path("organisations/new/", placeholder, name="organisation-create"),
    path("organisations/<int:pk>/", placeholder, name="organisation-detail"),
]
