"""form_builder pages; urlpatterns are joined in rounds/urls.py."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path


@login_not_required
def placeholder(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [
    path("manage/rounds/<slug:slug>/form/", placeholder, name="round-form"),
    path("manage/rounds/<slug:slug>/form/preview/", placeholder, name="round-form-preview"),
]
