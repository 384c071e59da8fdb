import pytest

from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from rounds.form_presets import preset_question_count
from rounds.models import FormPdf, Question, Round
from rounds.services import form_builder as services
from tests.microcomm.factories import PcnFactory, ThemeFactory, WardFactory, commissioner
from tests.rounds.factories import QuestionFactory, RoundFactory

pytestmark = pytest.mark.django_db

K = Question.Kind


def _form(tier: str = Round.Tier.MICRO) -> Round:
    round = RoundFactory(tier=tier)
    services.form_create_default(round=round, actor=None)
    return round


def _question(round: Round, label_part: str) -> Question:
    return Question.objects.get(section__round=round, label__contains=label_part)


def _labels(round: Round) -> list[str]:
    return list(
        Question.objects.filter(section__round=round)
        .order_by("section__order", "order")
        .values_list("label", flat=True)
    )


@pytest.fixture
def answered(monkeypatch):
    """Register a fake answer counter: questions in the set have one answer each."""
    questions: set[int] = set()
    monkeypatch.setattr(services, "ANSWER_COUNTERS", [lambda q: int(q.pk in questions)])
    return questions


# Presets -------------------------------------------------------------------------------


def test_a_micro_round_asks_a_handful_of_plain_questions():
    round = _form(Round.Tier.MICRO)
    assert round.sections.count() == 2
    assert 6 <= Question.objects.filter(section__round=round).count() <= 9
    kinds = set(Question.objects.filter(section__round=round).values_list("kind", flat=True))
    assert {K.LONG_TEXT, K.PRIORITIES, K.BUDGET, K.DATE} <= kinds
    assert _question(round, "What will you do").word_limit == 250


def test_a_small_round_adds_outcomes_safeguarding_and_other_funding():
    round = _form(Round.Tier.SMALL)
    labels = " ".join(_labels(round))
    assert "What difference" in labels
    assert "Have you asked anyone else to fund" in labels
    policy = _question(round, "Upload your safeguarding policy")
    assert policy.kind == K.FILE
    assert policy.condition_question == _question(round, "safeguarding policy?")
    assert policy.condition_value == "yes"


def test_a_standard_round_adds_sustainability_evaluation_and_risks():
    round = _form(Round.Tier.STANDARD)
    labels = " ".join(_labels(round))
    for words in ("after the grant ends", "whether the activity is working", "stop the activity"):
        assert words in labels
    count = Question.objects.filter(section__round=round).count()
    assert count == preset_question_count(Round.Tier.STANDARD)
    assert count > preset_question_count(Round.Tier.SMALL) > preset_question_count("micro")


@pytest.mark.parametrize("tier", Round.Tier.values)
def test_every_preset_can_be_published(tier):
    round = _form(tier)
    assert services.form_problems(round=round) == []
    services.form_publish(round=round, actor=commissioner())
    round.refresh_from_db()
    assert round.form_published_at is not None
    assert AuditEvent.objects.filter(verb="round.form_publish", target_id=str(round.pk)).exists()


@pytest.mark.parametrize("tier", Round.Tier.values)
def test_every_preset_asks_where_the_activity_will_happen(tier):
    round = _form(tier)
    places = Question.objects.get(section__round=round, kind=K.LOCALITIES)
    assert places.label == "Where will your activity happen?"
    assert places.required is True
    assert places.condition_question is None
    assert places.section.title == "Your idea"
    assert places.choices == []


def test_a_localities_question_can_be_added_and_lists_the_rounds_places():
    from django.template.loader import render_to_string

    from rounds.selectors.form_builder import form_pdf_context, round_places

    round = RoundFactory(tier=Round.Tier.MICRO)
    section = services.form_section_create(round=round, title="Where", actor=None)
    question = services.question_create(
        section=section,
        kind=K.LOCALITIES,
        label="Which places?",
        choices=["ignored", "too"],
        actor=None,
    )
    assert question.kind == K.LOCALITIES and question.choices == []
    oak = WardFactory(name="Oak")
    assert round_places(round=round) == [oak]  # no eligible localities: every ward
    before = services.form_version(round=round)
    northfield = PcnFactory(name="Northfield PCN")
    round.eligible_localities.set([northfield])
    assert round_places(round=round) == [northfield]
    assert services.form_version(round=round) != before  # the PDF lists the places
    html = render_to_string("pdf/form_questions.html", form_pdf_context(round=round))
    assert "<li>Northfield PCN</li>" in html
    assert "Oak" not in html


def test_a_round_with_a_form_keeps_it_when_the_default_is_asked_for_again():
    round = _form()
    services.question_create(
        section=round.sections.first(), kind=K.SHORT_TEXT, label="Extra?", actor=None
    )
    services.form_create_default(round=round, actor=None)
    assert Question.objects.filter(section__round=round).count() == (
        preset_question_count("micro") + 1
    )


# Conditions ----------------------------------------------------------------------------


def test_a_question_may_depend_on_an_earlier_yes_no_answer():
    round = _form(Round.Tier.SMALL)
    other = _question(round, "asked anyone else")
    question = services.question_create(
        section=other.section,
        kind=K.MONEY,
        label="How much have you asked for?",
        required=False,
        condition_question=other,
        condition_value="yes",
        actor=None,
    )
    assert question.condition_question == other


def test_a_condition_on_a_later_question_is_refused():
    round = _form(Round.Tier.SMALL)
    first = Question.objects.filter(section__round=round).order_by("section__order", "order")[0]
    later = _question(round, "asked anyone else")
    with pytest.raises(DomainError, match="comes before this one"):
        services.question_update(
            question=first,
            kind=first.kind,
            label=first.label,
            condition_question=later,
            condition_value="yes",
            actor=None,
        )


def test_a_question_cannot_depend_on_itself():
    round = _form(Round.Tier.SMALL)
    question = _question(round, "asked anyone else")
    with pytest.raises(DomainError, match="cannot depend on itself"):
        services.question_update(
            question=question,
            kind=K.YES_NO,
            label=question.label,
            condition_question=question,
            condition_value="yes",
            actor=None,
        )


def test_a_condition_on_a_text_question_is_refused():
    round = _form()
    text = _question(round, "name of your group")
    with pytest.raises(DomainError, match="yes or no question, or a question with choices"):
        services.question_create(
            section=round.sections.last(),
            kind=K.SHORT_TEXT,
            label="More?",
            condition_question=text,
            condition_value="yes",
            actor=None,
        )


def test_a_condition_value_must_be_one_of_the_choices():
    round = _form()
    section = round.sections.first()
    venue = services.question_create(
        section=section,
        kind=K.ONE_CHOICE,
        label="Where do you meet?",
        choices=["Church hall", "Library", "Outdoors"],
        actor=None,
    )
    with pytest.raises(DomainError, match="can have") as refused:
        services.question_create(
            section=section,
            kind=K.SHORT_TEXT,
            label="Which park?",
            condition_question=venue,
            condition_value="Park",
            actor=None,
        )
    assert refused.value.field == "condition_value"
    park = services.question_create(
        section=section,
        kind=K.SHORT_TEXT,
        label="Which park?",
        condition_question=venue,
        condition_value="Outdoors",
        actor=None,
    )
    assert park.condition_value == "Outdoors"


def test_a_condition_on_another_rounds_question_is_refused():
    other_round = _form(Round.Tier.SMALL)
    round = _form()
    with pytest.raises(DomainError, match="this round"):
        services.question_create(
            section=round.sections.last(),
            kind=K.SHORT_TEXT,
            label="More?",
            condition_question=_question(other_round, "asked anyone else"),
            condition_value="yes",
            actor=None,
        )


def test_removing_the_choice_a_dependent_waits_for_is_refused():
    round = _form()
    section = round.sections.first()
    venue = services.question_create(
        section=section,
        kind=K.ONE_CHOICE,
        label="Where do you meet?",
        choices=["Library", "Outdoors"],
        actor=None,
    )
    services.question_create(
        section=section,
        kind=K.SHORT_TEXT,
        label="Which park?",
        condition_question=venue,
        condition_value="Outdoors",
        actor=None,
    )
    with pytest.raises(DomainError, match="Which park"):
        services.question_update(
            question=venue,
            kind=K.ONE_CHOICE,
            label=venue.label,
            choices=["Library", "Church hall"],
            actor=None,
        )


def test_moving_a_question_above_the_one_it_depends_on_is_refused():
    round = _form(Round.Tier.SMALL)
    policy = _question(round, "Upload your safeguarding policy")
    with pytest.raises(DomainError, match="must come after"):
        services.question_move(question=policy, direction="up", actor=None)


def test_moving_past_the_end_of_a_section_moves_into_the_next():
    round = _form()
    first_section, second_section = round.sections.order_by("order")
    last_of_first = first_section.questions.order_by("order").last()
    services.question_move(question=last_of_first, direction="down", actor=None)
    last_of_first.refresh_from_db()
    assert last_of_first.section == second_section
    assert second_section.questions.order_by("order").first() == last_of_first


# Answers registry ----------------------------------------------------------------------


def test_answer_count_sums_every_registered_counter(monkeypatch):
    question = QuestionFactory()
    monkeypatch.setattr(services, "ANSWER_COUNTERS", [lambda q: 2, lambda q: 3])
    assert services.question_answer_count(question) == 5


def test_without_counters_nothing_has_answers():
    assert services.question_answer_count(QuestionFactory()) == 0


def test_changing_an_answered_question_is_refused(answered):
    round = _form()
    question = _question(round, "name of your group")
    answered.add(question.pk)
    with pytest.raises(DomainError) as refused:
        services.question_update(
            question=question, kind=K.SHORT_TEXT, label="Group name", actor=None
        )
    assert refused.value.message == (
        "This question has answers from applicants, so it cannot be changed. "
        "You can add a new optional question"
    )
    question.refresh_from_db()
    assert question.label == "What is the name of your group?"


def test_deleting_an_answered_question_or_its_section_is_refused(answered):
    round = _form()
    question = _question(round, "name of your group")
    answered.add(question.pk)
    with pytest.raises(DomainError, match="has answers from applicants"):
        services.question_delete(question=question, actor=None)
    with pytest.raises(DomainError, match="has answers from applicants"):
        services.form_section_delete(section=question.section, actor=None)
    assert Question.objects.filter(pk=question.pk).exists()


def test_once_answers_exist_only_optional_questions_can_be_added(answered):
    round = _form()
    answered.add(_question(round, "name of your group").pk)
    section = round.sections.first()
    with pytest.raises(DomainError, match="must be optional"):
        services.question_create(section=section, kind=K.SHORT_TEXT, label="New?", actor=None)
    added = services.question_create(
        section=section, kind=K.SHORT_TEXT, label="New?", required=False, actor=None
    )
    assert added.required is False


def test_an_unanswered_question_can_still_change_when_others_have_answers(answered):
    round = _form()
    answered.add(_question(round, "name of your group").pk)
    question = _question(round, "When will the activity start")
    services.question_update(
        question=question, kind=K.DATE, label="When will you start?", actor=None
    )
    question.refresh_from_db()
    assert question.label == "When will you start?"


# Publishing ----------------------------------------------------------------------------


def test_an_empty_form_cannot_be_published():
    round = RoundFactory()
    with pytest.raises(DomainError, match="Add at least one section"):
        services.form_publish(round=round, actor=None)


def test_a_micro_form_without_asking_how_much_cannot_be_published():
    round = RoundFactory(tier=Round.Tier.MICRO)
    section = services.form_section_create(round=round, title="About you", actor=None)
    services.question_create(section=section, kind=K.SHORT_TEXT, label="Name?", actor=None)
    with pytest.raises(DomainError, match="budget table or amount of money"):
        services.form_publish(round=round, actor=None)
    services.question_create(section=section, kind=K.MONEY, label="How much?", actor=None)
    services.form_publish(round=round, actor=None)
    round.refresh_from_db()
    assert round.form_published_at is not None


def test_a_standard_form_need_not_ask_for_an_amount():
    round = RoundFactory(tier=Round.Tier.STANDARD)
    section = services.form_section_create(round=round, title="About you", actor=None)
    services.question_create(section=section, kind=K.SHORT_TEXT, label="Name?", actor=None)
    services.form_publish(round=round, actor=None)
    round.refresh_from_db()
    assert round.form_published_at is not None


def test_a_form_cannot_be_unpublished_once_the_round_has_opened():
    round = _form()
    services.form_publish(round=round, actor=None)
    Round.objects.filter(pk=round.pk).update(status=Round.Status.OPEN)
    round.refresh_from_db()
    with pytest.raises(DomainError, match="has opened"):
        services.form_unpublish(round=round, actor=None)
    round.refresh_from_db()
    assert round.form_published_at is not None


def test_unpublishing_a_draft_round_is_audited():
    round = _form()
    services.form_publish(round=round, actor=None)
    services.form_unpublish(round=round, actor=commissioner())
    round.refresh_from_db()
    assert round.form_published_at is None
    assert AuditEvent.objects.filter(verb="round.form_unpublish").count() == 1


# PDF ledger ----------------------------------------------------------------------------


def test_the_pdf_version_changes_with_the_form_and_its_priorities():
    round = _form()
    before = services.form_version(round=round)
    assert services.form_version(round=round) == before
    round.priority_themes.add(ThemeFactory(name="Loneliness"))
    with_priority = services.form_version(round=round)
    assert with_priority != before
    question = _question(round, "name of your group")
    services.question_update(question=question, kind=K.SHORT_TEXT, label="Group?", actor=None)
    assert services.form_version(round=round) != with_priority


def test_a_pdf_is_queued_once_per_version(django_capture_on_commit_callbacks):
    round = _form()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.form_pdf_request(round=round)
        again = services.form_pdf_request(round=round)
    assert first.pk == again.pk
    assert len(callbacks) == 1
    assert first.status == FormPdf.Status.QUEUED


def test_a_question_field_that_does_not_exist_is_refused_and_nothing_is_saved():
    round = RoundFactory(tier=Round.Tier.STANDARD)
    section = services.form_section_create(round=round, title="About you", actor=None)
    with pytest.raises(TypeError, match="colour"):
        services.question_create(
            section=section, kind=K.SHORT_TEXT, label="Name?", colour="red", actor=None
        )
    assert not Question.objects.filter(section=section).exists()
