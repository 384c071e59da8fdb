"""Forms of the decision meeting: the panel's decision on one item."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from microcomm.errors import DomainError
from microcomm.forms import PoundsField, choice_field, reason_field, text_field
from microcomm.govuk import GovukCheckboxSelectMultiple, GovukRadioSelect
from panels.models import Criterion, Decision

OUTCOME_HINTS = {
    Decision.Outcome.FUND_FULL: "Award the whole amount asked for.",
    Decision.Outcome.FUND_PART: "Award part of the amount: enter it below.",
    Decision.Outcome.FUND_CONDITIONS: "Award the whole amount, with conditions: enter them below.",
    Decision.Outcome.DECLINE: "Choose below the criteria that weighed against it.",
    Decision.Outcome.DEFER: "Consider it again in a later round.",
    Decision.Outcome.INTERVIEW: "Meet the group before deciding.",
}


class DecisionForm(forms.Form):
    outcome = choice_field(
        "What did the panel decide?",
        Decision.Outcome.choices,
        message="Select what the panel decided",
        widget=GovukRadioSelect(item_hints=OUTCOME_HINTS),
    )
    amount = PoundsField(
        label="Amount to award, if funding in part",
        required=False,
        more_than_zero=True,
        refusals={
            "invalid": "Enter the amount in pounds, like 750 or 750.50",
            "negative": "The amount must be more than £0",
            "decimal_places": "Enter the amount in pounds, like 750 or 750.50",
            "too_large": "The amount is more than the round could ever award",
        },
    )
    conditions = text_field(
        "Conditions, if funding with conditions",
        max_length=4000,
        subject="The conditions",
        rows=3,
    )
    criteria_against = forms.TypedMultipleChoiceField(
        label="If declining: which criteria weighed against it?",
        coerce=int,
        required=False,
        widget=GovukCheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose criteria from the round's scoring system"},
    )
    reason = reason_field(
        "Reason for the decision",
        required_message="Give the reason for the decision",
        max_length=4000,
        help_text="The group sees the reason in its feedback once decisions are released.",
    )

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        change: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria_against"].choices = [
            (criterion.pk, criterion.name) for criterion in criteria
        ]
        if change:
            self.fields["change_reason"] = reason_field(
                "Why is the decision being changed?",
                required_message="Say why the decision is being changed",
            )
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == Decision.Outcome.FUND_PART and data.get("amount") is None:
            self.add_error("amount", "Enter the amount to award")
        return data

    def apply_service_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)

    @staticmethod
    def initial_from(decision: Decision) -> dict[str, Any]:
        amount: Decimal | None = (
            decision.amount if decision.outcome == Decision.Outcome.FUND_PART else None
        )
        return {
            "outcome": decision.outcome,
            "amount": amount,
            "conditions": decision.conditions,
            "criteria_against": decision.criteria_against,
            "reason": decision.reason,
            "version": decision.version,
        }
