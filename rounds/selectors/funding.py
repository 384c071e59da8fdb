"""Every read behind the funding pages: funds with their totals, rounds, timelines, iCalendar.

Fund totals are annotated with subqueries (one per figure), so a list of funds costs one
query however many sources and rounds they have.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from microcomm.models import Locality, Theme
from rounds.fund_totals import ZERO, FundTotals
from rounds.models import Fund, FundingSource, Need, Round, RoundEvent
from rounds.permissions import ROUNDS
from rounds.selectors.gaps import gaps_chosen, needs_counted_in_gaps

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

MONEY = DecimalField(max_digits=14, decimal_places=2)
ATTENTION_DAYS = 14


def _sum_of(queryset: QuerySet, field: str) -> Coalesce:
    summed = queryset.order_by().values("fund").annotate(total=Sum(field))
    return Coalesce(Subquery(summed.values("total")[:1], output_field=MONEY), Value(ZERO))


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("fund").annotate(total=Count("pk"))
    return Coalesce(Subquery(counted.values("total")[:1], output_field=IntegerField()), Value(0))


def funds_with_totals() -> QuerySet[Fund]:
    """Funds with `total`, `allocated`, `awarded`, `paid`, `remaining` and `round_count`.

    Awarded and paid are zero until awards and payments exist.
    """
    return Fund.objects.annotate(
        total=_sum_of(FundingSource.objects.filter(fund=OuterRef("pk")), "amount"),
        allocated=_sum_of(Round.objects.filter(fund=OuterRef("pk")), "amount_available"),
        awarded=Value(ZERO, output_field=MONEY),
        paid=Value(ZERO, output_field=MONEY),
        # A subquery like the sums: a join with every round would make each sum run once
        # per round rather than once per fund.
        round_count=_count_of(Round.objects.filter(fund=OuterRef("pk"))),
    ).annotate(remaining=F("total") - F("allocated"))


def fund_list() -> QuerySet[Fund]:
    return funds_with_totals().prefetch_related("sources").order_by("-starts_on", "name")


def fund_for_page(*, pk: int) -> Fund | None:
    """One fund with its totals, sources and rounds (and each round's fund, for its status)."""
    return (
        funds_with_totals()
        .prefetch_related(
            "sources",
            Prefetch("rounds", queryset=Round.objects.select_related("fund").order_by("opens_at")),
        )
        .filter(pk=pk)
        .first()
    )


def fund_totals_of(fund: Fund) -> FundTotals:
    """The totals of a fund from `funds_with_totals()`, as one value."""
    return FundTotals(
        total=fund.total, allocated=fund.allocated, awarded=fund.awarded, paid=fund.paid
    )


def funds_for_choice() -> QuerySet[Fund]:
    return funds_with_totals().order_by("name")


def rounds_for_managing() -> QuerySet[Round]:
    """Every round, drafts included, newest opening first, with its fund."""
    return Round.objects.select_related("fund").order_by("-opens_at", "title")


def round_for_page(*, slug: str) -> Round | None:
    """A round with everything its management page shows."""
    return (
        Round.objects.select_related("fund", "created_by", "copied_from")
        .prefetch_related(
            Prefetch("priority_needs", queryset=Need.objects.select_related("theme", "locality")),
            Prefetch("priority_themes", queryset=Theme.objects.order_by("order", "name")),
            Prefetch("priority_localities", queryset=Locality.objects.order_by("name")),
            Prefetch("eligible_localities", queryset=Locality.objects.order_by("name")),
            Prefetch("events", queryset=RoundEvent.objects.order_by("starts_at", "id")),
        )
        .filter(slug=slug)
        .first()
    )


def round_for_calendar(*, user: User | AnonymousUser, slug: str) -> Round | None:
    """A round the person may see, with its events for the iCalendar feed."""
    return ROUNDS.visible(user).prefetch_related("events").filter(slug=slug).first()


@dataclass(frozen=True)
class RoundPrefill:
    themes: list[Theme]
    localities: list[Locality]
    needs: list[Need]


def _ids(values: list[str]) -> list[int]:
    # ASCII digits only, and short enough for an integer column: anything else names nothing.
    wanted = [value for value in values if value.isascii() and value.isdigit() and len(value) < 10]
    return [int(value) for value in wanted[:500]]


def round_prefill(
    *,
    theme_ids: list[str],
    locality_ids: list[str],
    need_ids: list[str],
    gap_keys: Sequence[str] = (),
) -> RoundPrefill:
    """Priorities for a new round from a link such as "Start a round for this gap".

    Each ``gap`` (a cell of the gap analysis, "theme-place") adds its theme, its place and
    the needs that cell counts, and no others. Themes, places and needs given on their own
    are added as they are. Unknown ids are ignored.
    """
    chosen = gaps_chosen(keys=gap_keys)
    themes = [*chosen.themes]
    themes += Theme.objects.filter(pk__in=_ids(theme_ids)).exclude(pk__in=[t.pk for t in themes])
    localities = [*chosen.places]
    localities += Locality.objects.filter(pk__in=_ids(locality_ids)).exclude(
        pk__in=[place.pk for place in localities]
    )
    needs = [*chosen.needs]
    needs += Need.objects.filter(pk__in=_ids(need_ids)).exclude(pk__in=[n.pk for n in needs])
    return RoundPrefill(themes=themes, localities=localities, needs=needs)


def needs_for_priorities() -> QuerySet[Need]:
    """Needs a round may address: the ones the gap analysis counts, by theme and place."""
    return (
        needs_counted_in_gaps()
        .select_related("theme", "locality")
        .order_by("theme__order", "theme__name", "locality__name", "title")
    )


# Timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """One step of a round's timeline: `when` is an aware datetime, or a date for a day."""

    key: str
    title: str
    when: datetime.datetime | datetime.date
    location: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)

    def sort_key(self) -> tuple[datetime.date, int, datetime.time]:
        if isinstance(self.when, datetime.datetime):
            local = timezone.localtime(self.when, timezone.get_default_timezone())
            return (local.date(), 0, local.time())
        return (self.when, 1, datetime.time.min)


def round_milestones(round: Round) -> list[Milestone]:
    """The round's timeline in date order: the fixed milestones and its events.

    Uses `round.events.all()`, so prefetch the events for a list of rounds.
    """
    milestones = [
        Milestone("opens", "Applications open", round.opens_at),
        Milestone("closes", "Applications close", round.closes_at),
        Milestone("scoring", "Scoring due", round.scoring_due_on),
        Milestone("decisions", "Decisions by", round.decisions_by),
        Milestone("grants-start", "Grants start", round.grants_start_on),
        Milestone("first-monitoring", "First monitoring report due", round.first_monitoring_due_on),
        Milestone("evaluation", "Evaluation due", round.evaluation_due_on),
    ]
    for event in round.events.all():
        milestones.append(
            Milestone(f"event-{event.pk}", str(event), event.starts_at, location=event.location)
        )
    return sorted(milestones, key=Milestone.sort_key)


# Home page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundAttention:
    round: Round
    status: str
    message: str


def rounds_needing_attention(*, now: datetime.datetime | None = None) -> list[RoundAttention]:
    """Rounds a commissioner should look at now, with what to do: drafts to finish,
    rounds opening or closing within two weeks, and closed rounds waiting for assessment."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=ATTENTION_DAYS)
    rounds = Round.objects.select_related("fund").filter(
        status__in=(
            Round.Status.DRAFT,
            Round.Status.SCHEDULED,
            Round.Status.OPEN,
            Round.Status.CLOSED,
        )
    )
    found = []
    for round in rounds.order_by("closes_at"):
        status = round.status_at(now)
        if status == Round.Status.DRAFT:
            if round.form_published_at is None:
                message = "Draft: publish the application form, then schedule the round"
            else:
                message = "Draft: ready to schedule"
        elif status == Round.Status.SCHEDULED and round.opens_at <= soon:
            message = "Opens soon"
        elif status == Round.Status.OPEN and round.closes_at <= soon:
            message = "Closes soon"
        elif status == Round.Status.CLOSED:
            message = "Closed: start the assessment"
        else:
            continue
        found.append(RoundAttention(round=round, status=status, message=message))
    return found


# iCalendar (RFC 5545) ------------------------------------------------------------------

CRLF = "\r\n"
FOLD_OCTETS = 75


def ical_escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a character.

    Each continuation line starts with one space, which counts towards its 75 octets.
    """
    parts: list[str] = []
    current = ""
    size = 0
    limit = FOLD_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current = " "
            size = 1
        current += character
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "microcomm.local"


def round_ical(round: Round) -> str:
    """The round's timeline as an iCalendar file: one VEVENT per milestone.

    UIDs are built from the round's id and the milestone, so a calendar that subscribed
    updates the same events when dates change. Times are in UTC; whole-day milestones
    are all-day events.
    """
    host = _host()
    stamp = _utc(round.updated_at or round.created_at)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical_escape(settings.SCHEME_NAME)}//Funding rounds//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(round.title)}",
    ]
    url = f"{settings.SITE_URL.rstrip('/')}/rounds/{round.slug}/"
    for milestone in round_milestones(round):
        lines += [
            "BEGIN:VEVENT",
            f"UID:round-{round.pk}-{milestone.key}@{host}",
            f"DTSTAMP:{stamp}",
        ]
        if isinstance(milestone.when, datetime.datetime):
            lines.append(f"DTSTART:{_utc(milestone.when)}")
        else:
            following = milestone.when + datetime.timedelta(days=1)
            lines.append(f"DTSTART;VALUE=DATE:{milestone.when:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{following:%Y%m%d}")
        lines.append(f"SUMMARY:{ical_escape(f'{round.title}: {milestone.title}')}")
        if milestone.location:
            lines.append(f"LOCATION:{ical_escape(milestone.location)}")
        lines += [f"URL:{url}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines)
