"""Commissioners' list, spreadsheet and application pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import DueDiligenceItem
from microcomm.models import AuditEvent
from rounds.models import Question
from tests.applications.assess_factories import (
    AssessAnswerFactory,
    AssessApplicationFactory,
    AssessBudgetLineFactory,
    AssessDocumentFactory,
    AssessDueDiligenceItemFactory,
    AssessOrganisationFactory,
    AssessQuestionFactory,
    AssessRoundFactory,
)
from tests.microcomm.factories import LocalityFactory, ThemeFactory, commissioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss_client(client):
    client.force_login(commissioner())
    return client


def list_url(round):
    return reverse("applications:manage-application-list", args=[round.slug])


def shown_references(response):
    return [a.reference for a in response.context["page"].object_list]


def test_list_searches_reference_group_and_project(boss_client):
    round = AssessRoundFactory()
    a = AssessApplicationFactory(round=round, title="Knit and natter")
    b = AssessApplicationFactory(round=round, organisation__name="Riverside Walkers")
    AssessApplicationFactory(round=round)
    url = list_url(round)

    assert shown_references(boss_client.get(url, {"q": "knit"})) == [a.reference]
    assert shown_references(boss_client.get(url, {"q": "riverside"})) == [b.reference]
    assert shown_references(boss_client.get(url, {"q": a.reference})) == [a.reference]


def test_list_filters_by_status_amount_eligibility_and_due_diligence(boss_client):
    round = AssessRoundFactory()
    small = AssessApplicationFactory(
        round=round, amount_requested=Decimal("200"), eligibility={"eligible": True}
    )
    big = AssessApplicationFactory(
        round=round, amount_requested=Decimal("900"), eligibility={"eligible": False}
    )
    draft = AssessApplicationFactory(round=round, status="draft", reference="MC-DRAFT-1")
    overridden = AssessApplicationFactory(
        round=round, eligibility={"eligible": False}, eligibility_override_reason="One-off"
    )
    AssessDueDiligenceItemFactory(application=small, verified=True)
    AssessDueDiligenceItemFactory(application=big, verified=False)
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
    round = AssessRoundFactory()
    north = LocalityFactory(name="Northfield")
    round.eligible_localities.add(north, LocalityFactory(name="Southgate"))
    round.priority_themes.add(ThemeFactory(name="Loneliness"), ThemeFactory(name="Food"))
    where = AssessQuestionFactory(
        section__round=round, kind=Question.Kind.ONE_CHOICE, label="Which locality?"
    )
    priorities = AssessQuestionFactory(section__round=round, kind=Question.Kind.PRIORITIES)
    a = AssessApplicationFactory(round=round)
    b = AssessApplicationFactory(round=round)
    AssessAnswerFactory(application=a, question=where, value="Northfield")
    AssessAnswerFactory(application=b, question=where, value="Southgate")
    AssessAnswerFactory(application=a, question=priorities, value=["0"])
    AssessAnswerFactory(application=b, question=priorities, value=["Loneliness"])
    url = list_url(round)

    assert shown_references(boss_client.get(url, {"locality": north.pk})) == [a.reference]
    # Themes come in name order: 0 is Food, 1 is Loneliness (by position or by label).
    assert shown_references(boss_client.get(url, {"priority": "0"})) == [a.reference]
    assert shown_references(boss_client.get(url, {"priority": "1"})) == [b.reference]


def test_list_filters_by_the_places_question_by_id(boss_client, django_assert_max_num_queries):
    round = AssessRoundFactory()
    north = LocalityFactory(pk=7001, name="Northfield PCN", kind="pcn")
    oak = LocalityFactory(pk=7002, name="Oak", parent=north)
    # Its id contains 7001 and its name contains "Northfield": neither may match.
    lookalike = LocalityFactory(pk=70012, name="Northfield Green")
    round.eligible_localities.add(north)
    where = AssessQuestionFactory(
        section__round=round, kind=Question.Kind.LOCALITIES, label="Where will it happen?"
    )
    in_pcn = AssessApplicationFactory(round=round)
    in_ward = AssessApplicationFactory(round=round)
    elsewhere = AssessApplicationFactory(round=round)
    AssessAnswerFactory(application=in_pcn, question=where, value=[north.pk])
    AssessAnswerFactory(application=in_ward, question=where, value=[oak.pk, lookalike.pk])
    AssessAnswerFactory(application=elsewhere, question=where, value=[lookalike.pk])
    url = list_url(round)

    response = boss_client.get(url, {"locality": north.pk})
    assert sorted(shown_references(response)) == sorted([in_pcn.reference, in_ward.reference])
    assert shown_references(boss_client.get(url, {"locality": oak.pk})) == [in_ward.reference]
    with django_assert_max_num_queries(40) as few:
        boss_client.get(url, {"locality": north.pk})
    for _ in range(5):
        AssessAnswerFactory(
            application=AssessApplicationFactory(round=round), question=where, value=[oak.pk]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        boss_client.get(url, {"locality": north.pk})


def test_detail_shows_the_places_by_name(boss_client):
    round = AssessRoundFactory()
    oak = LocalityFactory(name="Oak")
    where = AssessQuestionFactory(
        section__round=round, kind=Question.Kind.LOCALITIES, label="Where will it happen?"
    )
    application = AssessApplicationFactory(round=round)
    AssessAnswerFactory(application=application, question=where, value=[oak.pk])

    response = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    )

    assert "Oak" in response.content.decode()


def test_list_without_a_locality_question_says_why_it_cannot_filter_by_place(boss_client):
    round = AssessRoundFactory()

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
    round = AssessRoundFactory()
    for name, amount, reference in [("A", 900, "R-2"), ("B", 100, "R-3"), ("C", 500, "R-1")]:
        AssessApplicationFactory(
            round=round,
            organisation=AssessOrganisationFactory(name=f"{name} group"),
            amount_requested=Decimal(amount),
            reference=reference,
        )

    response = boss_client.get(list_url(round), {"sort": sort})

    names = [a.organisation.name[0] for a in response.context["page"].object_list]
    assert names == expected


def test_list_paginates(boss_client):
    round = AssessRoundFactory()
    AssessApplicationFactory.create_batch(27, round=round)

    response = boss_client.get(list_url(round), {"page": 2})

    assert len(response.context["page"].object_list) == 2
    assert "27 applications" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_costs_the_same_number_of_queries_for_any_number(
    boss_client, django_assert_max_num_queries, count
):
    round = AssessRoundFactory()
    for application in AssessApplicationFactory.create_batch(count, round=round):
        AssessDueDiligenceItemFactory(application=application)

    with django_assert_max_num_queries(12):
        response = boss_client.get(list_url(round), {"due_diligence": "outstanding"})

    assert response.status_code == 200


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("dangerous", ["=SUM(A1)", "+44 1234", "-5", "@cmd", "\tTab", "\rCR"])
def test_csv_makes_formulas_inert(boss_client, dangerous):
    round = AssessRoundFactory()
    AssessApplicationFactory(
        round=round, title=dangerous, organisation=AssessOrganisationFactory(name=dangerous)
    )

    rows = _csv(boss_client.get(reverse("applications:manage-application-csv", args=[round.slug])))

    assert rows[0][:3] == ["Reference", "Group", "Project"]
    assert rows[1][1] == "'" + dangerous
    assert rows[1][2] == "'" + dangerous


def test_csv_follows_the_filters(boss_client):
    round = AssessRoundFactory()
    kept = AssessApplicationFactory(round=round, title="Knit and natter")
    AssessApplicationFactory(round=round, title="Walking football")

    rows = _csv(
        boss_client.get(
            reverse("applications:manage-application-csv", args=[round.slug]), {"q": "knit"}
        )
    )

    assert [row[0] for row in rows[1:]] == [kept.reference]


def test_detail_shows_answers_in_order_budget_documents_and_checklist(boss_client):
    round = AssessRoundFactory()
    second = AssessQuestionFactory(section__round=round, section__order=2, label="Second q")
    first = AssessQuestionFactory(section__round=round, section__order=1, label="First q")
    money = AssessQuestionFactory(section=first.section, kind=Question.Kind.MONEY, label="Cost?")
    application = AssessApplicationFactory(round=round)
    AssessAnswerFactory(application=application, question=first, value="Alpha answer")
    AssessAnswerFactory(application=application, question=second, value="Beta answer")
    AssessAnswerFactory(application=application, question=money, value="1234.5")
    AssessBudgetLineFactory(application=application, item="Hall hire", amount=Decimal("300"))
    AssessBudgetLineFactory(application=application, item="Tea", amount=Decimal("50.50"))
    AssessDocumentFactory(organisation=application.organisation, title="Our rules")
    AssessDueDiligenceItemFactory(application=application, code="governing", label="Rules")

    body = boss_client.get(
        reverse("applications:manage-application-detail", args=[application.pk])
    ).content.decode()

    assert body.index("Alpha answer") < body.index("Beta answer")
    assert "£1,234.50" in body
    assert "£350.50" in body
    assert "Our rules" in body
    assert "1 of 1 check outstanding" in body


def test_verify_then_unverify_from_the_page(boss_client):
    item = AssessDueDiligenceItemFactory(label="Bank account")
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
    item = AssessDueDiligenceItemFactory()
    url = reverse("applications:manage-due-diligence-verify", args=[item.application_id, item.pk])

    response = boss_client.post(url, {f"item-{item.pk}-verified": "yes"})

    assert response.status_code == 400
    assert "Enter what you checked" in response.content.decode()
    assert not DueDiligenceItem.objects.get(pk=item.pk).verified


def test_override_from_the_page_shows_in_the_timeline(boss_client):
    application = AssessApplicationFactory(
        eligibility={"eligible": False, "reasons": ["The amount is too high"]}
    )
    url = reverse("applications:manage-application-override", args=[application.pk])

    response = boss_client.post(url, {"reason": "Agreed at panel"}, follow=True)

    body = response.content.decode()
    assert "Eligibility overridden" in body
    assert "Reason: Agreed at panel" in body
    assert AuditEvent.objects.filter(verb="application.eligibility_override").count() == 1


def test_override_without_a_reason_shows_the_error(boss_client):
    application = AssessApplicationFactory(eligibility={"eligible": False, "reasons": ["x"]})
    url = reverse("applications:manage-application-override", args=[application.pk])

    response = boss_client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert "Enter why this application may go ahead" in response.content.decode()


def test_reopen_after_the_round_closes_is_refused(boss_client):
    from django.utils import timezone

    application = AssessApplicationFactory(
        round__opens_at=timezone.now() - timezone.timedelta(days=30),
        round__closes_at=timezone.now() - timezone.timedelta(days=1),
    )
    url = reverse("applications:manage-application-reopen", args=[application.pk])

    response = boss_client.post(url, {"reason": "Fix the budget"})

    assert response.status_code == 400
    assert "only before the round closes" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
