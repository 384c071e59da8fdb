"""Build a scheme that has run for years, on the bench's own database, to time pages at scale.

At --scale 1: 50,000 needs (125,000 signals), 5,000 services, 203 rounds, 2,000
organisations, 10,000 applications (80,000 answers), and people in every role. Every name
is invented and the random numbers are seeded, so two runs build the same data (dates are
relative to today, so that open rounds are open). It migrates the database first, loads
the demo scheme (its places, themes and logins, which bench/pages.py signs in as) and adds
the rest with bulk_create, and COPY for the largest tables.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcomm_bench \\
      .venv/bin/python bench/seed_scale.py [--scale 1] [--fresh]

A database that already holds bench data is left as it is unless --fresh, which empties
it first (drops and recreates its public schema: only ever the bench's database).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from applications.models import (  # noqa: E402
    Answer,
    Application,
    ApplicationSection,
    OrganisationProfile,
)
from applications.services.places import application_places_refresh  # noqa: E402
from microcomm.demo import demo_seed  # noqa: E402
from microcomm.models import LegalForm, Locality, Membership, Organisation, Theme, User  # noqa: E402
from microcomm.permissions import COMMISSIONER_GROUP, LINK_WORKER_GROUP  # noqa: E402
from rounds.models import (  # noqa: E402
    Faq,
    FormSection,
    Fund,
    GuidanceResource,
    Need,
    NeedSignal,
    PopulationGroup,
    Question,
    Round,
    Service,
    ServiceLocation,
    ServiceSchedule,
    SupportRequest,
)

FULL = {
    "needs": 50_000,
    "services": 5_000,
    "rounds": 203,
    "organisations": 2_000,
    "applications": 10_000,
    "link_workers": 60,
    "commissioners": 6,
    "support_requests": 2_000,
}
# Every bench round's form: two sections of four questions, so 8 answers an application.
FORM = [
    (
        "About your project",
        [
            (Question.Kind.SHORT_TEXT, "What is your project called?", []),
            (Question.Kind.LONG_TEXT, "What will you do?", []),
            (Question.Kind.LOCALITIES, "Where will it happen?", []),
            (Question.Kind.ONE_CHOICE, "How often will it run?", ["Weekly", "Monthly", "Once"]),
        ],
    ),
    (
        "Money and people",
        [
            (Question.Kind.MONEY, "How much are you asking for?", []),
            (Question.Kind.WHOLE_NUMBER, "How many people will take part?", []),
            (Question.Kind.YES_NO, "Have you run this before?", []),
            (Question.Kind.SHORT_TEXT, "Who will lead it?", []),
        ],
    ),
]
NEED_WORDS = [
    "No walking group for older men",
    "Carers cannot find respite on weekends",
    "Nowhere to learn English in the evening",
    "Young parents isolated after moving here",
    "No benefits advice without an appointment",
    "Allotment waiting list too long",
    "No dementia-friendly singing group",
    "Men's shed closed last winter",
    "No cooking on a budget course",
    "Bereavement support only in town",
]
SERVICE_WORDS = ["Walk and Talk", "Coffee Morning", "Community Garden", "Craft Club",
                 "Chair Yoga", "Conversation Café", "Money Help Desk", "Repair Café",
                 "Singing Group", "Tea Dance"]  # fmt: skip
GROUP_WORDS = ["Friends of", "Neighbours of", "Volunteers of", "Gardeners of", "Makers of"]
PLACE_WORDS = ["Marsh Lane", "Fen Green", "Brook Row", "Mill Hill", "Church Walk",
               "Station Road", "Willow Park", "Kiln Yard"]  # fmt: skip
LOREM = (
    "We will meet every week in the community hall, welcome newcomers at the door, offer "
    "tea and a chat, and ask the people who come what they would like to do next. "
)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def copy_create(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """Insert rows with PostgreSQL's COPY: like bulk_create, without returning their ids."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(
                [
                    f.get_db_prep_save(f.pre_save(obj, add=True), connection=connection)
                    for f in fields
                ]
            )
            count += 1
    return count


def bulk(model: type[models.Model], objs: Iterable[models.Model]) -> list:
    return model.objects.bulk_create(list(objs), batch_size=2_000)


class Scheme:
    """The seeded random choices and the clock every table is built from."""

    def __init__(self, scale: float) -> None:
        self.rng = random.Random(20240611)
        self.now = timezone.now().replace(microsecond=0)
        self.size = {key: max(1, round(value * scale)) for key, value in FULL.items()}
        self.size["rounds"] = max(6, self.size["rounds"])
        self.size["link_workers"] = max(2, self.size["link_workers"])
        self.size["organisations"] = max(10, self.size["organisations"])

    def ago(self, days: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days)

    def pick(self, items: Sequence):  # type: ignore[no-untyped-def]
        return items[self.rng.randrange(len(items))]


def seed_people(s: Scheme) -> dict[str, list[User]]:
    commissioners = Group.objects.get(name=COMMISSIONER_GROUP)
    link_workers = Group.objects.get(name=LINK_WORKER_GROUP)
    confirmed = s.ago(900)

    def people(kind: str, count: int) -> list[User]:
        return bulk(
            User,
            (
                User(
                    email=f"bench-{kind}-{n}@example.org",
                    full_name=f"Bench {kind.replace('-', ' ').title()} {n}",
                    password="!bench",  # an unusable password: nobody signs in as them
                    email_confirmed_at=confirmed,
                    date_joined=confirmed,
                )
                for n in range(count)
            ),
        )

    made = {
        "commissioners": people("commissioner", s.size["commissioners"]),
        "link_workers": people("link-worker", s.size["link_workers"]),
        "applicants": people("applicant", s.size["organisations"]),
    }
    through = User.groups.through
    bulk(through, (through(user=u, group=commissioners) for u in made["commissioners"]))
    bulk(through, (through(user=u, group=link_workers) for u in made["link_workers"]))
    # The demo link worker logs needs like any other, so their home page has a caseload.
    made["link_workers"].append(User.objects.get(email="linkworker@example.org"))
    made["commissioners"].append(User.objects.get(email="commissioner@example.org"))
    return made


def seed_needs(s: Scheme, wards: list[Locality], themes: list[Theme], people: dict) -> int:
    groups = list(PopulationGroup.objects.all())
    statuses = [Need.Status.OPEN] * 5 + [
        Need.Status.BEING_ADDRESSED,
        Need.Status.MET,
        Need.Status.CLOSED,
    ]
    sources = [choice for choice, _ in Need.Source.choices]
    link_workers = people["link_workers"]
    needs = []
    for n in range(s.size["needs"]):
        created = s.ago(s.rng.uniform(1, 1_100))
        needs.append(
            Need(
                title=f"{s.pick(NEED_WORDS)} ({n})",
                description=LOREM[: s.rng.randrange(40, len(LOREM))],
                locality=s.pick(wards),
                theme=s.pick(themes),
                source=s.pick(sources),
                status=s.pick(statuses),
                people_affected=s.rng.choice([None, s.rng.randrange(1, 60)]),
                signal_count=s.rng.randint(1, 4),
                recorded_by=s.pick(link_workers),
                created_at=created,
            )
        )
    made = bulk(Need, needs)
    # bulk_create stamps every row with now: spread the last changes over the years too.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Need._meta.db_table} SET updated_at = "
            "LEAST(now(), created_at + (id % 30) * interval '1 day')"
        )
    if groups:
        through = Need.population_groups.through
        copy_create(
            through,
            (
                through(need_id=need.pk, populationgroup_id=group.pk)
                for need in made
                if s.rng.random() < 0.4
                for group in s.rng.sample(groups, k=min(len(groups), s.rng.randint(1, 2)))
            ),
        )
    return copy_create(
        NeedSignal,
        (
            NeedSignal(
                need_id=need.pk,
                note=f"Came up again at a visit ({k + 1})",
                recorded_by=s.pick(link_workers),
                created_at=need.created_at + datetime.timedelta(days=k * s.rng.uniform(1, 40)),
            )
            for need in made
            for k in range(need.signal_count)
        ),
    )


def seed_organisations(s: Scheme, people: dict) -> list[Organisation]:
    forms = [choice for choice, _ in LegalForm.choices]
    organisations = bulk(
        Organisation,
        (
            Organisation(
                name=f"{s.pick(GROUP_WORDS)} {s.pick(PLACE_WORDS)} {n}",
                legal_form=s.pick(forms),
                description="A fictional community group made for the bench.",
            )
            for n in range(s.size["organisations"])
        ),
    )
    bulk(
        Membership,
        (
            Membership(user=user, organisation=organisation, role=Membership.Role.OWNER)
            for user, organisation in zip(people["applicants"], organisations, strict=True)
        ),
    )
    # The demo applicant belongs to a few bench groups too, so their lists have rows.
    applicant = User.objects.get(email="applicant@example.org")
    bulk(
        Membership,
        (Membership(user=applicant, organisation=o, role="editor") for o in organisations[:5]),
    )
    copy_create(
        OrganisationProfile,
        (
            OrganisationProfile(
                organisation_id=organisation.pk,
                town="Marshbrook",
                postcode=f"MB{n % 9 + 1} {n % 9}AA",
                annual_income=Decimal(s.rng.randrange(500, 90_000)),
                year_started=s.rng.randrange(1980, 2024),
                main_contact_name=f"Contact {n}",
                main_contact_email=f"group-{n}@example.org",
                has_bank_account=True,
            )
            for n, organisation in enumerate(organisations)
        ),
    )
    return organisations


def seed_services(s: Scheme, wards: list, themes: list, organisations: list) -> int:
    statuses = [Service.Status.ACTIVE] * 6 + [
        Service.Status.PAUSED,
        Service.Status.CLOSED,
        Service.Status.PROPOSED,
    ]
    services = bulk(
        Service,
        (
            Service(
                name=f"{s.pick(SERVICE_WORDS)} at {s.pick(PLACE_WORDS)} {n}",
                provider_organisation=s.pick(organisations) if n % 3 == 0 else None,
                provider_name="" if n % 3 == 0 else f"{s.pick(PLACE_WORDS)} volunteers",
                description=LOREM,
                venue=f"{s.pick(PLACE_WORDS)} community hall",
                postcode=f"MB{n % 9 + 1} {n % 9}BB",
                frequency="Every week",
                capacity_per_week=s.rng.randrange(5, 40),
                waiting_list=s.rng.randrange(0, 8),
                status=s.pick(statuses),
                last_verified_on=(s.ago(s.rng.uniform(1, 500))).date() if n % 4 else None,
                join_self_referral=bool(n % 2),
                join_link_worker_referral=True,
                oruk_id=str(uuid.UUID(int=s.rng.getrandbits(128), version=4)),
                created_at=s.ago(s.rng.uniform(30, 1_100)),
            )
            for n in range(s.size["services"])
        ),
    )
    theme_through = Service.themes.through
    copy_create(
        theme_through,
        (
            theme_through(service_id=service.pk, theme_id=theme.pk)
            for service in services
            for theme in s.rng.sample(themes, k=s.rng.randint(1, 2))
        ),
    )
    place_through = Service.localities.through
    copy_create(
        place_through,
        (
            place_through(service_id=service.pk, locality_id=ward.pk)
            for service in services
            for ward in s.rng.sample(wards, k=min(len(wards), s.rng.randint(1, 3)))
        ),
    )
    copy_create(
        ServiceLocation,
        (
            ServiceLocation(
                service_id=service.pk,
                name=service.venue,
                address=f"{n % 90 + 1} {s.pick(PLACE_WORDS)}, Marshbrook",
                postcode=service.postcode,
            )
            for n, service in enumerate(services)
        ),
    )
    copy_create(
        ServiceSchedule,
        (
            ServiceSchedule(
                service_id=service.pk,
                weekday=s.rng.randrange(7),
                opens_at=datetime.time(10),
                closes_at=datetime.time(12),
            )
            for service in services
        ),
    )
    return len(services)


def _round_status(n: int, count: int) -> tuple[str, float]:
    """A status and how many days ago it opened: the oldest rounds are finished."""
    if n == 0:
        return Round.Status.OPEN, 20  # the bench's round: applications to assess
    if n % 25 == 1:
        return Round.Status.DRAFT, -30
    if n % 25 == 2:
        return Round.Status.SCHEDULED, -10
    if n % 10 == 3:
        return Round.Status.OPEN, 10
    age = 40 + (count - n) * 5
    finished = [
        Round.Status.CLOSED,
        Round.Status.ASSESSMENT,
        Round.Status.DECIDED,
        Round.Status.MONITORING,
        Round.Status.COMPLETED,
    ]
    return finished[min(len(finished) - 1, age // 120)], age


def seed_rounds(s: Scheme, wards: list, themes: list, people: dict) -> list[Round]:
    commissioner = people["commissioners"][-1]
    funds = bulk(
        Fund,
        (
            Fund(
                name=f"Bench fund {n}",
                starts_on=s.ago(1_200 - n * 90).date(),
                ends_on=s.ago(1_200 - n * 90 - 730).date(),
                created_by=commissioner,
            )
            for n in range(max(2, s.size["rounds"] // 10))
        ),
    )
    count = s.size["rounds"]
    rounds = []
    for n in range(count):
        status, opened_days_ago = _round_status(n, count)
        opens = s.ago(opened_days_ago)
        closes = opens + datetime.timedelta(days=42)
        rounds.append(
            Round(
                fund=funds[n % len(funds)],
                title=f"{s.pick(SERVICE_WORDS)} grants round {n}",
                slug=f"bench-round-{n}",
                summary="Small grants for community activities that reduce loneliness.",
                amount_available=Decimal(20_000),
                minimum_grant=Decimal(100),
                maximum_grant=Decimal(1_000),
                status=status,
                must_address_priority=False,
                opens_at=opens,
                closes_at=closes,
                scoring_due_on=(closes + datetime.timedelta(days=14)).date(),
                decisions_by=(closes + datetime.timedelta(days=28)).date(),
                grants_start_on=(closes + datetime.timedelta(days=42)).date(),
                first_monitoring_due_on=(closes + datetime.timedelta(days=130)).date(),
                evaluation_due_on=(closes + datetime.timedelta(days=400)).date(),
                contact_email="grants@example.org",
                form_published_at=None if status == Round.Status.DRAFT else opens,
                created_by=commissioner,
                created_at=opens - datetime.timedelta(days=30),
            )
        )
    rounds = bulk(Round, rounds)
    need_ids = list(Need.objects.values_list("pk", flat=True)[:2_000])
    for through, column, choices in (
        (Round.priority_themes.through, "theme_id", [t.pk for t in themes]),
        (Round.priority_localities.through, "locality_id", [w.pk for w in wards]),
        (Round.priority_needs.through, "need_id", need_ids),
    ):
        bulk(
            through,
            (
                through(round_id=r.pk, **{column: pk})
                for r in rounds
                for pk in s.rng.sample(choices, k=min(len(choices), 2))
            ),
        )
    sections = bulk(
        FormSection,
        (
            FormSection(round=r, title=title, order=order)
            for r in rounds
            for order, (title, _questions) in enumerate(FORM)
        ),
    )
    bulk(
        Question,
        (
            Question(section=section, kind=kind, label=label, choices=choices, order=order)
            for section in sections
            for order, (kind, label, choices) in enumerate(FORM[section.order][1])
        ),
    )
    bulk(
        Faq,
        (
            Faq(round=r, question=f"Can we apply twice to round {n}?", answer="No.", order=k)
            for n, r in enumerate(rounds)
            for k in range(3)
        ),
    )
    bulk(
        GuidanceResource,
        (
            GuidanceResource(
                round=r, title="How to write a budget", url="https://example.org/budget"
            )
            for r in rounds
        ),
    )
    return rounds


def _answer_value(s: Scheme, question: Question, n: int, wards: list) -> object:
    kind = question.kind
    if kind == Question.Kind.LONG_TEXT:
        return LOREM * s.rng.randint(1, 3)
    if kind == Question.Kind.LOCALITIES:
        return sorted(w.pk for w in s.rng.sample(wards, k=min(len(wards), s.rng.randint(1, 3))))
    if kind == Question.Kind.ONE_CHOICE:
        return s.pick(question.choices)
    if kind == Question.Kind.MONEY:
        return f"{s.rng.randrange(100, 1_000)}.00"
    if kind == Question.Kind.WHOLE_NUMBER:
        return s.rng.randrange(5, 200)
    if kind == Question.Kind.YES_NO:
        return s.pick(["yes", "no"])
    return f"{s.pick(SERVICE_WORDS)} project {n}"


def seed_applications(
    s: Scheme, rounds: list[Round], organisations: list, people: dict, wards: list
) -> int:
    """Every group applies to the bench's open round; the rest spread over the others."""
    takes = [r for r in rounds[1:] if r.status not in {Round.Status.DRAFT, "scheduled"}]
    pairs = [(rounds[0], organisation) for organisation in organisations]
    per_round: dict[int, int] = {}
    while len(pairs) < s.size["applications"]:
        k = len(pairs)
        r = takes[k % len(takes)]  # one of each in turn
        m = per_round.get(r.pk, 0)
        if m >= len(organisations):
            break
        per_round[r.pk] = m + 1
        j = k % len(takes)
        pairs.append((r, organisations[(m + 7 * j) % len(organisations)]))
    owner = {m.organisation_id: m.user for m in Membership.objects.filter(role="owner")}
    link_workers = people["link_workers"]
    applications = []
    for n, (r, organisation) in enumerate(pairs[: s.size["applications"]]):
        roll = s.rng.random()
        open_round = r.status == Round.Status.OPEN
        status = (
            Application.Status.DRAFT
            if open_round and roll < 0.3
            else Application.Status.WITHDRAWN
            if roll > 0.97
            else Application.Status.SUBMITTED
        )
        submitted = r.opens_at + datetime.timedelta(days=s.rng.uniform(1, 40))
        applications.append(
            Application(
                round=r,
                organisation=organisation,
                reference=f"BN-{n:06d}" if status != Application.Status.DRAFT else None,
                status=status,
                title=f"{s.pick(SERVICE_WORDS)} for {s.pick(PLACE_WORDS)}",
                amount_requested=Decimal(s.rng.randrange(100, 1_000)),
                submitted_at=submitted if status != Application.Status.DRAFT else None,
                submitted_by=owner.get(organisation.pk)
                if status != Application.Status.DRAFT
                else None,
                created_by=owner.get(organisation.pk),
                assisted_by=s.pick(link_workers) if n % 9 == 0 else None,
                created_at=r.opens_at,
                last_saved_at=submitted,
            )
        )
    made = bulk(Application, applications)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Application._meta.db_table} SET updated_at = COALESCE(submitted_at, "
            "created_at)"
        )
    sections: dict[int, list[FormSection]] = {}
    for section in FormSection.objects.filter(round__in=rounds).prefetch_related("questions"):
        sections.setdefault(section.round_id, []).append(section)
    copy_create(
        ApplicationSection,
        (
            ApplicationSection(
                application_id=a.pk,
                section_id=section.pk,
                completed=a.status != Application.Status.DRAFT,
            )
            for a in made
            for section in sections[a.round_id]
        ),
    )
    return copy_create(
        Answer,
        (
            Answer(
                application_id=a.pk,
                question_id=question.pk,
                value=_answer_value(s, question, n, wards),
                updated_by=a.created_by,
                entered_by_assistant=a.assisted_by_id is not None,
            )
            for n, a in enumerate(made)
            for section in sections[a.round_id]
            for question in section.questions.all()
        ),
    )


def seed_support_requests(s: Scheme, rounds: list[Round], people: dict) -> None:
    statuses = [SupportRequest.Status.CLOSED] * 8 + [
        SupportRequest.Status.NEW,
        SupportRequest.Status.ASSIGNED,
    ]
    helps = [choice for choice, _ in SupportRequest.Help.choices]
    requests = []
    for n in range(s.size["support_requests"]):
        status = s.pick(statuses)
        created = s.ago(s.rng.uniform(1, 1_000))
        requests.append(
            SupportRequest(
                round=s.pick(rounds),
                name=f"Bench Person {n}",
                group_name=f"{s.pick(GROUP_WORDS)} {s.pick(PLACE_WORDS)}",
                email=f"help-{n}@example.org",
                contact_preference=SupportRequest.Contact.EMAIL,
                help_needed=[s.pick(helps)],
                status=status,
                assigned_to=s.pick(people["link_workers"]) if status != "new" else None,
                created_at=created,
                closed_at=created + datetime.timedelta(days=5) if status == "closed" else None,
            )
        )
    bulk(SupportRequest, requests)


def _schema_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 is the full size; 0.1 a tenth")
    parser.add_argument("--fresh", action="store_true", help="empty the bench database first")
    args = parser.parse_args()

    database = connection.settings_dict
    say(f"Bench database: {database['NAME']} on {database['HOST'] or 'localhost'}")
    started = time.perf_counter()
    if args.fresh:
        _schema_drop()
    call_command("migrate", verbosity=0)
    if Fund.objects.filter(name="Bench fund 0").exists():
        say("The bench data is already here; run with --fresh to build it again.")
        return
    demo_seed()
    s = Scheme(args.scale)
    say(f"Scale {args.scale:g}: " + ", ".join(f"{v:,} {k}" for k, v in s.size.items()))
    wards = list(Locality.objects.filter(kind=Locality.Kind.WARD).order_by("pk"))
    themes = list(Theme.objects.filter(is_active=True).order_by("pk"))

    def step(label: str, started_step: float) -> None:
        say(f"  {label} ({time.perf_counter() - started_step:.1f} s)")

    with transaction.atomic():
        t = time.perf_counter()
        people = seed_people(s)
        step(f"{User.objects.count():,} people", t)
        t = time.perf_counter()
        signals = seed_needs(s, wards, themes, people)
        step(f"{s.size['needs']:,} needs, {signals:,} signals", t)
        t = time.perf_counter()
        organisations = seed_organisations(s, people)
        step(f"{len(organisations):,} organisations", t)
        t = time.perf_counter()
        services = seed_services(s, wards, themes, organisations)
        step(f"{services:,} services", t)
        t = time.perf_counter()
        rounds = seed_rounds(s, wards, themes, people)
        step(f"{len(rounds):,} rounds", t)
        t = time.perf_counter()
        answers = seed_applications(s, rounds, organisations, people, wards)
        # The places the answers name, as the services that write answers keep them.
        application_places_refresh(application_ids=Application.objects.values_list("pk", flat=True))
        step(f"{Application.objects.count():,} applications, {answers:,} answers", t)
        t = time.perf_counter()
        seed_support_requests(s, rounds, people)
        step(f"{s.size['support_requests']:,} requests for help", t)
    t = time.perf_counter()
    # As autovacuum would soon after a bulk load: statistics for the planner, and the
    # visibility map that lets a count read an index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("VACUUM ANALYZE", t)
    say(f"Built in {time.perf_counter() - started:.0f} s")
    say(json.dumps({"scale": args.scale, **s.size}))


if __name__ == "__main__":
    main()
