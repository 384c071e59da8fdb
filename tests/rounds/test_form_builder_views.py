import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from microcomm.models import AuditEvent
from rounds.models import FormPdf, FormSection, Question, Round
from rounds.services import form_builder as services
from tests.microcomm.factories import (
    ThemeFactory,
    WardFactory,
    applicant,
    commissioner,
    link_worker,
)
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


ROLES = {
    "anonymous": lambda: None,
    "applicant": applicant,
    "link worker": link_worker,
    "commissioner": commissioner,
}

# The round is a draft: nobody but commissioners may know it exists.
STAFF_ONLY = {"applicant": 404, "link worker": 404, "commissioner": 200}
STAFF_POST = {"applicant": 404, "link worker": 404, "commissioner": 302}

# (url name, what the URL needs besides the slug, method) -> status per signed-in role.
ACCESS = [
    ("round-form", None, "get", STAFF_ONLY),
    ("round-form-preview", None, "get", STAFF_ONLY),
    ("round-form-pdf", None, "get", STAFF_ONLY),
    ("form-section-create", None, "get", STAFF_ONLY),
    ("form-section-edit", "section", "get", STAFF_ONLY),
    ("form-section-delete", "section", "get", STAFF_ONLY),
    ("question-create", "section", "get", STAFF_ONLY),
    ("question-edit", "question", "get", STAFF_ONLY),
    ("question-delete", "question", "get", STAFF_ONLY),
    ("question-move", "question", "post", STAFF_POST),
    ("round-form-publish", None, "post", STAFF_POST),
    ("round-form-unpublish", None, "post", STAFF_POST),
]


def _form_round() -> Round:
    round = RoundFactory()
    services.form_create_default(round=round, actor=None)
    return round


def _url(name: str, round: Round, needs: str | None) -> str:
    kwargs: dict[str, object] = {"slug": round.slug}
    if needs == "section":
        key = "section_pk" if name == "question-create" else "pk"
        kwargs[key] = round.sections.first().pk
    if needs == "question":
        kwargs["pk"] = Question.objects.filter(section__round=round).first().pk
    return reverse(f"rounds:{name}", kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "needs", "method", "expected"), ACCESS)
def test_only_commissioners_may_open_the_form_builder(client, role, name, needs, method, expected):
    round = _form_round()
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    data = {"direction": "down"} if name == "question-move" else {}
    response = getattr(client, method)(_url(name, round, needs), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("microcomm:sign-in"))
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_public_questions_pdf_is_hidden_until_the_form_is_published(client, role):
    round = _form_round()
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    url = reverse("rounds:round-questions-pdf", kwargs={"slug": round.slug})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_public_questions_pdf_downloads_for_everyone_once_published(
    client, role, django_capture_on_commit_callbacks
):
    round = _form_round()
    services.form_publish(round=round, actor=None)
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    url = reverse("rounds:round-questions-pdf", kwargs={"slug": round.slug})
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    assert first.status_code == 200
    assert "Your PDF is being prepared" in first.content.decode()
    assert f'content="3;url={url}"' in first.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="{round.slug}-questions.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_same_form_is_rendered_once(client, django_capture_on_commit_callbacks):
    round = _form_round()
    client.force_login(commissioner())
    url = reverse("rounds:round-form-pdf", kwargs={"slug": round.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert callbacks == []
    assert FormPdf.objects.filter(round=round).count() == 1


def test_builder_lists_every_section_and_question(client, django_assert_max_num_queries):
    round = RoundFactory(tier=Round.Tier.STANDARD)
    services.form_create_default(round=round, actor=None)
    client.force_login(commissioner())
    with django_assert_max_num_queries(14):
        response = client.get(reverse("rounds:round-form", kwargs={"slug": round.slug}))
    page = response.content.decode()
    for question in Question.objects.filter(section__round=round):
        assert escape(question.label) in page
    assert "Only if you answered Yes to ‘Does your group have a safeguarding policy?’" in page
    assert "Publish the form" in page


def test_preview_shows_hints_word_limits_budget_and_conditions(client):
    round = _form_round()
    client.force_login(commissioner())
    response = client.get(reverse("rounds:round-form-preview", kwargs={"slug": round.slug}))
    page = response.content.decode()
    assert "What will you do with the grant?" in page
    assert "Describe the activity in plain words" in page
    assert 'data-maxwords="250"' in page
    assert "Budget: How much are you asking for" in page
    assert "This is a preview" in page


def test_preview_shows_the_places_question_as_checkboxes_of_wards(client):

    round = _form_round()
    oak = WardFactory(name="Oak")
    client.force_login(commissioner())
    response = client.get(reverse("rounds:round-form-preview", kwargs={"slug": round.slug}))
    page = response.content.decode()
    assert "Where will your activity happen?" in page
    assert 'type="checkbox"' in page
    assert oak.name in page
    assert oak.parent.name not in page


def test_preview_offers_the_priorities_by_id_as_the_form_stores_them(client):
    round = _form_round()
    lonely = ThemeFactory(name="Loneliness")
    round.priority_themes.add(lonely)
    question = Question.objects.get(section__round=round, kind=Question.Kind.PRIORITIES)
    client.force_login(commissioner())
    response = client.get(reverse("rounds:round-form-preview", kwargs={"slug": round.slug}))
    page = re.sub(r"\s+", " ", response.content.decode())
    assert f'name="section-{question.section_id}-question_{question.pk}" type="checkbox"' in page
    assert f'value="theme:{lonely.pk}"' in page
    assert "Loneliness" in page


def test_adding_a_question_with_a_condition(client):
    round = RoundFactory(tier=Round.Tier.SMALL)
    services.form_create_default(round=round, actor=None)
    section = round.sections.last()
    safeguarding = Question.objects.get(
        section__round=round, kind=Question.Kind.YES_NO, label__contains="safeguarding"
    )
    client.force_login(commissioner())
    url = reverse("rounds:question-create", kwargs={"slug": round.slug, "section_pk": section.pk})
    response = client.post(
        url,
        {
            "label": "Who is your safeguarding lead?",
            "kind": "short_text",
            "required": "no",
            "condition_question": safeguarding.pk,
            "condition_value": "yes",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(label="Who is your safeguarding lead?")
    assert question.condition_question == safeguarding
    assert question.condition_value == "yes"
    assert question.required is False
    assert AuditEvent.objects.filter(verb="question.create").exists()


def test_a_condition_answer_the_question_cannot_have_shows_an_error(client):
    round = RoundFactory(tier=Round.Tier.SMALL)
    services.form_create_default(round=round, actor=None)
    safeguarding = Question.objects.get(
        section__round=round, label__contains="safeguarding policy?"
    )
    client.force_login(commissioner())
    url = reverse(
        "rounds:question-create",
        kwargs={"slug": round.slug, "section_pk": round.sections.last().pk},
    )
    response = client.post(
        url,
        {
            "label": "Tell us more",
            "kind": "short_text",
            "required": "yes",
            "condition_question": safeguarding.pk,
            "condition_value": "Maybe",
        },
    )
    assert response.status_code == 200
    assert "can have: Yes or No" in response.content.decode()
    assert not Question.objects.filter(label="Tell us more").exists()


def test_long_text_without_a_word_limit_is_refused(client):
    round = _form_round()
    client.force_login(commissioner())
    url = reverse(
        "rounds:question-create",
        kwargs={"slug": round.slug, "section_pk": round.sections.first().pk},
    )
    response = client.post(url, {"label": "Tell us", "kind": "long_text", "required": "yes"})
    assert "Enter a word limit for a long text answer" in response.content.decode()


def test_editing_an_answered_question_is_refused_on_the_page(client, monkeypatch):
    round = _form_round()
    question = Question.objects.filter(section__round=round).first()
    monkeypatch.setattr(services, "ANSWER_COUNTERS", [lambda q: int(q.pk == question.pk)])
    client.force_login(commissioner())
    url = reverse("rounds:question-edit", kwargs={"slug": round.slug, "pk": question.pk})
    assert "Applicants have answered this question" in client.get(url).content.decode()
    response = client.post(url, {"label": "New words", "kind": "short_text", "required": "yes"})
    assert services.ANSWERED_MESSAGE in response.content.decode()
    question.refresh_from_db()
    assert question.label != "New words"


def test_section_create_edit_and_delete(client):
    round = _form_round()
    client.force_login(commissioner())
    client.post(
        reverse("rounds:form-section-create", kwargs={"slug": round.slug}),
        {"title": "Your volunteers", "description": ""},
    )
    section = FormSection.objects.get(round=round, title="Your volunteers")
    assert section.order == 3
    client.post(
        reverse("rounds:form-section-edit", kwargs={"slug": round.slug, "pk": section.pk}),
        {"title": "Volunteers", "description": "Who helps"},
    )
    section.refresh_from_db()
    assert section.title == "Volunteers"
    response = client.post(
        reverse("rounds:form-section-delete", kwargs={"slug": round.slug, "pk": section.pk})
    )
    assert response.status_code == 302
    assert not FormSection.objects.filter(pk=section.pk).exists()


def test_moving_a_question_down(client):
    round = _form_round()
    first, second = Question.objects.filter(section=round.sections.first()).order_by("order")[:2]
    client.force_login(commissioner())
    client.post(
        reverse("rounds:question-move", kwargs={"slug": round.slug, "pk": first.pk}),
        {"direction": "down"},
    )
    labels = list(
        Question.objects.filter(section=round.sections.first())
        .order_by("order")
        .values_list("label", flat=True)
    )
    assert labels[:2] == [second.label, first.label]


def test_publish_then_unpublish(client):
    round = _form_round()
    client.force_login(commissioner())
    client.post(reverse("rounds:round-form-publish", kwargs={"slug": round.slug}))
    round.refresh_from_db()
    assert round.form_published_at is not None
    client.post(reverse("rounds:round-form-unpublish", kwargs={"slug": round.slug}))
    round.refresh_from_db()
    assert round.form_published_at is None


def test_publishing_a_form_without_an_amount_shows_why(client):
    round = RoundFactory()
    section = services.form_section_create(round=round, title="About you", actor=None)
    services.question_create(section=section, kind="short_text", label="Name?", actor=None)
    client.force_login(commissioner())
    response = client.post(
        reverse("rounds:round-form-publish", kwargs={"slug": round.slug}), follow=True
    )
    assert "Add a required budget table or amount of money question" in response.content.decode()
    round.refresh_from_db()
    assert round.form_published_at is None


def test_a_refused_section_delete_says_why_and_keeps_the_section(client):
    round = _form_round()
    first, second = list(round.sections.order_by("order")[:2])
    asked = first.questions.first()
    Question.objects.filter(pk=second.questions.first().pk).update(
        condition_question=asked, condition_value="yes"
    )
    client.force_login(commissioner())
    response = client.post(
        reverse("rounds:form-section-delete", kwargs={"slug": round.slug, "pk": first.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    assert "depends on a question in this section" in page
    assert FormSection.objects.filter(pk=first.pk).exists()
