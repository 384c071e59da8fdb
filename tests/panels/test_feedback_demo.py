"""The demo panel of the closed carers' round: seeded through the services, once."""

from __future__ import annotations

import pytest
from django.db.models import Count

from microcomm import demo
from microcomm.models import User
from panels.demo import CLOSED_ROUND, CONFLICTED_EMAIL, LAY_MEMBERS
from panels.models import ConflictDeclaration, Criterion, PanelMember, Score, Scorecard
from panels.moderation import outliers

pytestmark = pytest.mark.django_db


def test_demo_panel_has_its_members_conflict_and_complete_scores():
    demo.demo_seed()
    members = PanelMember.objects.filter(panel__round__slug=CLOSED_ROUND)
    roles = sorted((member.user.email, member.role) for member in members)
    assert roles == sorted(
        [
            ("commissioner@example.org", PanelMember.Role.CHAIR),
            ("linkworker@example.org", PanelMember.Role.PROFESSIONAL),
            *[(email, PanelMember.Role.LAY) for email, _name in LAY_MEMBERS],
        ]
    )
    for email, _name in LAY_MEMBERS:
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
    assert Criterion.objects.filter(rubric__round__slug=CLOSED_ROUND).count() == 4
    interest = ConflictDeclaration.objects.exclude(interest="none").get(
        member__panel__round__slug=CLOSED_ROUND
    )
    assert interest.member.user.email == CONFLICTED_EMAIL
    cards = Scorecard.objects.filter(member__panel__round__slug=CLOSED_ROUND)
    assert cards.exists()
    assert set(cards.values_list("status", flat=True)) == {Scorecard.Status.SUBMITTED}
    assert not cards.filter(
        member=interest.member, application__organisation=interest.organisation
    ).exists()
    per_card = cards.annotate(n=Count("scores")).values_list("n", flat=True)
    assert set(per_card) == {4}

    found = []
    for criterion in Criterion.objects.filter(rubric__round__slug=CLOSED_ROUND):
        for application_id in set(cards.values_list("application_id", flat=True)):
            given = dict(
                Score.objects.filter(
                    criterion=criterion, scorecard__application_id=application_id
                ).values_list("scorecard__member_id", "value")
            )
            found += outliers(given, interest.member.panel.outlier_distance)
    assert len(found) == 1

    counts = {model: model.objects.count() for model in (PanelMember, Scorecard, Score)}
    demo.demo_seed()
    assert counts == {model: model.objects.count() for model in counts}
