"""The moderation and meeting pages, decisions, the ranking CSV and the minutes."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from panels.models import Criterion, Decision, MeetingMinutes, PanelMember, Score, Scorecard
from panels.services.conflicts import conflicts_declare
from panels.services.scoring import scorecard_submit
from tests.applications.factories import DueDiligenceItemFactory
from tests.microcomm.factories import UserFactory, commissioner
from tests.panels.factories import ConflictFactory
from tests.panels.meeting_data import meeting_build

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12


@pytest.fixture
def boss_client(client):
    client.force_login(commissioner(full_name="Chief Commissioner"))
    return client


def meeting_url(panel):
    return reverse("panels:meeting-detail", args=[panel.round.slug])


def moderation_url(panel):
    return reverse("panels:moderation-detail", args=[panel.round.slug])


def test_meeting_page_ranks_and_draws_the_funding_line(boss_client):
    panel = meeting_build(applications=6, scorers=3, amount_available=Decimal("1500"))

    page = boss_client.get(meeting_url(panel)).content.decode()

    assert "Funding line: the money runs out here." in page
    assert "Record a decision" in page
    assert "Scorer 00" in page  # present
    # The line comes after the rows above it.
    assert page.index("Above the funding line") < page.index("Funding line: the money")
    assert page.index("Funding line: the money") < page.index("Below the funding line")


def test_moderation_flags_outliers_in_words_and_explains_leniency(boss_client):
    panel = meeting_build(applications=2, scorers=4, weights=(50, 50))
    card = Scorecard.objects.filter(member__panel=panel).order_by("pk").first()
    others = Score.objects.filter(scorecard__application=card.application).exclude(scorecard=card)
    others.update(value=3)
    Score.objects.filter(scorecard=card).update(value=0)

    page = boss_client.get(moderation_url(panel)).content.decode()

    assert "Outlier: 0 is much lower than the others&#x27; median of 3" in page
    assert "Scores more strictly than the other scorers" in page
    assert "look again" in page


def test_a_panel_member_sees_the_meeting_but_leaves_the_room_for_their_conflict(client):
    panel = meeting_build(applications=3, scorers=3)
    member = panel.members.get(user__full_name="Scorer 01")
    application = panel.round.applications.order_by("reference").first()
    ConflictFactory(member=member, application=application)
    client.force_login(member.user)

    page = client.get(meeting_url(panel)).content.decode()

    assert "Leave the room for this item:" in page
    assert "Record a decision" not in page
    assert client.get(moderation_url(panel)).status_code == 403
    decide = reverse("panels:decision-record", args=[panel.round.slug, application.pk])
    assert client.get(decide).status_code == 404


def test_chair_records_a_decision_with_who_was_present(client):
    panel = meeting_build(applications=3, scorers=3)
    chair = panel.members.get(role=PanelMember.Role.CHAIR)
    application = panel.round.applications.order_by("reference").first()
    client.force_login(chair.user)
    url = reverse("panels:decision-record", args=[panel.round.slug, application.pk])

    response = client.post(url, {"outcome": "fund_full", "reason": "Strong local need"})

    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert decision.amount == application.amount_requested
    assert decision.decided_by == chair.user
    assert decision.members_present.count() == 3
    assert decision.weighted_score is not None
    page = client.get(meeting_url(panel)).content.decode()
    assert "Change the decision" in page


def test_deciding_twice_says_so_and_keeps_the_first(boss_client):
    panel = meeting_build(applications=2, scorers=3)
    application = panel.round.applications.order_by("reference").first()
    url = reverse("panels:decision-record", args=[panel.round.slug, application.pk])
    boss_client.post(url, {"outcome": "decline", "reason": "Weak", "criteria_against": []})
    assert not Decision.objects.exists()  # declining needs the criteria against it
    criterion = panel.round.rubric.criteria.first()
    boss_client.post(
        url, {"outcome": "decline", "reason": "Weak", "criteria_against": [criterion.pk]}
    )

    again = boss_client.post(url, {"outcome": "fund_full", "reason": "Changed our minds"})

    assert "The panel has already decided on" in again.content.decode()
    assert Decision.objects.get().outcome == "decline"


def test_a_decision_above_the_money_left_is_refused_with_the_amounts(boss_client):
    panel = meeting_build(applications=3, scorers=3, amount_available=Decimal("600"))
    first, second = panel.round.applications.order_by("reference")[:2]
    slug = panel.round.slug
    boss_client.post(
        reverse("panels:decision-record", args=[slug, first.pk]),
        {"outcome": "fund_full", "reason": "Good"},
    )

    response = boss_client.post(
        reverse("panels:decision-record", args=[slug, second.pk]),
        {"outcome": "fund_full", "reason": "Also good"},
    )

    page = response.content.decode()
    assert "This decision would spend more than the round has" in page
    assert "£600" in page
    assert Decision.objects.count() == 1


def test_fund_in_part_must_be_within_the_round_limits(boss_client):
    panel = meeting_build(applications=1, scorers=3)
    application = panel.round.applications.get()
    url = reverse("panels:decision-record", args=[panel.round.slug, application.pk])

    response = boss_client.post(url, {"outcome": "fund_part", "amount": "5", "reason": "Part"})

    assert "Enter an amount between £100 and £2,000" in response.content.decode()
    assert not Decision.objects.exists()
    boss_client.post(url, {"outcome": "fund_part", "amount": "200", "reason": "Part"})
    assert Decision.objects.get().amount == Decimal("200")


def test_an_item_without_quorum_is_flagged_and_cannot_be_decided(boss_client):
    panel = meeting_build(applications=1, scorers=3)
    application = panel.round.applications.get()
    ConflictFactory(member=panel.members.order_by("pk").last(), application=application)

    page = boss_client.get(meeting_url(panel)).content.decode()
    assert "No quorum: 2 of 3 members needed can take part" in page

    url = reverse("panels:decision-record", args=[panel.round.slug, application.pk])
    response = boss_client.post(url, {"outcome": "defer", "reason": "Later"})
    assert "No quorum" in response.content.decode()
    assert not Decision.objects.exists()


def test_change_a_decision_with_a_reason(boss_client):
    panel = meeting_build(applications=1, scorers=3)
    application = panel.round.applications.get()
    slug = panel.round.slug
    boss_client.post(
        reverse("panels:decision-record", args=[slug, application.pk]),
        {"outcome": "defer", "reason": "Later"},
    )
    url = reverse("panels:decision-change", args=[slug, application.pk])

    missing = boss_client.post(url, {"outcome": "fund_full", "reason": "Now", "version": 1})
    assert "Say why the decision is being changed" in missing.content.decode()
    boss_client.post(
        url,
        {"outcome": "fund_full", "reason": "Now", "change_reason": "Money found", "version": 1},
    )

    decision = Decision.objects.get()
    assert (decision.outcome, decision.version) == ("fund_full", 2)


def _attendance_url(panel):
    event = panel.round.events.get()
    return reverse("panels:attendance-record", args=[panel.round.slug, event.pk]) + "?from=meeting"


def test_attendance_is_recorded_on_the_one_attendance_page_linked_from_the_meeting(boss_client):
    panel = meeting_build(applications=1, scorers=3, present=False)
    first = panel.members.order_by("pk").first()
    page = boss_client.get(meeting_url(panel)).content.decode()
    url = _attendance_url(panel)
    assert f'href="{url}"' in page.replace("&amp;", "&")

    response = boss_client.post(url, {f"member-{first.pk}-attended": "on"})

    assert response.status_code == 302
    assert response["Location"] == meeting_url(panel) + "#attendance"
    page = boss_client.get(meeting_url(panel)).content.decode()
    assert "No quorum: 1 of 3 members needed can take part" in page


def test_the_chair_is_told_a_commissioner_records_who_is_present(client):
    panel = meeting_build(applications=1, scorers=3, present=False)
    client.force_login(panel.members.get(role=PanelMember.Role.CHAIR).user)

    page = client.get(meeting_url(panel)).content.decode()

    assert "A commissioner records who is present" in page
    assert "Record who is present" not in page
    assert client.get(_attendance_url(panel)).status_code == 403


def test_only_active_members_recorded_as_attending_are_present(boss_client):
    panel = meeting_build(applications=1, scorers=4)
    removed = panel.members.order_by("pk").last()
    PanelMember.objects.filter(pk=removed.pk).update(status=PanelMember.Status.REMOVED)
    invited = PanelMember.objects.create(
        panel=panel,
        user=UserFactory(full_name="Ivy Invited"),
        role=PanelMember.Role.LAY,
        status=PanelMember.Status.INVITED,
    )

    page = boss_client.get(meeting_url(panel)).content.decode()
    present = page[page.index('id="attendance"') : page.index('id="ranking"')]
    assert "Scorer 00" in present and "Scorer 03" not in present
    boss_client.post(
        _attendance_url(panel),
        {
            **{f"member-{member.pk}-attended": "on" for member in panel.members.all()},
            f"member-{invited.pk}-hours": "2",
        },
    )
    page = boss_client.get(meeting_url(panel)).content.decode()
    present = page[page.index('id="attendance"') : page.index('id="ranking"')]
    assert "Ivy Invited" not in present and "Scorer 03" not in present
    application = panel.round.applications.get()
    boss_client.post(
        reverse("panels:decision-record", args=[panel.round.slug, application.pk]),
        {"outcome": "defer", "reason": "Later"},
    )
    assert set(Decision.objects.get().members_present.all()) == set(
        panel.members.filter(status=PanelMember.Status.ACTIVE).exclude(pk=invited.pk)
    )


def test_ranking_csv_has_the_issue_columns_and_escapes_formulas(boss_client):
    panel = meeting_build(applications=3, scorers=3)
    application = panel.round.applications.order_by("reference").first()
    application.organisation.name = "=HYPERLINK(1)"
    application.organisation.save()

    response = boss_client.get(reverse("panels:ranking-csv", args=[panel.round.slug]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Rank",
        "Reference",
        "Organisation",
        "Amount requested",
        "Weighted score",
        "Number of scorers",
        "Priorities addressed",
        "Above the funding line",
        "Decision",
    ]
    assert len(rows) == 4
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]


def test_minutes_are_made_in_the_ledger_and_downloaded(
    boss_client, django_capture_on_commit_callbacks
):
    panel = meeting_build(applications=2, scorers=3)
    application = panel.round.applications.order_by("reference").first()
    ConflictFactory(member=panel.members.order_by("pk").last(), application=application)
    with django_capture_on_commit_callbacks(execute=True):
        boss_client.post(reverse("panels:minutes-request", args=[panel.round.slug]))

    minutes = MeetingMinutes.objects.get()
    assert minutes.status == MeetingMinutes.Status.DONE, minutes.last_error
    response = boss_client.get(reverse("panels:minutes-download", args=[panel.round.slug]))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "minutes of the panel meeting" in text
    assert "Scorer 02 left the room" in text
    assert "Scorer 00" in text  # present
    page = boss_client.get(meeting_url(panel)).content.decode()
    assert "Download the minutes (PDF)" in page


def outliers_url(panel):
    return moderation_url(panel) + "?show=outliers"


@pytest.mark.parametrize("url_of", [meeting_url, moderation_url, outliers_url])
def test_pages_cost_the_same_queries_small_and_large(
    boss_client, django_assert_max_num_queries, url_of
):
    """Computed afresh (nothing kept in the cache yet) and then kept: the same number of
    queries for 20 applications as for 500 x 7 scorers x 7 criteria, within the budget."""
    small = meeting_build(applications=20, scorers=3, weights=(40, 30, 20, 10))
    boss_client.get(reverse("microcomm:home"))
    with django_assert_max_num_queries(QUERY_BUDGET) as fresh:
        assert boss_client.get(url_of(small)).status_code == 200
    with django_assert_max_num_queries(len(fresh.captured_queries)) as kept:
        assert boss_client.get(url_of(small)).status_code == 200
    large = meeting_build(applications=500, scorers=7)
    with django_assert_max_num_queries(len(fresh.captured_queries)):
        assert boss_client.get(url_of(large)).status_code == 200
    with django_assert_max_num_queries(len(kept.captured_queries)):
        assert boss_client.get(url_of(large)).status_code == 200


def test_minimums_on_the_criteria_keep_the_meeting_within_its_budget(
    boss_client, django_assert_max_num_queries
):
    panel = meeting_build(applications=20, scorers=3, weights=(40, 30, 20, 10))
    Criterion.objects.filter(rubric__round=panel.round).update(minimum=3)
    boss_client.get(reverse("microcomm:home"))
    with django_assert_max_num_queries(QUERY_BUDGET):
        page = boss_client.get(meeting_url(panel)).content.decode()
    assert "Below the minimum for" in page


def test_a_submitted_score_changes_the_kept_ranking(
    boss_client, django_capture_on_commit_callbacks
):
    panel = meeting_build(applications=2, scorers=3)
    first, second = panel.round.applications.order_by("reference")
    loser = second if _ranked_first(boss_client, panel) == first.reference else first
    criteria = list(panel.round.rubric.criteria.all())
    cards = Scorecard.objects.filter(application=loser).select_related("member__user")
    cards.update(status=Scorecard.Status.LOOK_AGAIN)

    for card in cards:
        with django_capture_on_commit_callbacks(execute=True):
            scorecard_submit(
                scorecard=card,
                given={criterion.pk: (3, "") for criterion in criteria},
                version=card.version,
                reasons={criterion.pk: "Looked again" for criterion in criteria},
                actor=card.member.user,
            )

    assert _ranked_first(boss_client, panel) == loser.reference


def _ranked_first(client, panel) -> str:
    page = client.get(meeting_url(panel)).content.decode()
    return re.search(
        r'<td class="govuk-table__cell">1</td>\s*<td class="govuk-table__cell">([^<]+)<', page
    )[1]


def test_a_change_made_in_the_applications_app_shows_at_once(boss_client):
    panel = meeting_build(applications=2, scorers=3)
    first = panel.round.applications.order_by("reference").first()
    assert "Gate failed" not in boss_client.get(meeting_url(panel)).content.decode()

    Application.objects.filter(pk=first.pk).update(eligibility={"eligible": False})
    DueDiligenceItemFactory(application=first, verified=False)

    page = boss_client.get(meeting_url(panel)).content.decode()
    assert "<strong>Gate failed:</strong> Not eligible" in page
    assert "Due diligence not complete (1 check left)" in page


def test_an_interest_declared_changes_the_kept_meeting(
    boss_client, django_capture_on_commit_callbacks
):
    panel = meeting_build(applications=2, scorers=3)
    member = panel.members.get(user__full_name="Scorer 01")
    first, second = panel.round.applications.order_by("reference")
    assert "Leave the room:" not in boss_client.get(meeting_url(panel)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        conflicts_declare(
            member=member,
            answers={
                first.organisation_id: ("trustee", "I am a trustee"),
                second.organisation_id: ("none", ""),
            },
            actor=member.user,
        )

    page = boss_client.get(meeting_url(panel)).content.decode()
    assert "<strong>Leave the room:</strong> Scorer 01" in page
