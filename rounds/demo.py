"""Fictional demo data for the needs register and the service map of the Marshbrook scheme.

About 80 needs with their signals and 40 services, chosen so the gap analysis shows clear
gaps: no debt advice in Fenwick (its advice centre closed), loneliness in Abbey Fields far
over capacity, nothing for carers in Whitmore. Deterministic (a fixed random seed) and
idempotent: needs are keyed on title and ward, services on name. Every name is invented;
need text holds no personal details.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from microcomm.models import Locality, Organisation, Theme, User
from rounds.models import (
    JsnaPriority,
    Need,
    NeedSignal,
    PopulationGroup,
    Service,
    ServiceSchedule,
)

SEED = 20260301
LINK_WORKER_EMAIL = "linkworker@example.org"

# Theme slugs (from microcomm.demo.THEMES).
LONELINESS = "loneliness-and-isolation"
WELLBEING = "mental-wellbeing"
ACTIVITY = "physical-activity"
MONEY = "money-and-debt"
HOUSING = "housing"
CARERS = "carers"
FOOD = "food"
DIGITAL = "digital-inclusion"

JSNA_PRIORITIES = [
    (
        "Reduce loneliness among older people",
        LONELINESS,
        "Marshbrook JSNA chapter on older people: one in five over-65s report feeling lonely.",
    ),
    (
        "Tackle problem debt and the cost of living",
        MONEY,
        "Local plan priority: rising demand for debt advice in the south of the borough.",
    ),
    (
        "Support unpaid carers to stay well",
        CARERS,
        "Marshbrook carers strategy: carers' own health and breaks from caring.",
    ),
]

# What link workers hear for each theme: titles, and short notes for the signals.
NEED_TITLES = {
    LONELINESS: [
        "No befriending for people who live alone",
        "Nowhere to meet others on weekday afternoons",
        "Lonely after bereavement, no peer group",
        "Older men with no social group",
    ],
    WELLBEING: [
        "No low-level anxiety support group",
        "Long wait for talking therapies, nothing in between",
        "No creative activity for low mood",
        "Stress from work with nowhere to turn",
    ],
    ACTIVITY: [
        "No gentle exercise for people with long-term conditions",
        "No walking group at a slow pace",
        "Women-only swimming or exercise wanted",
        "Nothing active for people using wheelchairs",
    ],
    MONEY: [
        "No face-to-face debt advice",
        "Help with benefit forms needed",
        "Energy bills arrears with nowhere to get advice",
        "Budgeting help for people new to managing money",
    ],
    HOUSING: [
        "Cold and damp homes with no advice on repairs",
        "Help to find settled housing",
        "Tenancy problems with no local advice",
    ],
    CARERS: [
        "No carers' group near home",
        "Carers need a break and cannot get one",
        "Young carers have no peer support",
    ],
    FOOD: [
        "No affordable food near home",
        "Wants to learn to cook on a budget",
        "No shared meals for people who eat alone",
    ],
    DIGITAL: [
        "Cannot get online to manage benefits",
        "No device or data for video calls",
        "Wants help to book appointments online",
    ],
}

SIGNAL_NOTES = [
    "Nothing local that fits",
    "Could not travel to the nearest option",
    "The nearest group is full",
    "Asked again at a follow-up",
    "Raised at a community drop-in",
    "Mentioned by a family member",
]


@dataclass(frozen=True)
class NeedSpec:
    title: str
    ward: str
    theme: str
    signals: int
    people: int | None = None
    groups: tuple[str, ...] = ()
    jsna: str | None = None
    status: str = Need.Status.OPEN
    source: str = Need.Source.CASELOAD
    merged_into: str | None = None


# Needs that make the story of the demo: the clear gaps and a merge.
SHOWCASE_NEEDS = [
    NeedSpec(
        "No face-to-face debt advice",
        "Fenwick",
        MONEY,
        9,
        60,
        ("50-to-64", "25-to-49"),
        "Tackle problem debt and the cost of living",
    ),
    NeedSpec("Energy bills arrears with nowhere to get advice", "Fenwick", MONEY, 6, 35),
    NeedSpec(
        "Debt advice wanted in Fenwick",
        "Fenwick",
        MONEY,
        2,
        status=Need.Status.CLOSED,
        merged_into="No face-to-face debt advice",
    ),
    NeedSpec(
        "No befriending for people who live alone",
        "Abbey Fields",
        LONELINESS,
        14,
        80,
        ("65-and-over",),
        "Reduce loneliness among older people",
    ),
    NeedSpec(
        "Lonely after bereavement, no peer group",
        "Abbey Fields",
        LONELINESS,
        8,
        25,
        ("65-and-over",),
    ),
    NeedSpec(
        "No carers' group near home",
        "Whitmore",
        CARERS,
        7,
        40,
        ("carers",),
        "Support unpaid carers to stay well",
    ),
    NeedSpec(
        "Cannot get online to manage benefits",
        "Stone Cross",
        DIGITAL,
        5,
        None,
        ("65-and-over", "disability"),
        source=Need.Source.CONSULTATION,
    ),
]

GENERATED_NEEDS = 73

# (name, organisation or None, informal group name, themes, wards, status, places a week,
#  waiting, days since verified or None, schedules as (weekday, opens, closes, frequency))
SERVICES = [
    (
        "Abbey Fields Friday Walk",
        "Abbey Fields Walking Group",
        "",
        [ACTIVITY, LONELINESS],
        ["Abbey Fields"],
        Service.Status.ACTIVE,
        12,
        8,
        30,
        [(4, 10, 11, "weekly")],
    ),
    (
        "Telephone Befriending",
        "Marshbrook Befriending Network",
        "",
        [LONELINESS],
        ["Abbey Fields", "Canal Side"],
        Service.Status.ACTIVE,
        3,
        9,
        60,
        [(1, 9, 17, "weekly")],
    ),
    (
        "Men's Shed Open Sessions",
        "Canal Side Men's Shed",
        "",
        [LONELINESS, WELLBEING],
        ["Canal Side"],
        Service.Status.ACTIVE,
        15,
        0,
        20,
        [(2, 10, 15, "weekly"), (5, 10, 13, "weekly")],
    ),
    (
        "Knit and Natter",
        "Kiln Lane Knit and Natter",
        "",
        [LONELINESS],
        ["Kiln Lane"],
        Service.Status.ACTIVE,
        20,
        0,
        400,
        [(3, 14, 16, "weekly")],
    ),
    (
        "Allotment Volunteering",
        "Stone Cross Allotment Friends",
        "",
        [ACTIVITY, WELLBEING, FOOD],
        ["Stone Cross"],
        Service.Status.ACTIVE,
        10,
        0,
        45,
        [(5, 9, 12, "weekly")],
    ),
    (
        "Dads and Lads Football",
        "Whitmore Dads and Lads",
        "",
        [ACTIVITY],
        ["Whitmore"],
        Service.Status.ACTIVE,
        25,
        0,
        90,
        [(6, 10, 12, "weekly")],
    ),
    (
        "Fenwick Pantry",
        "Fenwick Fridge and Pantry",
        "",
        [FOOD],
        ["Fenwick"],
        Service.Status.ACTIVE,
        60,
        0,
        15,
        [(0, 12, 15, "weekly"), (3, 12, 15, "weekly")],
    ),
    (
        "Mill Bank Tea Dance",
        "Mill Bank Tea Dance",
        "",
        [LONELINESS, ACTIVITY],
        ["Mill Bank"],
        Service.Status.ACTIVE,
        40,
        0,
        250,
        [(2, 14, 16, "fortnightly")],
    ),
    (
        "Hollins Green Lunch Club",
        "Hollins Green Community Association",
        "",
        [LONELINESS, FOOD],
        ["Hollins Green"],
        Service.Status.ACTIVE,
        30,
        2,
        70,
        [(1, 12, 14, "weekly")],
    ),
    (
        "Carers Cafe North",
        "Marshbrook Carers Together",
        "",
        [CARERS],
        ["Abbey Fields", "Canal Side", "Hollins Green", "Kiln Lane"],
        Service.Status.ACTIVE,
        20,
        0,
        40,
        [(3, 10, 12, "monthly")],
    ),
    (
        "Carers Cafe South",
        "Marshbrook Carers Together",
        "",
        [CARERS],
        ["Fenwick", "Mill Bank"],
        Service.Status.PAUSED,
        20,
        0,
        40,
        [(3, 13, 15, "monthly")],
    ),
    (
        "Fenwick Debt Advice Drop-in",
        "Fenwick Debt Advice Centre",
        "",
        [MONEY, HOUSING],
        ["Fenwick"],
        Service.Status.CLOSED,
        15,
        0,
        300,
        [(0, 9, 13, "weekly")],
    ),
    (
        "Money Advice at the Hub",
        "Whitmore Community Hub Ltd",
        "",
        [MONEY],
        ["Whitmore", "Stone Cross"],
        Service.Status.ACTIVE,
        10,
        4,
        25,
        [(2, 10, 14, "weekly")],
    ),
    (
        "Benefits Form Helpers",
        None,
        "Canal Side Benefits Helpers",
        [MONEY, DIGITAL],
        ["Canal Side", "Kiln Lane"],
        Service.Status.ACTIVE,
        8,
        0,
        220,
        [(4, 13, 15, "weekly")],
    ),
    (
        "Mind Matters Anxiety Group",
        "Marshbrook Mind Matters",
        "",
        [WELLBEING],
        ["Abbey Fields", "Hollins Green", "Mill Bank"],
        Service.Status.ACTIVE,
        12,
        6,
        35,
        [(0, 18, 20, "weekly")],
    ),
    (
        "Community Garden Days",
        "Canal Side Community Garden",
        "",
        [WELLBEING, ACTIVITY, FOOD],
        ["Canal Side"],
        Service.Status.ACTIVE,
        18,
        0,
        10,
        [(2, 10, 15, "weekly")],
    ),
    (
        "Welcome Cafe",
        "Marshbrook Refugee Welcome",
        "",
        [LONELINESS, DIGITAL],
        ["Mill Bank", "Fenwick"],
        Service.Status.ACTIVE,
        25,
        0,
        50,
        [(5, 11, 14, "weekly")],
    ),
    (
        "Green Gym",
        "Green Gym Marshbrook",
        "",
        [ACTIVITY, WELLBEING],
        ["Kiln Lane", "Hollins Green"],
        Service.Status.ACTIVE,
        16,
        0,
        200,
        [(6, 9, 12, "weekly")],
    ),
    (
        "Stitch and Story Circle",
        "Stitch and Story CIC",
        "",
        [WELLBEING, LONELINESS],
        ["Stone Cross"],
        Service.Status.ACTIVE,
        10,
        1,
        80,
        [(1, 14, 16, "weekly")],
    ),
    (
        "Digital Buddies Drop-in",
        "Digital Buddies CIC",
        "",
        [DIGITAL],
        ["Abbey Fields", "Hollins Green", "Whitmore"],
        Service.Status.ACTIVE,
        15,
        3,
        55,
        [(3, 10, 12, "weekly")],
    ),
    (
        "Cook and Eat Together",
        "Fenwick Community Kitchen CIC",
        "",
        [FOOD, LONELINESS],
        ["Fenwick"],
        Service.Status.ACTIVE,
        12,
        5,
        20,
        [(2, 17, 19, "weekly")],
    ),
    (
        "Arts on Prescription",
        "Marshbrook Arts on Prescription Ltd",
        "",
        [WELLBEING],
        ["Kiln Lane", "Canal Side", "Stone Cross"],
        Service.Status.ACTIVE,
        10,
        7,
        190,
        [(1, 13, 15, "weekly")],
    ),
    (
        "Youth Drop-in",
        "Mill Bank Youth Trust Ltd",
        "",
        [WELLBEING, ACTIVITY],
        ["Mill Bank"],
        Service.Status.ACTIVE,
        30,
        0,
        60,
        [(4, 16, 19, "weekly")],
    ),
    (
        "Warm Homes Advice",
        "Marshbrook Community Energy",
        "",
        [HOUSING, MONEY],
        ["Kiln Lane", "Mill Bank"],
        Service.Status.ACTIVE,
        6,
        2,
        100,
        [(0, 10, 13, "fortnightly")],
    ),
    (
        "Village Shop Coffee Morning",
        "Stone Cross Village Shop Society",
        "",
        [LONELINESS, FOOD],
        ["Stone Cross"],
        Service.Status.ACTIVE,
        20,
        0,
        500,
        [(5, 10, 12, "weekly")],
    ),
    (
        "Fenwick Parish Walk and Talk",
        "Fenwick Parish Council",
        "",
        [ACTIVITY, LONELINESS],
        ["Fenwick"],
        Service.Status.PAUSED,
        15,
        0,
        150,
        [(2, 10, 11, "weekly")],
    ),
    (
        "Sanctuary Choir",
        "Marshbrook Sanctuary Choir",
        "",
        [WELLBEING, LONELINESS],
        ["Mill Bank", "Whitmore"],
        Service.Status.ACTIVE,
        35,
        0,
        30,
        [(3, 18, 20, "weekly")],
    ),
    (
        "Hollins Green Chair Yoga",
        None,
        "Hollins Green Chair Yoga Group",
        [ACTIVITY],
        ["Hollins Green"],
        Service.Status.ACTIVE,
        12,
        0,
        None,
        [(0, 11, 12, "weekly")],
    ),
    (
        "Canal Side Reading Group",
        None,
        "Friends of Canal Side Library",
        [LONELINESS, WELLBEING],
        ["Canal Side"],
        Service.Status.ACTIVE,
        10,
        0,
        260,
        [(1, 18, 19, "monthly")],
    ),
    (
        "Kiln Lane Community Fridge",
        None,
        "Kiln Lane Residents",
        [FOOD],
        ["Kiln Lane"],
        Service.Status.ACTIVE,
        40,
        0,
        12,
        [(4, 15, 18, "weekly")],
    ),
    (
        "Whitmore Repair Cafe",
        None,
        "Whitmore Fixers",
        [HOUSING, LONELINESS],
        ["Whitmore"],
        Service.Status.CLOSED,
        10,
        0,
        420,
        [(5, 10, 13, "monthly")],
    ),
    (
        "Stone Cross Tenants Advice",
        None,
        "Stone Cross Tenants Group",
        [HOUSING],
        ["Stone Cross"],
        Service.Status.ACTIVE,
        5,
        3,
        75,
        [(2, 18, 20, "monthly")],
    ),
    (
        "Mill Bank Walking Netball",
        None,
        "Mill Bank Netball Friends",
        [ACTIVITY],
        ["Mill Bank"],
        Service.Status.ACTIVE,
        14,
        0,
        40,
        [(0, 19, 20, "weekly")],
    ),
    (
        "Abbey Fields Silver Surfers",
        None,
        "Abbey Fields Silver Surfers",
        [DIGITAL, LONELINESS],
        ["Abbey Fields"],
        Service.Status.PAUSED,
        8,
        0,
        300,
        [(1, 10, 12, "weekly")],
    ),
    (
        "Young Carers Club",
        "Marshbrook Carers Together",
        "",
        [CARERS],
        ["Mill Bank", "Stone Cross"],
        Service.Status.ACTIVE,
        12,
        2,
        65,
        [(2, 16, 18, "fortnightly")],
    ),
    (
        "Canal Side Budget Cookery",
        "Canal Side Community Garden",
        "",
        [FOOD, MONEY],
        ["Canal Side"],
        Service.Status.ACTIVE,
        8,
        0,
        195,
        [(3, 17, 19, "weekly")],
    ),
    (
        "Peer Support for Low Mood",
        None,
        "Marshbrook Peer Support",
        [WELLBEING],
        ["Fenwick", "Whitmore"],
        Service.Status.ACTIVE,
        8,
        5,
        100,
        [(1, 18, 20, "weekly")],
    ),
    (
        "Housing Options Surgery",
        "Whitmore Community Hub Ltd",
        "",
        [HOUSING],
        ["Whitmore", "Fenwick"],
        Service.Status.ACTIVE,
        6,
        4,
        28,
        [(4, 10, 12, "fortnightly")],
    ),
    (
        "Dementia-Friendly Swim",
        None,
        "Marshbrook Swim Friends",
        [ACTIVITY, CARERS],
        ["Kiln Lane", "Abbey Fields"],
        Service.Status.ACTIVE,
        10,
        0,
        130,
        [(6, 14, 15, "weekly")],
    ),
    (
        "Online Safety Sessions",
        "Digital Buddies CIC",
        "",
        [DIGITAL],
        ["Mill Bank", "Canal Side"],
        Service.Status.PROPOSED,
        12,
        0,
        None,
        [(0, 14, 16, "monthly")],
    ),
]

POSTCODE_DISTRICTS = {
    "Abbey Fields": "MB1",
    "Canal Side": "MB2",
    "Hollins Green": "MB3",
    "Kiln Lane": "MB3",
    "Fenwick": "MB4",
    "Mill Bank": "MB5",
    "Stone Cross": "MB6",
    "Whitmore": "MB7",
}


def _generated_needs(wards: list[str], showcase: set[tuple[str, str]]) -> list[NeedSpec]:
    """The rest of the register: spread over wards and themes with a fixed random seed.

    Cells that tell the story of the demo are left as the showcase sets them.
    """
    rng = random.Random(SEED)
    groups = ["under-18", "18-to-24", "25-to-49", "50-to-64", "65-and-over", "carers"]
    cells = [(ward, theme) for ward in wards for theme in NEED_TITLES]
    cells = [cell for cell in cells if cell not in showcase]
    specs: list[NeedSpec] = []
    used: set[tuple[str, str]] = set()
    while len(specs) < GENERATED_NEEDS:
        ward, theme = rng.choice(cells)
        title = rng.choice(NEED_TITLES[theme])
        if (title, ward) in used:
            continue
        used.add((title, ward))
        status = rng.choices(
            [Need.Status.OPEN, Need.Status.BEING_ADDRESSED, Need.Status.MET, Need.Status.CLOSED],
            weights=[12, 3, 2, 1],
        )[0]
        specs.append(
            NeedSpec(
                title=title,
                ward=ward,
                theme=theme,
                signals=rng.randint(1, 6),
                people=rng.choice([None, None, 5, 10, 15, 20, 30]),
                groups=tuple(rng.sample(groups, rng.choice([0, 0, 1, 2]))),
                status=status,
            )
        )
    return specs


def _seed_jsna(themes: dict[str, Theme]) -> dict[str, JsnaPriority]:
    priorities = {}
    for title, theme_slug, description in JSNA_PRIORITIES:
        priorities[title], _ = JsnaPriority.objects.get_or_create(
            title=title, defaults={"theme": themes[theme_slug], "description": description}
        )
    return priorities


def _seed_needs(
    *,
    wards: dict[str, Locality],
    themes: dict[str, Theme],
    priorities: dict[str, JsnaPriority],
    recorder: User | None,
) -> None:
    showcase = {(spec.ward, spec.theme) for spec in SHOWCASE_NEEDS}
    specs = SHOWCASE_NEEDS + _generated_needs(list(wards), showcase)
    population_groups = {group.slug: group for group in PopulationGroup.objects.all()}
    now = timezone.now()
    by_title: dict[tuple[str, str], Need] = {}
    signals = []
    for number, spec in enumerate(specs):
        created_at = now - timedelta(days=3 * number + 5)
        need, created = Need.objects.get_or_create(
            title=spec.title,
            locality=wards[spec.ward],
            defaults={
                "theme": themes[spec.theme],
                "source": spec.source,
                "description": f"Link workers in {spec.ward} keep hearing this.",
                "people_affected": spec.people,
                "status": spec.status,
                "signal_count": spec.signals,
                "jsna_priority": priorities.get(spec.jsna) if spec.jsna else None,
                "merged_into": by_title.get((spec.merged_into, spec.ward)),
                "closed_reason": "Merged into a matching need" if spec.merged_into else "",
                "recorded_by": recorder,
                "created_at": created_at,
            },
        )
        by_title[(spec.title, spec.ward)] = need
        if not created:
            continue
        need.population_groups.set([population_groups[slug] for slug in spec.groups])
        signals.extend(
            NeedSignal(
                need=need,
                note=SIGNAL_NOTES[(number + index) % len(SIGNAL_NOTES)],
                recorded_by=recorder,
                # Spread over the weeks since the need was first logged, never in the future.
                created_at=min(created_at + timedelta(days=index * 4), now - timedelta(hours=1)),
            )
            for index in range(spec.signals)
        )
    NeedSignal.objects.bulk_create(signals)


def _seed_services(*, wards: dict[str, Locality], themes: dict[str, Theme]) -> None:
    today = timezone.localdate()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    for (
        name,
        organisation_name,
        group_name,
        theme_slugs,
        ward_names,
        status,
        places,
        waiting,
        verified_days_ago,
        schedules,
    ) in SERVICES:
        first_ward = ward_names[0]
        service, created = Service.objects.get_or_create(
            name=name,
            defaults={
                "provider_organisation": organisations.get(organisation_name or ""),
                "provider_name": group_name,
                "description": f"A community activity in {', '.join(ward_names)}.",
                "venue": f"{first_ward} Community Centre",
                "postcode": POSTCODE_DISTRICTS[first_ward],
                "capacity_per_week": places,
                "waiting_list": waiting,
                "status": status,
                "status_reason": {
                    Service.Status.PAUSED: "Paused while the group looks for a new venue.",
                    Service.Status.CLOSED: "Closed when its funding ended.",
                }.get(status, ""),
                "last_verified_on": (
                    today - timedelta(days=verified_days_ago)
                    if verified_days_ago is not None
                    else None
                ),
                "join_link_worker_referral": True,
                "join_self_referral": True,
                "contact_email": "hello@example.org",
                "frequency": ", ".join(
                    f"{ServiceSchedule.Weekday(day).label} {opens}:00 to {closes}:00"
                    for day, opens, closes, _ in schedules
                ),
            },
        )
        if not created:
            continue
        service.themes.set([themes[slug] for slug in theme_slugs])
        service.localities.set([wards[ward] for ward in ward_names])
        ServiceSchedule.objects.bulk_create(
            ServiceSchedule(
                service=service,
                weekday=day,
                opens_at=time(opens),
                closes_at=time(closes),
                frequency=frequency,
            )
            for day, opens, closes, frequency in schedules
        )


@transaction.atomic
def demo_seed_rounds() -> None:
    """Add the demo needs register and service map; running it twice keeps one copy."""
    wards = {ward.name: ward for ward in Locality.objects.filter(kind=Locality.Kind.WARD)}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    recorder = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    priorities = _seed_jsna(themes)
    _seed_needs(wards=wards, themes=themes, priorities=priorities, recorder=recorder)
    _seed_services(wards=wards, themes=themes)
