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
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from microcomm.models import Locality, Membership, Organisation, Theme, User
from microcomm.permissions import must_use_second_factor

DEMO_PASSWORD = "microcomm-demo"
# The demo's admin and commissioner sign in with a second step. Their recovery codes are
# these (fictional, printed by seed_demo); each works once, and seed_demo restores them.
DEMO_RECOVERY_CODES = [f"marshbrook{number:02d}" for number in range(1, 11)]
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


def demo_user(*, email: str, full_name: str, is_staff: bool = False) -> User:
    """A demo person who can sign in with the demo password, as every demo person can.

    Someone seeded before every demo person had the password (an unusable one) gets it;
    a password a person chose since is kept.
    """
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "is_staff": is_staff,
            "is_superuser": is_staff,
            "email_confirmed_at": timezone.now(),
        },
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def _user(login: DemoLogin, *, is_staff: bool = False) -> User:
    return demo_user(email=login.email, full_name=login.full_name, is_staff=is_staff)


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
    for user in users.values():
        if must_use_second_factor(user):
            _seed_second_factor(user)


def _seed_second_factor(user: User) -> None:
    """An authenticator app (its key is random and shown nowhere) and the demo's recovery
    codes, put back in full each time the demo is loaded."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in DEMO_RECOVERY_CODES
    )


@transaction.atomic
def demo_seed() -> None:
    """Create the demo scheme, or bring it up to date; running it twice changes nothing."""
    _seed_places()
    _seed_themes()
    _seed_people_and_organisations()
    for seeder in _extra_seeders:
        seeder()
