"""Fictional demo data for the needs register and the service map of the Marshbrook scheme.

About 80 needs with their signals and 40 services, chosen so the gap analysis shows clear
gaps: no debt advice in Fenwick (its advice centre closed), loneliness in Abbey Fields far
over capacity, nothing for carers in Whitmore. Deterministic (a fixed random seed) and
idempotent: needs are keyed on title and ward, services on name. Every name is invented;
need text holds no personal details. The needs and services services do every write, so
the audit trail, the signal counts and the merge are as a person would leave them.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from microcomm.models import Locality, Organisation, Theme, User
from rounds.models import JsnaPriority, Need, PopulationGroup, Service, ServiceSchedule
from rounds.services.directory import service_close, service_create, service_pause, service_propose
from rounds.services.needs import (
    need_close,
    need_create,
    need_merge,
    need_signal_add,
    need_status_change,
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
MERGE_REASON = "The same need, logged twice"
CLOSE_REASON = "Link workers no longer hear of it"
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
    # The title of a need in the same ward this one is merged into.
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
    recorder: User,
) -> None:
    showcase = {(spec.ward, spec.theme) for spec in SHOWCASE_NEEDS}
    specs = SHOWCASE_NEEDS + _generated_needs(list(wards), showcase)
    population_groups = {group.slug: group for group in PopulationGroup.objects.all()}
    now = timezone.now()
    by_title: dict[tuple[str, str], Need] = {}
    for number, spec in enumerate(specs):
        need = Need.objects.filter(title=spec.title, locality=wards[spec.ward]).first()
        if need is None:
            need = _seed_need(
                spec,
                number=number,
                now=now,
                theme=themes[spec.theme],
                locality=wards[spec.ward],
                population_groups=[population_groups[slug] for slug in spec.groups],
                priority=priorities.get(spec.jsna) if spec.jsna else None,
                merge_into=by_title.get((spec.merged_into or "", spec.ward)),
                recorder=recorder,
            )
        by_title[(spec.title, spec.ward)] = need


def _seed_need(
    spec: NeedSpec,
    *,
    number: int,
    now: datetime,
    theme: Theme,
    locality: Locality,
    population_groups: list[PopulationGroup],
    priority: JsnaPriority | None,
    merge_into: Need | None,
    recorder: User,
) -> Need:
    """One need as link workers would have recorded it over the weeks since it was first heard."""
    first_heard = now - timedelta(days=3 * number + 5)
    need = need_create(
        theme=theme,
        locality=locality,
        source=spec.source,
        title=spec.title,
        description=f"Link workers in {spec.ward} keep hearing this.",
        people_affected=spec.people,
        population_groups=population_groups,
        jsna_priority=priority,
        actor=recorder,
        moment=first_heard,
    )
    # A caseload need starts with its first signal.
    for index in range(need.signal_count, spec.signals):
        need_signal_add(
            need=need,
            note=SIGNAL_NOTES[(number + index) % len(SIGNAL_NOTES)],
            actor=recorder,
            # Spread over the weeks since the need was first heard, never in the future.
            moment=min(first_heard + timedelta(days=index * 4), now - timedelta(hours=1)),
        )
    if merge_into is not None:
        need_merge(source=need, target=merge_into, reason=MERGE_REASON, actor=recorder)
    elif spec.status == Need.Status.CLOSED:
        need_close(need=need, reason=CLOSE_REASON, actor=recorder)
    elif spec.status != Need.Status.OPEN:
        need_status_change(need=need, status=spec.status, actor=recorder)
    return need


def _schedules(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "weekday": item["weekday"],
            "opens_at": time(item["opens"]),
            "closes_at": time(item["closes"]),
            "frequency": item["frequency"],
        }
        for item in row["schedules"]
    ]


def _seed_services(*, wards: dict[str, Locality], themes: dict[str, Theme], recorder: User) -> None:
    today = timezone.localdate()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    for row in SERVICES["services"]:
        if Service.objects.filter(name=row["name"]).exists():
            continue
        ward_names, status = row["wards"], row["status"]
        data = {
            "name": row["name"],
            "provider_organisation": organisations.get(row["organisation"] or ""),
            "provider_name": row["group"],
            "description": f"A community activity in {', '.join(ward_names)}.",
            "venue": f"{ward_names[0]} Community Centre",
            "postcode": POSTCODE_DISTRICTS[ward_names[0]],
            "capacity_per_week": row["places"],
            "waiting_list": row["waiting"],
            "join_link_worker_referral": True,
            "join_self_referral": True,
            "contact_email": "hello@example.org",
            "frequency": ", ".join(
                f"{ServiceSchedule.Weekday(item['weekday']).label} "
                f"{item['opens']}:00 to {item['closes']}:00"
                for item in row["schedules"]
            ),
            "themes": [themes[slug] for slug in row["themes"]],
            "localities": [wards[ward] for ward in ward_names],
            "schedules": _schedules(row),
        }
        if status == Service.Status.PROPOSED:
            service_propose(
                organisation=data["provider_organisation"],
                data=data,
                actor=User.objects.get(email=row["proposed_by"]),
            )
            continue
        days_ago = row["verified_days_ago"]
        service = service_create(
            data=data,
            actor=recorder,
            verified_on=today - timedelta(days=days_ago) if days_ago is not None else None,
        )
        if status == Service.Status.PAUSED:
            service_pause(service=service, reason=STATUS_REASONS[status], actor=recorder)
        elif status == Service.Status.CLOSED:
            service_close(service=service, reason=STATUS_REASONS[status], actor=recorder)


@transaction.atomic
def demo_seed_rounds() -> None:
    """Add the demo needs register and service map; running it twice keeps one copy."""
    wards = {ward.name: ward for ward in Locality.objects.filter(kind=Locality.Kind.WARD)}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    recorder = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    if recorder is None:
        return  # the core demo has not been seeded
    priorities = _seed_jsna(themes)
    _seed_needs(wards=wards, themes=themes, priorities=priorities, recorder=recorder)
    _seed_services(wards=wards, themes=themes, recorder=recorder)
