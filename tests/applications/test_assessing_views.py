"""Commissioners' list, spreadsheet and application pages."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import DueDiligenceItem
from microcomm.models import AuditEvent
from rounds.models import Question
from tests.applications.factories import (
    AnswerFactory,
    BudgetLineFactory,
    DocumentFactory,
    DueDiligenceItemFactory,
    SubmittedApplicationFactory,
)
from tests.microcomm.factories import (
    LocalityFactory,
    OrganisationFactory,
    ThemeFactory,
    commissioner,
)
from tests.rounds.factories import OpenRoundFactory, QuestionFactory, closed_round, draft_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss_client(client):
    client.force_login(commissioner())
    return client


def list_url(round):
    return reverse("applications:manage-application-list", args=[round.slug])


def shown_references(response):
    return [a.reference for a in response.context["page"].object_list]


def test_the_assessment_is_linked_from_home_the_rounds_list_and_the_round_page(boss_client):
    """A closed round tells the commissioner to start the assessment: each place links to it."""
    closed = closed_round(title="Winter warmth")
    draft = draft_round(title="Not yet published")
    link = f'href="{list_url(closed)}"'
    pages = {
        "home": reverse("microcomm:home"),
        "rounds list": reverse("rounds:round-list"),
        "round page": reverse("rounds:round-detail", args=[closed.slug]),
    }

    missing = [
        name for name, url in pages.items() if link not in boss_client.get(url).content.decode()
    ]

    assert missing == []
    home = boss_client.get(pages["home"]).content.decode()
    assert "Closed: start the assessment" in home
    assert "Assess the applications" in home
    draft_page = boss_client.get(reverse("rounds:round-detail", args=[draft.slug])).content.decode()
    assert list_url(draft) not in draft_page


def test_list_searches_reference_group_and_project(boss_client):
    round = OpenRoundFactory()
    a = SubmittedApplicationFactory(round=round, title="Knit and natter")
    b = SubmittedApplicationFactory(round=round, organisation__name="Riverside Walkers")
    SubmittedApplicationFactory(round=round)
    url = list_url(round)

    assert shown_references(boss_client.get(url, {"q": "knit"})) == [a.reference]
    assert shown_references(boss_client.get(url, {"q": "riverside"})) == [b.reference]
    assert shown_references(boss_client.get(url, {"q": a.reference})) == [a.reference]


def test_list_filters_by_status_amount_eligibility_and_due_diligence(boss_client):
    round = OpenRoundFactory()
    small = SubmittedApplicationFactory(
        round=round, amount_requested=Decimal("200"), eligibility={"eligible": True}
    )
    big = SubmittedApplicationFactory(
        round=round, amount_requested=Decimal("900"), eligibility={"eligible": False}
    )
    draft = SubmittedApplicationFactory(round=round, status="draft", reference="MC-DRAFT-1")
    overridden = SubmittedApplicationFactory(
        round=round, eligibility={"eligible": False}, eligibility_override_reason="One-off"
    )
    DueDiligenceItemFactory(application=small, verified=True)
    DueDiligenceItemFactory(application=big, verified=False)
    url = list_url(round)

    assert shown_references(boss_client.get(url, {"status": "draft"})) == [draft.reference]
    assert set(shown_references(boss_client.get(url, {"amount_min": "800"}))) == {big.reference}
    assert shown_references(boss_client.get(url, {"amount_max": "300"})) == [small.reference]
    assert shown_references(boss_client.get(url, {"eligibility": "eligible"})) == [small.reference]
    assert shown_references(boss_client.get(url, {"eligibility": "not_eligible"})) == [
        big.reference
    ]
    assert shown_references(boss_client.get(url, {"eligibility": "overridden"})) == [
        overridden.reference
    ]
    assert shown_references(boss_client.get(url, {"due_diligence": "complete"})) == [
        small.reference
    ]
    assert small.reference not in shown_references(
        boss_client.get(url, {"due_diligence": "outstanding"})
    )


def test_list_filters_by_locality_and_priority_answers(boss_client):
    round = OpenRoundFactory()
    north = LocalityFactory(name="Northfield")
    round.eligible_localities.add(north, LocalityFactory(name="Southgate"))
    food = ThemeFactory(pk=3, name="Food")
    lonely = ThemeFactory(pk=31, name="Loneliness")
    round.priority_themes.add(lonely, food)
    where = QuestionFactory(
        section__round=round, kind=Question.Kind.ONE_CHOICE, label="Which locality?"
    )
    priorities = QuestionFactory(section__round=round, kind=Question.Kind.PRIORITIES)
    a = SubmittedApplicationFactory(round=round)
    b = SubmittedApplicationFactory(round=round)
    AnswerFactory(application=a, question=where, value="Northfield")
    AnswerFactory(application=b, question=where, value="Southgate")
    AnswerFactory(application=a, question=priorities, value=["theme:3"])
    AnswerFactory(application=b, question=priorities, value=["theme:31"])
    url = list_url(round)

    assert shown_references(boss_client.get(url, {"locality": north.pk})) == [a.reference]
    # Priorities are chosen by id; "theme:3" does not match "theme:31".
    assert shown_references(boss_client.get(url, {"priority": "theme:3"})) == [a.reference]
    assert shown_references(boss_client.get(url, {"priority": "theme:31"})) == [b.reference]
    page = boss_client.get(url).content.decode()
    assert '<option value="theme:3">Food</option>' in page


def test_list_filters_by_the_places_question_by_id(boss_client, django_assert_max_num_queries):
    round = OpenRoundFactory()
    north = LocalityFactory(pk=7001, name="Northfield PCN", kind="pcn")
    oak = LocalityFactory(pk=7002, name="Oak", parent=north)
    # Its id contains 7001 and its name contains "Northfield": neither may match.
    lookalike = LocalityFactory(pk=70012, name="Northfield Green")
    round.eligible_localities.add(north)
    where = QuestionFactory(
        section__round=round, kind=Question.Kind.LOCALITIES, label="Where will it happen?"
    )
    in_pcn = SubmittedApplicationFactory(round=round)
    in_ward = SubmittedApplicationFactory(round=round)
    elsewhere = SubmittedApplicationFactory(round=round)
    AnswerFactory(application=in_pcn, question=where, value=[north.pk])
    AnswerFactory(application=in_ward, question=where, value=[oak.pk, lookalike.pk])
    AnswerFactory(application=elsewhere, question=where, value=[lookalike.pk])
    url = list_url(round)

    response = boss_client.get(url, {"locality": north.pk})
    assert sorted(shown_references(response)) == sorted([in_pcn.reference, in_ward.reference])
    assert shown_references(boss_client.get(url, {"locality": oak.pk})) == [in_ward.reference]
    with django_assert_max_num_queries(40) as few:
        boss_client.get(url, {"locality": north.pk})
    for _ in range(5):
        AnswerFactory(
            application=SubmittedApplicationFactory(round=round), question=where, value=[oak.pk]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        boss_client.get(url, {"locality": north.pk})


def test_detail_shows_the_places_by_name(boss_client):
    round = OpenRoundFactory()
    oak = LocalityFactory(name="Oak")
    where = QuestionFactory(
        section__round=round, kind=Question.Kind.LOCALITIES, label="Where will it happen?"
    )
    application = SubmittedApplicationFactory(round=round)
    AnswerFactory(application=application, question=where, value=[oak.pk])

    response = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    )

    assert "Oak" in response.content.decode()


def test_list_without_a_locality_question_says_why_it_cannot_filter_by_place(boss_client):
    round = OpenRoundFactory()

    response = boss_client.get(list_url(round))

    assert "cannot be filtered by locality" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("organisation", ["A", "B", "C"]),
        ("-organisation", ["C", "B", "A"]),
        ("amount", ["B", "C", "A"]),
        ("reference", ["C", "A", "B"]),
    ],
)
def test_list_sorts(boss_client, sort, expected):
    round = OpenRoundFactory()
    for name, amount, reference in [("A", 900, "R-2"), ("B", 100, "R-3"), ("C", 500, "R-1")]:
        SubmittedApplicationFactory(
            round=round,
            organisation=OrganisationFactory(name=f"{name} group"),
            amount_requested=Decimal(amount),
            reference=reference,
        )

    response = boss_client.get(list_url(round), {"sort": sort})

    names = [a.organisation.name[0] for a in response.context["page"].object_list]
    assert names == expected


def test_list_paginates(boss_client):
    round = OpenRoundFactory()
    SubmittedApplicationFactory.create_batch(27, round=round)

    response = boss_client.get(list_url(round), {"page": 2})

    assert len(response.context["page"].object_list) == 2
    assert "27 applications" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_costs_the_same_number_of_queries_for_any_number(
    boss_client, django_assert_max_num_queries, count
):
    round = OpenRoundFactory()
    for application in SubmittedApplicationFactory.create_batch(count, round=round):
        DueDiligenceItemFactory(application=application)

    with django_assert_max_num_queries(12):
        response = boss_client.get(list_url(round), {"due_diligence": "outstanding"})

    assert response.status_code == 200


def _csv(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


@pytest.mark.parametrize("dangerous", ["=SUM(A1)", "+44 1234", "-5", "@cmd", "\tTab", "\rCR"])
def test_csv_makes_formulas_inert(boss_client, dangerous):
    round = OpenRoundFactory()
    SubmittedApplicationFactory(
        round=round, title=dangerous, organisation=OrganisationFactory(name=dangerous)
    )

    rows = _csv(boss_client.get(reverse("applications:manage-application-csv", args=[round.slug])))

    assert rows[0][:3] == ["Reference", "Group", "Project"]
    assert rows[1][1] == "'" + dangerous
    assert rows[1][2] == "'" + dangerous


def test_csv_follows_the_filters(boss_client):
    round = OpenRoundFactory()
    kept = SubmittedApplicationFactory(round=round, title="Knit and natter")
    SubmittedApplicationFactory(round=round, title="Walking football")

    rows = _csv(
        boss_client.get(
            reverse("applications:manage-application-csv", args=[round.slug]), {"q": "knit"}
        )
    )

    assert [row[0] for row in rows[1:]] == [kept.reference]


def test_detail_shows_answers_in_order_budget_documents_and_checklist(boss_client):
    round = OpenRoundFactory()
    second = QuestionFactory(section__round=round, section__order=2, label="Second q")
    first = QuestionFactory(section__round=round, section__order=1, label="First q")
    money = QuestionFactory(section=first.section, kind=Question.Kind.MONEY, label="Cost?")
    application = SubmittedApplicationFactory(round=round)
    AnswerFactory(application=application, question=first, value="Alpha answer")
    AnswerFactory(application=application, question=second, value="Beta answer")
    AnswerFactory(application=application, question=money, value="1234.5")
    BudgetLineFactory(application=application, item="Hall hire", amount=Decimal("300"))
    BudgetLineFactory(application=application, item="Tea", amount=Decimal("50.50"))
    DocumentFactory(organisation=application.organisation, title="Our rules")
    DueDiligenceItemFactory(application=application, code="governing", label="Rules")

    body = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    ).content.decode()

    assert body.index("Alpha answer") < body.index("Beta answer")
    assert "£1,234.50" in body
    assert "£350.50" in body
    assert "Our rules" in body
    assert "1 of 1 check outstanding" in body


def test_verify_then_unverify_from_the_page(boss_client):
    item = DueDiligenceItemFactory(label="Bank account")
    url = reverse("applications:manage-due-diligence-verify", args=[item.application_id, item.pk])

    response = boss_client.post(
        url, {f"item-{item.pk}-verified": "yes", f"item-{item.pk}-note": "Statement seen"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.verified and item.note == "Statement seen"
    boss_client.post(url, {f"item-{item.pk}-verified": "no", f"item-{item.pk}-note": ""})
    item.refresh_from_db()
    assert item.verified is False


def test_verify_without_a_note_shows_the_error(boss_client):
    item = DueDiligenceItemFactory()
    url = reverse("applications:manage-due-diligence-verify", args=[item.application_id, item.pk])

    response = boss_client.post(url, {f"item-{item.pk}-verified": "yes"})

    assert response.status_code == 400
    assert "Enter what you checked" in response.content.decode()
    assert not DueDiligenceItem.objects.get(pk=item.pk).verified


def test_override_from_the_page_shows_in_the_timeline(boss_client):
    application = SubmittedApplicationFactory(
        eligibility={"eligible": False, "reasons": ["The amount is too high"]}
    )
    url = reverse("applications:manage-application-override", args=[application.pk])

    response = boss_client.post(url, {"reason": "Agreed at panel"}, follow=True)

    body = response.content.decode()
    assert "Overrode the eligibility check" in body
    assert "Reason: Agreed at panel" in body
    assert AuditEvent.objects.filter(verb="application.eligibility_override").count() == 1


def test_override_without_a_reason_shows_the_error(boss_client):
    application = SubmittedApplicationFactory(eligibility={"eligible": False, "reasons": ["x"]})
    url = reverse("applications:manage-application-override", args=[application.pk])

    response = boss_client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert "Enter why this application may go ahead" in response.content.decode()


def test_reopen_after_the_round_closes_is_refused(boss_client):
    from django.utils import timezone

    application = SubmittedApplicationFactory(
        round__opens_at=timezone.now() - timezone.timedelta(days=30),
        round__closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    url = reverse("applications:manage-application-reopen", args=[application.pk])

    response = boss_client.post(url, {"reason": "Fix the budget"})

    assert response.status_code == 400
    assert "only before the round closes" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_csv_gives_the_submitted_time_in_words_not_iso(boss_client):
    round = OpenRoundFactory()
    SubmittedApplicationFactory(
        round=round, submitted_at=datetime.datetime(2027, 3, 12, 17, 0, tzinfo=datetime.UTC)
    )

    rows = _csv(boss_client.get(reverse("applications:manage-application-csv", args=[round.slug])))

    assert rows[0][5] == "Submitted"
    assert rows[1][5] == "5pm on 12 March 2027"


def test_the_assessor_sees_that_the_groups_insurance_has_expired(boss_client):
    application = SubmittedApplicationFactory(round=OpenRoundFactory())
    DocumentFactory(
        organisation=application.organisation,
        kind="insurance",
        title="Public liability cover",
        expires_on=datetime.date(2020, 5, 31),
    )
    DueDiligenceItemFactory(application=application, code="insurance", label="Insurance")

    body = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    ).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Expired 31 May 2020</strong>' in body
