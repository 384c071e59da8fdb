"""assessing pages; urlpatterns are joined in applications/urls.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def placeholder(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("manage/rounds/<slug:slug>/applications/", placeholder, name="manage-application-list"),
    path("manage/applications/<int:pk>/", placeholder, name="manage-application-detail"),
]
