"""Fictional demo funds and rounds for the Marshbrook scheme, built on the demo gaps.

One pooled fund (the ICB and the borough council) and three rounds: an open micro round
for loneliness in Abbey Fields, a scheduled small round for debt advice in Fenwick, and a
closed micro round for carers in Whitmore. Dates are set around the day the demo is seeded.
Two groups have asked for help to apply to the open round (by phone, so no email is sent
at seed time); the demo link worker has taken one of them.
Idempotent: the fund is keyed on its name, each round on its web address and each request
for help on the name of the person who asked.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from microcomm.models import Locality, Theme, User
from rounds.models import Fund, Need, Round, SupportRequest
from rounds.services import funding
from rounds.services.form_builder import form_publish
from rounds.services.public import support_request_assign, support_request_create

COMMISSIONER_EMAIL = "commissioner@example.org"
LINK_WORKER_EMAIL = "linkworker@example.org"
# The fund with its sources, and the rounds with their dates counted in days from today.
DATA = json.loads(
    (Path(__file__).resolve().parent / "demo_data" / "rounds.json").read_text(encoding="utf-8")
)
FUND_NAME = DATA["fund"]["name"]


@dataclass(frozen=True)
class DemoRound:
    slug: str
    title: str
    summary: str
    tier: str
    amount: Decimal
    minimum: Decimal
    maximum: Decimal
    theme: str
    wards: tuple[str, ...]
    # Days from today: opening and closing (at the hours below), then the later dates.
    opens_in: int
    closes_in: int
    events: tuple[tuple[str, int, str, str], ...] = ()


ROUNDS = [
    DemoRound(
        **{
            **row,
            "amount": Decimal(row["amount"]),
            "minimum": Decimal(row["minimum"]),
            "maximum": Decimal(row["maximum"]),
            "wards": tuple(row["wards"]),
            "events": tuple(
                (event["kind"], event["in_days"], event["title"], event["location"])
                for event in row["events"]
            ),
        }
    )
    for row in DATA["rounds"]
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


def _fund(actor: User | None) -> Fund:
    existing = Fund.objects.filter(name=FUND_NAME).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    return funding.fund_create(
        name=FUND_NAME,
        description=DATA["fund"]["description"],
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 2, 3, 31),
        sources=[
            {**source, "amount": Decimal(source["amount"])} for source in DATA["fund"]["sources"]
        ],
        actor=actor,
    )


def _seed_round(spec: DemoRound, *, fund: Fund, actor: User | None) -> None:
    if Round.objects.filter(slug=spec.slug).exists():
        return
    today = timezone.localdate()
    theme = Theme.objects.filter(slug=spec.theme).first()
    wards = list(Locality.objects.filter(kind=Locality.Kind.WARD, name__in=spec.wards))
    needs = Need.objects.filter(
        theme=theme,
        locality__in=wards,
        status__in=(Need.Status.OPEN, Need.Status.BEING_ADDRESSED),
        merged_into__isnull=True,
    )
    # A round that has already opened is set up as it was the day before it opened; the
    # clock sweep then opens (and closes) it with the usual audit trail.
    set_up_at = _at(today + datetime.timedelta(days=spec.opens_in - 1), 9)
    closes_on = today + datetime.timedelta(days=spec.closes_in)
    round = funding.round_create(
        fund=fund,
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        amount_available=spec.amount,
        minimum_grant=spec.minimum,
        maximum_grant=spec.maximum,
        tier=spec.tier,
        opens_at=_at(today + datetime.timedelta(days=spec.opens_in), 9),
        closes_at=_at(closes_on, 17),
        scoring_due_on=closes_on + datetime.timedelta(days=14),
        decisions_by=closes_on + datetime.timedelta(days=28),
        grants_start_on=closes_on + datetime.timedelta(days=42),
        first_monitoring_due_on=closes_on + datetime.timedelta(days=133),
        evaluation_due_on=closes_on + datetime.timedelta(days=400),
        priority_themes=[theme] if theme else [],
        priority_localities=wards,
        priority_needs=list(needs),
        eligible_localities=wards,
        allowed_legal_forms=[],
        maximum_annual_income=Decimal("100000") if spec.tier == Round.Tier.MICRO else None,
        how_decisions_are_made=DATA["how_decisions_are_made"],
        contact_email=DATA["contact_email"],
        actor=actor,
        now=min(set_up_at, timezone.now()),
    )
    form_publish(round=round, actor=actor)
    funding.round_schedule(round=round, actor=actor, now=min(set_up_at, timezone.now()))
    funding.rounds_advance_by_clock()
    round.refresh_from_db()
    for kind, days, title, location in spec.events:
        funding.round_event_create(
            round=round,
            kind=kind,
            starts_at=_at(today + datetime.timedelta(days=days), 14),
            title=title,
            location=location,
            actor=actor,
        )


def _seed_support_requests() -> None:
    link_worker = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    for row in DATA.get("support_requests", []):
        if SupportRequest.objects.filter(name=row["name"]).exists():
            continue
        request = support_request_create(
            round=Round.objects.filter(slug=row["round"]).first(),
            name=row["name"],
            group_name=row["group_name"],
            phone=row["phone"],
            contact_preference=row["contact_preference"],
            help_needed=row["help_needed"],
            message=row["message"],
        )
        if row["assigned"] and link_worker is not None:
            support_request_assign(support_request=request, assignee=link_worker, actor=link_worker)


@transaction.atomic
def demo_seed_funding() -> None:
    """Add the demo fund and rounds; running it twice keeps one copy of each."""
    actor = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    fund = _fund(actor)
    for spec in ROUNDS:
        _seed_round(spec, fund=fund, actor=actor)
    _seed_support_requests()
