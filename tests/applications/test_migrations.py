import importlib

import pytest
from django.apps import apps

from applications.models import Answer
from rounds.models import Question
from tests.applications.factories import AnswerFactory
from tests.microcomm.factories import ThemeFactory, WardFactory
from tests.rounds.factories import NeedFactory, QuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db

priority_ids = importlib.import_module("applications.migrations.0003_priority_answers_by_id")


def test_priority_answers_stored_by_words_or_position_move_to_ids_and_back():
    round = RoundFactory()
    food, lonely = ThemeFactory(name="Food"), ThemeFactory(name="Loneliness")
    need = NeedFactory(title="Falls in older people")
    oak = WardFactory(name="Oak")
    round.priority_themes.set([food, lonely])
    round.priority_needs.set([need])
    round.priority_localities.set([oak])
    question = QuestionFactory(section__round=round, kind=Question.Kind.PRIORITIES)
    by_words = AnswerFactory(question=question, value=["Loneliness", "People in Oak"])
    by_position = AnswerFactory(question=question, value=["0", "2"])
    unknown = AnswerFactory(question=question, value=["Something retired", f"theme:{food.pk}"])

    priority_ids.forwards(apps, None)

    assert Answer.objects.get(pk=by_words.pk).value == [f"theme:{lonely.pk}", f"locality:{oak.pk}"]
    assert Answer.objects.get(pk=by_position.pk).value == [f"theme:{food.pk}", f"need:{need.pk}"]
    assert Answer.objects.get(pk=unknown.pk).value == ["Something retired", f"theme:{food.pk}"]

    priority_ids.backwards(apps, None)

    assert Answer.objects.get(pk=by_words.pk).value == ["Loneliness", "People in Oak"]
    assert Answer.objects.get(pk=by_position.pk).value == ["Food", "Falls in older people"]
