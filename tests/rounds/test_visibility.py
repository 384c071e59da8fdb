import pytest

from rounds.models import Question
from rounds.visibility import question_is_shown
from tests.rounds.factories import QuestionFactory

pytestmark = pytest.mark.django_db

K = Question.Kind


@pytest.mark.parametrize(
    ("kind", "value", "answer", "shown"),
    [
        (K.YES_NO, "yes", True, True),
        (K.YES_NO, "yes", False, False),
        (K.YES_NO, "yes", "yes", True),
        (K.YES_NO, "no", "No", True),
        (K.YES_NO, "yes", None, False),
        (K.ONE_CHOICE, "Library", "Library", True),
        (K.ONE_CHOICE, "Library", "Outdoors", False),
        (K.SEVERAL_CHOICES, "Library", ["Outdoors", "Library"], True),
        (K.SEVERAL_CHOICES, "Library", ["Outdoors"], False),
        (K.SEVERAL_CHOICES, "Library", [], False),
    ],
)
def test_question_is_shown_follows_the_answer(kind, value, answer, shown):
    condition = QuestionFactory(kind=kind, choices=["Library", "Outdoors"])
    question = QuestionFactory(
        section=condition.section, condition_question=condition, condition_value=value
    )
    answers = {} if answer is None else {condition.pk: answer}
    assert question_is_shown(question, answers) is shown


def test_an_unconditional_question_is_always_shown():
    assert question_is_shown(QuestionFactory(), {}) is True


def test_a_question_hidden_behind_a_hidden_question_is_hidden():
    first = QuestionFactory(kind=K.YES_NO)
    second = QuestionFactory(
        section=first.section, kind=K.YES_NO, condition_question=first, condition_value="yes"
    )
    third = QuestionFactory(section=first.section, condition_question=second, condition_value="yes")
    # A stale answer to the second question does not show the third once the first says no.
    assert question_is_shown(third, {first.pk: False, second.pk: True}) is False
    assert question_is_shown(third, {first.pk: True, second.pk: True}) is True
