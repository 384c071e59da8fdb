"""Addresses of the panels app. Each area adds its own block."""

from django.urls import path  # noqa: F401

app_name = "panels"

urlpatterns: list = []
