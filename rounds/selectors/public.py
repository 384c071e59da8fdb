"""Every read behind the public pages. Draft rounds never leave here for the public."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from microcomm.caching import PUBLIC_PAGES, generation_cached
from microcomm.models import Locality, User
from microcomm.permissions import LINK_WORKER_GROUP
from rounds.models import Faq, GuidanceResource, Need, Round, RoundEvent, SupportRequest
from rounds.permissions import FAQS, GUIDANCE, ROUNDS, SUPPORT_REQUESTS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def rounds_published() -> QuerySet[Round]:
    """Every round the public may see: all but drafts."""
    return Round.objects.filter(ROUNDS.public)


@dataclass
class PublicRounds:
    open: list[Round] = field(default_factory=list)
    opening_soon: list[Round] = field(default_factory=list)
    closed: list[Round] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.open or self.opening_soon or self.closed)


def rounds_public_list(*, moment: datetime.datetime | None = None) -> PublicRounds:
    """Published rounds grouped by what the clock says: open, opening soon and closed.

    Open rounds come soonest deadline first, rounds opening soon soonest first, closed
    rounds most recent first. Two queries, however many rounds. As they are now (no
    ``moment``), kept in the cache with the public pages until a round changes or the
    clock moves one (``public_pages_fresh_until``): the rounds list and applicants' home
    pages show them on every visit.
    """
    if moment is None:
        return generation_cached(
            kind=PUBLIC_PAGES,
            name="rounds-public-list",
            compute=_rounds_public_list,
            until=public_pages_fresh_until,
        )
    return _rounds_public_list(moment=moment)


def _rounds_public_list(*, moment: datetime.datetime | None = None) -> PublicRounds:
    rounds = rounds_published().prefetch_related(
        Prefetch("eligible_localities", queryset=Locality.objects.order_by("name"))
    )
    grouped = PublicRounds()
    for round in rounds:
        status = round.status_at(moment)
        if status == Round.Status.OPEN:
            grouped.open.append(round)
        elif status == Round.Status.SCHEDULED:
            grouped.opening_soon.append(round)
        else:
            grouped.closed.append(round)
    grouped.open.sort(key=lambda round: round.closes_at)
    grouped.opening_soon.sort(key=lambda round: round.opens_at)
    grouped.closed.sort(key=lambda round: round.closes_at, reverse=True)
    return grouped


def public_pages_fresh_until(*, moment: datetime.datetime | None = None) -> datetime.datetime:
    """When the public pages next change by the clock alone: the next time a published
    round opens or closes, or an event of one starts, and at the latest the next midnight
    in Europe/London (a milestone of a whole day reads as passed once its day is over).
    Two queries; from now (no ``moment``), kept with the public pages until that time."""
    if moment is None:
        return generation_cached(
            kind=PUBLIC_PAGES,
            name="public-pages-fresh-until",
            compute=lambda: _public_pages_fresh_until(moment=timezone.now()),
            expires=lambda until: until,
        )
    return _public_pages_fresh_until(moment=moment)


def _public_pages_fresh_until(*, moment: datetime.datetime) -> datetime.datetime:
    today = timezone.localdate(moment, timezone.get_default_timezone())
    midnight = datetime.datetime.combine(
        today + datetime.timedelta(days=1),
        datetime.time(),
        tzinfo=timezone.get_default_timezone(),
    )
    rounds = rounds_published().aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=moment)),
        closes=Min("closes_at", filter=Q(closes_at__gt=moment)),
    )
    event = (
        RoundEvent.objects.filter(round__in=rounds_published(), starts_at__gt=moment)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return min(when for when in (midnight, rounds["opens"], rounds["closes"], event) if when)


def rounds_open_to_apply(*, moment: datetime.datetime | None = None) -> list[Round]:
    return rounds_public_list(moment=moment).open


def round_public_detail(*, slug: str, user: User | AnonymousUser | None = None) -> Round | None:
    """A round the person may see (published, or any for commissioners, who preview drafts)
    with everything its public page shows, or None."""
    rounds = rounds_published() if user is None else ROUNDS.visible(user)
    return (
        rounds.select_related("fund")
        .prefetch_related(
            Prefetch("eligible_localities", queryset=Locality.objects.order_by("name")),
            Prefetch("priority_localities", queryset=Locality.objects.order_by("name")),
            "priority_themes",
            Prefetch("faqs", queryset=Faq.objects.order_by("order", "id")),
            Prefetch("guidance", queryset=GuidanceResource.objects.order_by("order", "id")),
            Prefetch("events", queryset=RoundEvent.objects.order_by("starts_at", "id")),
        )
        .filter(slug=slug)
        .first()
    )


def round_for_eligibility(*, slug: str) -> Round | None:
    return (
        rounds_published()
        .prefetch_related(
            Prefetch("eligible_localities", queryset=Locality.objects.order_by("name"))
        )
        .filter(slug=slug)
        .first()
    )


def round_for_managing(*, user: User | AnonymousUser, slug: str) -> Round | None:
    """The round when the person may see it: any round, drafts included, for commissioners."""
    return ROUNDS.visible(user).filter(slug=slug).first()


@dataclass(frozen=True)
class PriorityEvidence:
    theme: str
    locality: str
    times_logged: int


def round_priority_evidence(*, round: Round) -> list[PriorityEvidence]:
    """How often link workers logged the round's priority needs, per theme and place.

    Only totals leave this function: never a need's title, description or who logged it.
    The needs counted are the round's priority needs, and the live needs whose theme is a
    priority theme in a priority place (or a place inside one). One query.
    """
    theme_ids = [theme.pk for theme in round.priority_themes.all()]
    locality_ids = [locality.pk for locality in round.priority_localities.all()]
    matches = Q(rounds=round)
    if theme_ids or locality_ids:
        by_priority = Q(
            status__in=[Need.Status.OPEN, Need.Status.BEING_ADDRESSED],
            merged_into__isnull=True,
        )
        if theme_ids:
            by_priority &= Q(theme_id__in=theme_ids)
        if locality_ids:
            by_priority &= Q(locality_id__in=locality_ids) | Q(locality__parent_id__in=locality_ids)
        matches |= by_priority
    need_ids = Need.objects.filter(matches).values("pk")
    rows = (
        Need.objects.filter(pk__in=need_ids)
        .values("theme__name", "locality__name")
        .annotate(times_logged=Sum("signal_count"))
        .filter(times_logged__gt=0)
        .order_by("-times_logged", "theme__name", "locality__name")
    )
    return [
        PriorityEvidence(
            theme=row["theme__name"],
            locality=row["locality__name"],
            times_logged=row["times_logged"],
        )
        for row in rows
    ]


def faqs_scheme_wide() -> QuerySet[Faq]:
    return Faq.objects.filter(round__isnull=True).order_by("order", "id")


def guidance_scheme_wide() -> QuerySet[GuidanceResource]:
    return GuidanceResource.objects.filter(round__isnull=True).order_by("order", "id")


def faqs_for_managing(*, round: Round | None) -> QuerySet[Faq]:
    return Faq.objects.filter(round=round) if round else faqs_scheme_wide()


def guidance_for_managing(*, round: Round | None) -> QuerySet[GuidanceResource]:
    if round:
        return GuidanceResource.objects.filter(round=round).order_by("order", "id")
    return guidance_scheme_wide()


def faq_for_managing(*, user: User | AnonymousUser, pk: int) -> Faq | None:
    """The FAQ when the person may see it: any FAQ for commissioners."""
    return FAQS.visible(user).select_related("round").filter(pk=pk).first()


def guidance_for_page(*, user: User | AnonymousUser, pk: int) -> GuidanceResource | None:
    """A resource the person may download: scheme-wide or of a published round for anyone,
    any resource for the people who manage funding."""
    return GUIDANCE.visible(user).select_related("round").filter(pk=pk).first()


def support_requests_visible_to(user: User | AnonymousUser) -> QuerySet[SupportRequest]:
    """Requests for help to apply, for link workers and commissioners; none for others."""
    return SUPPORT_REQUESTS.visible(user).select_related("round", "assigned_to")


def support_requests_open(*, user: User | AnonymousUser) -> QuerySet[SupportRequest]:
    """New requests first (oldest waiting longest on top), then assigned ones."""
    return (
        support_requests_visible_to(user)
        .exclude(status=SupportRequest.Status.CLOSED)
        .order_by("-status", "created_at", "id")
    )


def support_requests_closed(*, user: User | AnonymousUser, limit: int = 20) -> list[SupportRequest]:
    return list(
        support_requests_visible_to(user)
        .filter(status=SupportRequest.Status.CLOSED)
        .order_by("-closed_at", "-id")[:limit]
    )


def support_requests_for_home(*, user: User, limit: int = 5) -> list[SupportRequest]:
    """The requests on a link worker's home page: new ones and the ones given to them."""
    return list(
        support_requests_open(user=user).filter(
            Q(status=SupportRequest.Status.NEW) | Q(assigned_to=user)
        )[:limit]
    )


def support_request_for_page(*, user: User | AnonymousUser, pk: int) -> SupportRequest | None:
    return support_requests_visible_to(user).filter(pk=pk).first()


def support_request_assignees() -> QuerySet[User]:
    return User.objects.filter(groups__name=LINK_WORKER_GROUP, is_active=True).order_by(
        "full_name", "email"
    )
