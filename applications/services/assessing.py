"""Commissioners' writes on applications: eligibility, its override and due diligence."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications.models import Answer, Application, DueDiligenceItem
from applications.permissions import can_manage_applications
from microcomm.models import LegalForm, User
from microcomm.services import DomainError, audit_record
from rounds.models import Question, Round

LOCALITY_WORDS = ("localit", "area", "ward", "neighbourhood")


def is_locality_question(question: Question) -> bool:
    """A choice question asking where the activity happens."""
    return question.kind in Question.CHOICE_KINDS and any(
        word in question.label.lower() for word in LOCALITY_WORDS
    )


def _as_list(value: Any) -> list[str]:
    if value in (None, "", [], {}):
        return []
    if isinstance(value, dict):
        value = value.get("value", value.get("choices", []))
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item not in (None, "")]
    return [str(value)]


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"


def eligibility_reasons(*, application: Application) -> list[str]:
    """Why the application does not meet its round's rules; empty when it does."""
    round: Round = application.round
    organisation = application.organisation
    reasons: list[str] = []

    if round.allowed_legal_forms and organisation.legal_form not in round.allowed_legal_forms:
        form = dict(LegalForm.choices).get(organisation.legal_form, organisation.legal_form)
        allowed = ", ".join(round.allowed_legal_form_labels)
        reasons.append(f"The round is open only to: {allowed}. The group's legal form is {form}")

    profile = getattr(organisation, "profile", None)
    if round.maximum_annual_income is not None:
        income = profile.annual_income if profile is not None else None
        if income is None:
            reasons.append("The group's annual income is not in its profile")
        elif income > round.maximum_annual_income:
            reasons.append(
                f"The group's annual income of {_pounds(income)} is above the round's limit "
                f"of {_pounds(round.maximum_annual_income)}"
            )

    amount = application.amount_requested
    if amount is None:
        reasons.append("The application does not say how much it asks for")
    elif not round.minimum_grant <= amount <= round.maximum_grant:
        reasons.append(
            f"The amount asked for, {_pounds(amount)}, is not between "
            f"{_pounds(round.minimum_grant)} and {_pounds(round.maximum_grant)}"
        )

    answers = list(Answer.objects.filter(application=application).select_related("question"))
    eligible_names = {locality.name.lower() for locality in round.eligible_localities.all()}
    locality_answers = [a for a in answers if is_locality_question(a.question)]
    if eligible_names and locality_answers:
        named = {v.lower() for a in locality_answers for v in _as_list(a.value)}
        if not named & eligible_names:
            reasons.append("The activity is not in one of the round's eligible localities")

    has_priorities = (
        round.priority_themes.exists()
        or round.priority_needs.exists()
        or round.priority_localities.exists()
    )
    if round.must_address_priority and has_priorities:
        priority_questions = Question.objects.filter(
            section__round=round, kind=Question.Kind.PRIORITIES
        ).exists()
        chosen = [
            a for a in answers if a.question.kind == Question.Kind.PRIORITIES and _as_list(a.value)
        ]
        if priority_questions and not chosen:
            reasons.append("The application does not say which of the round's priorities it meets")
    return reasons


@transaction.atomic
def eligibility_check(*, application: Application) -> dict[str, Any]:
    """Check the round's rules and store the result on the application; return it."""
    reasons = eligibility_reasons(application=application)
    result = {
        "eligible": not reasons,
        "reasons": reasons,
        "checked_at": timezone.now().isoformat(),
    }
    application.eligibility = result
    application.save(update_fields=["eligibility", "updated_at"])
    return result


@transaction.atomic
def eligibility_override(*, application: Application, reason: str, actor: User) -> Application:
    """A commissioner lets an application through the eligibility rules, saying why."""
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
    audit_record(
        actor=actor,
        verb="application.eligibility_override",
        target=application,
        from_state=before,
        to_state="overridden",
        reason=reason,
        detail={"reasons": application.eligibility.get("reasons", [])},
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
        DueDiligenceItem.objects.select_for_update().select_related("application").get(pk=item.pk)
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
