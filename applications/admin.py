"""The Django admin for the applications app: group profiles, invitations and documents."""

from __future__ import annotations

from django.contrib import admin

from applications.models import OrganisationDocument, OrganisationInvitation, OrganisationProfile


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


# Applications
