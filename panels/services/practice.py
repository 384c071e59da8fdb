"""Writes of the practice application: a member's try at scoring it. Never counted."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.models import User
from panels.models import PanelMember, PracticeAttempt
from panels.scoring import weighted_score
from panels.selectors.practice import PracticeCriterion


@transaction.atomic
def practice_attempt_save(
    *,
    member: PanelMember,
    criteria: list[PracticeCriterion],
    values: Mapping[int, tuple[int, str]],
    actor: User,
) -> tuple[PracticeAttempt, Decimal]:
    """Keep the member's practice scores (a point and a comment per criterion) and return
    the weighted score they come to. Trying again replaces the last try."""
    for criterion in criteria:
        if criterion.id not in values:
            raise DomainError(
                f"Choose a score for {criterion.name}", field=f"criterion_{criterion.id}"
            )
        if not criterion.rule.allows(values[criterion.id][0]):
            raise DomainError(
                f"Choose a score for {criterion.name} from its scale",
                field=f"criterion_{criterion.id}",
            )
    score = weighted_score(
        [criterion.rule for criterion in criteria],
        {key: value for key, (value, _comment) in values.items()},
    )
    attempt, _ = PracticeAttempt.objects.update_or_create(
        member=member,
        defaults={
            "scores": {
                str(key): {"value": value, "comment": comment}
                for key, (value, comment) in values.items()
            },
            "submitted_at": timezone.now(),
        },
    )
    audit_record(actor=actor, verb="practice.submit", target=member)
    return attempt, score
