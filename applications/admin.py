"""The Django admin for the applications app: group profiles, invitations and documents."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from applications.models import (
    Answer,
    Application,
    ApplicationPdf,
    ApplicationPlace,
    ApplicationSection,
    BudgetLine,
    DueDiligenceItem,
    OrganisationDocument,
    OrganisationInvitation,
    OrganisationProfile,
    ReferenceCounter,
)
from microcomm.admin import LedgerAdmin


@admin.register(OrganisationProfile)
class OrganisationProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "charity_number", "company_number", "postcode", "updated_at")
    list_filter = ("organisation__legal_form", "has_bank_account")
    search_fields = (
        "organisation__name",
        "charity_number",
        "company_number",
        "postcode",
        "main_contact_name",
        "main_contact_email",
    )
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    readonly_fields = ("updated_at",)


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at", "cancelled_at")
    list_filter = ("role", "accepted_at", "cancelled_at")
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation",)
    date_hierarchy = "created_at"
    # The token is the key to the group: it is never shown.
    exclude = ("token",)
    readonly_fields = ("invited_by", "created_at", "accepted_at")


@admin.register(OrganisationDocument)
class OrganisationDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "kind",
        "original_name",
        "expires_on",
        "uploaded_at",
        "replaced_at",
    )
    list_filter = ("kind", ("replaced_at", admin.EmptyFieldListFilter), "expires_on")
    search_fields = ("title", "original_name", "organisation__name")
    list_select_related = ("organisation",)
    date_hierarchy = "uploaded_at"
    # Files are checked on upload and served only by the vault's own permission-checked
    # download page, so the admin neither changes nor links to them.
    exclude = ("file",)
    readonly_fields = (
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["question", "document"]
    readonly_fields = ["version", "updated_by", "entered_by_assistant", "updated_at"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class ApplicationSectionInline(admin.TabularInline):
    model = ApplicationSection
    extra = 0
    raw_id_fields = ["section"]


class DueDiligenceItemInline(admin.TabularInline):
    model = DueDiligenceItem
    extra = 0
    readonly_fields = ["verified", "verified_by", "verified_at"]


class ApplicationPlaceInline(admin.TabularInline):
    """The places the answers name, kept by the services that save answers: read only."""

    model = ApplicationPlace
    extra = 0
    can_delete = False
    readonly_fields = ["locality"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Status moves, references and eligibility are the services' to change (audited)."""

    list_display = [
        "reference",
        "organisation",
        "round",
        "status",
        "amount_requested",
        "submitted_at",
    ]
    list_filter = ["status", "round"]
    search_fields = ["reference", "title", "organisation__name"]
    list_select_related = ["organisation", "round"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference",
        "status",
        "submitted_at",
        "submitted_by",
        "eligibility",
        "eligibility_override_reason",
        "eligibility_overridden_by",
        "reopened_reason",
        "created_by",
        "assisted_by",
        "handed_over_at",
        "copied_from",
    ]
    inlines = [
        ApplicationSectionInline,
        AnswerInline,
        BudgetLineInline,
        DueDiligenceItemInline,
        ApplicationPlaceInline,
    ]


@admin.register(ApplicationPdf)
class ApplicationPdfAdmin(LedgerAdmin):
    list_display = [
        "application",
        "submission",
        "status",
        "finished_at",
        "emailed_at",
        "last_error_short",
    ]
    search_fields = ["application__reference"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]
    readonly_fields = ["year", "last_number"]
