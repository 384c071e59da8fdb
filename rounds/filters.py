"""The directory search: every filter lives in the query string, so a search can be bookmarked."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from microcomm.models import Locality, Theme
from rounds.models import Service, ServiceSchedule
from rounds.models.directory import stale_before

JOIN_CHOICES = [
    ("self_referral", "People can refer themselves"),
    ("link_worker_referral", "A link worker can refer"),
    ("drop_in", "People can drop in"),
]
JOIN_FIELDS = {
    "self_referral": "join_self_referral",
    "link_worker_referral": "join_link_worker_referral",
    "drop_in": "join_drop_in",
}


# What the free-text search of the service map looks in.
SEARCHED_FIELDS = (
    "name",
    "description",
    "provider_name",
    "provider_organisation__name",
    "venue",
    "postcode",
    "eligibility",
)


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_text")
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="themes", queryset=Theme.objects.filter(is_active=True)
    )
    locality = django_filters.ModelChoiceFilter(
        label="Area", field_name="localities", queryset=Locality.objects.all()
    )
    day = django_filters.TypedChoiceFilter(
        label="Day", choices=ServiceSchedule.Weekday.choices, coerce=int, method="filter_day"
    )
    cost = django_filters.MultipleChoiceFilter(
        label="Cost", choices=Service.Cost.choices, widget=forms.CheckboxSelectMultiple
    )
    join = django_filters.MultipleChoiceFilter(
        label="How people join",
        choices=JOIN_CHOICES,
        method="filter_join",
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.ChoiceFilter(label="Status", choices=Service.Status.choices)
    stale = django_filters.BooleanFilter(
        label="Only services not checked for 6 months",
        method="filter_stale",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Service
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("theme", "locality", "day", "status"):
            field = self.form.fields[name]
            field.widget.attrs["class"] = "govuk-select"
        self.form.fields["theme"].empty_label = "Any theme"
        self.form.fields["locality"].empty_label = "Any area"
        self.form.fields["day"].choices = [("", "Any day"), *ServiceSchedule.Weekday.choices]
        self.form.fields["status"].choices = [("", "Any status"), *Service.Status.choices]

    def filter_text(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        for word in value.split()[:10]:
            # One search per field, joined (a union): each is answered from the field's
            # trigram index on PostgreSQL, where an OR of them all, or across the join to
            # the group, is planned as a reading of every service.
            first, *others = (
                Service.objects.filter(**{f"{field}__icontains": word}).order_by().values("pk")
                for field in SEARCHED_FIELDS
            )
            queryset = queryset.filter(pk__in=first.union(*others))
        return queryset

    def filter_day(self, queryset: QuerySet[Service], name: str, value: int) -> QuerySet[Service]:
        if value in (None, ""):
            return queryset
        runs_that_day = ServiceSchedule.objects.filter(service=OuterRef("pk"), weekday=value)
        return queryset.filter(Exists(runs_that_day))

    def filter_join(
        self, queryset: QuerySet[Service], name: str, value: list[str]
    ) -> QuerySet[Service]:
        if not value:
            return queryset
        any_way = Q()
        for choice in value:
            any_way |= Q(**{JOIN_FIELDS[choice]: True})
        return queryset.filter(any_way)

    def filter_stale(
        self, queryset: QuerySet[Service], name: str, value: bool
    ) -> QuerySet[Service]:
        if not value:
            return queryset
        return queryset.filter(
            Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=stale_before())
        )
