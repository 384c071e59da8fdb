"""directory pages; urlpatterns are joined in rounds/urls.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Coming soon")


urlpatterns = [path("directory/", placeholder, name="service-list")]
