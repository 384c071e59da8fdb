"""Which due diligence checks an application needs, proportionate to the round and the group.

A micro round asks for little: a governing document, a way to receive money and, when the
project works with children or adults at risk, a safeguarding policy. Small rounds add
insurance and accounts; standard rounds add an equality policy and always safeguarding.
Registered charities and companies are also checked against their public register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from applications.models import Answer, DueDiligenceItem, OrganisationDocument
from microcomm.models import LegalForm
from rounds.models import Question, Round

if TYPE_CHECKING:
    from applications.models import Application
    from microcomm.models import Organisation

GOVERNING = "governing"
REGISTRATION = "registration"
BANK_ACCOUNT = "bank_account"
SAFEGUARDING = "safeguarding"
INSURANCE = "insurance"
ACCOUNTS = "accounts"
EQUALITY = "equality"

# The vault document kind that counts as evidence for each check.
DOCUMENT_KIND_FOR_CODE: dict[str, str] = {
    GOVERNING: OrganisationDocument.Kind.GOVERNING,
    SAFEGUARDING: OrganisationDocument.Kind.SAFEGUARDING,
    INSURANCE: OrganisationDocument.Kind.INSURANCE,
    ACCOUNTS: OrganisationDocument.Kind.ACCOUNTS,
    EQUALITY: OrganisationDocument.Kind.EQUALITY,
}

CHARITY_FORMS = {LegalForm.CHARITY, LegalForm.CIO}
COMPANY_FORMS = {LegalForm.CIC, LegalForm.CLG, LegalForm.COMMUNITY_BENEFIT}

_AT_RISK = re.compile(r"\bchild|\badults? at risk|\bvulnerable adult", re.IGNORECASE)
_YES = {"yes", "true", "1", "y"}


def is_at_risk_question(question: Question) -> bool:
    """A yes/no question asking whether the project works with children or adults at risk."""
    return question.kind == Question.Kind.YES_NO and bool(_AT_RISK.search(question.label))


def _is_yes(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, dict):
        value = value.get("value")
    return str(value).strip().lower() in _YES if value is not None else False


def _answer_values(answers: Mapping[int, Any] | Iterable[Answer] | None) -> dict[int, Any]:
    if answers is None:
        return {}
    if isinstance(answers, Mapping):
        return dict(answers)
    return {answer.question_id: answer.value for answer in answers}


def _works_with_people_at_risk(round: Round, values: dict[int, Any]) -> bool:
    if not values:
        return False
    questions = Question.objects.filter(
        section__round=round, kind=Question.Kind.YES_NO, pk__in=list(values)
    )
    return any(is_at_risk_question(q) and _is_yes(values[q.pk]) for q in questions)


def due_diligence_items_for(
    *,
    round: Round,
    organisation: Organisation,
    answers: Mapping[int, Any] | Iterable[Answer] | None = None,
) -> list[tuple[str, str]]:
    """The (code, label) checks this group's application to this round needs, in order.

    `answers` maps question ids to answer values (or is the application's Answer rows);
    a "yes" to a question about children or adults at risk adds the safeguarding check.
    """
    tier = round.tier
    legal_form = organisation.legal_form
    items: list[tuple[str, str]] = []

    if legal_form == LegalForm.UNINCORPORATED:
        items.append((GOVERNING, "Constitution or set of rules the group agreed"))
    else:
        items.append((GOVERNING, "Governing document"))
    if legal_form in CHARITY_FORMS:
        items.append((REGISTRATION, "Registered with the Charity Commission"))
    elif legal_form in COMPANY_FORMS:
        items.append((REGISTRATION, "Registered at Companies House or the FCA"))

    profile = getattr(organisation, "profile", None)
    if profile is not None and profile.has_bank_account is False:
        items.append((BANK_ACCOUNT, "Host organisation will receive and hold the grant"))
    else:
        items.append((BANK_ACCOUNT, "Bank account in the group's own name, or a host organisation"))

    at_risk = _works_with_people_at_risk(round, _answer_values(answers))
    if tier == Round.Tier.STANDARD or at_risk:
        items.append((SAFEGUARDING, "Safeguarding policy"))
    if tier in (Round.Tier.SMALL, Round.Tier.STANDARD):
        items.append((INSURANCE, "Public liability insurance"))
        items.append((ACCOUNTS, "Latest accounts or income and expenditure sheet"))
    if tier == Round.Tier.STANDARD:
        items.append((EQUALITY, "Equality policy"))
    return items


@transaction.atomic
def due_diligence_create(*, application: Application) -> list[DueDiligenceItem]:
    """Make the application's checklist match its round, group and answers.

    Safe to call again (on resubmission): verified checks are kept, unverified ones that
    no longer apply are removed, missing ones are added.
    """
    wanted = due_diligence_items_for(
        round=application.round,
        organisation=application.organisation,
        answers=Answer.objects.filter(application=application),
    )
    existing = {item.code: item for item in application.due_diligence.all()}
    codes = {code for code, _ in wanted}
    for code, item in existing.items():
        if code not in codes and not item.verified:
            item.delete()
    result = []
    for order, (code, label) in enumerate(wanted):
        item = existing.get(code)
        if item is None:
            item = DueDiligenceItem.objects.create(
                application=application, code=code, label=label, order=order
            )
        elif item.label != label or item.order != order:
            item.label, item.order = label, order
            item.save(update_fields=["label", "order"])
        result.append(item)
    return result


def due_diligence_complete(application: Application) -> bool:
    """True when the checklist exists and every check on it is verified."""
    items = application.due_diligence.all()
    return items.exists() and not items.filter(verified=False).exists()
