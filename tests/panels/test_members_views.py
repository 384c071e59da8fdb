"""The commissioner's panel pages, the invitation link, the panel home and practice."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from microcomm.models import User
from panels.invitations import invitation_token
from panels.models import MeetingAttendance, Panel, PanelMember, PracticeAttempt, Scorecard
from rounds.models import RoundEvent
from tests.microcomm.factories import UserFactory, commissioner
from tests.panels.factories import (
    ConflictFactory,
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    invited_member,
    rubric_for,
)
from tests.rounds.factories import RoundEventFactory, closed_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = commissioner(full_name="Cora Commissioner")
    client.force_login(user)
    return user


def _page(response) -> str:
    return response.content.decode()


def _panel_url(round, name="panels:panel-detail", *args) -> str:
    return reverse(name, args=[round.slug, *args])


# The commissioner's panel page


def test_the_round_page_links_to_its_panel(client, boss):
    round = closed_round()
    page = _page(client.get(reverse("rounds:round-detail", args=[round.slug])))
    assert "The panel and its members" in page
    assert _panel_url(round) in page


def test_the_panel_page_lists_members_with_role_status_and_scores(client, boss):
    panel = PanelFactory()
    chair = PanelMemberFactory(panel=panel, role="chair", user=UserFactory(full_name="Chen Chair"))
    ScorecardFactory(member=chair, status=Scorecard.Status.SUBMITTED)
    invited_member(panel=panel)
    removed = PanelMemberFactory(
        panel=panel,
        status=PanelMember.Status.REMOVED,
        removed_reason="Moved away",
        user=UserFactory(full_name="Rhys Removed"),
    )
    ScorecardFactory(member=removed, status=Scorecard.Status.SUBMITTED)
    page = _page(client.get(_panel_url(panel.round)))
    assert "Chen Chair" in page and "Chair" in page
    assert "1 of 1" in page
    assert "Invited" in page and "Send the invitation again" in page
    assert "Rhys Removed" in page and "Moved away" in page
    assert "Their scores are kept, marked as a removed member" in page
    assert "2 members on the panel, 1 of them lay member" in page
    assert "The panel cannot reach its quorum yet." in page


def test_the_panel_page_works_before_the_panel_exists(client, boss):
    round = closed_round()
    page = _page(client.get(_panel_url(round)))
    assert "Nobody is on the panel yet." in page
    assert not Panel.objects.filter(round=round).exists()


# Settings


def _settings_data(**changes) -> dict:
    data = {
        "quorum_members": "3",
        "quorum_lay_members": "1",
        "scorers_per_application": "2",
        "scores_shared_before_meeting": "yes",
        "outlier_distance": "1.5",
        "lay_hourly_rate": "£15",
        "version": "1",
    }
    data.update(changes)
    return data


def test_settings_save_and_show_on_the_panel_page(client, boss):
    round = closed_round()
    response = client.post(_panel_url(round, "panels:panel-settings"), _settings_data())
    assert response.status_code == 302
    panel = Panel.objects.get(round=round)
    assert panel.scores_shared_before_meeting and panel.lay_hourly_rate == Decimal("15")
    page = _page(client.get(_panel_url(round)))
    assert "£15 an hour" in page and "1.5 points" in page


def test_settings_with_one_wrong_field_change_nothing(client, boss):
    panel = PanelFactory()
    response = client.post(
        _panel_url(panel.round, "panels:panel-settings"),
        _settings_data(quorum_lay_members="4"),
    )
    assert response.status_code == 400
    page = _page(response)
    assert "There is a problem" in page
    assert "cannot be more than the members needed for a quorum" in page
    panel.refresh_from_db()
    assert panel.version == 1 and panel.scorers_per_application == 3


def test_settings_saved_by_someone_else_first_are_shown_not_overwritten(client, boss):
    panel = PanelFactory()
    client.post(_panel_url(panel.round, "panels:panel-settings"), _settings_data())
    response = client.post(
        _panel_url(panel.round, "panels:panel-settings"),
        _settings_data(scorers_per_application="5"),
    )
    assert response.status_code == 400
    assert "Someone else changed the panel&#x27;s settings" in _page(response)
    panel.refresh_from_db()
    assert panel.scorers_per_application == 2
    assert 'name="version" value="2"' in _page(response)


# Members


def test_finding_a_person_with_an_account_and_adding_them(client, boss):
    round = closed_round()
    person = UserFactory(full_name="Priya Professional")
    add_url = _panel_url(round, "panels:member-add")
    found = _page(client.get(add_url, {"email": person.email}))
    assert "Priya Professional" in found and "Add to the panel" in found
    response = client.post(add_url, {"email": person.email, "role": "professional"})
    assert response.status_code == 302
    member = PanelMember.objects.get(user=person)
    assert (member.status, member.role) == ("active", "professional")


def test_inviting_a_new_person_emails_a_link_that_opens_the_join_page(
    client, boss, mailoutbox, django_capture_on_commit_callbacks
):
    round = closed_round()
    add_url = _panel_url(round, "panels:member-add")
    page = _page(client.get(add_url, {"email": "lay.person@example.org"}))
    assert "Nobody has an account with lay.person@example.org" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url, {"email": "lay.person@example.org", "full_name": "Lou Lay", "role": "lay"}
        )
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["lay.person@example.org"]]
    match = re.search(re.escape(settings.SITE_URL) + r"(/panel/join/\S+/)", mailoutbox[0].body)
    client.logout()
    join = client.get(match.group(1))
    assert join.status_code == 200 and "Join the panel" in _page(join)


def test_inviting_without_a_name_asks_for_it(client, boss):
    round = closed_round()
    response = client.post(
        _panel_url(round, "panels:member-add"), {"email": "no.name@example.org", "role": "lay"}
    )
    assert response.status_code == 400
    assert "Enter the person&#x27;s full name" in _page(response)
    assert not User.objects.filter(email="no.name@example.org").exists()


def test_removing_a_member_asks_why_and_keeps_their_scores(client, boss):
    scorecard = ScorecardFactory(status=Scorecard.Status.SUBMITTED)
    member = scorecard.member
    url = _panel_url(member.panel.round, "panels:member-remove", member.pk)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Enter why this person is leaving" in _page(empty)
    assert client.post(url, {"reason": "Conflict with too many groups"}).status_code == 302
    member.refresh_from_db()
    assert member.status == "removed"
    assert Scorecard.objects.filter(member=member).count() == 1


def test_changing_a_role(client, boss):
    member = PanelMemberFactory(role="lay")
    url = _panel_url(member.panel.round, "panels:member-role", member.pk)
    assert client.post(url, {"role": "chair"}).status_code == 302
    member.refresh_from_db()
    assert member.role == "chair"


def test_a_member_of_another_panel_is_not_found(client, boss):
    member = PanelMemberFactory()
    other_round = PanelFactory().round
    url = _panel_url(other_round, "panels:member-role", member.pk)
    assert client.get(url).status_code == 404


# Attendance and the finance CSV


def _meeting(panel):
    return RoundEventFactory(
        round=panel.round, kind=RoundEvent.Kind.PANEL_MEETING, location="Abbey Hall"
    )


def test_attendance_defaults_lay_payment_to_hours_times_rate(client, boss):
    panel = PanelFactory(lay_hourly_rate=Decimal("20"))
    lay = PanelMemberFactory(panel=panel)
    event = _meeting(panel)
    url = _panel_url(panel.round, "panels:attendance-record", event.pk)
    assert "Abbey Hall" in _page(client.get(url))
    prefix = f"member-{lay.pk}"
    response = client.post(
        url, {f"{prefix}-attended": "on", f"{prefix}-hours": "3", f"{prefix}-expenses": "4.20"}
    )
    assert response.status_code == 302
    row = MeetingAttendance.objects.get()
    assert (row.attended, row.time_payment, row.expenses) == (
        True,
        Decimal("60.00"),
        Decimal("4.20"),
    )


def test_attendance_with_a_wrong_number_saves_nothing(client, boss):
    panel = PanelFactory()
    lay = PanelMemberFactory(panel=panel)
    event = _meeting(panel)
    url = _panel_url(panel.round, "panels:attendance-record", event.pk)
    prefix = f"member-{lay.pk}"
    response = client.post(url, {f"{prefix}-attended": "on", f"{prefix}-hours": "lots"})
    assert response.status_code == 400
    page = _page(response)
    assert "There is a problem" in page and "Enter the hours as a number" in page
    assert not MeetingAttendance.objects.exists()


def test_attendance_is_only_for_the_rounds_panel_meetings(client, boss):
    panel = PanelFactory()
    session = RoundEventFactory(round=panel.round)
    url = _panel_url(panel.round, "panels:attendance-record", session.pk)
    assert client.get(url).status_code == 404


def test_the_finance_csv_escapes_formulas_and_writes_dates_in_words(client, boss):
    panel = PanelFactory()
    lay = PanelMemberFactory(panel=panel, user=UserFactory(full_name="=HYPERLINK(1)"))
    event = _meeting(panel)
    MeetingAttendance.objects.create(
        member=lay,
        event=event,
        attended=True,
        hours=Decimal("2"),
        time_payment=Decimal("30"),
        expenses=Decimal("5.5"),
    )
    response = client.get(_panel_url(panel.round, "panels:payments-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Round", "Meeting", "Meeting date", "Member"]
    line = rows[1]
    assert line[3] == "'=HYPERLINK(1)"
    assert re.fullmatch(r"\S+ on \d{1,2} [A-Z][a-z]+ \d{4}", line[2])
    assert line[6:] == ["Yes", "2.00", "30.00", "5.50", "35.50"]


# The invitation link


def test_the_invitation_link_sets_a_password_and_lands_on_the_panel_home(client):
    member = invited_member()
    RoundEventFactory(
        round=member.panel.round, kind=RoundEvent.Kind.PANEL_MEETING, location="Kiln Lane Hall"
    )
    url = reverse("panels:invitation-accept", args=[invitation_token(member)])
    weak = client.post(url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 400 and "This password is too common" in _page(weak)
    response = client.post(
        url, {"new_password1": "marsh-otter-lamp-12", "new_password2": "marsh-otter-lamp-12"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("panels:member-home")
    home = _page(client.get(response["Location"]))
    assert "Your panels" in home and member.panel.round.title in home
    assert "Kiln Lane Hall" in home
    again = client.get(url)
    assert again.status_code == 400 and "This link does not work" in _page(again)


def test_a_nonsense_invitation_link_does_not_work(client):
    response = client.get(reverse("panels:invitation-accept", args=["not-a-token"]))
    assert response.status_code == 400 and "This link does not work" in _page(response)


def test_someone_else_signed_in_is_told_the_invitation_is_not_theirs(client):
    member = invited_member()
    client.force_login(UserFactory())
    url = reverse("panels:invitation-accept", args=[invitation_token(member)])
    page = _page(client.get(url))
    assert "This invitation is for someone else" in page
    client.post(url, {"new_password1": "marsh-otter-lamp-12", "new_password2": "x"})
    member.refresh_from_db()
    assert member.status == PanelMember.Status.INVITED


# The panel home


def test_the_panel_home_says_what_to_do_and_by_when(client):
    member = PanelMemberFactory()
    round = member.panel.round
    first = ScorecardFactory(member=member)
    ScorecardFactory(member=member)
    ConflictFactory(member=member, application=first.application, interest="none")
    RoundEventFactory(round=round, kind=RoundEvent.Kind.PANEL_MEETING, location="Canal Room")
    client.force_login(member.user)
    page = _page(client.get(reverse("panels:member-home")))
    assert round.title in page
    assert f"Score 2 applications by {round.scoring_due_on.day}" in page
    assert "2 groups applied" in page and "in 1 group before you score" in page
    assert "Canal Room" in page
    assert reverse("panels:practice-score", args=[round.slug]) in page


def test_the_home_page_has_a_panel_section(client):
    member = PanelMemberFactory()
    client.force_login(member.user)
    page = _page(client.get(reverse("microcomm:home")))
    assert "Panel work" in page and member.panel.round.title in page


def test_a_removed_member_no_longer_has_a_panel_home(client):
    member = PanelMemberFactory(status=PanelMember.Status.REMOVED)
    client.force_login(member.user)
    response = client.get(reverse("panels:member-home"))
    assert response.status_code == 403
    assert "This page is for members of a round&#x27;s panel" in _page(response)


# Practice


def test_practice_uses_the_micro_preset_when_the_round_has_no_rubric(client):
    member = PanelMemberFactory()
    client.force_login(member.user)
    page = _page(client.get(reverse("panels:practice-score", args=[member.panel.round.slug])))
    assert "Willowmere Lane Gardeners" in page
    assert "on the scoring system for micro grants" in page
    assert "Your practice scores never count" in page


def test_practice_scores_are_kept_explained_and_never_counted(client):
    member = PanelMemberFactory()
    rubric = rubric_for(member.panel.round, weights=(40, 30, 20, 10))
    criteria = list(rubric.criteria.order_by("position"))
    client.force_login(member.user)
    url = reverse("panels:practice-score", args=[member.panel.round.slug])
    missing = client.post(url, {f"criterion_{criteria[0].pk}": "3"})
    assert missing.status_code == 400 and f"Choose a score for {criteria[1].name}" in _page(missing)
    data = {f"criterion_{criterion.pk}": "2" for criterion in criteria}
    data[f"criterion_{criteria[0].pk}"] = "3"
    assert client.post(url, data).status_code == 302
    attempt = PracticeAttempt.objects.get(member=member)
    assert attempt.scores[str(criteria[0].pk)]["value"] == 3
    page = _page(client.get(url))
    # 40 + (2/3) x (30 + 20 + 10) = 80 out of 100.
    assert "Your practice score: 80.00 out of 100" in page
    assert "3 of 3 steps up" in page
    assert ">40%</td>" in page and "40.00</td>" in page
    assert not Scorecard.objects.exists()


def test_practice_is_for_members_of_the_panel(client, boss):
    panel = PanelFactory()
    response = client.get(reverse("panels:practice-score", args=[panel.round.slug]))
    assert response.status_code == 403
    client.force_login(PanelMemberFactory().user)
    assert client.get(reverse("panels:practice-score", args=[panel.round.slug])).status_code == (
        404
    )


def test_the_practice_page_works_for_an_invited_member_who_signed_in(client):
    member = PanelMemberFactory(status=PanelMember.Status.INVITED)
    client.force_login(member.user)
    url = reverse("panels:practice-score", args=[member.panel.round.slug])
    assert client.get(url).status_code == 200


def test_attendance_saved_by_someone_else_first_is_shown_not_overwritten(client, boss):
    panel = PanelFactory(lay_hourly_rate=Decimal("10"))
    lay = PanelMemberFactory(panel=panel)
    event = _meeting(panel)
    url = _panel_url(panel.round, "panels:attendance-record", event.pk)
    prefix = f"member-{lay.pk}"
    seen = re.search(r'name="seen" value="([^"]*)"', _page(client.get(url))).group(1)
    first = {"seen": seen, f"{prefix}-attended": "on", f"{prefix}-hours": "2"}
    assert client.post(url, first).status_code == 302
    second = {"seen": seen, f"{prefix}-attended": "on", f"{prefix}-hours": "5"}
    response = client.post(url, second)
    assert response.status_code == 400
    page = _page(response)
    assert "Someone else saved the attendance at this meeting" in page
    assert f'name="{prefix}-hours" type="text" inputmode="decimal" value="2' in page
    assert MeetingAttendance.objects.get().hours == Decimal("2")


def test_hours_for_someone_who_did_not_come_are_refused_beside_their_name(client, boss):
    panel = PanelFactory()
    lay = PanelMemberFactory(panel=panel, user=UserFactory(full_name="Abi Absent"))
    event = _meeting(panel)
    url = _panel_url(panel.round, "panels:attendance-record", event.pk)
    prefix = f"member-{lay.pk}"
    response = client.post(url, {"seen": "", f"{prefix}-hours": "2"})
    assert response.status_code == 400
    page = _page(response)
    assert f'href="#id_{prefix}-attended"' in page and "Abi Absent did not attend" in page
    assert not MeetingAttendance.objects.exists()


# Query budgets: the same number of queries for a small and a large panel.


def _panel_of(size: int) -> Panel:
    panel = PanelFactory()
    for _ in range(size):
        member = PanelMemberFactory(panel=panel)
        ScorecardFactory(member=member, status=Scorecard.Status.SUBMITTED)
    RoundEventFactory(round=panel.round, kind=RoundEvent.Kind.PANEL_MEETING)
    return panel


@pytest.mark.parametrize("size", [1, 12])
def test_the_panel_page_costs_the_same_whatever_the_size(
    client, boss, size, django_assert_max_num_queries
):
    panel = _panel_of(size)
    client.get(_panel_url(panel.round))
    with django_assert_max_num_queries(12):
        assert client.get(_panel_url(panel.round)).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_the_panel_home_costs_the_same_however_many_panels(
    client, size, django_assert_max_num_queries
):
    person = UserFactory()
    for _ in range(size):
        member = PanelMemberFactory(user=person)
        ScorecardFactory(member=member)
        RoundEventFactory(round=member.panel.round, kind=RoundEvent.Kind.PANEL_MEETING)
    client.force_login(person)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("panels:member-home")).status_code == 200


def test_the_admin_lists_panels_members_and_attendance(client):
    member = PanelMemberFactory(user=UserFactory(full_name="Ada Admin-Listed"))
    MeetingAttendance.objects.create(member=member, event=_meeting(member.panel), attended=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in ("panel", "panelmember", "meetingattendance"):
        response = client.get(reverse(f"admin:panels_{model}_changelist"))
        assert response.status_code == 200, model
    page = _page(client.get(reverse("admin:panels_panel_change", args=[member.panel.pk])))
    assert "Ada Admin-Listed" in page


def test_the_panel_home_leaves_out_applications_the_member_has_an_interest_in(client):
    member = PanelMemberFactory()
    conflicted = ScorecardFactory(member=member)
    ScorecardFactory(member=member)
    ConflictFactory(member=member, application=conflicted.application)
    client.force_login(member.user)
    page = _page(client.get(reverse("panels:member-home")))
    assert "Score 1 application by" in page
