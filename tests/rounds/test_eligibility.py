from decimal import Decimal

import pytest

from microcomm.formatting import pounds
from microcomm.models import LegalForm, Locality
from rounds.eligibility import eligibility_check
from tests.microcomm.factories import LocalityFactory
from tests.rounds.factories import ScheduledRoundFactory

pytestmark = pytest.mark.django_db

EVERYTHING_FINE = {
    "legal_form": LegalForm.CHARITY,
    "annual_income": Decimal("12000"),
    "places": {"Abbey Fields"},
    "amount": Decimal("1500"),
    "addresses_priority": True,
}

# (what the group told us, differing from EVERYTHING_FINE) -> the reasons it cannot apply.
CASES = [
    ("all fine", {}, []),
    (
        "too much income",
        {"annual_income": Decimal("40000")},
        [
            "This round is for groups with an annual income of £25,000 or less. "
            "You told us your income is £40,000."
        ],
    ),
    ("income exactly at the limit", {"annual_income": Decimal("25000")}, []),
    (
        "wrong legal form",
        {"legal_form": LegalForm.CIC},
        [
            "This round is for groups that are one of these: unincorporated community group, "
            "registered charity or charitable incorporated organisation (CIO). "
            "You told us your group is a community interest company (CIC)."
        ],
    ),
    (
        "another kind of group",
        {"legal_form": LegalForm.OTHER},
        [
            "This round is for groups that are one of these: unincorporated community group, "
            "registered charity or charitable incorporated organisation (CIO). "
            "You told us your group is another kind of group."
        ],
    ),
    (
        "works elsewhere",
        {"places": {"Fenwick"}},
        [
            "This round is for groups working in Abbey Fields or Marshbrook North PCN. "
            "You told us you work in Fenwick."
        ],
    ),
    ("works in a ward inside an eligible PCN", {"places": {"Kiln Lane"}}, []),
    ("works in an eligible place and elsewhere", {"places": {"Fenwick", "Abbey Fields"}}, []),
    (
        "asks for too much",
        {"amount": Decimal("2500.50")},
        ["This round gives grants of between £100 and £2,000. You asked for £2,500.50."],
    ),
    (
        "asks for too little",
        {"amount": Decimal("50")},
        ["This round gives grants of between £100 and £2,000. You asked for £50."],
    ),
    (
        "does not address a priority",
        {"addresses_priority": False},
        [
            "This round only funds activities that address one of its priorities. "
            "You told us your activity does not."
        ],
    ),
    (
        "unknowns do not fail",
        {
            "legal_form": None,
            "annual_income": None,
            "places": set(),
            "amount": None,
            "addresses_priority": None,
        },
        [],
    ),
]


@pytest.fixture
def round():
    pcn = LocalityFactory(name="Marshbrook North PCN", kind=Locality.Kind.PCN)
    LocalityFactory(name="Kiln Lane", parent=pcn)
    LocalityFactory(name="Fenwick")
    return ScheduledRoundFactory(
        allowed_legal_forms=[LegalForm.UNINCORPORATED, LegalForm.CHARITY, LegalForm.CIO],
        maximum_annual_income=Decimal("25000"),
        must_address_priority=True,
        eligible_localities=[LocalityFactory(name="Abbey Fields"), pcn],
    )


@pytest.mark.parametrize(("case", "answers", "reasons"), CASES, ids=[case[0] for case in CASES])
def test_eligibility_rules(round, case, answers, reasons):
    given = {**EVERYTHING_FINE, **answers}
    places = given.pop("places")
    locality_ids = set(Locality.objects.filter(name__in=places).values_list("pk", flat=True))

    result = eligibility_check(round=round, locality_ids=locality_ids, **given)

    assert result.reasons == reasons
    assert result.eligible is (not reasons)


def test_every_reason_is_given_at_once(round):
    result = eligibility_check(
        round=round,
        legal_form=LegalForm.CIC,
        annual_income=Decimal("90000"),
        locality_ids=set(),
        amount=Decimal("5000"),
        addresses_priority=False,
    )

    assert not result.eligible
    assert len(result.reasons) == 4


def test_a_round_with_no_limits_lets_anyone_apply():
    round = ScheduledRoundFactory(must_address_priority=True)

    result = eligibility_check(
        round=round,
        legal_form=LegalForm.PARISH_COUNCIL,
        annual_income=Decimal("1000000"),
        locality_ids={LocalityFactory().pk},
        amount=Decimal("2000"),
        addresses_priority=True,
    )

    assert result.eligible
    assert result.reasons == []


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("25000"), "£25,000"),
        (Decimal("25000.00"), "£25,000"),
        (Decimal("25000.5"), "£25,000.50"),
        (Decimal("0.99"), "£0.99"),
    ],
)
def test_money_reads_as_people_write_it(amount, text):
    assert pounds(amount) == text
