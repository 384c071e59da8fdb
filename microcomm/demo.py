"""Fictional demo data for the core: places, themes, organisations and a login per role.

Every name here is invented. Later apps add their own demo data through `demo_register`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from microcomm.models import Locality, Membership, Organisation, Theme, User

DEMO_PASSWORD = "microcomm-demo"
# The scheme's places, themes, groups and logins; every name in it is invented.
DATA = json.loads(
    (Path(__file__).resolve().parent / "demo_data" / "scheme.json").read_text(encoding="utf-8")
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str


DEMO_LOGINS = [DemoLogin(row["email"], row["full_name"], row["role"]) for row in DATA["logins"]]

_extra_seeders: list[Callable[[], None]] = []


def demo_register(seeder: Callable[[], None]) -> None:
    """Let a later app add its demo data; seeders must be idempotent."""
    if seeder not in _extra_seeders:
        _extra_seeders.append(seeder)


def _user(login: DemoLogin, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=login.email,
        defaults={
            "full_name": login.full_name,
            "is_staff": is_staff,
            "is_superuser": is_staff,
            "email_confirmed_at": timezone.now(),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _seed_places() -> None:
    icb, _ = Locality.objects.get_or_create(
        kind=Locality.Kind.ICB, name="Marshbrook and Fenwick Integrated Care Board"
    )
    council, _ = Locality.objects.get_or_create(
        kind=Locality.Kind.LOCAL_AUTHORITY,
        name="Marshbrook Borough Council",
        defaults={"parent": icb},
    )
    ward_number = 1
    for row in DATA["pcns"]:
        pcn, _ = Locality.objects.get_or_create(
            kind=Locality.Kind.PCN,
            name=row["name"],
            defaults={"code": row["code"], "parent": council},
        )
        for ward in row["wards"]:
            Locality.objects.get_or_create(
                kind=Locality.Kind.WARD,
                name=ward,
                defaults={"code": f"E05{900000 + ward_number:06d}", "parent": pcn},
            )
            ward_number += 1


def _seed_themes() -> None:
    for order, row in enumerate(DATA["themes"]):
        Theme.objects.get_or_create(
            slug=slugify(row["name"]),
            defaults={"name": row["name"], "description": row["description"], "order": order},
        )


def _seed_people_and_organisations() -> None:
    organisations = {}
    for row in DATA["organisations"]:
        organisations[row["name"]], _ = Organisation.objects.get_or_create(
            name=row["name"], defaults={"legal_form": row["legal_form"]}
        )
    users = {}
    for row in DATA["logins"]:
        login = DemoLogin(row["email"], row["full_name"], row["role"])
        users[login.email] = _user(login, is_staff=row.get("is_staff", False))
        if row["groups"]:
            users[login.email].groups.add(*Group.objects.filter(name__in=row["groups"]))
    for row in DATA["memberships"]:
        Membership.objects.get_or_create(
            user=users[row["email"]],
            organisation=organisations[row["organisation"]],
            defaults={"role": row["role"]},
        )


@transaction.atomic
def demo_seed() -> None:
    """Create the demo scheme, or bring it up to date; running it twice changes nothing."""
    _seed_places()
    _seed_themes()
    _seed_people_and_organisations()
    for seeder in _extra_seeders:
        seeder()
