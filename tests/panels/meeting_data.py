"""Rounds with a panel, scores and a meeting, small or at the size the issue names."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from microcomm.models import Organisation
from panels.models import MeetingAttendance, Panel, PanelMember, Score, Scorecard
from panels.scoring import CriterionRule, weighted_score
from rounds.models import RoundEvent
from tests.microcomm.factories import UserFactory
from tests.panels.factories import PanelFactory, rubric_for
from tests.rounds.factories import closed_round

SEVEN_WEIGHTS = (20, 20, 20, 10, 10, 10, 10)


def meeting_build(
    *,
    applications: int,
    scorers: int,
    weights: tuple[int, ...] = SEVEN_WEIGHTS,
    amount_available: Decimal = Decimal("20000.00"),
    present: bool = True,
) -> Panel:
    """A closed round whose panel has scored every application, built in bulk: every
    scorer scores every application, their scores spread by application and scorer."""
    round = closed_round(
        amount_available=amount_available,
        maximum_grant=min(Decimal("2000.00"), amount_available),
    )
    rubric = rubric_for(round, weights=weights)
    criteria = list(rubric.criteria.all())
    panel = PanelFactory(round=round, quorum_members=min(3, scorers), quorum_lay_members=1)
    event = RoundEvent.objects.create(
        round=round,
        kind=RoundEvent.Kind.PANEL_MEETING,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        location="The library",
    )
    members = []
    for index in range(scorers):
        role = PanelMember.Role.CHAIR if index == 0 else PanelMember.Role.LAY
        members.append(
            PanelMember.objects.create(
                panel=panel,
                user=UserFactory(full_name=f"Scorer {index:02d}"),
                role=role,
                status=PanelMember.Status.ACTIVE,
            )
        )
    if present:
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(member=member, event=event, attended=True) for member in members
        )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Group {round.pk}-{index:04d}", legal_form="unincorporated")
        for index in range(applications)
    )
    now = timezone.now()
    created = Application.objects.bulk_create(
        Application(
            round=round,
            organisation=organisation,
            reference=f"MT-{round.pk}-{index:04d}",
            status=Application.Status.SUBMITTED,
            title=f"Project {index}",
            amount_requested=Decimal(300 + (index % 7) * 100),
            submitted_at=now,
        )
        for index, organisation in enumerate(organisations)
    )
    rules = [CriterionRule(id=c.pk, weight=c.weight, scale=c.scale) for c in criteria]
    cards = []
    values_of = {}
    for a_index, application in enumerate(created):
        for s_index, member in enumerate(members):
            values = {c.pk: (a_index + s_index + c_index) % 4 for c_index, c in enumerate(criteria)}
            card = Scorecard(
                member=member,
                application=application,
                status=Scorecard.Status.SUBMITTED,
                submitted_at=now,
                weighted_score=weighted_score(rules, values),
            )
            cards.append(card)
            values_of[(application.pk, member.pk)] = values
    Scorecard.objects.bulk_create(cards, batch_size=2000)
    Score.objects.bulk_create(
        (
            Score(scorecard=card, criterion_id=criterion_id, value=value)
            for card in cards
            for criterion_id, value in values_of[(card.application_id, card.member_id)].items()
        ),
        batch_size=5000,
    )
    return panel
