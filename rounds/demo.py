"""Fictional demo data for the needs register and the service map of the Marshbrook scheme.

About 80 needs with their signals and 40 services, chosen so the gap analysis shows clear
gaps: no debt advice in Fenwick (its advice centre closed), loneliness in Abbey Fields far
over capacity, nothing for carers in Whitmore. Deterministic (a fixed random seed) and
idempotent: needs are keyed on title and ward, services on name. Every name is invented;
need text holds no personal details.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

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
DATA_DIR = Path(__file__).resolve().parent / "demo_data"
# What link workers hear for each theme (keyed on theme slug), the JSNA priorities and the
# needs that make the story of the demo: the clear gaps and a merge.
NEEDS = json.loads((DATA_DIR / "needs.json").read_text(encoding="utf-8"))
# The service map: who runs what, where, how full it is and when it was last checked.
SERVICES = json.loads((DATA_DIR / "services.json").read_text(encoding="utf-8"))
NEED_TITLES: dict[str, list[str]] = NEEDS["need_titles"]
SIGNAL_NOTES: list[str] = NEEDS["signal_notes"]
POSTCODE_DISTRICTS: dict[str, str] = SERVICES["postcode_districts"]
STATUS_REASONS = {
    Service.Status.PAUSED: "Paused while the group looks for a new venue.",
    Service.Status.CLOSED: "Closed when its funding ended.",
}


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


SHOWCASE_NEEDS = [
    NeedSpec(**{**row, "groups": tuple(row.get("groups", ()))}) for row in NEEDS["showcase_needs"]
]

GENERATED_NEEDS = 73


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
    for row in NEEDS["jsna_priorities"]:
        priorities[row["title"]], _ = JsnaPriority.objects.get_or_create(
            title=row["title"],
            defaults={"theme": themes[row["theme"]], "description": row["description"]},
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
    for row in SERVICES["services"]:
        name, ward_names, status = row["name"], row["wards"], row["status"]
        verified_days_ago = row["verified_days_ago"]
        schedules = row["schedules"]
        first_ward = ward_names[0]
        service, created = Service.objects.get_or_create(
            name=name,
            defaults={
                "provider_organisation": organisations.get(row["organisation"] or ""),
                "provider_name": row["group"],
                "description": f"A community activity in {', '.join(ward_names)}.",
                "venue": f"{first_ward} Community Centre",
                "postcode": POSTCODE_DISTRICTS[first_ward],
                "capacity_per_week": row["places"],
                "waiting_list": row["waiting"],
                "status": status,
                "status_reason": STATUS_REASONS.get(status, ""),
                "last_verified_on": (
                    today - timedelta(days=verified_days_ago)
                    if verified_days_ago is not None
                    else None
                ),
                "join_link_worker_referral": True,
                "join_self_referral": True,
                "contact_email": "hello@example.org",
                "frequency": ", ".join(
                    f"{ServiceSchedule.Weekday(item['weekday']).label} "
                    f"{item['opens']}:00 to {item['closes']}:00"
                    for item in schedules
                ),
            },
        )
        if not created:
            continue
        service.themes.set([themes[slug] for slug in row["themes"]])
        service.localities.set([wards[ward] for ward in ward_names])
        ServiceSchedule.objects.bulk_create(
            ServiceSchedule(
                service=service,
                weekday=item["weekday"],
                opens_at=time(item["opens"]),
                closes_at=time(item["closes"]),
                frequency=item["frequency"],
            )
            for item in schedules
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
