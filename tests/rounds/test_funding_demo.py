from decimal import Decimal

from rounds.demo import demo_seed_rounds
from rounds.demo_funding import FUND_NAME, demo_seed_funding
from rounds.fund_totals import fund_totals
from rounds.models import Fund, Round


def test_demo_funding_gives_one_pooled_fund_and_three_rounds_once(demo):
    demo_seed_rounds()
    demo_seed_funding()
    demo_seed_funding()

    fund = Fund.objects.get()
    assert fund.name == FUND_NAME
    assert sorted(fund.sources.values_list("kind", flat=True)) == ["council", "nhs"]
    assert fund_totals(fund=fund).remaining == Decimal("21000")
    statuses = {round.slug: round.current_status for round in Round.objects.all()}
    assert statuses == {
        "loneliness-micro-grants": "open",
        "debt-advice-fenwick": "scheduled",
        "carers-breaks-micro-grants": "closed",
    }
    for round in Round.objects.all():
        assert round.form_published_at is not None
        assert round.priority_themes.exists() and round.priority_needs.exists()
        assert round.events.exists()
