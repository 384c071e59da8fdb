"""Filters for a round's applications list (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet

from applications.models import Application
from applications.selectors.assessing import (
    applications_addressing_priority,
    applications_in_locality,
    locality_filter_choices,
    round_has_locality_question,
)
from microcomm.models import Locality
from rounds.models import Round
from rounds.selectors.form_builder import round_priorities

ANY_STATUS = "any"


class ApplicationFilter(django_filters.FilterSet):
    """Search, filters and sort for one round's applications."""

    q = django_filters.CharFilter(
        label="Reference, group or project", method="filter_search", widget=forms.TextInput
    )
    # Submitted applications unless the commissioner asks for drafts or withdrawn ones.
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[
            (Application.Status.SUBMITTED, "Submitted"),
            (Application.Status.DRAFT, "Drafts"),
            (Application.Status.WITHDRAWN, "Withdrawn"),
            (ANY_STATUS, "Any status, drafts included"),
        ],
        empty_label=None,
        method="filter_status",
    )
    eligibility = django_filters.ChoiceFilter(
        label="Eligibility",
        choices=[
            ("eligible", "Eligible"),
            ("not_eligible", "Not eligible"),
            ("overridden", "Eligibility overridden"),
            ("not_checked", "Not checked yet"),
        ],
        empty_label="Any",
        method="filter_eligibility",
    )
    locality = django_filters.ModelChoiceFilter(
        label="Locality",
        queryset=Locality.objects.none(),
        empty_label="Any locality",
        method="filter_locality",
    )
    priority = django_filters.ChoiceFilter(
        label="Priority", choices=[], empty_label="Any priority", method="filter_priority"
    )
    amount_min = django_filters.NumberFilter(
        label="Amount from (£)", field_name="amount_requested", lookup_expr="gte"
    )
    amount_max = django_filters.NumberFilter(
        label="Amount up to (£)", field_name="amount_requested", lookup_expr="lte"
    )
    due_diligence = django_filters.ChoiceFilter(
        label="Due diligence",
        choices=[("complete", "Complete"), ("outstanding", "Outstanding")],
        empty_label="Any",
        method="filter_due_diligence",
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        fields=(
            ("reference", "reference"),
            ("organisation__name", "organisation"),
            ("amount_requested", "amount"),
            ("submitted_at", "submitted"),
        ),
        field_labels={
            "reference": "Reference",
            "organisation__name": "Group",
            "amount_requested": "Amount",
            "submitted_at": "Date submitted",
        },
        empty_label="Reference",
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.priorities = round_priorities(round=round)
        self.filters["priority"].extra["choices"] = list(self.priorities.items())
        self.locality_available = round_has_locality_question(round=round)
        if self.locality_available:
            self.filters["locality"].queryset = locality_filter_choices(round=round)
        else:
            del self.filters["locality"]
        if not self.priorities:
            del self.filters["priority"]
        for bound_filter in self.filters.values():
            bound_filter.extra.setdefault("required", False)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=Application.Status.SUBMITTED)
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == ANY_STATUS:
            return queryset
        return queryset.filter(status=value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(title__icontains=value)
        )

    def filter_eligibility(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overridden = ~Q(eligibility_override_reason="")
        if value == "overridden":
            return queryset.filter(overridden)
        if value == "eligible":
            return queryset.filter(eligibility__eligible=True)
        if value == "not_eligible":
            return queryset.filter(eligibility__eligible=False).exclude(overridden)
        if value == "not_checked":
            return queryset.filter(eligibility__eligible__isnull=True)
        return queryset

    def filter_locality(self, queryset: QuerySet, name: str, value: Locality | None) -> QuerySet:
        if value is None:
            return queryset
        return applications_in_locality(queryset, locality=value)

    def filter_priority(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value not in self.priorities:
            return queryset
        return applications_addressing_priority(queryset, priority=value)

    def filter_due_diligence(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        complete = Q(due_diligence_total__gt=0, due_diligence_verified=F("due_diligence_total"))
        if value == "complete":
            return queryset.filter(complete)
        if value == "outstanding":
            return queryset.exclude(complete)
        return queryset
