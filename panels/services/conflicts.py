"""Writes for conflicts of interest: a member's declarations, or a commissioner's record.

Declaring an interest takes away the member's assignment to that group's application if
they have not started scoring it; a started scorecard is kept (hidden from them and left
out of the averages by the `conflicted()` rule), so nothing they wrote is lost.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.models import User
from panels.meeting_cache import meeting_changed
from panels.models import ConflictDeclaration, PanelMember, Scorecard
from panels.permissions import SEATED
from panels.selectors.conflicts import applying_organisations

INTEREST_LABELS = dict(ConflictDeclaration.Interest.choices)


def declaration_field(organisation_id: int) -> str:
    """The name of the form field a refusal about this organisation belongs to."""
    return f"org-{organisation_id}-declared"


def conflicts_declare(
    *,
    member: PanelMember,
    answers: Mapping[int, tuple[str, str]],
    actor: User,
) -> list[ConflictDeclaration]:
    """Record the member's answer for each organisation applying to the round.

    ``answers`` maps an organisation's id to (interest, description); every organisation
    applying must be answered, and an interest needs a description. The member declares
    for themselves ("conflict.declare"); anyone else acting is a commissioner recording it
    on their behalf ("conflict.record"). Only a commissioner can withdraw an interest once
    declared. Returns the declarations that changed.
    """
    on_behalf = actor.pk != member.user_id
    verb = "conflict.record" if on_behalf else "conflict.declare"
    with transaction.atomic():
        member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
        if member.status not in SEATED:
            raise DomainError("This person is no longer on the panel")
        organisations = {
            organisation.pk: organisation
            for organisation in applying_organisations(panel=member.panel)
        }
        existing = {
            declaration.organisation_id: declaration
            for declaration in ConflictDeclaration.objects.filter(member=member)
        }
        for organisation_id, organisation in organisations.items():
            interest, description = answers.get(organisation_id, ("", ""))
            field = declaration_field(organisation_id)
            if interest not in INTEREST_LABELS:
                raise DomainError(
                    f"Say whether you have an interest in {organisation.name}", field=field
                )
            if interest != ConflictDeclaration.Interest.NONE and not description.strip():
                raise DomainError(
                    f"Describe your interest in {organisation.name}",
                    field=f"org-{organisation_id}-description",
                )
            before = existing.get(organisation_id)
            if (
                not on_behalf
                and before is not None
                and before.is_conflict
                and interest == ConflictDeclaration.Interest.NONE
            ):
                raise DomainError(
                    f"You declared an interest in {organisation.name}. Only a commissioner "
                    "can withdraw it: ask them if it was a mistake",
                    field=field,
                )
        changed = []
        for organisation_id, organisation in organisations.items():
            interest, description = answers[organisation_id]
            description = (
                description.strip() if interest != ConflictDeclaration.Interest.NONE else ""
            )
            before = existing.get(organisation_id)
            if before is not None and (before.interest, before.description) == (
                interest,
                description,
            ):
                continue
            declaration, _ = ConflictDeclaration.objects.update_or_create(
                member=member,
                organisation=organisation,
                defaults={"interest": interest, "description": description, "recorded_by": actor},
            )
            audit_record(
                actor=actor,
                verb=verb,
                target=member,
                from_state=before.interest if before is not None else "",
                to_state=interest,
                reason=description,
                detail={
                    "interest": INTEREST_LABELS[interest],
                    "organisation": organisation.name,
                    "organisation_id": organisation.pk,
                },
            )
            if declaration.is_conflict:
                _unassign_unstarted(member=member, organisation_id=organisation_id, actor=actor)
            changed.append(declaration)
        meeting_changed(panel_id=member.panel_id)  # the meeting's kept ranking is now stale
    return changed


def _unassign_unstarted(*, member: PanelMember, organisation_id: int, actor: User) -> None:
    """Take away the member's unstarted scorecards for the group's application."""
    cards = Scorecard.objects.filter(
        member=member,
        application__organisation_id=organisation_id,
        application__round_id=member.panel.round_id,
        status=Scorecard.Status.NOT_STARTED,
    ).select_related("application")
    for card in cards:
        audit_record(
            actor=actor,
            verb="scorecard.unassign",
            target=card.application,
            reason="The scorer declared an interest in the group",
            detail={"member_id": member.pk},
        )
        card.delete()
