"""Fictional demo funds and rounds for the Marshbrook scheme, built on the demo gaps.

One pooled fund (the ICB and the borough council) and three rounds: an open micro round
for loneliness in Abbey Fields, a scheduled small round for debt advice in Fenwick, and a
closed micro round for carers in Whitmore. Dates are set around the day the demo is seeded.
Idempotent: the fund is keyed on its name and each round on its web address.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from microcomm.models import Locality, Theme, User
from rounds.models import Fund, Need, Round, RoundEvent

FUND_NAME = "Marshbrook Community Wellbeing Fund"
COMMISSIONER_EMAIL = "commissioner@example.org"


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
        slug="loneliness-micro-grants",
        title="Tackling loneliness: micro grants",
        summary=(
            "Grants of up to £1,000 for groups that bring people together in Abbey Fields "
            "and Canal Side, where link workers meet more lonely people than local groups "
            "have room for."
        ),
        tier=Round.Tier.MICRO,
        amount=Decimal("8000"),
        minimum=Decimal("250"),
        maximum=Decimal("1000"),
        theme="loneliness-and-isolation",
        wards=("Abbey Fields", "Canal Side"),
        opens_in=-14,
        closes_in=21,
        events=(
            (
                RoundEvent.Kind.SUPPORT_SESSION,
                7,
                "Drop-in: help with your application",
                "Abbey Fields Library",
            ),
            (RoundEvent.Kind.PANEL_MEETING, 35, "Panel meeting", "Marshbrook Town Hall"),
        ),
    ),
    DemoRound(
        slug="debt-advice-fenwick",
        title="Money and debt advice in Fenwick",
        summary=(
            "Grants of up to £5,000 for free, trusted money and debt advice in Fenwick, "
            "where the advice centre closed and link workers have nowhere to refer people."
        ),
        tier=Round.Tier.SMALL,
        amount=Decimal("15000"),
        minimum=Decimal("1000"),
        maximum=Decimal("5000"),
        theme="money-and-debt",
        wards=("Fenwick",),
        opens_in=28,
        closes_in=70,
        events=(
            (RoundEvent.Kind.SUPPORT_SESSION, 42, "Online question and answer session", "Online"),
        ),
    ),
    DemoRound(
        slug="carers-breaks-micro-grants",
        title="Carers' breaks: micro grants",
        summary=(
            "Grants of up to £1,000 for breaks and peer support for unpaid carers in "
            "Whitmore, where there is no carers' group."
        ),
        tier=Round.Tier.MICRO,
        amount=Decimal("6000"),
        minimum=Decimal("100"),
        maximum=Decimal("1000"),
        theme="carers",
        wards=("Whitmore",),
        opens_in=-42,
        closes_in=-7,
        events=((RoundEvent.Kind.PANEL_MEETING, 7, "Panel meeting", "Whitmore Community Hub"),),
    ),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


def _fund(actor: User | None) -> Fund:
    from rounds.services.funding import fund_create

    existing = Fund.objects.filter(name=FUND_NAME).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    return fund_create(
        name=FUND_NAME,
        description=(
            "A pooled fund from the integrated care board and the borough council to grow "
            "community activities that link workers can refer people to."
        ),
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 2, 3, 31),
        sources=[
            {
                "name": "NHS Marshbrook and Fenwick Integrated Care Board",
                "kind": "nhs",
                "amount": Decimal("30000"),
                "restriction": "Only for activities that link workers can refer people to.",
            },
            {
                "name": "Marshbrook Borough Council",
                "kind": "council",
                "amount": Decimal("20000"),
                "restriction": "Not for equipment costing more than £500 an item.",
            },
        ],
        actor=actor,
    )


def _seed_round(spec: DemoRound, *, fund: Fund, actor: User | None) -> None:
    from rounds.services import funding
    from rounds.services.form_builder import form_publish

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
    # The service refuses dates in the past, so a round that has already opened or closed
    # is set up in the future, scheduled, and then moved to its real dates; the clock
    # sweep then opens (and closes) it with the usual audit trail.
    closes_on = today + datetime.timedelta(days=max(spec.closes_in, 2))
    round = funding.round_create(
        fund=fund,
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        amount_available=spec.amount,
        minimum_grant=spec.minimum,
        maximum_grant=spec.maximum,
        tier=spec.tier,
        opens_at=_at(today + datetime.timedelta(days=max(spec.opens_in, 1)), 9),
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
        how_decisions_are_made=(
            "A panel of local people and professionals scores each application against "
            "the published criteria and decides within the budget."
        ),
        contact_email="grants@marshbrook.example.org",
        actor=actor,
    )
    form_publish(round=round, actor=actor)
    funding.round_schedule(round=round, actor=actor)
    if spec.opens_in < 1 or spec.closes_in < 2:
        real_closes = today + datetime.timedelta(days=spec.closes_in)
        Round.objects.filter(pk=round.pk).update(
            opens_at=_at(today + datetime.timedelta(days=spec.opens_in), 9),
            closes_at=_at(real_closes, 17),
            scoring_due_on=real_closes + datetime.timedelta(days=14),
            decisions_by=real_closes + datetime.timedelta(days=28),
            grants_start_on=real_closes + datetime.timedelta(days=42),
            first_monitoring_due_on=real_closes + datetime.timedelta(days=133),
            evaluation_due_on=real_closes + datetime.timedelta(days=400),
        )
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


@transaction.atomic
def demo_seed_funding() -> None:
    """Add the demo fund and rounds; running it twice keeps one copy of each."""
    actor = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    fund = _fund(actor)
    for spec in ROUNDS:
        _seed_round(spec, fund=fund, actor=actor)
