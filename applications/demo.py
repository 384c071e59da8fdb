"""Fictional demo applications to the Marshbrook rounds, in every state an application can be in.

About thirty applications: the open loneliness round holds drafts at every stage (not
started, in progress, a section completed, over a word limit, ready to submit, filled in by
a link worker and handed over), submitted ones, a withdrawn draft and one a commissioner
reopened; the closed carers' round holds submitted applications with due diligence partly
verified, one whose eligibility a commissioner overrode, a withdrawn one and a draft that
missed the deadline. The scheduled round is not open, so it has none.

Every group also gets a profile (invented contacts with example.org addresses, invented
addresses in the fictional MB postcode area, phone numbers from Ofcom's drama range) so
that eligibility can be checked. No text names a real person or holds a personal identifier.

Everything goes through the services, so audit events, references and due diligence rows
are real. A submission in the closed round is recorded at a moment while it was open; no
PDF copy is made and no email is sent at seed time (the hand-over's owners get only the
in-app notification).

Idempotent: an application is keyed on its organisation and round and skipped when one
exists; a profile is filled only while it has no postcode.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications.models import Application, BudgetLine, OrganisationProfile
from applications.services.applying import (
    BudgetRow,
    answers_save,
    application_hand_over,
    application_reopen,
    application_start,
    application_submit,
    application_withdraw,
    budget_save,
    eligibility_run,
    section_mark,
)
from applications.services.assessing import due_diligence_verify, eligibility_override
from applications.services.organisations import organisation_profile_update
from microcomm.demo import demo_user
from microcomm.models import Membership, Organisation, User
from rounds.demo import POSTCODE_DISTRICTS
from rounds.form_presets import preset_for_tier
from rounds.models import Question, Round
from rounds.selectors.form_builder import round_priorities

COMMISSIONER_EMAIL = "commissioner@example.org"
LINK_WORKER_EMAIL = "linkworker@example.org"
OPEN_ROUND = "loneliness-micro-grants"
CLOSED_ROUND = "carers-breaks-micro-grants"

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
# The groups' invented profiles, and the applications with their answers and budgets.
GROUP_DATA = json.loads((DATA_DIR / "groups.json").read_text(encoding="utf-8"))
APPLICATION_DATA = json.loads((DATA_DIR / "applications.json").read_text(encoding="utf-8"))
STREETS: list[str] = GROUP_DATA["streets"]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXY"


@dataclass(frozen=True)
class DemoGroup:
    name: str
    ward: str
    income: int
    year_started: int
    main_contact: tuple[str, str]
    second_contact: tuple[str, str]
    about: str
    host: str = ""


GROUPS = [
    DemoGroup(
        **{
            **row,
            "main_contact": (row["main_contact"]["name"], row["main_contact"]["email"]),
            "second_contact": (row["second_contact"]["name"], row["second_contact"]["email"]),
        }
    )
    for row in GROUP_DATA["groups"]
]

# Stages an application is taken to.
NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
SECTION_DONE = "one section completed"
OVER_LIMIT = "over a word limit"
READY = "ready to submit"
ASSISTED = "filled in by a link worker"
HANDED_OVER = "handed over by a link worker"
SUBMITTED = "submitted"
REOPENED = "reopened"
WITHDRAWN_DRAFT = "withdrawn draft"
WITHDRAWN = "withdrawn after submitting"
MISSED_DEADLINE = "draft that missed the deadline"
OVERRIDDEN = "submitted after an eligibility override"

SUBMITTING = {SUBMITTED, REOPENED, WITHDRAWN, OVERRIDDEN}
FULL = SUBMITTING | {READY, HANDED_OVER, MISSED_DEADLINE}


@dataclass(frozen=True)
class DemoApplication:
    group: str
    round: str
    stage: str
    activity: str = ""
    who: str = ""
    budget: tuple[tuple[str, str, int], ...] = ()
    # Due diligence checks the commissioner has verified, in checklist order.
    verified: int = 0
    # A member who fills it in instead of the group's main contact (an editor, say).
    member: str = ""


def _application(row: dict[str, Any]) -> DemoApplication:
    activity = row.get("activity", "")
    return DemoApplication(
        **{
            **row,
            # A long answer is kept as a list of sentences, to be readable in the file.
            "activity": " ".join(activity) if isinstance(activity, list) else activity,
            "budget": tuple(
                (line["item"], line["category"], line["amount"]) for line in row.get("budget", ())
            ),
        }
    )


APPLICATIONS = [_application(row) for row in APPLICATION_DATA["applications"]]
REOPEN_REASON: str = APPLICATION_DATA["reopen_reason"]
OVERRIDE_REASON: str = APPLICATION_DATA["override_reason"]
VERIFY_NOTES: dict[str, str] = APPLICATION_DATA["verify_notes"]


# People and profiles -------------------------------------------------------------------


def _user(name: str, email: str) -> User:
    return demo_user(email=email, full_name=name)


def _owner(group: DemoGroup, organisation: Organisation) -> User:
    """The group's main contact as its owner; the demo logins keep the roles they have."""
    name, email = group.main_contact
    user = _user(name, email)
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.OWNER}
    )
    return user


def _profile(group: DemoGroup, organisation: Organisation, owner: User, index: int) -> None:

    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    if profile is not None and profile.postcode:
        return
    letters = POSTCODE_LETTERS[index % 19] + POSTCODE_LETTERS[(index * 7 + 3) % 19]
    organisation_profile_update(
        organisation=organisation,
        changes={
            "description": group.about,
            "address_line_1": f"{index + 3} {STREETS[index % len(STREETS)]}",
            "address_line_2": group.ward,
            "town": "Marshbrook",
            "postcode": f"{POSTCODE_DISTRICTS[group.ward]} {index % 9 + 1}{letters}",
            "annual_income": Decimal(group.income),
            "year_started": group.year_started,
            "main_contact_name": group.main_contact[0],
            "main_contact_email": group.main_contact[1],
            # Ofcom keeps 07700 900000 to 900999 for drama: never a real number.
            "main_contact_phone": f"07700 900{100 + 2 * index:03d}",
            "second_contact_name": group.second_contact[0],
            "second_contact_email": group.second_contact[1],
            "second_contact_phone": f"07700 900{101 + 2 * index:03d}",
            "second_contact_unrelated": True,
            "has_bank_account": not group.host,
            "host_organisation_name": group.host,
            "bank_account_name": "" if group.host else organisation.name,
        },
        actor=owner,
    )


# Filling in ----------------------------------------------------------------------------


def _questions(round: Any) -> dict[str, Any]:
    """The round's questions by their preset key ("group_name", "activity", ...)."""

    keys = {
        question["label"]: question["key"]
        for section in preset_for_tier(round.tier)
        for question in section["questions"]
    }
    return {
        keys[question.label]: question
        for question in Question.objects.filter(section__round=round)
        if question.label in keys
    }


def _fill(application: Application, spec: DemoApplication, *, actor: User, index: int) -> None:
    """Answer, budget and mark sections as far as the stage goes, through the services."""

    if spec.stage == NOT_STARTED:
        return
    round = application.round
    questions = _questions(round)
    sections = list(round.sections.order_by("order", "id"))
    group = next(g for g in GROUPS if g.name == spec.group)
    values: dict[str, Any] = {
        "group_name": group.name,
        "group_about": group.about,
        "activity": spec.activity,
    }
    if spec.stage != IN_PROGRESS and spec.stage not in (ASSISTED, WITHDRAWN_DRAFT):
        values["beneficiaries"] = spec.who
        if "places" in questions:  # a "where will it happen" question: locality ids
            places = list(round.eligible_localities.order_by("name", "id"))
            values["places"] = sorted(place.pk for place in places[: 1 + index % 2])
    if spec.stage in FULL or spec.stage == OVER_LIMIT:
        values["priorities"] = list(round_priorities(round=round))[: 1 + index % 2]
        starts_on = round.grants_start_on + datetime.timedelta(days=7 * (index % 4))
        values["starts_on"] = starts_on.isoformat()
    answers_save(
        application=application,
        values={questions[key].pk: value for key, value in values.items() if value},
        versions={},
        actor=actor,
    )
    if spec.budget:
        budget_save(
            application=application,
            rows=[
                BudgetRow(BudgetLine.Kind.COST, item, category, Decimal(amount))
                for item, category, amount in spec.budget
            ],
            actor=actor,
        )
    if spec.stage in (SECTION_DONE, OVER_LIMIT) or spec.stage in FULL:
        section_mark(application=application, section=sections[0], completed=True, actor=actor)
    if spec.stage in FULL:
        for section in sections[1:]:
            section_mark(application=application, section=section, completed=True, actor=actor)


# Putting it together -------------------------------------------------------------------


def _moments(round: Any, index: int) -> tuple[datetime.datetime, datetime.datetime]:
    """When the application was started and last worked on (or submitted), while open."""
    end = min(timezone.now(), round.closes_at) - datetime.timedelta(hours=1)
    span = end - round.opens_at
    started = round.opens_at + span * (((index * 7) % 10 + 1) / 25)
    started += datetime.timedelta(minutes=37 * index)  # no two at the same moment
    return min(started, end), min(started + span * 0.5, end)


def _seed_application(
    spec: DemoApplication,
    *,
    index: int,
    rounds: dict[str, Any],
    organisations: dict[str, Organisation],
    owners: dict[str, User],
    commissioner: User,
    link_worker: User,
) -> None:

    round = rounds[spec.round]
    organisation = organisations[spec.group]
    if Application.objects.filter(round=round, organisation=organisation).exists():
        return
    member = User.objects.get(email=spec.member) if spec.member else owners[spec.group]
    started, finished = _moments(round, index)
    assisted = spec.stage in (ASSISTED, HANDED_OVER)
    application = application_start(
        round=round,
        organisation=organisation,
        actor=link_worker if assisted else member,
        assisted=assisted,
        moment=started,
        email=False,
    )
    _fill(application, spec, actor=link_worker if assisted else member, index=index)

    if spec.stage == HANDED_OVER:
        application_hand_over(application=application, actor=link_worker, email=False)
    if spec.stage == OVERRIDDEN:
        eligibility_run(application=application)
        eligibility_override(
            application=application, reason=OVERRIDE_REASON, actor=commissioner, email=False
        )
    if spec.stage in SUBMITTING:
        application = application_submit(
            application=application,
            actor=member,
            declaration=True,
            moment=finished,
            send_copy=False,
        )
        for item in application.due_diligence.all()[: spec.verified]:
            due_diligence_verify(
                item=item, verified=True, note=VERIFY_NOTES[item.code], actor=commissioner
            )
    if spec.stage == REOPENED:
        application_reopen(
            application=application, reason=REOPEN_REASON, actor=commissioner, email=False
        )
    if spec.stage in (WITHDRAWN, WITHDRAWN_DRAFT):
        application_withdraw(application=application, actor=member, email=False)

    if spec.stage not in (REOPENED, WITHDRAWN, WITHDRAWN_DRAFT, HANDED_OVER):
        # When it was last worked on, for lists sorted by it; the services stamp "now".
        last_worked_on = finished if spec.stage != NOT_STARTED else started
        Application.objects.filter(pk=application.pk).update(updated_at=last_worked_on)


@transaction.atomic
def demo_seed_applications() -> None:
    """Add the demo profiles and applications; running it twice keeps one copy."""

    commissioner = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    link_worker = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    rounds = {r.slug: r for r in Round.objects.filter(slug__in=(OPEN_ROUND, CLOSED_ROUND))}
    if commissioner is None or link_worker is None or len(rounds) != 2:
        return  # the core or the rounds demo has not been seeded
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[g.name for g in GROUPS])
    }
    owners: dict[str, User] = {}
    for index, group in enumerate(GROUPS):
        organisation = organisations.get(group.name)
        if organisation is None:
            continue
        owners[group.name] = _owner(group, organisation)
        _profile(group, organisation, owners[group.name], index)
    # References are issued in the order the applications were submitted.
    ordered = sorted(
        enumerate(APPLICATIONS), key=lambda pair: _moments(rounds[pair[1].round], pair[0])[1]
    )
    for index, spec in ordered:
        if spec.group not in organisations:
            continue
        _seed_application(
            spec,
            index=index,
            rounds=rounds,
            organisations=organisations,
            owners=owners,
            commissioner=commissioner,
            link_worker=link_worker,
        )
