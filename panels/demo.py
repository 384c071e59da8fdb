"""Fictional demo panel for the closed carers' round: a scoring system, four members, their
declared interests and complete scores, one of them an outlier.

The round closed before the demo was seeded, so its scoring system is locked to the
services: it is written here from the micro preset, as the commissioner agreed it before
opening. Everything after that (seats, declarations, assignment, scores) goes through the
panels' services, so audit events are real. Every name is invented.

Idempotent: a round with a rubric keeps it; members are seated once; declarations and
scores are made only while the member has none.
"""

from __future__ import annotations

from django.db import transaction

from microcomm.demo import demo_user
from microcomm.models import User
from panels.models import (
    SCALE_POINTS,
    ConflictDeclaration,
    Criterion,
    Panel,
    PanelMember,
    Rubric,
    ScalePoint,
    Scorecard,
)
from panels.rubric_presets import PRESETS
from panels.selectors.conflicts import applying_organisations
from panels.services.conflicts import conflicts_declare
from panels.services.members import panel_member_add
from panels.services.scoring import scorecard_submit, scorecards_assign
from rounds.models import Round

CLOSED_ROUND = "carers-breaks-micro-grants"
COMMISSIONER_EMAIL = "commissioner@example.org"
LINK_WORKER_EMAIL = "linkworker@example.org"
# The panel's demo logins (README, "Demo logins"); they use the demo password.
LAY_MEMBERS = [
    ("lay.member@example.org", "Rosa Fenwick"),
    ("lay.member2@example.org", "Idris Marshall"),
]
# Idris declares an interest in the first group to apply, so is never given its bid.
CONFLICTED_EMAIL = "lay.member2@example.org"
# How each seat scores (points on 0 to 3 scales); the link worker scores one application
# far below the others on its first criterion: the outlier moderation shows.
BASE_POINTS = (3, 2, 2, 2)


def _rubric(round: Round) -> Rubric:
    rubric = Rubric.objects.filter(round=round).first()
    if rubric is not None:
        return rubric
    preset = PRESETS["micro"]
    rubric = Rubric.objects.create(round=round, preset=preset.key, pass_mark=preset.pass_mark)
    for position, item in enumerate(preset.criteria):
        criterion = Criterion.objects.create(
            rubric=rubric,
            position=position,
            name=item.name,
            question=item.question,
            weight=item.weight,
            scale=item.scale,
            minimum=item.minimum,
        )
        ScalePoint.objects.bulk_create(
            ScalePoint(criterion=criterion, value=value, label=label, anchor=anchor)
            for (value, label), anchor in zip(SCALE_POINTS[item.scale], item.anchors, strict=True)
        )
    return rubric


def _seat(round: Round, user: User, role: str, actor: User) -> PanelMember:
    member = PanelMember.objects.filter(panel__round=round, user=user).first()
    if member is None:
        member = panel_member_add(round=round, email=user.email, role=role, actor=actor)
    return member


def _declare(member: PanelMember, *, conflicted_with: int | None, actor: User) -> None:
    if ConflictDeclaration.objects.filter(member=member).exists():
        return
    answers = {}
    for organisation in applying_organisations(panel=member.panel):
        if organisation.pk == conflicted_with:
            answers[organisation.pk] = (
                ConflictDeclaration.Interest.TRUSTEE,
                "I sit on the group's committee",
            )
        else:
            answers[organisation.pk] = (ConflictDeclaration.Interest.NONE, "")
    conflicts_declare(member=member, answers=answers, actor=actor)


def _points(criterion_count: int, seat: int, application_number: int) -> list[int]:
    points = [
        max(0, min(3, BASE_POINTS[i % len(BASE_POINTS)] - ((seat + application_number + i) % 2)))
        for i in range(criterion_count)
    ]
    return points


def _score_all(panel: Panel, members: list[PanelMember], outlier: PanelMember) -> None:
    criteria = list(Criterion.objects.filter(rubric__round=panel.round).order_by("position"))
    cards = (
        Scorecard.objects.filter(member__in=members)
        .exclude(status=Scorecard.Status.SUBMITTED)
        .select_related("member__user", "application")
        .order_by("application__reference", "member_id")
    )
    numbers = {}
    for card in cards:
        number = numbers.setdefault(card.application_id, len(numbers))
        seat = members.index(card.member)
        points = _points(len(criteria), seat, number)
        if card.member == outlier and number == 0:
            points[0] = 0
        given = {
            criterion.pk: (
                value,
                f"{criterion.name}: {'strong' if value >= 2 else 'some gaps'} in what the "
                "group told us.",
            )
            for criterion, value in zip(criteria, points, strict=True)
        }
        scorecard_submit(scorecard=card, given=given, version=card.version, actor=card.member.user)


@transaction.atomic
def demo_seed_panel() -> None:
    """The closed round's panel: a commissioner chair, a link worker, two lay members."""
    round = Round.objects.filter(slug=CLOSED_ROUND).first()
    commissioner = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    link_worker = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    if round is None or commissioner is None or link_worker is None:
        return
    _rubric(round)
    seats = [
        _seat(round, commissioner, PanelMember.Role.CHAIR, commissioner),
        _seat(round, link_worker, PanelMember.Role.PROFESSIONAL, commissioner),
    ]
    for email, full_name in LAY_MEMBERS:
        seats.append(
            _seat(
                round,
                demo_user(email=email, full_name=full_name),
                PanelMember.Role.LAY,
                commissioner,
            )
        )
    panel = seats[0].panel
    first_group = applying_organisations(panel=panel).order_by("name").first()
    for member in seats:
        conflicted_with = (
            first_group.pk if first_group and member.user.email == CONFLICTED_EMAIL else None
        )
        _declare(member, conflicted_with=conflicted_with, actor=member.user)
    if not Scorecard.objects.filter(member__panel=panel).exists():
        scorecards_assign(panel=panel, everyone=True, actor=commissioner)
    _score_all(panel, seats, outlier=seats[1])
