"""Reads of the core used by views."""

from __future__ import annotations

from django.db.models import QuerySet

from microcomm.models import Notification, User


def notifications_recent_for_user(*, user: User, limit: int = 5) -> QuerySet[Notification]:
    """The person's latest in-app messages, newest first."""
    return Notification.objects.filter(user=user)[:limit]
