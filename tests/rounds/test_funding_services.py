import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile

from microcomm.errors import DomainError
from microcomm.lifecycle import lifecycle_verbs
from microcomm.models import AuditEvent
from rounds.fund_totals import fund_totals
from rounds.models import Faq, Fund, GuidanceResource, Question, Round
from rounds.services import funding
from rounds.services.form_builder import form_publish
from rounds.services.funding import RoundInvalid
from tests.microcomm.factories import LocalityFactory, ThemeFactory, commissioner
from tests.rounds.factories import (
    FundFactory,
    NeedFactory,
    RoundEventFactory,
    london,
    ready_round,
    round_with_form,
)

ROUND_MOVES = list(lifecycle_verbs(Round))

pytestmark = pytest.mark.django_db

NOW = london(2027, 1, 10, 12)


def round_values(fund, **overrides):
    values = {
        "fund": fund,
        "title": "Loneliness micro grants",
        "slug": "loneliness-2027",
        "summary": "Grants for groups that bring people together.",
        "amount_available": Decimal("5000"),
        "minimum_grant": Decimal("100"),
        "maximum_grant": Decimal("1000"),
        "tier": Round.Tier.MICRO,
        "opens_at": london(2027, 2, 1, 9),
        "closes_at": london(2027, 3, 12, 17),
        "scoring_due_on": datetime.date(2027, 3, 26),
        "decisions_by": datetime.date(2027, 4, 9),
        "grants_start_on": datetime.date(2027, 5, 1),
        "first_monitoring_due_on": datetime.date(2027, 8, 1),
        "evaluation_due_on": datetime.date(2028, 4, 1),
    }
    values.update(overrides)
    return values


def create(fund, **overrides):
    return funding.round_create(actor=None, **round_values(fund, **overrides))


def problems_of(fund, **overrides):
    with pytest.raises(RoundInvalid) as caught:
        create(fund, **overrides)
    return caught.value.errors


# Funds ---------------------------------------------------------------------------------


def test_fund_total_is_the_sum_of_its_sources_and_creation_is_audited():
    actor = commissioner()
    fund = funding.fund_create(
        name="Wellbeing Fund",
        starts_on=datetime.date(2027, 4, 1),
        ends_on=datetime.date(2028, 3, 31),
        sources=[
            {"name": "NHS ICB", "kind": "nhs", "amount": Decimal("30000")},
            {"name": "Borough council", "kind": "council", "amount": Decimal("20000.50")},
        ],
        actor=actor,
    )
    totals = fund_totals(fund=fund)
    assert totals.total == Decimal("50000.50")
    assert (totals.allocated, totals.awarded, totals.paid) == (0, 0, 0)
    assert totals.remaining == Decimal("50000.50")
    assert AuditEvent.objects.filter(verb="fund.create", actor=actor).count() == 1


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ([], "Add at least one funding source"),
        ([{"name": "ICB", "kind": "nhs", "amount": Decimal("0")}], "more than £0 for ICB"),
        ([{"name": "", "kind": "nhs", "amount": Decimal("5")}], "Enter the name"),
    ],
)
def test_fund_refuses_bad_sources(sources, message):
    with pytest.raises(DomainError, match=message):
        funding.fund_create(
            name="Fund",
            starts_on=datetime.date(2027, 4, 1),
            ends_on=datetime.date(2028, 3, 31),
            sources=sources,
            actor=None,
        )
    assert not Fund.objects.exists()


def test_fund_refuses_an_end_before_its_start_and_a_name_in_use():
    FundFactory(name="Wellbeing Fund")
    with pytest.raises(DomainError, match="already exists") as caught:
        funding.fund_create(
            name="wellbeing fund",
            starts_on=datetime.date(2027, 4, 1),
            ends_on=datetime.date(2028, 3, 31),
            sources=[{"name": "ICB", "kind": "nhs", "amount": Decimal("5")}],
            actor=None,
        )
    assert caught.value.field == "name"
    with pytest.raises(DomainError, match="The end date must be after the start date"):
        funding.fund_create(
            name="Another",
            starts_on=datetime.date(2027, 4, 1),
            ends_on=datetime.date(2027, 4, 1),
            sources=[{"name": "ICB", "kind": "nhs", "amount": Decimal("5")}],
            actor=None,
        )


@time_machine.travel(NOW, tick=False)
def test_fund_update_refuses_sources_below_what_rounds_hold():
    fund = FundFactory(amount=Decimal("10000"))
    create(fund, amount_available=Decimal("8000"))
    with pytest.raises(DomainError, match="at least £8,000"):
        funding.fund_update(
            fund=fund,
            name=fund.name,
            starts_on=fund.starts_on,
            ends_on=fund.ends_on,
            sources=[{"name": "ICB", "kind": "nhs", "amount": Decimal("7999.99")}],
            actor=None,
        )
    funding.fund_update(
        fund=fund,
        name=fund.name,
        starts_on=fund.starts_on,
        ends_on=fund.ends_on,
        sources=[
            {"name": "ICB", "kind": "nhs", "amount": Decimal("6000")},
            {"name": "Trust", "kind": "trust", "amount": Decimal("6000"), "restriction": "Youth"},
        ],
        actor=None,
    )
    assert fund_totals(fund=fund).remaining == Decimal("4000")
    assert fund.sources.get(name="Trust").restriction == "Youth"


# Round rules ---------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_round_create_gives_a_draft_round_the_default_form_and_audits_it():
    theme, ward = ThemeFactory(), LocalityFactory()
    need = NeedFactory(theme=theme, locality=ward)
    round = create(
        FundFactory(), priority_themes=[theme], priority_localities=[ward], priority_needs=[need]
    )
    assert round.status == Round.Status.DRAFT
    assert list(round.priority_needs.all()) == [need]
    assert Question.objects.filter(section__round=round).exists()
    assert AuditEvent.objects.filter(verb="round.create", target_id=str(round.pk)).exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"closes_at": london(2027, 2, 1, 9)},
            "closes_at",
            "The closing date must be after the opening date",
        ),
        (
            {"opens_at": london(2027, 1, 1, 9), "closes_at": london(2027, 1, 5, 17)},
            "closes_at",
            "The closing date must be in the future",
        ),
        (
            {"minimum_grant": Decimal("900"), "maximum_grant": Decimal("800")},
            "minimum_grant",
            "Enter a minimum grant that is no more than the maximum grant of £800",
        ),
        (
            {"amount_available": Decimal("500"), "maximum_grant": Decimal("800")},
            "maximum_grant",
            "Enter a maximum grant that is no more than the round's amount of £500",
        ),
        (
            {"amount_available": Decimal("60000")},
            "amount_available",
            "Enter an amount that is no more than the £50,000",
        ),
        (
            {"maximum_grant": Decimal("1500")},
            "maximum_grant",
            "A micro round gives grants of up to £1,000",
        ),
        (
            {"scoring_due_on": datetime.date(2027, 3, 12)},
            "scoring_due_on",
            "The scoring due date must be after the closing date",
        ),
        (
            {"decisions_by": datetime.date(2027, 3, 20)},
            "decisions_by",
            "The decisions date must be the same as or after the scoring due date",
        ),
        (
            {"evaluation_due_on": datetime.date(2027, 7, 1)},
            "evaluation_due_on",
            "The evaluation due date must be after the first monitoring date",
        ),
    ],
)
def test_round_rules_each_refuse_with_a_message_by_the_field(overrides, field, message):
    errors = problems_of(FundFactory(amount=Decimal("50000")), **overrides)
    assert message in errors[field]
    assert not Round.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_slug_can_be_used_once():
    fund = FundFactory()
    create(fund)
    errors = problems_of(fund, title="Another")
    assert errors == {"slug": "A round already uses this web address. Enter a different one"}


@time_machine.travel(NOW, tick=False)
def test_rounds_cannot_take_more_than_the_fund_has_left():
    fund = FundFactory(amount=Decimal("10000"))
    create(fund, amount_available=Decimal("6000"))
    errors = problems_of(fund, slug="second", amount_available=Decimal("4000.01"))
    assert errors["amount_available"].startswith("Enter an amount that is no more than the £4,000")
    create(fund, slug="second", amount_available=Decimal("4000"))
    assert fund_totals(fund=fund).remaining == 0


@time_machine.travel(NOW, tick=False)
def test_round_update_counts_its_own_money_once_and_refuses_more_than_is_left():
    fund = FundFactory(amount=Decimal("10000"))
    round = create(fund, amount_available=Decimal("6000"))
    create(fund, slug="other", amount_available=Decimal("3000"))
    funding.round_update(round=round, amount_available=Decimal("7000"), actor=None)
    with pytest.raises(RoundInvalid) as caught:
        funding.round_update(round=round, amount_available=Decimal("7000.01"), actor=None)
    assert "£7,000" in caught.value.errors["amount_available"]
    round.refresh_from_db()
    assert round.amount_available == Decimal("7000")


@time_machine.travel(NOW, tick=False)
def test_round_update_refuses_a_new_fund_without_the_money():
    round = create(FundFactory())
    poor = FundFactory(amount=Decimal("1000"))
    with pytest.raises(RoundInvalid) as caught:
        funding.round_update(round=round, fund=poor, actor=None)
    assert "£1,000" in caught.value.errors["amount_available"]


# Lifecycle -----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_round_cannot_be_scheduled_or_opened_without_a_published_form():
    round = round_with_form(published=False, opens_at=london(2027, 2, 1))
    with pytest.raises(DomainError, match="Publish the application form"):
        funding.round_schedule(round=round, actor=None)
    round.refresh_from_db()
    assert round.status == Round.Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_scheduling_needs_an_opening_date_in_the_future():
    round = round_with_form(opens_at=london(2027, 1, 9), closes_at=london(2027, 2, 9))
    with pytest.raises(DomainError, match="The opening date has passed"):
        funding.round_schedule(round=round, actor=None)


@time_machine.travel(NOW, tick=False)
def test_illegal_moves_are_refused():
    round = round_with_form(opens_at=london(2027, 2, 1))
    with pytest.raises(DomainError, match="A round that is draft cannot be moved to open"):
        funding.round_open(round=round, actor=None)
    with pytest.raises(DomainError, match="cannot be moved to decided"):
        funding.round_decide(round=round, actor=None)


def test_the_whole_lifecycle_with_the_clock_moving_and_every_move_audited():
    actor = commissioner()
    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1, 9), closes_at=london(2027, 3, 12, 17))
        funding.round_schedule(round=round, actor=actor)
        assert funding.rounds_advance_by_clock() == []
    with time_machine.travel(london(2027, 2, 1, 9, 0), tick=False) as traveller:
        round.refresh_from_db()
        assert round.current_status == Round.Status.OPEN
        assert round.status == Round.Status.SCHEDULED
        assert [moved.pk for moved in funding.rounds_advance_by_clock()] == [round.pk]
        round.refresh_from_db()
        assert round.status == Round.Status.OPEN
        traveller.move_to(london(2027, 3, 12, 17, 1))
        funding.rounds_advance_by_clock()
        round.refresh_from_db()
        assert round.status == Round.Status.CLOSED
        funding.round_start_assessment(round=round, actor=actor)
        funding.round_decide(round=round, actor=actor)
        funding.round_start_monitoring(round=round, actor=actor)
        funding.round_complete(round=round, actor=actor)
    round.refresh_from_db()
    assert round.status == Round.Status.COMPLETED
    moves = AuditEvent.objects.filter(verb__in=ROUND_MOVES, target_id=str(round.pk)).order_by(
        "created_at", "id"
    )
    assert [(move.from_state, move.to_state) for move in moves] == [
        ("draft", "scheduled"),
        ("scheduled", "open"),
        ("open", "closed"),
        ("closed", "assessment"),
        ("assessment", "decided"),
        ("decided", "monitoring"),
        ("monitoring", "completed"),
    ]
    automatic = [move for move in moves if move.actor is None]
    assert [move.reason for move in automatic] == [funding.AUTOMATIC_REASON] * 2


def test_a_scheduled_round_long_past_its_closing_time_opens_and_closes_in_one_sweep():
    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1), closes_at=london(2027, 2, 8))
        funding.round_schedule(round=round, actor=None)
    with time_machine.travel(london(2027, 3, 1), tick=False):
        funding.rounds_advance_by_clock()
    round.refresh_from_db()
    assert round.status == Round.Status.CLOSED
    assert AuditEvent.objects.filter(verb="round.open").count() == 1


def test_a_manual_move_first_records_what_the_clock_already_did():
    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1), closes_at=london(2027, 3, 1))
        funding.round_schedule(round=round, actor=None)
    with time_machine.travel(london(2027, 2, 10), tick=False):
        funding.round_close(round=round, actor=None)
    round.refresh_from_db()
    assert round.status == Round.Status.CLOSED
    assert round.closes_at == london(2027, 2, 10)
    assert list(
        AuditEvent.objects.filter(verb__in=ROUND_MOVES)
        .order_by("id")
        .values_list("to_state", "reason")
    ) == [("scheduled", ""), ("open", funding.AUTOMATIC_REASON), ("closed", "")]


def test_a_scheduled_round_whose_form_was_unpublished_goes_back_to_draft():
    from rounds.services.form_builder import form_unpublish

    actor = commissioner()
    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1))
        funding.round_schedule(round=round, actor=None)
        form_unpublish(round=round, actor=actor)
    with time_machine.travel(london(2027, 2, 2), tick=False):
        funding.rounds_advance_by_clock()
    round.refresh_from_db()
    assert round.status == Round.Status.DRAFT


def test_opening_a_closed_round_again_needs_a_reason_and_a_future_closing_date():
    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1), closes_at=london(2027, 3, 1))
        funding.round_schedule(round=round, actor=None)
    with time_machine.travel(london(2027, 3, 2), tick=False):
        funding.rounds_advance_by_clock()
        with pytest.raises(DomainError, match="The closing date has passed"):
            funding.round_open(round=round, actor=None, reason="Extended")
        funding.round_update(round=round, closes_at=london(2027, 3, 9, 17), actor=None)
        with pytest.raises(DomainError, match="Enter why"):
            funding.round_open(round=round, actor=None)
        funding.round_open(round=round, actor=None, reason="Few applications from Whitmore")
    round.refresh_from_db()
    assert round.status == Round.Status.OPEN


# Events --------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_events_must_fit_the_timeline():
    round = create(FundFactory())
    with pytest.raises(DomainError, match="support session must be before the round closes"):
        funding.round_event_create(
            round=round, kind="support", starts_at=london(2027, 3, 13, 10), actor=None
        )
    with pytest.raises(DomainError, match="panel meeting must be after the round closes"):
        funding.round_event_create(
            round=round, kind="panel", starts_at=london(2027, 3, 1, 10), actor=None
        )
    with pytest.raises(DomainError, match="on or before the decisions date"):
        funding.round_event_create(
            round=round, kind="interviews", starts_at=london(2027, 4, 10, 10), actor=None
        )
    event = funding.round_event_create(
        round=round, kind="panel", starts_at=london(2027, 4, 1, 10), actor=None
    )
    assert list(round.events.all()) == [event]


@time_machine.travel(NOW, tick=False)
def test_moving_the_closing_date_past_a_support_session_is_refused():
    round = create(FundFactory())
    RoundEventFactory(round=round, starts_at=london(2027, 3, 1, 10))
    with pytest.raises(RoundInvalid, match="no longer fits the timeline"):
        funding.round_update(round=round, closes_at=london(2027, 2, 20, 17), actor=None)


# Copy ----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_copy_brings_the_form_with_remapped_conditions_faqs_guidance_and_eligibility():
    theme, ward = ThemeFactory(), LocalityFactory()
    source = create(
        FundFactory(),
        tier=Round.Tier.SMALL,
        priority_themes=[theme],
        eligible_localities=[ward],
        allowed_legal_forms=["cio"],
        maximum_annual_income=Decimal("50000"),
    )
    Faq.objects.create(round=source, question="Can we apply twice?", answer="No.", order=1)
    guide = GuidanceResource(round=source, title="Budget template", order=1)
    guide.file.save("budget.xlsx", ContentFile(b"data"))
    conditional = Question.objects.filter(section__round=source, condition_question__isnull=False)
    assert conditional.exists()

    copy = funding.round_copy(
        source=source,
        title="Loneliness micro grants 2028",
        slug="loneliness-2028",
        opens_at=london(2028, 2, 1, 9),
        closes_at=london(2028, 3, 12, 17),
        actor=None,
    )

    assert copy.copied_from == source
    assert copy.status == Round.Status.DRAFT and copy.form_published_at is None
    assert list(copy.priority_themes.all()) == [theme]
    assert list(copy.eligible_localities.all()) == [ward]
    assert (copy.allowed_legal_forms, copy.maximum_annual_income) == (["cio"], Decimal("50000"))
    assert copy.scoring_due_on == datetime.date(2028, 3, 26)
    labels = list(Question.objects.filter(section__round=copy).values_list("label", flat=True))
    assert labels == list(
        Question.objects.filter(section__round=source).values_list("label", flat=True)
    )
    for question in Question.objects.filter(section__round=copy, condition_question__isnull=False):
        assert question.condition_question.section.round_id == copy.pk
    assert copy.faqs.get().question == "Can we apply twice?"
    assert copy.guidance.get().file.name == guide.file.name
    assert fund_totals(fund=source.fund).allocated == Decimal("10000")


@time_machine.travel(NOW, tick=False)
def test_copy_refuses_more_money_than_the_fund_has_left():
    source = create(FundFactory(amount=Decimal("8000")))
    with pytest.raises(RoundInvalid) as caught:
        funding.round_copy(
            source=source,
            title="Again",
            slug="again",
            opens_at=london(2028, 2, 1, 9),
            closes_at=london(2028, 3, 12, 17),
            actor=None,
        )
    assert "£3,000" in caught.value.errors["amount_available"]


def test_the_beat_task_advances_rounds():
    from rounds.tasks import advance_rounds

    with time_machine.travel(NOW, tick=False):
        round = ready_round(opens_at=london(2027, 2, 1))
        funding.round_schedule(round=round, actor=None)
    with time_machine.travel(london(2027, 2, 2), tick=False):
        assert advance_rounds.delay().get() == [round.slug]


@time_machine.travel(london(2027, 3, 20, 12), tick=False)
def test_a_round_set_up_before_it_opened_can_be_recorded_and_the_clock_closes_it():
    set_up_at = london(2027, 1, 20, 9)
    fund = FundFactory()
    assert "closes_at" in problems_of(fund)
    round = create(fund, now=set_up_at)
    form_publish(round=round, actor=None)
    with pytest.raises(DomainError, match="opening date has passed"):
        funding.round_schedule(round=round, actor=None)
    funding.round_schedule(round=round, actor=None, now=set_up_at)
    funding.rounds_advance_by_clock()
    round.refresh_from_db()
    assert round.created_at == set_up_at
    assert round.status == Round.Status.CLOSED
    assert list(
        AuditEvent.objects.filter(target_id=str(round.pk), verb__startswith="round.")
        .order_by("id")
        .values_list("verb", flat=True)
    )[-3:] == ["round.scheduled", "round.open", "round.closed"]
