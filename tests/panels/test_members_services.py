"""The panel's settings, members, invitations and attendance, through their services."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from microcomm.errors import DomainError
from microcomm.models import AuditEvent, Notification, OutboundEmail, User
from panels.invitations import VALID_DAYS, invitation_token, invitation_token_matches
from panels.models import MeetingAttendance, Panel, PanelMember, Scorecard
from panels.selectors.members import attendance_present
from panels.services import members as services
from panels.services.members import AttendanceEntry
from rounds.models import RoundEvent
from tests.microcomm.factories import UserFactory, commissioner
from tests.panels.factories import (
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    invited_member,
)
from tests.rounds.factories import RoundEventFactory, closed_round

pytestmark = pytest.mark.django_db


def _settings(round, **changes):
    values = {
        "version": 1,
        "quorum_members": 3,
        "quorum_lay_members": 1,
        "scorers_per_application": 3,
        "scores_shared_before_meeting": False,
        "outlier_distance": Decimal("2.0"),
        "lay_hourly_rate": Decimal("15.00"),
    }
    values.update(changes)
    return services.panel_settings_save(round=round, actor=commissioner(), **values)


def _join_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/panel/join/\S+/)", body)
    assert match is not None, body
    return match.group(1)


# Settings


def test_settings_make_the_panel_and_are_audited():
    round = closed_round()
    panel = _settings(round, quorum_members=4, lay_hourly_rate=Decimal("12.50"))
    assert (panel.quorum_members, panel.lay_hourly_rate, panel.version) == (
        4,
        Decimal("12.50"),
        2,
    )
    event = AuditEvent.objects.get(verb="panel.settings_save")
    assert event.detail["quorum_members"] == {"from": "3", "to": "4"}


def test_settings_refuse_more_lay_members_than_the_quorum_and_keep_the_old_rules():
    panel = PanelFactory(quorum_members=3)
    with pytest.raises(DomainError) as refused:
        _settings(panel.round, quorum_members=2, quorum_lay_members=3)
    assert refused.value.field == "quorum_lay_members"
    panel.refresh_from_db()
    assert (panel.quorum_members, panel.version) == (3, 1)


def test_two_people_saving_settings_at_once_the_second_is_told():
    panel = PanelFactory()
    _settings(panel.round, quorum_members=5)
    with pytest.raises(DomainError, match="Someone else changed the panel's settings"):
        _settings(panel.round, quorum_members=4)
    panel.refresh_from_db()
    assert panel.quorum_members == 5


# Adding and inviting


def test_adding_a_person_with_an_account_seats_them_at_once_and_tells_them():
    round = closed_round()
    person = UserFactory(full_name="Ada Lane")
    member = services.panel_member_add(
        round=round, email=person.email.upper(), role="professional", actor=commissioner()
    )
    assert (member.user, member.status, member.role) == (person, "active", "professional")
    assert member.joined_at is not None
    assert Notification.objects.get(user=person).subject == (
        f"You are on the panel for {round.title}"
    )
    assert OutboundEmail.objects.filter(to=person.email).count() == 1


def test_inviting_a_new_person_makes_an_account_without_a_password_and_emails_a_link():
    round = closed_round()
    member = services.panel_member_add(
        round=round,
        email=" New.Person@Example.org ",
        full_name="Nia Person",
        role="lay",
        actor=commissioner(),
    )
    user = User.objects.get(email="new.person@example.org")
    assert member.user == user and member.status == PanelMember.Status.INVITED
    assert not user.has_usable_password() and user.email_confirmed_at is None
    email = OutboundEmail.objects.get(to="new.person@example.org")
    assert email.subject == f"You are invited to join the panel for {round.title}"
    assert "/panel/join/" in email.body_text
    assert AuditEvent.objects.filter(verb="user.invited_to_panel").count() == 1


def test_inviting_a_new_person_needs_their_name():
    with pytest.raises(DomainError) as refused:
        services.panel_member_add(
            round=closed_round(), email="x@example.org", role="lay", actor=commissioner()
        )
    assert refused.value.field == "full_name"
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_person_cannot_sit_twice_on_one_panel():
    member = PanelMemberFactory()
    with pytest.raises(DomainError, match="already on this panel"):
        services.panel_member_add(
            round=member.panel.round, email=member.user.email, role="lay", actor=commissioner()
        )
    assert PanelMember.objects.count() == 1


def test_a_person_can_sit_on_several_panels():
    person = UserFactory()
    for _ in range(2):
        services.panel_member_add(
            round=closed_round(), email=person.email, role="lay", actor=commissioner()
        )
    assert person.panel_memberships.count() == 2


def test_a_closed_account_cannot_be_added():
    person = UserFactory(is_active=False)
    with pytest.raises(DomainError, match="account is closed"):
        services.panel_member_add(
            round=closed_round(), email=person.email, role="lay", actor=commissioner()
        )


# Accepting the invitation


def test_accepting_sets_the_password_confirms_the_address_and_joins():
    member = invited_member()
    token = invitation_token(member)
    services.panel_invitation_accept(member=member, token=token, password="otter-lantern-93")
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.status == PanelMember.Status.ACTIVE and member.joined_at is not None
    assert member.user.check_password("otter-lantern-93")
    assert member.user.email_confirmed_at is not None
    assert AuditEvent.objects.filter(verb="panel_member.active", actor=member.user).exists()


def test_the_invitation_link_works_once():
    member = invited_member()
    token = invitation_token(member)
    services.panel_invitation_accept(member=member, token=token, password="otter-lantern-93")
    member.refresh_from_db()
    assert not invitation_token_matches(member, token)
    with pytest.raises(DomainError, match="expired or has already been used"):
        services.panel_invitation_accept(member=member, token=token, password="another-pass-77")
    member.user.refresh_from_db()
    assert member.user.check_password("otter-lantern-93")


def test_the_invitation_link_expires():
    member = invited_member()
    token = invitation_token(member)
    later = timezone.now() + datetime.timedelta(days=VALID_DAYS, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError, match="expired"):
        services.panel_invitation_accept(member=member, token=token, password="otter-lantern-93")
    member.refresh_from_db()
    assert member.status == PanelMember.Status.INVITED


def test_a_forged_or_other_seats_token_does_not_work():
    member, other = invited_member(), invited_member()
    assert not invitation_token_matches(member, invitation_token(other))
    assert not invitation_token_matches(member, invitation_token(member) + "x")


def test_accepting_joins_every_panel_the_person_was_invited_to():
    member = invited_member()
    second = PanelMemberFactory(user=member.user, status=PanelMember.Status.INVITED)
    services.panel_invitation_accept(
        member=member, token=invitation_token(member), password="otter-lantern-93"
    )
    second.refresh_from_db()
    assert second.status == PanelMember.Status.ACTIVE


def test_invite_again_sends_a_new_email():
    member = invited_member()
    services.panel_member_invite_again(member=member, actor=commissioner())
    services.panel_member_invite_again(member=member, actor=commissioner())
    assert OutboundEmail.objects.filter(to=member.user.email).count() == 2


def test_invite_again_refuses_someone_who_has_joined():
    with pytest.raises(DomainError, match="already joined"):
        services.panel_member_invite_again(member=PanelMemberFactory(), actor=commissioner())


# Removing and roles


def test_removing_a_member_keeps_their_scorecards_and_the_reason():
    scorecard = ScorecardFactory(status=Scorecard.Status.SUBMITTED)
    member = scorecard.member
    services.panel_member_remove(member=member, reason="Moved away", actor=commissioner())
    member.refresh_from_db()
    assert (member.status, member.removed_reason) == ("removed", "Moved away")
    assert Scorecard.objects.filter(member=member, status="submitted").count() == 1
    assert AuditEvent.objects.get(verb="panel_member.removed").reason == "Moved away"


def test_removing_needs_a_reason_and_cannot_happen_twice():
    member = PanelMemberFactory()
    with pytest.raises(DomainError) as refused:
        services.panel_member_remove(member=member, reason="  ", actor=commissioner())
    assert refused.value.field == "reason"
    services.panel_member_remove(member=member, reason="Left", actor=commissioner())
    with pytest.raises(DomainError):
        services.panel_member_remove(member=member, reason="Again", actor=commissioner())


def test_a_removed_member_added_again_keeps_their_seat_and_scorecards():
    scorecard = ScorecardFactory()
    member = scorecard.member
    services.panel_member_remove(member=member, reason="Away", actor=commissioner())
    again = services.panel_member_add(
        round=member.panel.round, email=member.user.email, role="chair", actor=commissioner()
    )
    assert again.pk == member.pk
    assert (again.status, again.role, again.removed_reason) == ("active", "chair", "")
    assert again.scorecards.count() == 1


def test_changing_a_role_is_audited_with_both_roles():
    member = PanelMemberFactory(role="lay")
    services.panel_member_role_change(member=member, role="chair", actor=commissioner())
    member.refresh_from_db()
    assert member.role == "chair"
    event = AuditEvent.objects.get(verb="panel_member.role_change")
    assert (event.from_state, event.to_state) == ("lay", "chair")


def test_a_removed_members_role_cannot_change():
    member = PanelMemberFactory(status=PanelMember.Status.REMOVED)
    with pytest.raises(DomainError, match="removed"):
        services.panel_member_role_change(member=member, role="chair", actor=commissioner())


# Attendance


def _meeting(panel: Panel) -> RoundEvent:
    return RoundEventFactory(round=panel.round, kind=RoundEvent.Kind.PANEL_MEETING)


def test_attendance_pays_lay_members_hours_times_the_rate_by_default():
    panel = PanelFactory(lay_hourly_rate=Decimal("15.00"))
    lay = PanelMemberFactory(panel=panel, role="lay")
    professional = PanelMemberFactory(panel=panel, role="professional")
    event = _meeting(panel)
    services.attendance_record(
        event=event,
        entries=[
            AttendanceEntry(lay, True, Decimal("2.5"), None, Decimal("6.40")),
            AttendanceEntry(professional, True, Decimal("2.5"), None, Decimal("0")),
        ],
        actor=commissioner(),
    )
    rows = {row.member_id: row for row in MeetingAttendance.objects.all()}
    assert rows[lay.pk].time_payment == Decimal("37.50")
    assert rows[lay.pk].expenses == Decimal("6.40")
    assert rows[professional.pk].time_payment == Decimal("0.00")
    assert AuditEvent.objects.get(verb="attendance.record").detail == {
        "attended": 2,
        "total": "£43.90",
    }


def test_attendance_keeps_a_payment_typed_over_the_default_and_can_be_saved_again():
    panel = PanelFactory(lay_hourly_rate=Decimal("15.00"))
    lay = PanelMemberFactory(panel=panel)
    event = _meeting(panel)
    for payment in (Decimal("50"), Decimal("45")):
        services.attendance_record(
            event=event,
            entries=[AttendanceEntry(lay, True, Decimal("2"), payment, Decimal("0"))],
            actor=commissioner(),
        )
    assert MeetingAttendance.objects.get().time_payment == Decimal("45")


def test_attendance_refuses_hours_for_someone_who_did_not_come_and_saves_nothing():
    panel = PanelFactory()
    first, second = PanelMemberFactory(panel=panel), PanelMemberFactory(panel=panel)
    with pytest.raises(DomainError, match="did not attend"):
        services.attendance_record(
            event=_meeting(panel),
            entries=[
                AttendanceEntry(first, True, Decimal("2"), None, Decimal("0")),
                AttendanceEntry(second, False, Decimal("2"), None, Decimal("0")),
            ],
            actor=commissioner(),
        )
    assert not MeetingAttendance.objects.exists()


def test_attendance_is_for_panel_meetings_only():
    panel = PanelFactory()
    member = PanelMemberFactory(panel=panel)
    session = RoundEventFactory(round=panel.round)
    with pytest.raises(DomainError, match="panel meetings only"):
        services.attendance_record(
            event=session,
            entries=[AttendanceEntry(member, True, Decimal("1"), None, Decimal("0"))],
            actor=commissioner(),
        )


def test_only_active_members_recorded_as_attending_count_as_present():
    panel = PanelFactory()
    event = _meeting(panel)
    came, stayed_away, left = (PanelMemberFactory(panel=panel) for _ in range(3))
    invited = PanelMemberFactory(panel=panel, status=PanelMember.Status.INVITED)
    services.attendance_record(
        event=event,
        entries=[
            AttendanceEntry(came, True, Decimal("1"), None, Decimal("0")),
            AttendanceEntry(stayed_away, False, Decimal("0"), None, Decimal("0")),
            AttendanceEntry(left, True, Decimal("1"), None, Decimal("0")),
            AttendanceEntry(invited, True, Decimal("1"), Decimal("20"), Decimal("0")),
        ],
        actor=commissioner(),
    )
    services.panel_member_remove(member=left, reason="Moved away", actor=commissioner())

    present = attendance_present(event_id=event.pk).values_list("member_id", flat=True)

    assert list(present) == [came.pk]
    # The invited person who came is paid all the same.
    assert MeetingAttendance.objects.get(member=invited).time_payment == Decimal("20")
