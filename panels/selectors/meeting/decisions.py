"""What recording or changing one decision reads: the application, the criteria, the money."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from applications.models import Application, DueDiligenceItem
from panels.models import Decision, Panel


def round_applications(*, panel: Panel) -> QuerySet[Application]:
    """The round's submitted applications, with their group, decision and checks left."""
    outstanding = (
        DueDiligenceItem.objects.filter(application=OuterRef("pk"), verified=False)
        .order_by()
        .values("application")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Application.objects.filter(round_id=panel.round_id, status=Application.Status.SUBMITTED)
        .select_related("organisation", "decision")
        .annotate(
            due_diligence_outstanding=Coalesce(
                Subquery(outstanding, output_field=IntegerField()), 0
            )
        )
        .order_by("reference", "id")
    )


def meeting_application(*, panel: Panel, pk: int) -> Application | None:
    """One submitted application of the panel's round, with its group and decision."""
    return round_applications(panel=panel).filter(pk=pk).first()


def decided_total(*, panel: Panel, excluding: int | None = None) -> Decimal:
    """The money the panel's funding decisions spend, leaving out one application's."""
    decisions = Decision.objects.filter(
        application__round_id=panel.round_id, outcome__in=Decision.FUNDED
    )
    if excluding is not None:
        decisions = decisions.exclude(application_id=excluding)
    return sum(decisions.values_list("amount", flat=True).exclude(amount=None), Decimal("0.00"))
