"""The Django admin for the needs register. Directory models live in admin_directory.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from rounds.identifiers import IdentifierCheckMixin
from rounds.models import JsnaPriority, Need, NeedSignal, PopulationGroup
from rounds.services.needs import EDITABLE_FIELDS

URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class NeedAdminForm(IdentifierCheckMixin, forms.ModelForm):
    """The admin checks free text for identifiers just as the register's pages do."""

    evidence_url = forms.URLField(label="Link to evidence", required=False, assume_scheme="https")

    class Meta:
        model = Need
        fields = [*EDITABLE_FIELDS, "population_groups", "evidence_file", "jsna_priority"]


class NeedSignalInline(admin.TabularInline):
    """Signals come from quick logs and merges, which keep the count; here they are read-only."""

    model = NeedSignal
    extra = 0
    can_delete = False
    fields = ["created_at", "note", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Need | None = None) -> bool:
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    form = NeedAdminForm
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = [
        "title",
        "theme",
        "locality",
        "source",
        "status",
        "signal_count",
        "jsna_priority",
        "updated_at",
    ]
    list_filter = ["status", "source", "theme", "population_groups", "locality__kind"]
    search_fields = ["title", "description", "locality__name", "theme__name"]
    list_select_related = ["theme", "locality", "jsna_priority"]
    autocomplete_fields = ["locality", "jsna_priority"]
    filter_horizontal = ["population_groups"]
    date_hierarchy = "created_at"
    # Status, counts and merges change only through the services, which audit them.
    readonly_fields = [
        "status",
        "closed_reason",
        "merged_into",
        "signal_count",
        "recorded_by",
        "created_at",
        "updated_at",
    ]
    inlines = [NeedSignalInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Need]:
        return super().get_queryset(request).select_related("merged_into", "recorded_by")


@admin.register(JsnaPriority)
class JsnaPriorityAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["title", "theme", "is_active"]
    list_filter = ["is_active", "theme"]
    search_fields = ["title", "description"]
    list_select_related = ["theme"]


@admin.register(PopulationGroup)
class PopulationGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]


# Django only discovers admin.py; the other admin modules register themselves on import.
from rounds import admin_directory, admin_funding  # noqa: E402, F401
