"""Answers to "which priorities" questions store each priority's stable id ("theme:3",
"need:12", "locality:7") instead of its words or its position in the list.

The form stored the words and the form builder's preview offered positions; a renamed
theme or a reordered list changed what an answer meant. Words and positions are read
against the round's priorities as they are now; anything that matches neither is kept.
"""

from django.db import migrations


def _round_priorities(apps, round_id):
    """The round's priorities as (id, words), in the order applicants see them."""
    Round = apps.get_model("rounds", "Round")
    round = Round.objects.get(pk=round_id)
    priorities = [(f"theme:{theme.pk}", theme.name) for theme in round.priority_themes.all()]
    priorities += [(f"need:{need.pk}", need.title) for need in round.priority_needs.all()]
    priorities += [
        (f"locality:{locality.pk}", f"People in {locality.name}")
        for locality in round.priority_localities.all()
    ]
    return priorities


def _convert(apps, convert_item):
    Answer = apps.get_model("applications", "Answer")
    by_round = {}
    answers = Answer.objects.filter(question__kind="priorities").select_related(
        "question__section"
    )
    for answer in answers:
        if not isinstance(answer.value, list):
            continue
        round_id = answer.question.section.round_id
        if round_id not in by_round:
            by_round[round_id] = _round_priorities(apps, round_id)
        value = [convert_item(str(item), by_round[round_id]) for item in answer.value]
        if value != answer.value:
            answer.value = value
            answer.save(update_fields=["value"])


def _to_id(item, priorities):
    ids = {priority_id for priority_id, _words in priorities}
    if item in ids:
        return item
    for priority_id, words in priorities:
        if words == item:
            return priority_id
    if item.isdigit() and int(item) < len(priorities):
        return priorities[int(item)][0]
    return item


def _to_words(item, priorities):
    return dict(priorities).get(item, item)


def forwards(apps, schema_editor):
    _convert(apps, _to_id)


def backwards(apps, schema_editor):
    _convert(apps, _to_words)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_application_last_saved_at"),
        ("rounds", "0005_question_kind_localities"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
