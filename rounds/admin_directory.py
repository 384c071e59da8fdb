"""Django admin for the service map. rounds/admin.py imports this module to register it."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from microcomm.admin import LedgerAdmin, ReadOnlyAdminMixin
from rounds.models import (
    DirectoryImport,
    Service,
    ServiceLocation,
    ServiceSchedule,
    TaxonomyTerm,
)


class ServiceLocationInline(admin.TabularInline):
    model = ServiceLocation
    extra = 0
    fields = ("name", "address", "postcode", "latitude", "longitude", "oruk_id")


class ServiceScheduleInline(admin.TabularInline):
    model = ServiceSchedule
    extra = 0
    fields = ("weekday", "opens_at", "closes_at", "frequency", "description", "oruk_id")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "status", "cost", "last_verified_on", "postcode")
    list_filter = ("status", "cost", "themes", "join_drop_in", "join_self_referral")
    search_fields = ("name", "provider_name", "provider_organisation__name", "postcode", "oruk_id")
    list_select_related = ("provider_organisation",)
    autocomplete_fields = ("provider_organisation",)
    filter_horizontal = ("themes", "localities", "taxonomy_terms")
    readonly_fields = ("created_at", "updated_at", "verified_by", "proposed_by")
    date_hierarchy = "last_verified_on"
    inlines = [ServiceLocationInline, ServiceScheduleInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "vocabulary", "theme")
    list_filter = ("vocabulary", "theme")
    search_fields = ("name", "code", "oruk_id")
    list_select_related = ("theme",)


@admin.register(DirectoryImport)
class DirectoryImportAdmin(ReadOnlyAdminMixin, LedgerAdmin):
    """Read only: imports are made by the upload page and run by the import task."""

    list_display = (
        "original_name",
        "format",
        "status",
        "started_by",
        "queued_at",
        "finished_at",
        "last_error_short",
    )
    list_filter = ("status", "format")
    search_fields = ("original_name", "started_by__email")
    list_select_related = ("started_by",)
    date_hierarchy = "queued_at"
    readonly_fields = (
        "stored_file",
        "original_name",
        "format",
        "status",
        "counts",
        "problems",
        "started_by",
        "queued_at",
        "started_at",
        "finished_at",
        "attempts",
        "last_error",
    )

    fields = readonly_fields

    @admin.display(description="file in private storage")
    def stored_file(self, obj: DirectoryImport) -> str:
        # The name only: private files have no public address to link to.
        return obj.file.name
