"""Every write to funds and rounds: creating, editing, copying and moving a round along.

Rules a commissioner can break by typing are checked here, so a form, the admin and a
script are refused alike. A round that breaks several rules at once raises `RoundInvalid`,
which carries one message per field, so a form can show every problem by its field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.caching import PUBLIC_PAGES, cache_generation_bump, invalidates
from microcomm.errors import DomainError
from microcomm.formatting import pounds
from microcomm.lifecycle import Guard, transition
from microcomm.models import LegalForm, Locality, Theme
from rounds.fund_totals import ZERO, fund_allocated, fund_remaining
from rounds.models import (
    Faq,
    FormSection,
    Fund,
    FundingSource,
    GuidanceResource,
    Need,
    Question,
    Round,
    RoundEvent,
)
from rounds.round_hooks import round_started
from rounds.round_rules import round_move_problem
from rounds.services.form_builder import QUESTION_FIELDS, form_apply_tier, form_create_default

if TYPE_CHECKING:
    from microcomm.models import User

AUTOMATIC_REASON = "automatic at the stated time"
# A tier's label promises its ceiling ("Micro (up to £1,000)"); standard rounds have none.
TIER_MAXIMUM_GRANT = {Round.Tier.MICRO: Decimal("1000"), Round.Tier.SMALL: Decimal("5000")}

ROUND_FIELDS = (
    "title",
    "slug",
    "summary",
    "amount_available",
    "minimum_grant",
    "maximum_grant",
    "tier",
    "allowed_legal_forms",
    "maximum_annual_income",
    "must_address_priority",
    "opens_at",
    "closes_at",
    "scoring_due_on",
    "decisions_by",
    "grants_start_on",
    "first_monitoring_due_on",
    "evaluation_due_on",
    "how_decisions_are_made",
    "contact_email",
    "contact_phone",
)
ROUND_RELATIONS = (
    "priority_needs",
    "priority_themes",
    "priority_localities",
    "eligible_localities",
)

# The dated milestones after closing, each with the one it must not come before.
DATE_ORDER = (
    ("scoring_due_on", "closes_at", "The scoring due date must be after the closing date"),
    (
        "decisions_by",
        "scoring_due_on",
        "The decisions date must be the same as or after the scoring due date",
    ),
    (
        "grants_start_on",
        "decisions_by",
        "The grants start date must be the same as or after the decisions date",
    ),
    (
        "first_monitoring_due_on",
        "grants_start_on",
        "The first monitoring date must be after the grants start date",
    ),
    (
        "evaluation_due_on",
        "first_monitoring_due_on",
        "The evaluation due date must be after the first monitoring date",
    ),
)


def london_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


class RoundInvalid(DomainError):
    """A round breaks one or more rules; `errors` maps each field to what to do."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field)
        self.errors = errors


# Funds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceInput:
    name: str
    kind: str
    amount: Decimal
    restriction: str = ""


def _clean_sources(sources: Iterable[dict[str, Any]]) -> list[SourceInput]:
    cleaned = []
    for source in sources:
        name = (source.get("name") or "").strip()
        amount = source.get("amount")
        if not name:
            raise DomainError("Enter the name of each funding source", field="sources")
        if source.get("kind") not in FundingSource.Kind.values:
            raise DomainError(f"Select what kind of source {name} is", field="sources")
        if amount is None or Decimal(amount) <= 0:
            raise DomainError(f"Enter an amount of more than £0 for {name}", field="sources")
        cleaned.append(
            SourceInput(
                name=name,
                kind=source["kind"],
                amount=Decimal(amount),
                restriction=(source.get("restriction") or "").strip(),
            )
        )
    if not cleaned:
        raise DomainError("Add at least one funding source", field="sources")
    return cleaned


class FundFields(TypedDict):
    """What a person sets on a fund; each source is a dict of `SourceInput` fields."""

    name: str
    description: NotRequired[str]
    starts_on: datetime.date
    ends_on: datetime.date
    sources: list[dict[str, Any]]


def _clean_fund(fields: FundFields, *, fund: Fund | None) -> list[SourceInput]:
    """Refuse a fund with no name, a name in use, or dates the wrong way round; return its
    cleaned sources."""
    name = fields["name"].strip()
    if not name:
        raise DomainError("Enter the name of the fund", field="name")
    same_name = Fund.objects.filter(name__iexact=name)
    if fund is not None:
        same_name = same_name.exclude(pk=fund.pk)
    if same_name.exists():
        raise DomainError("A fund with this name already exists. Enter another name", field="name")
    if fields["ends_on"] <= fields["starts_on"]:
        raise DomainError("The end date must be after the start date", field="ends_on")
    return _clean_sources(fields["sources"])


def _fund_save(
    fund: Fund, fields: FundFields, *, sources: list[SourceInput], actor: User | None, verb: str
) -> Fund:
    """Save the fund's details, give it these sources and audit it with the sources listed."""
    fund.name = fields["name"].strip()
    fund.description = fields.get("description", "").strip()
    fund.starts_on = fields["starts_on"]
    fund.ends_on = fields["ends_on"]
    fund.save()
    FundingSource.objects.bulk_create(
        FundingSource(fund=fund, **source.__dict__) for source in sources
    )
    detail = {"sources": [{"name": s.name, "amount": str(s.amount)} for s in sources]}
    audit_record(actor=actor, verb=verb, target=fund, detail=detail)
    return fund


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def fund_create(*, actor: User | None, **fields: Unpack[FundFields]) -> Fund:
    """Create a fund from one or more sources; its total is the sum of their amounts."""
    sources = _clean_fund(fields, fund=None)
    fund = Fund(created_by=actor if actor is not None and actor.is_authenticated else None)
    return _fund_save(fund, fields, sources=sources, actor=actor, verb="fund.create")


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def fund_update(*, fund: Fund, actor: User | None, **fields: Unpack[FundFields]) -> Fund:
    """Change a fund and replace its sources; refuses a total below what rounds hold."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    sources = _clean_fund(fields, fund=fund)
    total = sum((source.amount for source in sources), ZERO)
    allocated = fund_allocated(fund=fund)
    if total < allocated:
        raise DomainError(
            f"The sources add up to {pounds(total)}, but the fund's rounds have been given "
            f"{pounds(allocated)}. Enter sources that add up to at least {pounds(allocated)}",
            field="sources",
        )
    fund.sources.all().delete()
    return _fund_save(fund, fields, sources=sources, actor=actor, verb="fund.update")


# Round rules ---------------------------------------------------------------------------


def round_problems(
    *, fund: Fund, values: dict[str, Any], round: Round | None = None, now: Any = None
) -> dict[str, str]:
    """Every rule the round's values break, by field. Empty when the round is fine.

    The closing time must be in the future for a new round, or when it changes on a round
    that has not closed yet.
    """
    now = now or timezone.now()
    problems: dict[str, str] = {}

    slug = values.get("slug") or ""
    same_slug = Round.objects.filter(slug=slug)
    if round is not None and round.pk:
        same_slug = same_slug.exclude(pk=round.pk)
    if slug and same_slug.exists():
        problems["slug"] = "A round already uses this web address. Enter a different one"

    amount = values["amount_available"]
    minimum = values["minimum_grant"]
    maximum = values["maximum_grant"]
    remaining = fund_remaining(fund=fund, excluding=round)
    if amount <= 0:
        problems["amount_available"] = "Enter an amount for the round of more than £0"
    elif amount > remaining:
        problems["amount_available"] = (
            f"Enter an amount that is no more than the {pounds(remaining)} {fund.name} has left"
        )
    if minimum <= 0:
        problems["minimum_grant"] = "Enter a minimum grant of more than £0"
    elif minimum > maximum:
        problems["minimum_grant"] = (
            f"Enter a minimum grant that is no more than the maximum grant of {pounds(maximum)}"
        )
    ceiling = TIER_MAXIMUM_GRANT.get(values.get("tier"))
    if maximum > amount:
        problems["maximum_grant"] = (
            f"Enter a maximum grant that is no more than the round's amount of {pounds(amount)}"
        )
    elif ceiling is not None and maximum > ceiling:
        label = Round.Tier(values["tier"]).label.split(" (")[0].lower()
        problems["maximum_grant"] = (
            f"A {label} round gives grants of up to {pounds(ceiling)}. Enter a maximum grant "
            f"of {pounds(ceiling)} or less, or choose another tier"
        )

    forms = set(values.get("allowed_legal_forms") or [])
    if forms - set(LegalForm.values):
        problems["allowed_legal_forms"] = "Select legal forms from the list"
    income = values.get("maximum_annual_income")
    if income is not None and income <= 0:
        problems["maximum_annual_income"] = "Enter a maximum annual income of more than £0"

    opens_at, closes_at = values["opens_at"], values["closes_at"]
    closes_changed = round is None or round.closes_at != closes_at
    still_to_close = round is None or round.status_at(now) in (
        Round.Status.DRAFT,
        Round.Status.SCHEDULED,
        Round.Status.OPEN,
    )
    if closes_at <= opens_at:
        problems["closes_at"] = "The closing date must be after the opening date"
    elif closes_changed and still_to_close and closes_at <= now:
        problems["closes_at"] = "The closing date must be in the future"
    for name, after, message in DATE_ORDER:
        earlier = values[after]
        if isinstance(earlier, datetime.datetime):
            earlier = london_date(earlier)
            broken = values[name] <= earlier
        elif name in ("decisions_by", "grants_start_on"):
            broken = values[name] < earlier
        else:
            broken = values[name] <= earlier
        if broken and name not in problems:
            problems[name] = message
    if round is not None and round.pk:
        problems.update(_event_problems(events=round.events.all(), values=values))
    return problems


def _event_problems(*, events: Iterable[RoundEvent], values: dict[str, Any]) -> dict[str, str]:
    for event in events:
        message = round_event_problem(
            kind=event.kind,
            starts_at=event.starts_at,
            closes_at=values["closes_at"],
            decisions_by=values["decisions_by"],
            opens_at=values["opens_at"],
        )
        if message:
            return {"closes_at": f"{event} no longer fits the timeline. {message}"}
    return {}


def round_event_problem(
    *,
    kind: str,
    starts_at: datetime.datetime,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    decisions_by: datetime.date,
) -> str:
    """Why an event does not fit the round's timeline, or '' when it fits."""
    if kind == RoundEvent.Kind.SUPPORT_SESSION:
        if starts_at >= closes_at:
            return "An applicant support session must be before the round closes"
        return ""
    if starts_at <= closes_at:
        return f"A {RoundEvent.Kind(kind).label.lower()} must be after the round closes"
    if london_date(starts_at) > decisions_by:
        return f"A {RoundEvent.Kind(kind).label.lower()} must be on or before the decisions date"
    return ""


def _raise_if(problems: dict[str, str]) -> None:
    if problems:
        raise RoundInvalid(problems)


def _set_relations(round: Round, relations: dict[str, Any]) -> None:
    for name in ROUND_RELATIONS:
        if name in relations:
            getattr(round, name).set(relations[name] or [])


# Rounds --------------------------------------------------------------------------------


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def round_create(
    *,
    fund: Fund,
    title: str,
    slug: str,
    summary: str,
    amount_available: Decimal,
    minimum_grant: Decimal,
    maximum_grant: Decimal,
    tier: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    scoring_due_on: datetime.date,
    decisions_by: datetime.date,
    grants_start_on: datetime.date,
    first_monitoring_due_on: datetime.date,
    evaluation_due_on: datetime.date,
    priority_needs: Iterable[Need] = (),
    priority_themes: Iterable[Theme] = (),
    priority_localities: Iterable[Locality] = (),
    allowed_legal_forms: list[str] | None = None,
    maximum_annual_income: Decimal | None = None,
    eligible_localities: Iterable[Locality] = (),
    must_address_priority: bool = True,
    how_decisions_are_made: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    actor: User | None,
    now: datetime.datetime | None = None,
) -> Round:
    """Create a draft round on a fund, with the default application form for its tier.

    ``now`` records a round set up earlier (the demo's): its dates are checked against it.
    """
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    values = {
        "title": title.strip(),
        "slug": slug.strip(),
        "summary": summary.strip(),
        "amount_available": amount_available,
        "minimum_grant": minimum_grant,
        "maximum_grant": maximum_grant,
        "tier": tier,
        "allowed_legal_forms": list(allowed_legal_forms or []),
        "maximum_annual_income": maximum_annual_income,
        "must_address_priority": must_address_priority,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "scoring_due_on": scoring_due_on,
        "decisions_by": decisions_by,
        "grants_start_on": grants_start_on,
        "first_monitoring_due_on": first_monitoring_due_on,
        "evaluation_due_on": evaluation_due_on,
        "how_decisions_are_made": how_decisions_are_made.strip(),
        "contact_email": contact_email.strip(),
        "contact_phone": contact_phone.strip(),
    }
    _raise_if(round_problems(fund=fund, values=values, now=now))
    round = Round.objects.create(
        fund=fund,
        created_at=now or timezone.now(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **values,
    )
    _set_relations(
        round,
        {
            "priority_needs": priority_needs,
            "priority_themes": priority_themes,
            "priority_localities": priority_localities,
            "eligible_localities": eligible_localities,
        },
    )
    audit_record(
        actor=actor,
        verb="round.create",
        target=round,
        to_state=round.status,
        detail={"fund": fund.name, "amount": str(amount_available)},
    )
    form_create_default(round=round, actor=actor)
    round_started(round=round, source=None, actor=actor)
    return round


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def round_update(
    *, round: Round, actor: User | None, fund: Fund | None = None, **changes: Any
) -> Round:
    """Change a round's details. Refuses more money than its fund has left, and a fund,
    tier or opening time changed once the round has opened. A new tier adds its questions
    to the form (see `form_apply_tier`)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    unknown = set(changes) - set(ROUND_FIELDS) - set(ROUND_RELATIONS)
    if unknown:
        raise TypeError(f"round_update() got unexpected fields: {', '.join(sorted(unknown))}")
    status = round.current_status
    started = status not in (Round.Status.DRAFT, Round.Status.SCHEDULED)
    new_fund = fund or round.fund
    # Lock the fund so two edits cannot both spend its last pounds.
    new_fund = Fund.objects.select_for_update().get(pk=new_fund.pk)
    if started and new_fund.pk != round.fund_id:
        raise DomainError("The round has opened, so it cannot move to another fund", field="fund")
    values = {name: getattr(round, name) for name in ROUND_FIELDS}
    values.update({name: value for name, value in changes.items() if name in ROUND_FIELDS})
    for text in ("title", "slug", "summary", "how_decisions_are_made", "contact_email"):
        values[text] = (values[text] or "").strip()
    problems = round_problems(fund=new_fund, values=values, round=round)
    if started and values["opens_at"] != round.opens_at:
        problems.setdefault("opens_at", "The round has opened, so its opening time cannot change")
    if started and values["tier"] != round.tier:
        problems.setdefault(
            "tier", "The round has opened, so its tier and the questions it asks cannot change"
        )
    moved_opening = values["opens_at"] != round.opens_at
    if status == Round.Status.SCHEDULED and moved_opening and values["opens_at"] <= timezone.now():
        problems.setdefault(
            "opens_at", "The round is scheduled, so its opening date must be in the future"
        )
    _raise_if(problems)
    changed = [name for name in ROUND_FIELDS if getattr(round, name) != values[name]]
    for name in ROUND_FIELDS:
        setattr(round, name, values[name])
    if new_fund.pk != round.fund_id:
        changed.append("fund")
        round.fund = new_fund
    round.save()
    _set_relations(round, {name: changes[name] for name in ROUND_RELATIONS if name in changes})
    audit_record(actor=actor, verb="round.update", target=round, detail={"changed": changed})
    if "tier" in changed:
        form_apply_tier(round=round, actor=actor)
    return round


# Lifecycle -----------------------------------------------------------------------------


def _move(
    round: Round,
    to: str,
    *,
    actor: User | None,
    reason: str,
    now: datetime.datetime,
    guard: Guard | None = None,
) -> Round:
    def changes(locked: Round) -> dict[str, Any]:
        # Opening early or closing early moves the stated time, so the timeline stays true.
        if to == Round.Status.OPEN and locked.opens_at > now:
            return {"opens_at": now}
        if to == Round.Status.CLOSED and locked.closes_at > now:
            return {"closes_at": now}
        return {}

    return transition(round, to=to, actor=actor, reason=reason, guard=guard, changes=changes)


def _catch_up(round: Round, now: datetime.datetime) -> tuple[Round, list[str]]:
    """Make the stored status what the clock says; returns the round and the statuses it
    passed to."""
    moved = []
    if round.status == Round.Status.SCHEDULED and now >= round.opens_at:
        if round.form_published_at is None:
            round = _move(
                round,
                Round.Status.DRAFT,
                actor=None,
                reason="The form was not published at the opening time, so the round did not open",
                now=now,
            )
            return round, [Round.Status.DRAFT]
        round = _move(round, Round.Status.OPEN, actor=None, reason=AUTOMATIC_REASON, now=now)
        moved.append(Round.Status.OPEN)
    if round.status == Round.Status.OPEN and now >= round.closes_at:
        round = _move(round, Round.Status.CLOSED, actor=None, reason=AUTOMATIC_REASON, now=now)
        moved.append(Round.Status.CLOSED)
    return round, moved


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def round_transition(
    *,
    round: Round,
    to: str,
    actor: User | None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Round:
    """Move a round along its lifecycle, refusing any move Round.TRANSITIONS does not allow.

    Opening and scheduling need a published form; scheduling needs an opening time in the
    future; opening needs a closing time in the future (see `rounds.round_rules`); opening
    a closed round again needs a reason. Moves the clock has already made are recorded
    first, as automatic. ``now`` records a move made earlier (the demo's).
    """
    now = now or timezone.now()
    reason = reason.strip()
    round = Round.objects.select_for_update().get(pk=round.pk)
    round, _moved = _catch_up(round, now)

    def guard(locked: Round, target: str) -> str:
        problem = round_move_problem(round=locked, to=target, now=now)
        if problem:
            raise DomainError(problem, field="to")
        if locked.status == Round.Status.CLOSED and target == Round.Status.OPEN and not reason:
            raise DomainError("Enter why you are opening the round again", field="reason")
        return ""

    return _move(round, to, actor=actor, reason=reason, now=now, guard=guard)


def round_schedule(
    *, round: Round, actor: User | None, now: datetime.datetime | None = None
) -> Round:
    return round_transition(round=round, to=Round.Status.SCHEDULED, actor=actor, now=now)


def round_unschedule(*, round: Round, actor: User | None, reason: str = "") -> Round:
    return round_transition(round=round, to=Round.Status.DRAFT, actor=actor, reason=reason)


def round_open(*, round: Round, actor: User | None, reason: str = "") -> Round:
    return round_transition(round=round, to=Round.Status.OPEN, actor=actor, reason=reason)


def round_close(*, round: Round, actor: User | None, reason: str = "") -> Round:
    return round_transition(round=round, to=Round.Status.CLOSED, actor=actor, reason=reason)


def round_start_assessment(*, round: Round, actor: User | None) -> Round:
    return round_transition(round=round, to=Round.Status.ASSESSMENT, actor=actor)


def round_decide(*, round: Round, actor: User | None) -> Round:
    return round_transition(round=round, to=Round.Status.DECIDED, actor=actor)


def round_start_monitoring(*, round: Round, actor: User | None) -> Round:
    return round_transition(round=round, to=Round.Status.MONITORING, actor=actor)


def round_complete(*, round: Round, actor: User | None) -> Round:
    return round_transition(round=round, to=Round.Status.COMPLETED, actor=actor)


def rounds_advance_by_clock(*, now: datetime.datetime | None = None) -> list[Round]:
    """Open scheduled rounds at their opening time and close open rounds at their closing
    time, each move audited with no actor. Returns the rounds that moved.

    A scheduled round whose form was unpublished goes back to draft instead of opening.
    Each round moves in its own transaction, so one failure does not hold up the rest.
    """
    now = now or timezone.now()
    due = Round.objects.filter(
        Q(status=Round.Status.SCHEDULED, opens_at__lte=now)
        | Q(status=Round.Status.OPEN, closes_at__lte=now)
    ).values_list("pk", flat=True)
    moved = []
    for pk in list(due):
        with transaction.atomic():
            round, passed = _catch_up(Round.objects.select_for_update().get(pk=pk), now)
            if passed:
                moved.append(round)
                cache_generation_bump(PUBLIC_PAGES)
    return moved


# Events --------------------------------------------------------------------------------


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def round_event_create(
    *,
    round: Round,
    kind: str,
    starts_at: datetime.datetime,
    title: str = "",
    location: str = "",
    actor: User | None,
) -> RoundEvent:
    """Add a support session, panel meeting or interviews where they fit the timeline."""
    if kind not in RoundEvent.Kind.values:
        raise DomainError("Select the kind of event", field="kind")
    problem = round_event_problem(
        kind=kind,
        starts_at=starts_at,
        opens_at=round.opens_at,
        closes_at=round.closes_at,
        decisions_by=round.decisions_by,
    )
    if problem:
        raise DomainError(problem, field="starts_at")
    event = RoundEvent.objects.create(
        round=round, kind=kind, starts_at=starts_at, title=title.strip(), location=location.strip()
    )
    audit_record(
        actor=actor,
        verb="round.event_create",
        target=round,
        detail={"event": str(event), "starts_at": starts_at.isoformat()},
    )
    return event


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def round_event_delete(*, event: RoundEvent, actor: User | None) -> None:
    round = event.round
    description = str(event)
    event.delete()
    audit_record(
        actor=actor, verb="round.event_delete", target=round, detail={"event": description}
    )


# Copying -------------------------------------------------------------------------------


def _copy_form(*, source: Round, target: Round) -> int:
    copied: dict[int, Question] = {}
    pending: list[tuple[Question, int]] = []
    sections = source.sections.prefetch_related("questions").order_by("order", "id")
    for section in sections:
        new_section = FormSection.objects.create(
            round=target,
            title=section.title,
            description=section.description,
            order=section.order,
        )
        for question in section.questions.all():
            # The condition is set below, once the question it points at is copied.
            fields = {
                name: getattr(question, name)
                for name in QUESTION_FIELDS
                if name != "condition_question"
            }
            new_question = Question.objects.create(
                section=new_section, order=question.order, **fields
            )
            copied[question.pk] = new_question
            if question.condition_question_id:
                pending.append((new_question, question.condition_question_id))
    # Conditions point at questions of the new form, found once every question exists.
    for new_question, old_condition_id in pending:
        new_question.condition_question = copied.get(old_condition_id)
        if new_question.condition_question is None:
            new_question.condition_value = ""
        new_question.save(update_fields=["condition_question", "condition_value"])
    return len(copied)


@transaction.atomic
def round_copy(
    *,
    source: Round,
    title: str,
    slug: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    amount_available: Decimal | None = None,
    fund: Fund | None = None,
    actor: User | None,
) -> Round:
    """Start a new draft round from a previous one.

    Copies the form (conditions pointing at the new questions), FAQs, guidance (file
    references, not the files), eligibility, priorities, tier and grant sizes, and what
    later apps copy through their start hooks (the scoring system). The later
    milestones keep their distance from the closing date. The form starts unpublished.
    """
    fund = fund or source.fund
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    shift = london_date(closes_at) - london_date(source.closes_at)
    values = {name: getattr(source, name) for name in ROUND_FIELDS}
    values.update(
        title=title.strip(),
        slug=slug.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        amount_available=source.amount_available if amount_available is None else amount_available,
        allowed_legal_forms=list(source.allowed_legal_forms),
    )
    for name in (
        "scoring_due_on",
        "decisions_by",
        "grants_start_on",
        "first_monitoring_due_on",
        "evaluation_due_on",
    ):
        values[name] = getattr(source, name) + shift
    problems = round_problems(fund=fund, values=values)
    if "maximum_grant" in problems and "amount_available" not in problems:
        problems["amount_available"] = (
            f"Enter an amount of at least the maximum grant of {pounds(values['maximum_grant'])}"
        )
        del problems["maximum_grant"]
    _raise_if(problems)
    round = Round.objects.create(
        fund=fund,
        copied_from=source,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **values,
    )
    _set_relations(round, {name: getattr(source, name).all() for name in ROUND_RELATIONS})
    questions = _copy_form(source=source, target=round)
    if not questions:
        form_create_default(round=round, actor=actor)
    Faq.objects.bulk_create(
        Faq(round=round, question=faq.question, answer=faq.answer, order=faq.order)
        for faq in source.faqs.all()
    )
    GuidanceResource.objects.bulk_create(
        GuidanceResource(
            round=round,
            title=resource.title,
            description=resource.description,
            file=resource.file.name,
            url=resource.url,
            order=resource.order,
        )
        for resource in source.guidance.all()
    )
    audit_record(
        actor=actor,
        verb="round.copy",
        target=round,
        to_state=round.status,
        detail={"copied_from": source.slug, "questions": questions},
    )
    round_started(round=round, source=source, actor=actor)
    return round
