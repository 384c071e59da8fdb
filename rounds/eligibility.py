"""Who may apply to a round: the rules, in plain English, with no side effects.

The public eligibility checker asks before a group makes an account; the applications app
asks again at submission. Anything the group has not told us yet (None, or no places)
is left out of the check rather than counted against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from microcomm.formatting import pounds
from microcomm.models import LegalForm, Locality
from rounds.models import Round


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def _plain_list(items: Iterable[str], *, conjunction: str = "or") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _lower_first(text: str) -> str:
    # "Registered charity" reads "a registered charity"; keep acronyms such as "CIO".
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _article(text: str) -> str:
    return "an" if text[:1].lower() in "aeiou" else "a"


def _legal_form_reason(round: Round, legal_form: str) -> str | None:
    allowed = list(round.allowed_legal_forms or [])
    if not allowed or legal_form in allowed:
        return None
    labels = dict(LegalForm.choices)
    allowed_text = _plain_list(_lower_first(labels.get(code, code)) for code in allowed)
    if legal_form == LegalForm.OTHER:
        given = "another kind of group"
    else:
        given = _lower_first(labels.get(legal_form, legal_form))
        given = f"{_article(given)} {given}"
    return (
        f"This round is for groups that are one of these: {allowed_text}. "
        f"You told us your group is {given}."
    )


def _income_reason(round: Round, annual_income: Decimal) -> str | None:
    limit = round.maximum_annual_income
    if limit is None or annual_income <= limit:
        return None
    return (
        f"This round is for groups with an annual income of {pounds(limit)} or less. "
        f"You told us your income is {pounds(annual_income)}."
    )


def _covered_locality_ids(eligible: list[Locality]) -> set[int]:
    """The eligible places and the places inside them (the wards of an eligible PCN)."""
    eligible_ids = {locality.pk for locality in eligible}
    children = Locality.objects.filter(parent_id__in=eligible_ids).values_list("pk", flat=True)
    return eligible_ids | set(children)


def _locality_reason(round: Round, locality_ids: set[int]) -> str | None:
    eligible = list(round.eligible_localities.all())
    if not eligible or not locality_ids:
        return None
    if locality_ids & _covered_locality_ids(eligible):
        return None
    names = sorted(locality.name for locality in eligible)
    given = sorted(Locality.objects.filter(pk__in=locality_ids).values_list("name", flat=True)) or [
        "somewhere else"
    ]
    return (
        f"This round is for groups working in {_plain_list(names)}. "
        f"You told us you work in {_plain_list(given, conjunction='and')}."
    )


def _amount_reason(round: Round, amount: Decimal) -> str | None:
    if round.minimum_grant <= amount <= round.maximum_grant:
        return None
    return (
        f"This round gives grants of between {pounds(round.minimum_grant)} and "
        f"{pounds(round.maximum_grant)}. You asked for {pounds(amount)}."
    )


def _priority_reason(round: Round, addresses_priority: bool) -> str | None:
    if addresses_priority or not round.must_address_priority:
        return None
    return (
        "This round only funds activities that address one of its priorities. "
        "You told us your activity does not."
    )


def eligibility_check(
    *,
    round: Round,
    legal_form: str | None,
    annual_income: Decimal | None,
    locality_ids: set[int],
    amount: Decimal | None,
    addresses_priority: bool | None,
) -> EligibilityResult:
    """Whether a group may apply to a round, and every reason it may not."""
    reasons = [
        reason
        for reason in (
            _legal_form_reason(round, legal_form) if legal_form else None,
            _income_reason(round, annual_income) if annual_income is not None else None,
            _locality_reason(round, set(locality_ids)),
            _amount_reason(round, amount) if amount is not None else None,
            _priority_reason(round, addresses_priority) if addresses_priority is not None else None,
        )
        if reason
    ]
    return EligibilityResult(eligible=not reasons, reasons=reasons)
