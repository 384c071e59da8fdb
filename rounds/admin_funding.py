"""Admin for funds, rounds, their forms, FAQs, guidance and support requests.

Status changes go through the services (and their audit trail), so the admin shows the
lifecycle fields read-only.
"""

from django.contrib import admin

from microcomm.admin import LedgerAdmin
from rounds.models import (
    Faq,
    FormPdf,
    FormSection,
    Fund,
    FundingSource,
    GuidanceResource,
    Question,
    Round,
    RoundEvent,
    SupportRequest,
)


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "created_at"]
    search_fields = ["name", "sources__name"]
    date_hierarchy = "starts_on"
    inlines = [FundingSourceInline]


class RoundEventInline(admin.TabularInline):
    model = RoundEvent
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "tier", "status", "opens_at", "closes_at", "amount_available"]
    list_filter = ["status", "tier", "fund"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["fund"]
    readonly_fields = ["status", "form_published_at", "copied_from", "created_by", "created_at"]
    filter_horizontal = [
        "priority_needs",
        "priority_themes",
        "priority_localities",
        "eligible_localities",
    ]
    inlines = [RoundEventInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fk_name = "section"
    raw_id_fields = ["condition_question"]


@admin.register(FormSection)
class FormSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "order"]
    list_filter = ["round"]
    search_fields = ["title", "round__title"]
    list_select_related = ["round"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "required", "section", "order"]
    list_filter = ["kind", "required", "section__round"]
    search_fields = ["label", "hint", "section__title"]
    list_select_related = ["section"]
    raw_id_fields = ["condition_question"]


@admin.register(FormPdf)
class FormPdfAdmin(LedgerAdmin):
    list_display = ["round", "status", "queued_at", "finished_at", "last_error_short"]
    search_fields = ["round__title"]


@admin.register(Faq)
class FaqAdmin(admin.ModelAdmin):
    list_display = ["question", "round", "order"]
    list_filter = ["round"]
    search_fields = ["question", "answer"]


@admin.register(GuidanceResource)
class GuidanceResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "url", "order"]
    list_filter = ["round"]
    search_fields = ["title", "description"]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "name", "group_name", "round", "status", "assigned_to"]
    list_filter = ["status", "contact_preference", "round"]
    search_fields = ["name", "group_name", "email", "message"]
    list_select_related = ["round", "assigned_to"]
    date_hierarchy = "created_at"
