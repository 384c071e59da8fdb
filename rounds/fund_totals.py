"""A fund's money: what its sources give, what its rounds hold, what is left.

Pure reads, used by the funding services to refuse a round that asks for more than the
fund has left, and by the funding pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from rounds.models import Fund, FundingSource, Round

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundTotals:
    """A fund's money, all computed from the data. Awards and payments come later."""

    total: Decimal
    allocated: Decimal
    awarded: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.total - self.allocated


def fund_total(*, fund: Fund) -> Decimal:
    return FundingSource.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or ZERO


def fund_allocated(*, fund: Fund, excluding: Round | None = None) -> Decimal:
    """What the fund's rounds have been given, leaving out one round (the one being edited)."""
    rounds = Round.objects.filter(fund=fund)
    if excluding is not None and excluding.pk:
        rounds = rounds.exclude(pk=excluding.pk)
    return rounds.aggregate(total=Sum("amount_available"))["total"] or ZERO


def fund_totals(*, fund: Fund) -> FundTotals:
    return FundTotals(total=fund_total(fund=fund), allocated=fund_allocated(fund=fund))


def fund_remaining(*, fund: Fund, excluding: Round | None = None) -> Decimal:
    """What the fund has left for a round, not counting what `excluding` already holds."""
    return fund_total(fund=fund) - fund_allocated(fund=fund, excluding=excluding)
