import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from microcomm.models import AuditEvent
from rounds.fund_totals import fund_totals
from rounds.models import Fund, Question, Round
from rounds.services import funding
from rounds.services.form_builder import form_create_default
from tests.microcomm.factories import (
    LocalityFactory,
    ThemeFactory,
    applicant,
    commissioner,
    link_worker,
)
from tests.rounds.factories import (
    FundFactory,
    NeedFactory,
    RoundEventFactory,
    RoundFactory,
    london,
    ready_round,
    round_with_form,
)

pytestmark = pytest.mark.django_db

NOW = london(2027, 1, 10, 12)


ROLES = {
    "anonymous": lambda: None,
    "applicant": applicant,
    "link worker": link_worker,
    "commissioner": commissioner,
}
MANAGERS_ONLY = {"applicant": 403, "link worker": 403, "commissioner": 200}
# Funds and draft rounds: nobody but commissioners may know they exist.
HIDDEN = {"applicant": 404, "link worker": 404, "commissioner": 200}

# (url name, kwargs kind, method, expected status per signed-in role)
ACCESS = [
    ("fund-list", None, "get", MANAGERS_ONLY),
    ("fund-create", None, "get", MANAGERS_ONLY),
    ("fund-detail", "fund", "get", HIDDEN),
    ("fund-edit", "fund", "get", HIDDEN),
    ("round-list", None, "get", MANAGERS_ONLY),
    ("round-create", None, "get", MANAGERS_ONLY),
    ("round-detail", "round", "get", HIDDEN),
    ("round-edit", "round", "get", HIDDEN),
    ("round-copy", "round", "get", HIDDEN),
    ("round-event-create", "round", "get", HIDDEN),
    ("round-status", "round", "post", {"applicant": 404, "link worker": 404, "commissioner": 302}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kind", "method", "expected"), ACCESS)
def test_only_commissioners_may_open_the_funding_pages(client, role, name, kind, method, expected):
    round = ready_round()
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    kwargs = {"fund": {"pk": round.fund.pk}, "round": {"slug": round.slug}, None: None}[kind]
    response = getattr(client, method)(
        reverse(f"rounds:{name}", kwargs=kwargs), {"to": "scheduled"} if method == "post" else {}
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_calendar_of_a_published_round_is_public(client, role):
    round = ready_round()
    funding.round_schedule(round=round, actor=None)
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("rounds:round-calendar", kwargs={"slug": round.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


@pytest.mark.parametrize(("role", "status"), [("anonymous", 404), ("commissioner", 200)])
def test_the_calendar_of_a_draft_round_is_for_commissioners_only(client, role, status):
    round = RoundFactory()
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("rounds:round-calendar", args=[round.slug])).status_code == status


# Funds ---------------------------------------------------------------------------------


def fund_post(**overrides):
    data = {
        "name": "Wellbeing Fund",
        "description": "Pooled money",
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2027",
        "ends_on_day": "31",
        "ends_on_month": "3",
        "ends_on_year": "2029",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "20",
        "sources-0-name": "NHS ICB",
        "sources-0-kind": "nhs",
        "sources-0-amount": "£30,000",
        "sources-0-restriction": "Only for social prescribing",
        "sources-1-name": "Borough council",
        "sources-1-kind": "council",
        "sources-1-amount": "20000.50",
        "sources-1-restriction": "",
    }
    data.update(overrides)
    return data


def test_a_commissioner_adds_a_pooled_fund(client):
    client.force_login(commissioner())
    response = client.post(reverse("rounds:fund-create"), fund_post())
    fund = Fund.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rounds:fund-detail", args=[fund.pk])
    assert fund_totals(fund=fund).total == Decimal("50000.50")
    page = client.get(response["Location"]).content.decode()
    assert "£50,000.50" in page and "Only for social prescribing" in page


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"name": ""}, "id_name", "Enter the name of the fund"),
        ({"ends_on_year": "2026"}, "id_ends_on_day", "The end date must be after the start date"),
        (
            {"sources-0-amount": "ten thousand"},
            "id_sources-0-amount",
            "Source 1: enter the amount from this source as an amount of money in pounds",
        ),
        (
            {"sources-1-amount": "12.345"},
            "id_sources-1-amount",
            "Source 2: enter the amount from this source with no more than 2 decimal places",
        ),
        ({"sources-1-kind": ""}, "id_sources-1-kind", "Source 2: select the kind of source"),
        ({"sources-1-name": ""}, "id_sources-1-name", "Source 2: enter who the money comes from"),
    ],
)
def test_bad_fund_input_is_shown_by_its_field(client, overrides, anchor, message):
    client.force_login(commissioner())
    response = client.post(reverse("rounds:fund-create"), fund_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<a href="#{anchor}">{re.escape(message)}', page), page
    assert not Fund.objects.exists()


def test_a_fund_needs_at_least_one_source(client):
    client.force_login(commissioner())
    blank = {
        f"sources-{n}-{field}": ""
        for n in (0, 1)
        for field in ("name", "kind", "amount", "restriction")
    }
    response = client.post(reverse("rounds:fund-create"), fund_post(**blank))
    assert "Add at least one funding source" in response.content.decode()


def test_editing_a_fund_replaces_its_sources(client):
    fund = FundFactory(amount=Decimal("10000"))
    client.force_login(commissioner())
    data = fund_post(
        **{
            "name": fund.name,
            "sources-TOTAL_FORMS": "2",
            "sources-INITIAL_FORMS": "1",
            "sources-0-amount": "12000",
            "sources-1-name": "",
            "sources-1-kind": "",
            "sources-1-amount": "",
        }
    )
    response = client.post(reverse("rounds:fund-edit", args=[fund.pk]), data)
    assert response.status_code == 302
    assert fund_totals(fund=fund).total == Decimal("12000")


# Rounds --------------------------------------------------------------------------------


def round_post(fund, **overrides):
    data = {
        "fund": str(fund.pk),
        "title": "Loneliness micro grants",
        "slug": "",
        "summary": "Grants for groups that bring people together.",
        "amount_available": "£5,000",
        "minimum_grant": "100",
        "maximum_grant": "1,000",
        "tier": "micro",
        "must_address_priority": "on",
        "opens_on_day": "1",
        "opens_on_month": "2",
        "opens_on_year": "2027",
        "opens_time": "9am",
        "closes_on_day": "12",
        "closes_on_month": "3",
        "closes_on_year": "2027",
        "closes_time": "5pm",
        "scoring_due_on_day": "26",
        "scoring_due_on_month": "3",
        "scoring_due_on_year": "2027",
        "decisions_by_day": "9",
        "decisions_by_month": "4",
        "decisions_by_year": "2027",
        "grants_start_on_day": "1",
        "grants_start_on_month": "5",
        "grants_start_on_year": "2027",
        "first_monitoring_due_on_day": "1",
        "first_monitoring_due_on_month": "8",
        "first_monitoring_due_on_year": "2027",
        "evaluation_due_on_day": "1",
        "evaluation_due_on_month": "4",
        "evaluation_due_on_year": "2028",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_a_commissioner_sets_up_a_round_and_sees_its_timeline(client):
    fund = FundFactory()
    theme = ThemeFactory()
    client.force_login(commissioner())
    response = client.post(
        reverse("rounds:round-create"), round_post(fund, priority_themes=[theme.pk])
    )
    round = Round.objects.get()
    assert response["Location"] == reverse("rounds:round-detail", args=["loneliness-micro-grants"])
    assert round.amount_available == Decimal("5000.00")
    assert round.closes_at == london(2027, 3, 12, 17)
    assert list(round.priority_themes.all()) == [theme]
    page = client.get(response["Location"]).content.decode()
    assert "5pm on 12 March 2027" in page
    assert "9am on 1 February 2027" in page
    assert 'class="mc-timeline"' in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        (
            {"closes_on_month": "1", "closes_on_day": "20"},
            "id_closes_on_day",
            "The closing date must be after the opening date",
        ),
        (
            {
                "opens_on_month": "1",
                "opens_on_day": "2",
                "closes_on_month": "1",
                "closes_on_day": "5",
            },
            "id_closes_on_day",
            "The closing date must be in the future",
        ),
        (
            {"minimum_grant": "900", "maximum_grant": "800"},
            "id_minimum_grant",
            "Enter a minimum grant that is no more than the maximum grant of £800",
        ),
        (
            {"amount_available": "500", "maximum_grant": "800"},
            "id_maximum_grant",
            "Enter a maximum grant that is no more than the round&#x27;s amount of £500",
        ),
        (
            {"amount_available": "£60,000"},
            "id_amount_available",
            "Enter an amount that is no more than the £50,000",
        ),
        (
            {"maximum_grant": "1k"},
            "id_maximum_grant",
            "Enter the maximum grant as an amount of money in pounds, like £1,000 or £1,000.50",
        ),
        (
            {"minimum_grant": "100.001"},
            "id_minimum_grant",
            "Enter the minimum grant with no more than 2 decimal places",
        ),
        ({"closes_time": "teatime"}, "id_closes_time", "Enter the closing time as a time"),
        (
            {"scoring_due_on_month": "2"},
            "id_scoring_due_on_day",
            "The scoring due date must be after the closing date",
        ),
        ({"slug": "taken"}, "id_slug", "A round already uses this web address"),
        ({"slug": "Not A Slug"}, "id_slug", "Enter a web address using only lower-case"),
    ],
)
def test_bad_round_input_is_shown_by_its_field(client, overrides, anchor, message):
    fund = FundFactory(amount=Decimal("50000"))
    RoundFactory(slug="taken", fund=FundFactory(), opens_at=london(2027, 2, 1))
    client.force_login(commissioner())
    response = client.post(reverse("rounds:round-create"), round_post(fund, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<a href="#{anchor}">{re.escape(message)}', page), page
    assert Round.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_start_a_round_from_gaps_prefills_the_priorities(client):
    theme, ward = ThemeFactory(), LocalityFactory()
    need = NeedFactory(theme=theme, locality=ward)
    other = NeedFactory()
    client.force_login(commissioner())
    response = client.get(
        reverse("rounds:round-create"), {"gap": f"{theme.pk}-{ward.pk}", "need": "x"}
    )
    form = response.context["form"]
    assert list(form.initial["priority_themes"]) == [theme]
    assert list(form.initial["priority_localities"]) == [ward]
    assert need in form.initial["priority_needs"] and other not in form.initial["priority_needs"]
    page = response.content.decode()
    assert re.search(rf'value="{theme.pk}"[^>]*checked', page)
    assert "filled in from the gaps you chose" in page


@time_machine.travel(NOW, tick=False)
def test_starting_from_two_gaps_ticks_only_the_needs_in_those_two_cells(client):
    lonely, money = ThemeFactory(name="Loneliness"), ThemeFactory(name="Money")
    abbey, canal = LocalityFactory(name="Abbey"), LocalityFactory(name="Canal")
    chosen = [NeedFactory(theme=lonely, locality=abbey), NeedFactory(theme=money, locality=canal)]
    # The same themes in the other chosen place: not a chosen gap.
    NeedFactory(theme=lonely, locality=canal)
    NeedFactory(theme=money, locality=abbey)
    client.force_login(commissioner())

    response = client.get(
        reverse("rounds:round-create"),
        {"gap": [f"{lonely.pk}-{abbey.pk}", f"{money.pk}-{canal.pk}"]},
    )

    assert set(response.context["form"].initial["priority_needs"]) == set(chosen)
    page = response.content.decode()
    ticked = re.findall(r'name="priority_needs" type="checkbox" value="(\d+)" checked', page)
    assert sorted(int(pk) for pk in ticked) == sorted(need.pk for need in chosen)


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "1-²", "-1", "1-"])
def test_a_start_link_with_odd_ids_sets_up_a_round_without_them(client, value):
    client.force_login(commissioner())

    response = client.get(
        reverse("rounds:round-create"), {"gap": value, "theme": value, "need": value}
    )

    assert response.status_code == 200
    assert not response.context["form"].initial["priority_needs"]


@time_machine.travel(NOW, tick=False)
def test_editing_a_round_keeps_its_values_and_saves_changes(client):
    round = RoundFactory(opens_at=london(2027, 2, 1, 9))
    client.force_login(commissioner())
    page = client.get(reverse("rounds:round-edit", args=[round.slug])).content.decode()
    assert 'value="9am"' in page and 'value="1,000"' in page
    response = client.post(
        reverse("rounds:round-edit", args=[round.slug]),
        round_post(round.fund, slug=round.slug, title="New title", maximum_grant="750"),
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert (round.title, round.maximum_grant) == ("New title", Decimal("750"))


def _micro_round_with_its_form():
    round = RoundFactory(opens_at=london(2027, 2, 1, 9), tier=Round.Tier.MICRO)
    form_create_default(round=round, actor=None)
    return round


def _labels(round):
    return list(
        Question.objects.filter(section__round=round)
        .order_by("section__order", "order")
        .values_list("label", flat=True)
    )


def test_changing_the_tier_says_what_it_adds_and_saves_nothing_until_confirmed(client):
    round = _micro_round_with_its_form()
    before = _labels(round)
    client.force_login(commissioner())
    url = reverse("rounds:round-edit", args=[round.slug])
    data = round_post(round.fund, slug=round.slug, tier="small", title="Bigger grants")

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Change the size of grants to small" in page
    assert "5 questions will be added to the form" in page
    assert "What difference will your activity make to the people who take part?" in page
    assert "Does your group have a safeguarding policy?" in page
    assert "Public liability insurance" in page
    assert "What will you do with the grant?" not in page
    round.refresh_from_db()
    assert (round.tier, round.title) == ("micro", round.title)
    assert _labels(round) == before

    back = client.post(url, {**data, "tier_back": "1"})
    assert back.status_code == 200
    assert "Edit the round" in back.content.decode()
    assert _labels(round) == before

    confirmed = client.post(url, {**data, "tier_confirmed": "1"})

    assert confirmed.status_code == 302
    round.refresh_from_db()
    assert (round.tier, round.title) == ("small", "Bigger grants")
    labels = _labels(round)
    assert labels[: len(before)] == before
    assert "Other funding" in list(round.sections.values_list("title", flat=True))
    policy = Question.objects.get(section__round=round, label="Upload your safeguarding policy")
    assert policy.condition_question.label == "Does your group have a safeguarding policy?"
    assert policy.condition_value == "yes"
    event = AuditEvent.objects.get(verb="round.form_apply_tier")
    assert len(event.detail["questions"]) == 5


def test_changing_the_tier_back_and_again_adds_no_question_twice(client):
    round = _micro_round_with_its_form()
    client.force_login(commissioner())
    url = reverse("rounds:round-edit", args=[round.slug])
    for tier in ("standard", "micro", "standard"):
        data = round_post(round.fund, slug=round.slug, tier=tier, maximum_grant="1,000")
        assert client.post(url, {**data, "tier_confirmed": "1"}).status_code == 302
    labels = _labels(round)
    assert len(labels) == len(set(labels))
    assert "How will the activity carry on after the grant ends?" in labels


@time_machine.travel(NOW, tick=False)
def test_the_status_buttons_move_the_round_and_refusals_show_on_the_page(client):
    round = ready_round(published=False, opens_at=london(2027, 2, 1))
    client.force_login(commissioner())
    url = reverse("rounds:round-detail", args=[round.slug])
    page = client.get(url).content.decode()
    assert "Publish the application form before you schedule" in page
    assert 'value="scheduled"' not in page

    response = client.post(reverse("rounds:round-status", args=[round.slug]), {"to": "scheduled"})
    assert response.status_code == 200
    assert "Publish the application form" in response.content.decode()

    from rounds.services.form_builder import form_publish

    form_publish(round=round, actor=None)
    response = client.post(reverse("rounds:round-status", args=[round.slug]), {"to": "scheduled"})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == Round.Status.SCHEDULED
    page = client.get(url).content.decode()
    assert "It opens by itself at 9am on 1 February 2027" in page
    assert AuditEvent.objects.filter(verb="round.scheduled", to_state="scheduled").exists()


@time_machine.travel(NOW, tick=False)
def test_copying_a_round_starts_a_draft(client):
    source = round_with_form(opens_at=london(2027, 2, 1, 9), amount_available=Decimal("4000"))
    client.force_login(commissioner())
    response = client.post(
        reverse("rounds:round-copy", args=[source.slug]),
        {
            "title": "Next year",
            "slug": "next-year",
            "amount_available": "4,000",
            "opens_on_day": "1",
            "opens_on_month": "2",
            "opens_on_year": "2028",
            "opens_time": "9am",
            "closes_on_day": "1",
            "closes_on_month": "3",
            "closes_on_year": "2028",
            "closes_time": "5pm",
        },
    )
    assert response["Location"] == reverse("rounds:round-detail", args=["next-year"])
    copy = Round.objects.get(slug="next-year")
    assert copy.copied_from == source and copy.sections.exists()


@time_machine.travel(NOW, tick=False)
def test_adding_an_event_shows_it_on_the_timeline_or_says_why_not(client):
    round = RoundFactory(opens_at=london(2027, 2, 1, 9), closes_at=london(2027, 3, 1, 17))
    client.force_login(commissioner())
    url = reverse("rounds:round-event-create", args=[round.slug])
    data = {
        "kind": "support",
        "starts_on_day": "2",
        "starts_on_month": "3",
        "starts_on_year": "2027",
        "starts_time": "10:30am",
        "title": "Drop-in",
    }
    response = client.post(url, data)
    assert re.search(
        r'<a href="#id_starts_on_day">An applicant support session must be before',
        response.content.decode(),
    )
    response = client.post(url, {**data, "starts_on_day": "10", "starts_on_month": "2"})
    assert response.status_code == 302
    page = client.get(reverse("rounds:round-detail", args=[round.slug])).content.decode()
    assert "10:30am on 10 February 2027" in page


# Query budgets -------------------------------------------------------------------------


def test_the_fund_list_costs_the_same_for_many_funds(client, django_assert_max_num_queries):
    client.force_login(commissioner())
    for _ in range(12):
        fund = FundFactory()
        RoundFactory.create_batch(2, fund=fund)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("rounds:fund-list"))
    assert response.content.decode().count("/funds/") >= 12


def test_the_round_list_costs_the_same_for_many_rounds(client, django_assert_max_num_queries):
    client.force_login(commissioner())
    RoundFactory.create_batch(15)
    # The list is paginated: one query counts the rounds, one reads the page.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("rounds:round-list"))
    assert response.content.decode().count("/manage/rounds/micro-grants-") == 15


def test_the_round_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    round = round_with_form()
    RoundEventFactory.create_batch(5, round=round)
    round.priority_needs.set(NeedFactory.create_batch(5))
    client.force_login(commissioner())
    with django_assert_max_num_queries(16):
        response = client.get(reverse("rounds:round-detail", args=[round.slug]))
    assert response.status_code == 200


def test_the_fund_totals_add_up_on_the_list(client):
    fund = FundFactory(amount=Decimal("20000"))
    RoundFactory(fund=fund, amount_available=Decimal("5000"))
    RoundFactory(fund=fund, amount_available=Decimal("2500.50"))
    client.force_login(commissioner())
    page = client.get(reverse("rounds:fund-list")).content.decode()
    for amount in ("£20,000", "£7,500.50", "£12,499.50"):
        assert amount in page


# Gaps and home -------------------------------------------------------------------------


def test_the_gaps_page_offers_a_round_only_to_commissioners(client):
    theme, ward = ThemeFactory(), LocalityFactory()
    NeedFactory(theme=theme, locality=ward, signal_count=3)
    client.force_login(link_worker())
    assert "Start a round" not in client.get("/gaps/").content.decode()
    client.force_login(commissioner())
    page = client.get("/gaps/").content.decode()
    link = reverse("rounds:round-create") + f"?gap={theme.pk}-{ward.pk}"
    assert f'href="{link}"' in page
    assert "Start a round from this gap<" in page


@time_machine.travel(NOW, tick=False)
def test_the_home_page_lists_rounds_needing_attention(client):
    round = ready_round(opens_at=london(2027, 1, 15, 9))
    funding.round_schedule(round=round, actor=None)
    RoundFactory(title="Unfinished draft", opens_at=london(2027, 3, 1))
    client.force_login(commissioner())
    page = client.get(reverse("microcomm:home")).content.decode()
    assert "Funding rounds that need your attention" in page
    assert "Opens soon: 9am on 15 January 2027" in page
    assert "Draft: publish the application form, then schedule the round" in page


def test_the_money_field_accepts_pounds_and_commas():
    from rounds.forms.funding import MoneyField

    field = MoneyField(label="Amount", error_label="amount")
    assert field.clean("£1,000") == Decimal("1000.00")
    assert field.clean(" 1000.5 ") == Decimal("1000.50")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5pm", datetime.time(17)),
        ("5:30 pm", datetime.time(17, 30)),
        ("10.30am", datetime.time(10, 30)),
        ("17:00", datetime.time(17)),
        ("12am", datetime.time(0)),
        ("noon", datetime.time(12)),
        ("13pm", None),
        ("25:00", None),
    ],
)
def test_times_are_read_as_people_write_them(text, expected):
    from rounds.forms.funding import parse_time

    assert parse_time(text) == expected


def test_the_round_list_shows_25_rounds_a_page(client):
    client.force_login(commissioner())
    RoundFactory.create_batch(30)

    first = client.get(reverse("rounds:round-list")).text
    second = client.get(reverse("rounds:round-list"), {"page": 2}).text

    assert first.count("/manage/rounds/micro-grants-") == 25
    assert 'class="govuk-pagination"' in first
    assert second.count("/manage/rounds/micro-grants-") == 5
