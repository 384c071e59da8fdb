"""Reads of the core used by views."""

from __future__ import annotations

from django.db.models import QuerySet

from microcomm.models import Membership, Notification, User


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def notifications_unread_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)
