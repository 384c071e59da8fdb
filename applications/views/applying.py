"""applying pages; urlpatterns are joined in applications/urls.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("applications/", placeholder, name="application-list"),
    path("applications/start/<slug:slug>/", placeholder, name="application-start"),
    path("applications/<int:pk>/", placeholder, name="application-detail"),
]
