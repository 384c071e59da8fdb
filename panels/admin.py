"""The Django admin for the panels app."""

from __future__ import annotations

from django.contrib import admin

from microcomm.admin import LedgerAdmin, ReadOnlyAdminMixin
from panels.models import (
    ConflictDeclaration,
    Criterion,
    Decision,
    InterviewInvitation,
    InterviewSlot,
    MeetingAttendance,
    MeetingMinutes,
    Panel,
    PanelMember,
    PanelPack,
    PracticeAttempt,
    Rubric,
    ScalePoint,
    Score,
    Scorecard,
)

# The panel, its members and their attendance. Statuses move only through the
# panel's own pages (the lifecycle records who moved them and why), so they are read-only.


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = ("user", "role", "status", "joined_at", "removed_at", "removed_reason")
    readonly_fields = ("user", "status", "joined_at", "removed_at", "removed_reason")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = (
        "round",
        "quorum_members",
        "quorum_lay_members",
        "scorers_per_application",
        "scores_shared_before_meeting",
        "lay_hourly_rate",
    )
    list_filter = ("scores_shared_before_meeting",)
    search_fields = ("round__title", "round__slug")
    list_select_related = ("round",)
    readonly_fields = ("round", "scores_released_at", "version", "created_at", "updated_at")
    inlines = (PanelMemberInline,)


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "panel", "role", "status", "joined_at", "removed_at")
    list_filter = ("role", "status")
    search_fields = ("user__full_name", "user__email", "panel__round__title")
    list_select_related = ("user", "panel__round")
    readonly_fields = (
        "panel",
        "user",
        "status",
        "invited_by",
        "joined_at",
        "removed_at",
        "removed_reason",
        "created_at",
        "updated_at",
    )


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(admin.ModelAdmin):
    list_display = ("member", "event", "attended", "hours", "time_payment", "expenses")
    list_filter = ("attended", "event__round")
    search_fields = ("member__user__full_name", "member__user__email", "event__round__title")
    list_select_related = ("member__user", "event__round")
    readonly_fields = ("member", "event", "recorded_by", "created_at", "updated_at")


# The scoring system. It changes only through its pages, which check the rules (3 to
# 7 criteria, weights adding to 100, every point anchored), the lock once the round leaves
# draft and the version; the admin shows it and changes nothing.


class ReadOnlyInline(admin.TabularInline):
    """Rows shown inside a read-only record (inlines are asked with the parent object)."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "name", "weight", "scale", "minimum", "rewards_priorities")
    readonly_fields = fields
    show_change_link = True


class ScalePointInline(ReadOnlyInline):
    model = ScalePoint
    fields = ("value", "label", "anchor")
    readonly_fields = fields


@admin.register(Rubric)
class RubricAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("round", "preset", "pass_mark", "gate_eligibility", "gate_due_diligence")
    list_filter = ("preset",)
    search_fields = ("round__title", "round__slug")
    list_select_related = ("round",)
    inlines = (CriterionInline,)


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "rubric", "weight", "scale", "minimum")
    search_fields = ("name", "rubric__round__title")
    list_select_related = ("rubric__round",)
    inlines = (ScalePointInline,)


@admin.register(ScalePoint)
class ScalePointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("criterion", "value", "label", "anchor")
    search_fields = ("criterion__name", "anchor")
    list_select_related = ("criterion",)


# Conflicts, scoring and decisions change only through the panel's pages, which check who
# may see what and keep the audit trail; staff read them here.


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "organisation", "interest", "updated_at")
    list_filter = ("interest",)
    search_fields = ("member__user__email", "organisation__name")
    list_select_related = ("member__user", "organisation")


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("criterion", "value", "comment")


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "member", "status", "weighted_score", "submitted_at")
    list_filter = ("status",)
    search_fields = ("application__reference", "member__user__email")
    list_select_related = ("application", "member__user")
    inlines = (ScoreInline,)


@admin.register(PracticeAttempt)
class PracticeAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "submitted_at")
    list_select_related = ("member__user",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "outcome", "status", "amount", "released_at")
    list_filter = ("outcome", "status")
    search_fields = ("application__reference", "application__organisation__name")
    list_select_related = ("application",)


@admin.register(InterviewSlot)
class InterviewSlotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("panel", "starts_at", "ends_at", "place")
    list_select_related = ("panel__round",)


@admin.register(InterviewInvitation)
class InterviewInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "slot", "booked_at")
    list_select_related = ("application", "slot")


@admin.register(PanelPack)
class PanelPackAdmin(LedgerAdmin):
    list_display = ("member", "version", "status", "attempts", "queued_at", "finished_at")
    list_select_related = ("member__user",)


@admin.register(MeetingMinutes)
class MeetingMinutesAdmin(LedgerAdmin):
    list_display = ("panel", "version", "status", "attempts", "queued_at", "finished_at")
    list_select_related = ("panel__round",)
