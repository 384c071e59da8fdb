import datetime
from decimal import Decimal

import pytest
import time_machine
from django import forms

from rounds.models import Question
from rounds.question_kinds import KINDS, AnswerContext, Option, QuestionKind, question_kind
from tests.rounds.factories import QuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db

K = Question.Kind

CONTEXT = AnswerContext(
    priorities={"theme:3": "Loneliness", "need:12": "Falls in older people"},
    places={7: "Oak", 8: "Riverside"},
    documents=[Option("41", "Safeguarding policy", "Safeguarding policy, policy.pdf")],
    budget_costs=[Decimal("300")],
)

# One stored answer of each kind, as the applications app keeps it.
ANSWERS = {
    K.SHORT_TEXT: "Eastfield Walkers",
    K.LONG_TEXT: "We walk every Tuesday.",
    K.WHOLE_NUMBER: 20,
    K.MONEY: "1250.50",
    K.DATE: "2027-03-12",
    K.YES_NO: "yes",
    K.ONE_CHOICE: "Library",
    K.SEVERAL_CHOICES: ["Library", "Outdoors"],
    K.FILE: {"document": 41, "title": "Safeguarding policy"},
    K.PRIORITIES: ["need:12", "theme:3"],
    K.BUDGET: {"total": "300.00"},
    K.LOCALITIES: [8, 7],
}


def _question(kind: str, **fields) -> Question:
    return QuestionFactory(kind=kind, choices=["Library", "Outdoors"], word_limit=5, **fields)


def test_every_kind_of_question_has_one_class_in_the_registry():
    assert set(KINDS) == set(K.values)
    assert set(ANSWERS) == set(K.values)
    for value, kind in KINDS.items():
        assert isinstance(kind, QuestionKind)
        assert kind.kind == value


@pytest.mark.parametrize("kind", K.values)
def test_each_kind_gives_a_field_a_preview_words_a_cell_and_problems(kind):
    question = _question(kind)
    registered = question_kind(question)
    value = ANSWERS[kind]

    field = registered.field(question, CONTEXT)
    preview = registered.preview(question, CONTEXT)
    if kind == K.BUDGET:  # the budget table has a page of its own
        assert field is None and preview is None
    else:
        assert isinstance(field, forms.Field) and field.label == question.label
        assert isinstance(preview, forms.Field) and preview.label == question.label
    shown = registered.display(question, value, CONTEXT)
    assert shown and (isinstance(shown, str) or all(isinstance(item, str) for item in shown))
    assert isinstance(registered.csv_value(question, value, CONTEXT), str)
    assert registered.csv_value(question, value, CONTEXT)
    assert registered.display(question, None, CONTEXT) in ("", [])
    assert isinstance(registered.problems(question, value, CONTEXT), list)


@pytest.mark.parametrize(
    ("kind", "shown", "cell"),
    [
        (K.MONEY, "£1,250.50", "1250.50"),
        (K.DATE, "12 March 2027", "12 March 2027"),
        (K.YES_NO, "Yes", "Yes"),
        (K.SEVERAL_CHOICES, ["Library", "Outdoors"], "Library; Outdoors"),
        (K.FILE, "Safeguarding policy", "Safeguarding policy"),
        (
            K.PRIORITIES,
            ["Falls in older people", "Loneliness"],
            "Falls in older people; Loneliness",
        ),
        (K.LOCALITIES, ["Oak", "Riverside"], "Oak; Riverside"),
        (K.BUDGET, "Total costs £300", "300.00"),
    ],
)
def test_answers_read_in_words_and_as_spreadsheet_cells(kind, shown, cell):
    question = _question(kind)
    registered = question_kind(question)
    assert registered.display(question, ANSWERS[kind], CONTEXT) == shown
    assert registered.csv_value(question, ANSWERS[kind], CONTEXT) == cell


def test_a_yes_no_answer_stored_as_true_or_false_reads_as_yes_or_no():
    question = _question(K.YES_NO)
    assert question_kind(question).display(question, True, CONTEXT) == "Yes"
    assert question_kind(question).display(question, "false", CONTEXT) == "No"


def test_a_place_or_priority_no_longer_offered_still_reads_sensibly():
    places = _question(K.LOCALITIES)
    priorities = _question(K.PRIORITIES)
    assert question_kind(places).display(places, [99], CONTEXT) == ["A place no longer on the list"]
    assert question_kind(priorities).display(priorities, ["theme:99"], CONTEXT) == ["theme:99"]


@pytest.mark.parametrize("method", ["field", "preview"])
def test_priorities_are_offered_by_id_in_the_form_and_its_preview(method):
    question = _question(K.PRIORITIES)
    field = getattr(question_kind(question), method)(question, CONTEXT)
    assert list(field.choices) == [
        ("theme:3", "Loneliness"),
        ("need:12", "Falls in older people"),
    ]


@pytest.mark.parametrize("method", ["field", "preview"])
def test_places_are_offered_by_id_in_the_form_and_its_preview(method):
    question = _question(K.LOCALITIES)
    field = getattr(question_kind(question), method)(question, CONTEXT)
    assert list(field.choices) == [(7, "Oak"), (8, "Riverside")]


def test_the_preview_of_a_file_question_is_an_upload_and_the_form_offers_the_vault():
    question = _question(K.FILE)
    kind = question_kind(question)
    assert isinstance(kind.preview(question, CONTEXT), forms.FileField)
    assert list(kind.field(question, CONTEXT).choices) == [("41", "Safeguarding policy")]
    assert kind.stored(question, "41", CONTEXT) == {"document": 41, "title": "Safeguarding policy"}
    assert kind.stored(question, "42", CONTEXT) is None
    assert kind.initial(question, ANSWERS[K.FILE]) == "41"


def test_cleaned_values_are_stored_as_json():
    date, places = _question(K.DATE), _question(K.LOCALITIES)
    assert question_kind(date).stored(date, datetime.date(2027, 3, 12), CONTEXT) == "2027-03-12"
    assert question_kind(places).stored(places, [8, 7, 8], CONTEXT) == [7, 8]
    assert question_kind(places).stored(places, [], CONTEXT) is None


def test_a_draft_field_saves_an_empty_required_answer_but_not_a_wrong_one():
    question = _question(K.WHOLE_NUMBER)
    field = question_kind(question).field(question, CONTEXT)
    assert field.clean("") is None
    with pytest.raises(forms.ValidationError, match="Enter a whole number"):
        field.clean("twelve")


@pytest.mark.parametrize(
    ("kind", "value", "problems"),
    [
        (K.SHORT_TEXT, "", ["Answer 'Q'"]),
        (K.LONG_TEXT, "one two three four five six seven", ["'Q' has 2 words too many"]),
        (K.LONG_TEXT, "one two", []),
        (K.FILE, None, ["Upload or choose a document for 'Q'"]),
        (K.PRIORITIES, [], ["Answer 'Q'"]),
    ],
)
def test_problems_at_submission(kind, value, problems):
    question = _question(kind, label="Q")
    assert question_kind(question).problems(question, value, CONTEXT) == problems


def test_an_optional_question_may_be_left_empty():
    question = _question(K.SHORT_TEXT, required=False)
    assert question_kind(question).problems(question, "", CONTEXT) == []


@pytest.mark.parametrize(
    ("costs", "required", "problems"),
    [
        ([], True, ["Add at least one cost to your budget"]),
        ([], False, []),
        ([Decimal("300")], True, []),
        (
            [Decimal("900"), Decimal("300")],
            True,
            ["Ask for between £100 and £1,000: your costs add up to £1,200"],
        ),
    ],
)
def test_a_budget_must_have_costs_within_the_round_limits(costs, required, problems):
    round = RoundFactory(minimum_grant=Decimal("100"), maximum_grant=Decimal("1000"))
    question = _question(K.BUDGET, section__round=round, required=required)
    context = AnswerContext(budget_costs=costs)
    assert question_kind(question).problems(question, None, context) == problems


@time_machine.travel(datetime.datetime(2027, 3, 12, 10, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("When will the activity start?", "The start date must be today or in the future"),
        ("When will the activity end?", "The end date must be today or in the future"),
    ],
)
def test_a_date_the_activity_will_happen_cannot_be_in_the_past(label, message):
    question = _question(K.DATE, label=label)
    field = question_kind(question).field(question, CONTEXT)
    with pytest.raises(forms.ValidationError, match=message):
        field.clean(["1", "6", "2020"])
    assert field.clean(["12", "3", "2027"]) == datetime.date(2027, 3, 12)


def test_a_date_about_the_past_may_be_in_the_past():
    question = _question(K.DATE, label="When did your group start meeting?")
    field = question_kind(question).field(question, CONTEXT)
    assert field.clean(["4", "6", "1987"]) == datetime.date(1987, 6, 4)
