"""Commissioners' writes on applications: eligibility overrides and due diligence.

The eligibility rules themselves live in rounds.eligibility and run at submission.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from applications.models import Application, DueDiligenceItem
from applications.permissions import can_manage_applications
from applications.services.applying import group_tell
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.models import User


@transaction.atomic
def eligibility_override(
    *, application: Application, reason: str, actor: User, email: bool = True
) -> Application:
    """A commissioner lets an application through the eligibility rules, saying why.

    Every member of the group is told (by email too, unless ``email`` is False: the demo's).
    """
    if not can_manage_applications(actor):
        raise DomainError("Only commissioners can override eligibility")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why this application may go ahead", field="reason")
    application = Application.objects.select_for_update().get(pk=application.pk)
    before = (
        "overridden"
        if application.eligibility_override_reason
        else ("eligible" if application.eligibility.get("eligible") else "not eligible")
    )
    application.eligibility_override_reason = reason
    application.eligibility_overridden_by = actor
    application.save(
        update_fields=["eligibility_override_reason", "eligibility_overridden_by", "updated_at"]
    )
    event = audit_record(
        actor=actor,
        verb="application.eligibility_override",
        target=application,
        from_state=before,
        to_state="overridden",
        reason=reason,
        detail={"reasons": application.eligibility.get("reasons", [])},
    )
    group_tell(
        application,
        actor=actor,
        subject=f"Your application to {application.round} can go ahead",
        template="email/application_eligibility_overridden",
        key=f"application-eligibility-overridden:{application.pk}:{event.pk}",
        email=email,
        context={"reason": reason},
    )
    return application


@transaction.atomic
def due_diligence_verify(
    *, item: DueDiligenceItem, verified: bool, note: str, actor: User
) -> DueDiligenceItem:
    """Mark one due diligence check verified (or not yet), with a note of what was seen."""
    if not can_manage_applications(actor):
        raise DomainError("Only commissioners can verify due diligence")
    note = note.strip()
    if verified and not note:
        raise DomainError("Enter what you checked", field="note")
    item = (
        DueDiligenceItem.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=item.pk)
    )
    before = "verified" if item.verified else "outstanding"
    item.verified = verified
    item.verified_by = actor if verified else None
    item.verified_at = timezone.now() if verified else None
    item.note = note
    item.save(update_fields=["verified", "verified_by", "verified_at", "note"])
    audit_record(
        actor=actor,
        verb="due_diligence.verify" if verified else "due_diligence.unverify",
        target=item.application,
        from_state=before,
        to_state="verified" if verified else "outstanding",
        reason=note,
        detail={"code": item.code, "label": item.label},
    )
    return item
