from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from microcomm.ledger import LedgerRow, ledger_retry
from microcomm.models import (
    AuditEvent,
    Locality,
    Membership,
    Notification,
    Organisation,
    OutboundEmail,
    Theme,
    User,
)


class ReadOnlyAdminMixin:
    """For records that only services write (audit events, imports): staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "email_confirmed_at", "roles"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Roles", {"fields": ("groups", "is_staff", "is_superuser", "is_active")}),
        ("Dates", {"fields": ("email_confirmed_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Groups")
    def roles(self, obj: User) -> str:
        return ", ".join(group.name for group in obj.groups.all())


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "created_at"]
    list_filter = ["legal_form"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "order"]
    list_filter = ["is_active"]
    list_editable = ["is_active", "order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only and written by services."""

    list_display = ["created_at", "actor", "verb", "target_repr", "from_state", "to_state"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_repr", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "subject", "read_at"]
    search_fields = ["subject", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["created_at"]


class LedgerAdmin(admin.ModelAdmin):
    """The admin of a side-effect ledger: read-only, failures first to the eye, try again.

    Staff see what failed and why (the last error), and can queue a failed row again.
    """

    list_filter = ["status"]
    actions = ["retry_failed"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return list(self.readonly_fields) or [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Last error")
    def last_error_short(self, obj: LedgerRow) -> str:
        return obj.last_error[:120]

    @admin.action(description="Try the selected failed ones again")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet) -> None:
        retried = 0
        for row in queryset.filter(status=LedgerRow.Status.FAILED):
            ledger_retry(row)
            retried += 1
        self.message_user(request, f"Queued {retried} again", messages.SUCCESS)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(LedgerAdmin):
    list_display = [
        "queued_at",
        "to",
        "subject",
        "status",
        "attempts",
        "finished_at",
        "last_error_short",
    ]
    search_fields = ["to", "subject", "key"]
