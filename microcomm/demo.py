"""Fictional demo data for the core: places, themes, organisations and a login per role.

Every name here is invented. Later apps add their own demo data through `demo_register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from microcomm.models import LegalForm, Locality, Membership, Organisation, Theme, User
from microcomm.permissions import COMMISSIONER_GROUP, LINK_WORKER_GROUP

DEMO_PASSWORD = "microcomm-demo"

THEMES = [
    ("Loneliness and isolation", "People with few social contacts or who feel lonely."),
    ("Mental wellbeing", "Low mood, anxiety and stress that community activity can help with."),
    ("Physical activity", "Gentle and inclusive ways to move more."),
    ("Money and debt", "Debt, benefits, budgeting and the cost of living."),
    ("Housing", "Insecure, cold or unsuitable housing."),
    ("Carers", "Unpaid carers of family members or friends."),
    ("Food", "Food poverty, cooking skills and shared meals."),
    ("Digital inclusion", "Getting online, devices, data and confidence."),
]

PCNS = [
    (
        "Marshbrook North PCN",
        "U00101",
        ["Abbey Fields", "Canal Side", "Hollins Green", "Kiln Lane"],
    ),
    ("Marshbrook South PCN", "U00102", ["Fenwick", "Mill Bank", "Stone Cross", "Whitmore"]),
]

ORGANISATIONS = [
    ("Abbey Fields Walking Group", LegalForm.UNINCORPORATED),
    ("Canal Side Men's Shed", LegalForm.UNINCORPORATED),
    ("Kiln Lane Knit and Natter", LegalForm.UNINCORPORATED),
    ("Stone Cross Allotment Friends", LegalForm.UNINCORPORATED),
    ("Whitmore Dads and Lads", LegalForm.UNINCORPORATED),
    ("Fenwick Fridge and Pantry", LegalForm.UNINCORPORATED),
    ("Mill Bank Tea Dance", LegalForm.UNINCORPORATED),
    ("Marshbrook Befriending Network", LegalForm.CHARITY),
    ("Hollins Green Community Association", LegalForm.CHARITY),
    ("Marshbrook Carers Together", LegalForm.CHARITY),
    ("Fenwick Debt Advice Centre", LegalForm.CHARITY),
    ("Marshbrook Mind Matters", LegalForm.CIO),
    ("Canal Side Community Garden", LegalForm.CIO),
    ("Marshbrook Refugee Welcome", LegalForm.CIO),
    ("Green Gym Marshbrook", LegalForm.CIO),
    ("Stitch and Story CIC", LegalForm.CIC),
    ("Digital Buddies CIC", LegalForm.CIC),
    ("Fenwick Community Kitchen CIC", LegalForm.CIC),
    ("Marshbrook Arts on Prescription Ltd", LegalForm.CLG),
    ("Mill Bank Youth Trust Ltd", LegalForm.CLG),
    ("Whitmore Community Hub Ltd", LegalForm.CLG),
    ("Marshbrook Community Energy", LegalForm.COMMUNITY_BENEFIT),
    ("Stone Cross Village Shop Society", LegalForm.COMMUNITY_BENEFIT),
    ("Fenwick Parish Council", LegalForm.PARISH_COUNCIL),
    ("Marshbrook Sanctuary Choir", LegalForm.OTHER),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str


DEMO_LOGINS = [
    DemoLogin("commissioner@example.org", "Morgan Ellis", "Commissioner"),
    DemoLogin("linkworker@example.org", "Sam Okafor", "Link worker"),
    DemoLogin("applicant@example.org", "Jo Turner", "Applicant (two groups)"),
    DemoLogin("both@example.org", "Rowan Hale", "Link worker and applicant"),
    DemoLogin("admin@example.org", "Alex Byrne", "Admin"),
]

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
    for pcn_name, pcn_code, wards in PCNS:
        pcn, _ = Locality.objects.get_or_create(
            kind=Locality.Kind.PCN, name=pcn_name, defaults={"code": pcn_code, "parent": council}
        )
        for ward in wards:
            Locality.objects.get_or_create(
                kind=Locality.Kind.WARD,
                name=ward,
                defaults={"code": f"E05{900000 + ward_number:06d}", "parent": pcn},
            )
            ward_number += 1


def _seed_themes() -> None:
    for order, (name, description) in enumerate(THEMES):
        Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description, "order": order}
        )


def _seed_people_and_organisations() -> None:
    organisations = {}
    for name, legal_form in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"legal_form": legal_form}
        )
    commissioners = Group.objects.get(name=COMMISSIONER_GROUP)
    link_workers = Group.objects.get(name=LINK_WORKER_GROUP)

    commissioner, link_worker, applicant, both, admin = DEMO_LOGINS
    _user(commissioner).groups.add(commissioners)
    _user(link_worker).groups.add(link_workers)
    _user(both).groups.add(link_workers)
    _user(admin, is_staff=True)

    memberships = [
        (applicant, "Abbey Fields Walking Group", Membership.Role.OWNER),
        (applicant, "Marshbrook Befriending Network", Membership.Role.EDITOR),
        (both, "Canal Side Men's Shed", Membership.Role.OWNER),
    ]
    for login, organisation_name, role in memberships:
        Membership.objects.get_or_create(
            user=_user(login),
            organisation=organisations[organisation_name],
            defaults={"role": role},
        )


@transaction.atomic
def demo_seed() -> None:
    """Create the demo scheme, or bring it up to date; running it twice changes nothing."""
    _seed_places()
    _seed_themes()
    _seed_people_and_organisations()
    for seeder in _extra_seeders:
        seeder()
