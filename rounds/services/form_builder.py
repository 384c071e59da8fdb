"""Every write to a round's application form: sections, questions, publishing and its PDF.

Applications live in a later app. It tells this module how many answers a question has by
appending a counter to `ANSWER_COUNTERS`; a question with answers cannot be changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.caching import PUBLIC_PAGES, invalidates
from microcomm.errors import DomainError
from microcomm.ledger import ledger_queue, ledger_retry, ledger_run
from microcomm.pdf import render_pdf
from rounds.form_presets import preset_defaults, preset_for_tier, tier_change, wording_key
from rounds.models import FormPdf, FormSection, Question, Round
from rounds.question_kinds import choices_problem
from rounds.round_hooks import round_parts_version
from rounds.selectors.form_builder import form_pdf_context, round_places, round_priority_labels
from rounds.visibility import CONDITION_KINDS, YES_NO_VALUES, condition_values

if TYPE_CHECKING:
    from microcomm.models import User

ANSWER_COUNTERS: list[Callable[[Question], int]] = []
"""Functions that count a question's answers. The applications app appends one."""

ANSWERED_MESSAGE = (
    "This question has answers from applicants, so it cannot be changed. "
    "You can add a new optional question"
)


class QuestionFields(TypedDict, total=False):
    """What a person sets on a question; `_clean_fields` fills in what is left out."""

    kind: Required[str]
    label: Required[str]
    hint: str
    required: bool
    word_limit: int | None
    choices: Iterable[str]
    condition_question: Question | None
    condition_value: str
    from_profile: str


QUESTION_FIELDS = tuple(QuestionFields.__annotations__)


# Answers -------------------------------------------------------------------------------


def question_answer_count(question: Question) -> int:
    """How many applicants have answered this question, by every registered counter."""
    return sum(counter(question) for counter in ANSWER_COUNTERS)


def round_has_answers(round: Round) -> bool:
    if not ANSWER_COUNTERS:
        return False
    questions = Question.objects.filter(section__round=round)
    return any(question_answer_count(question) for question in questions)


def _refuse_if_answered(question: Question) -> None:
    if question_answer_count(question):
        raise DomainError(ANSWERED_MESSAGE)


def _refuse_required_after_answers(round: Round) -> None:
    if round_has_answers(round):
        raise DomainError(
            "Applicants have already answered this form, so a new question must be optional",
            field="required",
        )


# Conditions ----------------------------------------------------------------------------


def _position(question: Question) -> tuple[int, int, int, int]:
    return (question.section.order, question.section_id, question.order, question.pk or 0)


def condition_validate(
    *, question: Question, condition_question: Question | None, condition_value: str
) -> None:
    """Refuse a condition that points at itself, a later question, another round's
    question, a question whose answer cannot be matched, or an answer it cannot have."""
    if condition_question is None:
        if condition_value:
            raise DomainError(
                "Select the question this depends on, or leave the answer empty",
                field="condition_question",
            )
        return
    if question.pk and condition_question.pk == question.pk:
        raise DomainError("A question cannot depend on itself", field="condition_question")
    if condition_question.section.round_id != question.section.round_id:
        raise DomainError("Select a question from this round's form", field="condition_question")
    if condition_question.kind not in CONDITION_KINDS:
        raise DomainError(
            "Select a yes or no question, or a question with choices",
            field="condition_question",
        )
    if _position(condition_question) >= _position(question):
        raise DomainError(
            "Select a question that comes before this one on the form",
            field="condition_question",
        )
    if condition_value not in dict(condition_values(condition_question)):
        raise DomainError(
            f"Select an answer that '{condition_question.label}' can have",
            field="condition_value",
        )


# Sections ------------------------------------------------------------------------------


@transaction.atomic
def form_create_default(*, round: Round, actor: User | None) -> list[FormSection]:
    """Give a round the default form for its tier.

    A round that already has a form keeps it: the call returns its sections unchanged.
    """
    existing = list(round.sections.all())
    if existing:
        return existing
    sections: list[FormSection] = []
    by_key: dict[str, Question] = {}
    for section_order, preset in enumerate(preset_for_tier(round.tier), start=1):
        section = FormSection.objects.create(
            round=round,
            title=preset["title"],
            description=preset["description"],
            order=section_order,
        )
        sections.append(section)
        for question_order, item in enumerate(preset["questions"], start=1):
            question = Question(section=section, order=question_order, **preset_defaults(item))
            if "condition" in item:
                key, value = item["condition"]
                question.condition_question = by_key[key]
                question.condition_value = value
            question.save()
            by_key[item["key"]] = question
    audit_record(
        actor=actor,
        verb="round.form_create_default",
        target=round,
        detail={"tier": round.tier, "questions": len(by_key)},
    )
    return sections


@transaction.atomic
def form_apply_tier(*, round: Round, actor: User | None) -> list[Question]:
    """Add the questions of the round's tier that its form does not ask yet.

    Each goes at the end of the section of the same title, or of a new section at the end;
    one that depends on another preset question depends on the form's question of that
    wording. Once applicants have answered the form, the added questions are optional.
    """
    change = tier_change(round=round, tier=round.tier)
    if not change.questions_added:
        return []
    presets = preset_for_tier(round.tier)
    descriptions = {wording_key(section["title"]): section["description"] for section in presets}
    preset_labels = {
        question["key"]: question["label"]
        for section in presets
        for question in section["questions"]
    }
    optional = round_has_answers(round)
    sections = {wording_key(section.title): section for section in round.sections.all()}
    by_wording = {
        wording_key(question.label): question
        for question in Question.objects.filter(section__round=round)
    }
    last_section = round.sections.aggregate(last=Max("order"))["last"] or 0
    added: list[Question] = []
    for title, item in change.questions_added:
        section = sections.get(wording_key(title))
        if section is None:
            last_section += 1
            section = FormSection.objects.create(
                round=round,
                title=title,
                description=descriptions.get(wording_key(title), ""),
                order=last_section,
            )
            sections[wording_key(title)] = section
        last = section.questions.aggregate(last=Max("order"))["last"] or 0
        question = Question(section=section, order=last + 1, **preset_defaults(item))
        if optional:
            question.required = False
        if "condition" in item:
            key, value = item["condition"]
            condition = by_wording.get(wording_key(preset_labels[key]))
            if condition is not None:
                question.condition_question, question.condition_value = condition, value
        question.save()
        by_wording[wording_key(question.label)] = question
        added.append(question)
    audit_record(
        actor=actor,
        verb="round.form_apply_tier",
        target=round,
        detail={"tier": round.tier, "questions": [question.label for question in added]},
    )
    return added


@transaction.atomic
def form_section_create(
    *, round: Round, title: str, description: str = "", actor: User
) -> FormSection:
    """Add a section at the end of the form."""
    last = round.sections.aggregate(last=Max("order"))["last"] or 0
    section = FormSection.objects.create(
        round=round, title=title.strip(), description=description.strip(), order=last + 1
    )
    audit_record(actor=actor, verb="form_section.create", target=section)
    return section


@transaction.atomic
def form_section_update(
    *, section: FormSection, title: str, description: str = "", actor: User
) -> FormSection:
    section.title = title.strip()
    section.description = description.strip()
    section.save(update_fields=["title", "description"])
    audit_record(actor=actor, verb="form_section.update", target=section)
    return section


@transaction.atomic
def form_section_delete(*, section: FormSection, actor: User) -> None:
    """Delete a section and its questions, unless any has answers or another section's
    question depends on one of them."""
    questions = list(section.questions.all())
    for question in questions:
        _refuse_if_answered(question)
    outside = Question.objects.filter(condition_question__in=questions).exclude(section=section)
    dependent = outside.first()
    if dependent is not None:
        raise DomainError(
            f"'{dependent.label}' depends on a question in this section. "
            "Change or delete that question first"
        )
    audit_record(
        actor=actor,
        verb="form_section.delete",
        target=section.round,
        detail={"section": section.title, "questions": len(questions)},
    )
    section.delete()


# Questions -----------------------------------------------------------------------------


def _clean_fields(fields: QuestionFields) -> dict[str, Any]:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"Not a question field: {', '.join(sorted(unknown))}")
    kind = fields["kind"]
    cleaned: dict[str, Any] = dict(fields)
    cleaned["label"] = fields["label"].strip()
    cleaned["hint"] = (fields.get("hint") or "").strip()
    cleaned["required"] = bool(fields.get("required", True))
    choices = [str(choice).strip() for choice in fields.get("choices") or []]
    choices = [choice for choice in choices if choice]
    if kind in Question.CHOICE_KINDS:
        if len(choices) < 2:
            raise DomainError("Enter at least 2 choices, one on each line", field="choices")
        problem = choices_problem(choices)
        if problem:
            raise DomainError(problem, field="choices")
        cleaned["choices"] = choices
    else:
        cleaned["choices"] = []
    if kind == Question.Kind.LONG_TEXT:
        if not fields.get("word_limit"):
            raise DomainError("Enter a word limit for a long text question", field="word_limit")
        cleaned["word_limit"] = int(fields["word_limit"])
    else:
        cleaned["word_limit"] = None
    cleaned["from_profile"] = fields.get("from_profile") or ""
    if cleaned["from_profile"]:
        source = Question.FromProfile(cleaned["from_profile"])
        if kind not in Question.PROFILE_KINDS[source]:
            kinds = " or ".join(
                str(Question.Kind(item).label).lower()
                for item in sorted(Question.PROFILE_KINDS[source])
            )
            raise DomainError(
                f"{source.label} can fill only a question answered with {kinds}",
                field="from_profile",
            )
    cleaned["condition_question"] = fields.get("condition_question")
    cleaned["condition_value"] = (
        (fields.get("condition_value") or "").strip() if cleaned["condition_question"] else ""
    )
    return cleaned


def _check_dependents(question: Question) -> None:
    """A question others depend on must still be able to give the answers they wait for."""
    values = dict(condition_values(question))
    for dependent in question.dependents.all():
        if dependent.condition_value not in values:
            raise DomainError(
                f"'{dependent.label}' is shown only when this question is answered "
                f"'{YES_NO_VALUES.get(dependent.condition_value, dependent.condition_value)}'. "
                "Change that question first"
            )


@transaction.atomic
def question_create(
    *, section: FormSection, actor: User, **fields: Unpack[QuestionFields]
) -> Question:
    """Add a question at the end of a section.

    Once applicants have answered any question on the form, a new question must be optional.
    """
    cleaned = _clean_fields(fields)
    if cleaned["required"]:
        _refuse_required_after_answers(section.round)
    last = section.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(section=section, order=last + 1, **cleaned)
    condition_validate(
        question=question,
        condition_question=cleaned["condition_question"],
        condition_value=cleaned["condition_value"],
    )
    question.save()
    audit_record(
        actor=actor, verb="question.create", target=question, detail={"kind": question.kind}
    )
    return question


@transaction.atomic
def question_update(
    *, question: Question, actor: User, **fields: Unpack[QuestionFields]
) -> Question:
    """Change a question that no applicant has answered yet."""
    _refuse_if_answered(question)
    cleaned = _clean_fields(fields)
    if cleaned["required"] and not question.required:
        _refuse_required_after_answers(question.section.round)
    for name in QUESTION_FIELDS:
        setattr(question, name, cleaned[name])
    condition_validate(
        question=question,
        condition_question=cleaned["condition_question"],
        condition_value=cleaned["condition_value"],
    )
    _check_dependents(question)
    question.save()
    audit_record(actor=actor, verb="question.update", target=question)
    return question


@transaction.atomic
def question_delete(*, question: Question, actor: User) -> None:
    """Delete a question that no applicant has answered and no other question depends on."""
    _refuse_if_answered(question)
    dependent = question.dependents.first()
    if dependent is not None:
        raise DomainError(
            f"'{dependent.label}' depends on this question. Change or delete that question first"
        )
    audit_record(
        actor=actor,
        verb="question.delete",
        target=question.section.round,
        detail={"question": question.label},
    )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str, actor: User) -> Question:
    """Move a question one place up or down; past the end of its section it moves into
    the next section. Refuses a move that would put a question before the one it depends on.
    """
    if direction not in {"up", "down"}:
        raise DomainError("Choose up or down")
    round = question.section.round
    ordered = list(
        Question.objects.filter(section__round=round)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "id")
    )
    sections = list(round.sections.order_by("order", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
    question = ordered[index]
    step = -1 if direction == "up" else 1
    neighbour_index = index + step
    section_index = next(i for i, s in enumerate(sections) if s.pk == question.section_id)
    same_section_neighbour = (
        0 <= neighbour_index < len(ordered)
        and ordered[neighbour_index].section_id == question.section_id
    )
    if same_section_neighbour:
        neighbour = ordered[neighbour_index]
        ordered[index], ordered[neighbour_index] = neighbour, question
    else:
        target_index = section_index + step
        if not 0 <= target_index < len(sections):
            raise DomainError(
                "This question is already first on the form"
                if direction == "up"
                else "This question is already last on the form"
            )
        target = sections[target_index]
        question.section = target
        question.section_id = target.pk
        # Into the previous section at its end, or into the next section at its start.
        ordered.pop(index)
        same = [i for i, item in enumerate(ordered) if item.section_id == target.pk]
        if direction == "up":
            insert_at = (same[-1] + 1) if same else index
        else:
            insert_at = same[0] if same else index
        ordered.insert(insert_at, question)
    _renumber(ordered)
    positions = {item.pk: i for i, item in enumerate(ordered)}
    for item in ordered:
        if item.condition_question_id and (
            positions[item.condition_question_id] >= positions[item.pk]
        ):
            raise DomainError(
                f"'{item.label}' must come after the question it depends on. "
                "Change its condition first"
            )
    for item in ordered:
        Question.objects.filter(pk=item.pk).update(section=item.section_id, order=item.order)
    audit_record(
        actor=actor, verb="question.move", target=question, detail={"direction": direction}
    )
    return question


def _renumber(ordered: list[Question]) -> None:
    counters: dict[int, int] = {}
    for item in ordered:
        counters[item.section_id] = counters.get(item.section_id, 0) + 1
        item.order = counters[item.section_id]


# Publishing ----------------------------------------------------------------------------


def form_problems(*, round: Round) -> list[str]:
    """What stops a round's form being published, in words a commissioner can act on."""
    sections = list(round.sections.prefetch_related("questions__section"))
    questions = [question for section in sections for question in section.questions.all()]
    problems: list[str] = []
    if not sections:
        problems.append("Add at least one section")
    if not questions:
        problems.append("Add at least one question")
    for section in sections:
        if not section.questions.all():
            problems.append(f"Add a question to '{section.title}' or delete the section")
    by_id = {question.pk: question for question in questions}
    for question in questions:
        if question.condition_question_id is None:
            continue
        condition_question = by_id.get(question.condition_question_id)
        if condition_question is None:
            problems.append(f"'{question.label}' depends on a question that is not on the form")
            continue
        try:
            condition_validate(
                question=question,
                condition_question=condition_question,
                condition_value=question.condition_value,
            )
        except DomainError as error:
            problems.append(f"'{question.label}': {error.message}")
    asks_amount = any(
        question.kind in {Question.Kind.BUDGET, Question.Kind.MONEY}
        and question.required
        and question.condition_question_id is None
        for question in questions
    )
    if round.tier in {Round.Tier.MICRO, Round.Tier.SMALL} and not asks_amount:
        problems.append(
            "Add a required budget table or amount of money question asking how much "
            "the group wants"
        )
    return problems


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def form_publish(*, round: Round, actor: User | None) -> Round:
    """Publish a round's form so applicants can see every question before it opens.

    Refuses a form with no questions, broken conditions, or (for micro and small rounds)
    no question asking how much money the group wants. Publishing again changes nothing.
    """
    round = Round.objects.select_for_update().get(pk=round.pk)
    problems = form_problems(round=round)
    if problems:
        raise DomainError(
            "The form cannot be published yet. " + ". ".join(problems),
        )
    if round.form_published_at is not None:
        return round
    round.form_published_at = timezone.now()
    round.save(update_fields=["form_published_at", "updated_at"])
    audit_record(
        actor=actor, verb="round.form_publish", target=round, from_state="", to_state="published"
    )
    return round


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def form_unpublish(*, round: Round, actor: User) -> Round:
    """Take a form back to draft, only while the round has not opened."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.current_status not in {Round.Status.DRAFT, Round.Status.SCHEDULED}:
        raise DomainError(
            "The round has opened, so its form cannot be unpublished. "
            "You can still add new optional questions"
        )
    if round.form_published_at is None:
        return round
    round.form_published_at = None
    round.save(update_fields=["form_published_at", "updated_at"])
    audit_record(actor=actor, verb="round.form_unpublish", target=round, from_state="published")
    return round


# PDF -----------------------------------------------------------------------------------


def form_version(*, round: Round) -> str:
    """A hash of everything the form PDF shows, so a changed form gets a new PDF."""
    asks_places = Question.objects.filter(
        section__round=round, kind=Question.Kind.LOCALITIES
    ).exists()
    content = {
        "title": round.title,
        "tier": round.tier,
        "parts": round_parts_version(round),
        "priorities": round_priority_labels(round=round),
        "places": [place.name for place in round_places(round=round)] if asks_places else [],
        "sections": [
            {
                "title": section.title,
                "description": section.description,
                "questions": [
                    [
                        question.pk,
                        question.kind,
                        question.label,
                        question.hint,
                        question.required,
                        question.word_limit,
                        question.choices,
                        question.condition_question_id,
                        question.condition_value,
                    ]
                    for question in section.questions.all()
                ],
            }
            for section in round.sections.prefetch_related("questions")
        ],
    }
    encoded = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def form_pdf_request(*, round: Round) -> FormPdf:
    """The PDF of the form as it is now; queues the render once per version.

    A render that failed is queued again.
    """
    version = form_version(round=round)
    key = f"form-pdf:{round.pk}:{version}"
    with transaction.atomic():
        form_pdf = FormPdf.objects.filter(key=key).first() or ledger_queue(
            FormPdf(key=key, round=round, version=version)
        )
        if form_pdf.status == FormPdf.Status.FAILED:
            form_pdf = ledger_retry(form_pdf)
    return form_pdf


def _form_pdf_make(form_pdf: FormPdf) -> None:
    content = render_pdf(
        template="pdf/form_questions.html", context=form_pdf_context(round=form_pdf.round)
    )
    name = f"{form_pdf.round.slug}-questions-{form_pdf.version[:12]}.pdf"
    form_pdf.file.save(name, ContentFile(content), save=False)


def _form_pdf_made(form_pdf: FormPdf) -> None:
    audit_record(actor=None, verb="form_pdf.render", target=form_pdf)


def form_pdf_render(*, form_pdf_id: int) -> FormPdf:
    """Render a queued form PDF with WeasyPrint and keep it in private storage.

    Rendering happens outside any row lock; a PDF already ready is left alone.
    """
    return ledger_run(FormPdf, pk=form_pdf_id, work=_form_pdf_make, on_done=_form_pdf_made)
