"""Django admin for the service map. rounds/admin.py imports this module to register it."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from rounds.models import Service, ServiceLocation, ServiceSchedule, TaxonomyTerm


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
