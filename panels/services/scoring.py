"""Writes for independent scoring: assignment, saving and submitting scores, looking again.

A scorecard moves along its lifecycle (`Scorecard.TRANSITIONS`) through `transition`.
Its ``version`` is bumped by every save, so a second window or a second person saving
from a page read before is told instead of overwriting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.lifecycle import transition
from microcomm.models import User
from microcomm.services import notify
from panels.meeting_cache import meeting_changed
from panels.models import (
    SCALE_POINTS,
    ConflictDeclaration,
    Criterion,
    Panel,
    PanelMember,
    Score,
    Scorecard,
)
from panels.scoring import weighted_score
from panels.selectors.scoring import criterion_rules, eligible_applications, rubric_criteria

STALE = (
    "These scores were changed in another window or by someone else since you opened "
    "this page. Nothing was saved: check the scores below, then save again"
)

# What a scorer gives for one criterion: (value or None, comment).
Given = tuple[int | None, str]


def value_field(criterion_id: int) -> str:
    return f"criterion-{criterion_id}-value"


def reason_field(criterion_id: int) -> str:
    return f"criterion-{criterion_id}-reason"


@dataclass(frozen=True)
class AssignmentResult:
    created: int
    removed: int


def scorecards_assign(*, panel: Panel, everyone: bool, actor: User) -> AssignmentResult:
    """Assign the round's eligible submitted applications to the panel's active members.

    ``everyone``: every member scores every application they have no interest in.
    Otherwise balanced: unstarted assignments are planned again so that each application
    has ``panel.scorers_per_application`` scorers where enough unconflicted members exist,
    each time picking the members with the least to score. Started and submitted
    scorecards are never taken away; a conflicted member is never assigned.
    """
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        members = list(
            PanelMember.objects.filter(panel=panel, status=PanelMember.Status.ACTIVE).order_by("id")
        )
        if not members:
            raise DomainError("The panel has no active members to assign applications to")
        applications = list(eligible_applications(panel=panel))
        if not applications:
            raise DomainError("The round has no eligible submitted applications to assign")
        interested = set(
            ConflictDeclaration.objects.filter(member__panel=panel)
            .exclude(interest=ConflictDeclaration.Interest.NONE)
            .values_list("member_id", "organisation_id")
        )
        removed = 0
        if not everyone:
            unstarted = Scorecard.objects.filter(
                member__panel=panel, status=Scorecard.Status.NOT_STARTED
            )
            removed = unstarted.count()
            unstarted.delete()
        kept = set(
            Scorecard.objects.filter(member__panel=panel).values_list("member_id", "application_id")
        )
        load = {member.pk: 0 for member in members}
        for member_id, _application_id in kept:
            if member_id in load:
                load[member_id] += 1

        def free(member: PanelMember, application) -> bool:
            return (member.pk, application.organisation_id) not in interested and (
                member.pk,
                application.pk,
            ) not in kept

        planned: list[Scorecard] = []
        # The hardest to staff first: fewest members free to score them.
        for application in sorted(
            applications,
            key=lambda application: (
                sum(1 for member in members if free(member, application)),
                application.pk,
            ),
        ):
            candidates = [member for member in members if free(member, application)]
            if not everyone:
                have = sum(
                    1
                    for member in members
                    if (member.pk, application.pk) in kept
                    and (member.pk, application.organisation_id) not in interested
                )
                wanted = max(panel.scorers_per_application - have, 0)
                candidates = sorted(candidates, key=lambda member: (load[member.pk], member.pk))
                candidates = candidates[:wanted]
            for member in candidates:
                load[member.pk] += 1
                planned.append(Scorecard(member=member, application=application, assigned_by=actor))
        Scorecard.objects.bulk_create(planned)
        audit_record(
            actor=actor,
            verb="scorecard.assign",
            target=panel,
            detail={
                "how": "everyone" if everyone else "balanced",
                "created": len(planned),
                "removed": removed,
                "scorers_per_application": panel.scorers_per_application,
            },
        )
    return AssignmentResult(created=len(planned), removed=removed)


def _locked_for_scoring(scorecard: Scorecard, *, version: int) -> Scorecard:
    """The scorecard locked for a change by its scorer, or a refusal saying why not."""
    locked = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("member", "member__panel", "application", "application__organisation")
        .get(pk=scorecard.pk)
    )
    if locked.member.status != PanelMember.Status.ACTIVE:
        raise DomainError("You are no longer on this panel, so you cannot change scores")
    declared = (
        ConflictDeclaration.objects.filter(
            member=locked.member, organisation_id=locked.application.organisation_id
        )
        .exclude(interest=ConflictDeclaration.Interest.NONE)
        .exists()
    )
    if declared:
        raise DomainError(
            "You have declared an interest in this group, so you cannot score its application"
        )
    if locked.status == Scorecard.Status.SUBMITTED:
        raise DomainError(Scorecard.TRANSITION_REFUSALS[Scorecard.Status.SUBMITTED])
    if locked.version != version:
        raise DomainError(STALE)
    return locked


def _scale_words(criterion: Criterion) -> str:
    points = SCALE_POINTS[criterion.scale]
    return (
        f"{points[0][1]} to {points[-1][1]}"
        if criterion.scale != "words"
        else (", ".join(label for _value, label in points))
    )


def _scores_write(
    locked: Scorecard,
    *,
    criteria: list[Criterion],
    given: Mapping[int, Given],
    reasons: Mapping[int, str],
    actor: User,
) -> None:
    """Check every value is on its criterion's scale, then write the scores. When the
    scorer was asked to look again, a changed value needs a reason and is audited with
    the old and new values."""
    rules = {rule.id: rule for rule in criterion_rules(criteria)}
    for criterion in criteria:
        value, _comment = given.get(criterion.pk, (None, ""))
        if value is not None and not rules[criterion.pk].allows(value):
            raise DomainError(
                f"Choose a score for {criterion.name} from {_scale_words(criterion)}",
                field=value_field(criterion.pk),
            )
    existing = {score.criterion_id: score for score in Score.objects.filter(scorecard=locked)}
    changes = []
    if locked.status == Scorecard.Status.LOOK_AGAIN:
        for criterion in criteria:
            value, _comment = given.get(criterion.pk, (None, ""))
            before = existing.get(criterion.pk)
            old = before.value if before is not None else None
            if value == old:
                continue
            reason = (reasons.get(criterion.pk) or "").strip()
            if not reason:
                raise DomainError(
                    f"Say why you changed the score for {criterion.name}",
                    field=reason_field(criterion.pk),
                )
            changes.append((criterion, old, value, reason))
    for criterion in criteria:
        value, comment = given.get(criterion.pk, (None, ""))
        before = existing.get(criterion.pk)
        if before is None:
            Score.objects.create(
                scorecard=locked, criterion=criterion, value=value, comment=comment.strip()
            )
        elif (before.value, before.comment) != (value, comment.strip()):
            before.value = value
            before.comment = comment.strip()
            before.save(update_fields=["value", "comment", "updated_at"])
    for criterion, old, new, reason in changes:
        audit_record(
            actor=actor,
            verb="score.change",
            target=locked,
            from_state="" if old is None else str(old),
            to_state="" if new is None else str(new),
            reason=reason,
            detail={
                "criterion": criterion.name,
                "criterion_id": criterion.pk,
                "old": old,
                "new": new,
            },
        )


def _bump(locked: Scorecard) -> None:
    Scorecard.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    locked.refresh_from_db(fields=["version"])
    meeting_changed(panel_id=locked.member.panel_id)  # the meeting's kept ranking is now stale


def scorecard_save(
    *,
    scorecard: Scorecard,
    given: Mapping[int, Given],
    version: int,
    actor: User,
    reasons: Mapping[int, str] | None = None,
) -> Scorecard:
    """Save the scorer's values and comments so far (some may be left blank).

    Refuses a value off its criterion's scale, a page read before another save (the
    ``version``), a scorer who declared an interest or left the panel, and submitted
    scores. The first save starts the scorecard.
    """
    with transaction.atomic():
        locked = _locked_for_scoring(scorecard, version=version)
        criteria = rubric_criteria(round_id=locked.member.panel.round_id)
        _scores_write(locked, criteria=criteria, given=given, reasons=reasons or {}, actor=actor)
        if locked.status == Scorecard.Status.NOT_STARTED:
            locked = transition(locked, to=Scorecard.Status.IN_PROGRESS, actor=actor)
        _bump(locked)
    return locked


def scorecard_submit(
    *,
    scorecard: Scorecard,
    given: Mapping[int, Given],
    version: int,
    actor: User,
    reasons: Mapping[int, str] | None = None,
) -> Scorecard:
    """Save the values and submit them: every criterion must be scored. The weighted score
    out of 100 is computed here, on the server (`panels.scoring.weighted_score`)."""
    with transaction.atomic():
        locked = _locked_for_scoring(scorecard, version=version)
        criteria = rubric_criteria(round_id=locked.member.panel.round_id)
        if not criteria:
            raise DomainError("The round has no scoring criteria yet, so nothing can be scored")
        _scores_write(locked, criteria=criteria, given=given, reasons=reasons or {}, actor=actor)
        missing = [
            criterion for criterion in criteria if given.get(criterion.pk, (None,))[0] is None
        ]
        if missing:
            names = ", ".join(criterion.name for criterion in missing)
            raise DomainError(
                f"Score every criterion before you submit. Not scored yet: {names}",
                field=value_field(missing[0].pk),
            )
        score = weighted_score(
            criterion_rules(criteria),
            {criterion.pk: given[criterion.pk][0] for criterion in criteria},
        )
        locked = transition(
            locked,
            to=Scorecard.Status.SUBMITTED,
            actor=actor,
            changes={"weighted_score": score, "submitted_at": timezone.now()},
            detail={"weighted_score": str(score)},
        )
        _bump(locked)
    return locked


def score_look_again(
    *,
    scorecard: Scorecard,
    note: str,
    actor: User,
    criterion: Criterion | None = None,
) -> Scorecard:
    """Ask the scorer to look again at submitted scores, with a note; they are told by
    email and on their home page, and may change a score with a reason, then resubmit."""
    note = note.strip()
    if not note:
        raise DomainError("Say what you would like the scorer to look at again", field="note")
    text = f"{criterion.name}: {note}" if criterion is not None else note
    with transaction.atomic():
        locked = transition(
            scorecard,
            to=Scorecard.Status.LOOK_AGAIN,
            actor=actor,
            reason=note,
            changes={"look_again_note": text},
            detail={"criterion": criterion.name if criterion is not None else ""},
        )
        _bump(locked)
        locked = Scorecard.objects.select_related(
            "member__user", "member__panel__round", "application"
        ).get(pk=locked.pk)
        round = locked.member.panel.round
        notify(
            user=locked.member.user,
            subject=f"Please look again at your scores for {locked.application}",
            template="email/panel_score_look_again",
            context={
                "user": locked.member.user,
                "application": locked.application,
                "round": round,
                "note": text,
            },
            link=reverse("panels:scorecard-detail", kwargs={"slug": round.slug, "pk": locked.pk}),
            key=f"panel-score-look-again:{locked.pk}:{locked.version}",
        )
    return locked
