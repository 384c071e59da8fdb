"""Every write while a group applies: start, answers, budget, submit, withdraw, reopen.

Answers carry a version. A save names the versions the person loaded; an answer someone
else changed since then is not overwritten but returned as a conflict to choose from. The
budget page carries a fingerprint of the budget it showed, to the same end. Every save
locks the application's row first and refuses unless it is still a draft, so saves of one
application take turns and none lands on a submitted one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from applications.due_diligence import due_diligence_create
from applications.eligibility import application_eligibility
from applications.models import (
    Answer,
    Application,
    ApplicationPdf,
    ApplicationSection,
    BudgetLine,
    OrganisationDocument,
    ReferenceCounter,
)
from applications.permissions import (
    can_edit_application,
    can_end_assistance,
    can_manage_applications,
    can_start_assisted_application,
    can_submit_application,
    is_member,
)
from applications.profile_answers import profile_answers
from applications.readiness import application_problems, section_problems
from applications.selectors.applying import application_answer_sections
from applications.services.places import application_places_refresh, names_places
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.formatting import london_datetime
from microcomm.ledger import ledger_queue, ledger_run
from microcomm.lifecycle import transition
from microcomm.models import AuditEvent, Membership, Notification, Organisation, OutboundEmail
from microcomm.pdf import render_pdf
from microcomm.services import email_queue, notify
from rounds.answers import is_answered
from rounds.models import FormSection, Question, Round
from rounds.round_rules import round_open_at
from rounds.services.form_builder import ANSWER_COUNTERS

if TYPE_CHECKING:
    from microcomm.models import User

K = Question.Kind


def register_answer_counter() -> None:
    """Tell the form builder how many answers a question has, so answered questions stay put.

    Call once from the applications app's ``ready()``.
    """
    if _count_answers not in ANSWER_COUNTERS:
        ANSWER_COUNTERS.append(_count_answers)


def _count_answers(question: Question) -> int:
    return Answer.objects.filter(question=question).exclude(value=None).count()


# Reading answers -----------------------------------------------------------------------


def _is_assistant(application: Application, actor: User) -> bool:
    return application.assisted_by_id == actor.pk and not is_member(actor, application.organisation)


# Starting ------------------------------------------------------------------------------


def _past_moment(moment: datetime.datetime | None) -> datetime.datetime:
    """When a write happens: now, or an earlier moment for a record of work done then."""
    now = timezone.now()
    if moment is not None and moment > now:
        raise DomainError("A moment in the future cannot be recorded")
    return moment or now


def _round_accepting(round: Round, moment: datetime.datetime) -> None:
    if moment >= round.closes_at:
        raise DomainError(f"This round closed at {london_datetime(round.closes_at)}")
    if not round_open_at(round=round, moment=moment):
        raise DomainError("This round is not open for applications yet")


@transaction.atomic
def application_start(
    *,
    round: Round,
    organisation: Organisation,
    actor: User,
    assisted: bool = False,
    moment: datetime.datetime | None = None,
    email: bool = True,
) -> Application:
    """The group's live application to the round: the existing one, or a new draft.

    With ``assisted`` a link worker starts (or joins) it on the group's behalf, and the
    group's members are told (by email too, unless ``email`` is False: the demo's).
    ``moment`` records a draft started earlier (the demo's); the round must have been
    open then.
    """
    moment = _past_moment(moment)
    if assisted:
        if not can_start_assisted_application(actor):
            raise DomainError("Only link workers can start an application for a group")
    elif not is_member(actor, organisation):
        raise DomainError("Choose one of your groups", field="organisation")
    existing = (
        Application.objects.select_for_update()
        .filter(round=round, organisation=organisation)
        .exclude(status=Application.Status.WITHDRAWN)
        .first()
    )
    if existing is not None:
        if assisted and existing.assisted_by_id is None and existing.status == "draft":
            existing.assisted_by = actor
            existing.save(update_fields=["assisted_by", "updated_at"])
            started = audit_record(
                actor=actor, verb="application.assist", target=existing, detail={"email": email}
            )
            _assistance_started_tell(existing, actor=actor, started=started)
        return existing
    _round_accepting(round, moment)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=round,
                organisation=organisation,
                created_at=moment,
                created_by=actor,
                assisted_by=actor if assisted else None,
            )
    except IntegrityError:
        # Another member started it at the same moment: use theirs.
        return Application.objects.exclude(status=Application.Status.WITHDRAWN).get(
            round=round, organisation=organisation
        )
    started = audit_record(
        actor=actor,
        verb="application.start",
        target=application,
        to_state=application.status,
        detail={"assisted": assisted, "email": email} if assisted else {"assisted": False},
    )
    if assisted and not is_member(actor, organisation):
        _assistance_started_tell(application, actor=actor, started=started)
    return application


# Help from a link worker ----------------------------------------------------------------
#
# A link worker can start helping with any group's draft. The group's members are told
# when the help starts and the first time the link worker changes the application
# after that (once per spell of help, never per autosave), and any member can end it.


def group_tell(
    application: Application,
    *,
    actor: User | None,
    subject: str,
    template: str,
    key: str,
    email: bool,
    context: Mapping[str, Any] | None = None,
    tell_actor: bool = False,
) -> None:
    """Notify (and email, with ``email``) every member of the group once for ``key``.

    The person who acted is left out, unless ``tell_actor``: the email is then the
    group's record of what they did. The message links to the application's task list.
    """
    link = reverse("applications:application-detail", args=[application.pk])
    if email:
        told = OutboundEmail.objects.filter(key__startswith=f"{key}:").exists()
    else:
        told = Notification.objects.filter(
            user__memberships__organisation_id=application.organisation_id,
            subject=subject,
            link=link,
        ).exists()
    if told:
        return
    memberships = Membership.objects.filter(
        organisation_id=application.organisation_id, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        if actor is not None and membership.user_id == actor.pk and not tell_actor:
            continue
        notify(
            user=membership.user,
            subject=subject,
            template=template,
            context={
                "application": application,
                "assistant": actor,
                "actor": actor,
                "user": membership.user,
                "link": link,
                **(context or {}),
            },
            link=link,
            key=f"{key}:{membership.user_id}",
            email=email,
        )


def _assistance_started_tell(application: Application, *, actor: User, started: Any) -> None:
    group_tell(
        application,
        actor=actor,
        subject=f"{actor.full_name} is helping with your application to {application.round}",
        template="email/application_assistance_started",
        key=f"application-assistance-started:{application.pk}:{started.pk}",
        email=started.detail.get("email", True),
    )


def _assistance_started_event(application: Application) -> AuditEvent | None:
    """The audit event that began the current spell of help by the application's link worker."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id=str(application.pk),
            verb__in=("application.assist", "application.start"),
            actor_id=application.assisted_by_id,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def _assistant_changes_tell(application: Application, *, actor: User) -> None:
    """Tell the group the first time in a spell of help that the link worker changes its draft."""
    if not _is_assistant(application, actor):
        return
    started = _assistance_started_event(application)
    group_tell(
        application,
        actor=actor,
        subject=f"{actor.full_name} has changed your application to {application.round}",
        template="email/application_assistant_changed",
        key=f"application-assistant-changed:{application.pk}:{started.pk if started else 0}",
        email=started.detail.get("email", True) if started else True,
    )


@transaction.atomic
def application_assistance_end(*, application: Application, actor: User) -> Application:
    """A member of the group ends the link worker's help: the link worker can no longer see
    or change the application, and is told by email. Answers they gave stay."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "assisted_by")
        .get(pk=application.pk)
    )
    verdict = can_end_assistance(actor, locked)
    if not verdict:
        raise DomainError(verdict.reason)
    assistant = locked.assisted_by
    locked.assisted_by = None
    locked.save(update_fields=["assisted_by", "updated_at"])
    ended = audit_record(
        actor=actor,
        verb="application.assistance_end",
        target=locked,
        detail={"assistant": assistant.full_name},
    )
    notify(
        user=assistant,
        subject=f"{locked.organisation} no longer needs your help with its application",
        template="email/application_assistance_ended",
        context={"application": locked, "member": actor, "user": assistant},
        key=f"application-assistance-ended:{locked.pk}:{ended.pk}",
    )
    return locked


# Answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """An answer someone else changed since this person loaded it."""

    question: Question
    theirs: Any
    yours: Any
    version: int
    updated_by: str


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    saved_at: Any = None


def _locked_for_edit(application: Application, actor: User) -> Application:
    """The application's row, read again and locked until the save commits, if still editable.

    Saves check the row, not the copy a page loaded: a save that waited for a submission
    to commit sees the submitted application and is refused. Saves of one application
    take turns on this lock, so two first saves of one answer cannot collide.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    verdict = can_edit_application(actor, locked)
    if not verdict:
        raise DomainError(verdict.reason)
    _assistant_changes_tell(locked, actor=actor)
    return locked


@transaction.atomic
def answers_save(
    *,
    application: Application,
    values: Mapping[int, Any],
    versions: Mapping[int, int],
    actor: User,
    autosave: bool = False,
) -> SaveResult:
    """Save answers (question id to value) that the person loaded at ``versions``.

    An answer whose stored version moved on, and whose stored value differs from the one
    given, is not saved: it comes back as a conflict. A version of 0 means "unanswered
    when loaded". A person's deliberate save replaces a version they saved themselves (an
    autosave still on its way, another tab); an ``autosave`` never replaces a newer
    version, since the person's deliberate save may have overtaken it. A file question's
    value is ``{"document": id, "title": ...}`` naming a document in the group's vault.
    Refused unless the application is still a draft this person may change.
    """
    locked = _locked_for_edit(application, actor)
    assistant = _is_assistant(locked, actor)
    questions = {
        q.pk: q for q in Question.objects.filter(section__round_id=locked.round_id, pk__in=values)
    }
    stored = {
        a.question_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(application=locked, question_id__in=values)
    }
    result = SaveResult(saved_at=timezone.now())
    for question_id, value in values.items():
        question = questions.get(question_id)
        if question is None:
            continue
        value = value if is_answered(value) else None
        document_id = _document_id(locked, question, value)
        answer = stored.get(question_id)
        if answer is None:
            if value is None:
                continue
            Answer.objects.create(
                application=locked,
                question=question,
                value=value,
                document_id=document_id,
                updated_by=actor,
                entered_by_assistant=assistant,
            )
            result.saved.append(question_id)
            continue
        if answer.value == value:
            continue
        replaces_own = answer.updated_by_id == actor.pk and not autosave
        if answer.version != versions.get(question_id, answer.version) and not replaces_own:
            result.conflicts.append(
                Conflict(
                    question=question,
                    theirs=answer.value,
                    yours=value,
                    version=answer.version,
                    updated_by=answer.updated_by.full_name if answer.updated_by else "",
                )
            )
            continue
        answer.value = value
        answer.document_id = document_id
        answer.version += 1
        answer.updated_by = actor
        answer.entered_by_assistant = assistant
        answer.save()
        result.saved.append(question_id)
    if result.saved:
        # A save is not an audit event: the page says when the answers were last saved.
        Application.objects.filter(pk=locked.pk).update(
            updated_at=result.saved_at, last_saved_at=result.saved_at
        )
        _refresh_title(locked)
        if any(names_places(questions[question_id]) for question_id in result.saved):
            application_places_refresh(application_ids=[locked.pk])
        application.last_saved_at = result.saved_at
        application.title = locked.title
    return result


def _document_id(application: Application, question: Question, value: Any) -> int | None:
    if question.kind != K.FILE or not isinstance(value, dict):
        return None
    document_id = value.get("document")
    if not OrganisationDocument.objects.filter(
        pk=document_id, organisation_id=application.organisation_id
    ).exists():
        raise DomainError("Choose one of your group's documents", field=f"q{question.pk}")
    return document_id


def _refresh_title(application: Application) -> None:
    """The project name is the answer to the first short text question, if any."""
    first = (
        Answer.objects.filter(
            application=application, question__kind=K.SHORT_TEXT, question__from_profile=""
        )
        .exclude(value=None)
        .order_by("question__section__order", "question__order", "question_id")
        .values_list("value", flat=True)
        .first()
    )
    title = str(first or "")[:200]
    if title != application.title:
        application.title = title
        Application.objects.filter(pk=application.pk).update(title=title)


@transaction.atomic
def section_mark(
    *, application: Application, section: FormSection, completed: bool, actor: User
) -> ApplicationSection:
    """Say whether a section is completed; refuses while it has unanswered or too long answers."""
    application = _locked_for_edit(application, actor)
    if completed:
        problems = section_problems(application=application, section=section)
        if problems:
            raise DomainError(
                "You cannot mark this section as completed yet: " + problems[0][1],
                field="completed",
            )
    state, _ = ApplicationSection.objects.get_or_create(application=application, section=section)
    if state.completed != completed:
        state.completed = completed
        state.save(update_fields=["completed", "updated_at"])
        audit_record(
            actor=actor,
            verb="application.section_mark",
            target=application,
            to_state="completed" if completed else "in progress",
            detail={"section": section.pk},
        )
    return state


# Budget --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    kind: str
    item: str
    category: str
    amount: Decimal


def budget_version(lines: Iterable[BudgetLine | BudgetRow]) -> str:
    """A fingerprint of a budget, lines (or rows) in order: it changes when any line does.

    The budget page carries the fingerprint of the lines it showed, as answers carry
    their versions, so that a save can tell whether someone changed the budget since.
    """
    numbered = sorted(enumerate(lines), key=lambda pair: (pair[1].kind, pair[0]))
    content = [
        [line.kind, line.item[:200], line.category[:100], f"{line.amount:.2f}"]
        for _number, line in numbered
    ]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:20]


class BudgetChanged(DomainError):
    """The budget changed since the person opened it, so nothing was saved.

    ``lines`` are the budget's lines as saved now, to show the person.
    """

    def __init__(self, lines: list[BudgetLine]) -> None:
        super().__init__(
            "Someone changed this budget after you opened it, so your changes have not been "
            "saved. The budget below is the one saved now: make your changes again, then save"
        )
        self.lines = lines


@transaction.atomic
def budget_save(
    *,
    application: Application,
    rows: Iterable[BudgetRow],
    actor: User,
    version: str | None = None,
) -> Application:
    """Replace the budget with these rows; the amount asked for is the total of the costs.

    ``version`` is the :func:`budget_version` of the budget the person opened; when the
    budget has changed since (and these rows are not what it is now), nothing is saved
    and :class:`BudgetChanged` says so. Refused unless the application is still a draft
    this person may change.
    """
    application = _locked_for_edit(application, actor)
    rows = list(rows)
    current = list(application.budget_lines.all())
    if version is not None and budget_version(current) not in (version, budget_version(rows)):
        raise BudgetChanged(current)
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            kind=row.kind,
            item=row.item[:200],
            category=row.category[:100],
            amount=row.amount,
            order=order,
        )
        for order, row in enumerate(rows)
    )
    costs = [row.amount for row in rows if row.kind == BudgetLine.Kind.COST]
    application.amount_requested = sum(costs, Decimal("0")) if costs else None
    application.last_saved_at = timezone.now()
    application.save(update_fields=["amount_requested", "last_saved_at", "updated_at"])
    budget_question = Question.objects.filter(
        section__round_id=application.round_id, kind=K.BUDGET
    ).first()
    if budget_question is not None:
        value = {"total": str(application.amount_requested)} if costs else None
        answer = Answer.objects.filter(application=application, question=budget_question).first()
        if answer is None and value is not None:
            Answer.objects.create(
                application=application,
                question=budget_question,
                value=value,
                updated_by=actor,
                entered_by_assistant=_is_assistant(application, actor),
            )
        elif answer is not None and answer.value != value:
            answer.value = value
            answer.version += 1
            answer.updated_by = actor
            answer.entered_by_assistant = _is_assistant(application, actor)
            answer.save()
    return application


# Submitting ----------------------------------------------------------------------------


class ApplicationNotReady(DomainError):
    """Submission refused; ``problems`` lists everything to put right."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def eligibility_run(*, application: Application, actor: User | None = None) -> dict[str, Any]:
    """Check the round's rules against the application and store the result on it, audited.

    Call it inside the transaction that locked the application.
    """
    result = application_eligibility(application=application)
    stored = {
        "eligible": result.eligible,
        "reasons": list(result.reasons),
        "checked_at": timezone.now().isoformat(),
    }
    Application.objects.filter(pk=application.pk).update(eligibility=stored)
    application.eligibility = stored
    audit_record(
        actor=actor,
        verb="application.eligibility_check",
        target=application,
        detail={"eligible": result.eligible, "reasons": list(result.reasons)},
    )
    return stored


def _next_reference(moment: Any) -> str:
    year = timezone.localtime(moment).year
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # created by a submission at the same moment
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"MC-{year}-{counter.last_number:04d}"


def _refuse_late_submission(application: Application, now: datetime.datetime) -> None:
    round = application.round
    if not now < round.closes_at:
        raise DomainError(
            f"You cannot submit this application because the round closed at "
            f"{london_datetime(round.closes_at)}. Your draft has been kept: you can still "
            "read it and download a copy"
        )
    if not round_open_at(round=round, moment=now):
        raise DomainError("This round is not open for applications")


def application_submit(
    *,
    application: Application,
    actor: User,
    declaration: bool,
    moment: datetime.datetime | None = None,
    send_copy: bool = True,
) -> Application:
    """Submit a draft before its round closes; refuses late, incomplete or ineligible ones.

    The draft is kept whatever happens; the eligibility check it ran is kept and audited
    even when the submission is refused. A resubmitted application keeps its reference.
    The PDF copy and the email with it follow after the commit, in the ``pdf`` queue,
    unless ``send_copy`` is False. ``moment`` records a submission made earlier (the
    demo's): the round must have been open then, as it must be now for anyone else.
    """
    moment = _past_moment(moment)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "organisation")
            .get(pk=application.pk)
        )
        verdict = can_submit_application(actor, application)
        if not verdict:
            raise DomainError(verdict.reason)
        _refuse_late_submission(application, moment)
        eligibility = eligibility_run(application=application, actor=actor)
        problems = application_problems(application=application)
        if not eligibility["eligible"] and not application.eligibility_override_reason:
            problems.extend(eligibility["reasons"])
        if not declaration:
            problems.append("Confirm the declaration to submit your application")
        if not problems:
            _profile_answers_store(application, actor=actor)
            application = _submit(application, actor=actor, now=moment, send_copy=send_copy)
    # Refused after the commit, so that the eligibility check is kept.
    if problems:
        raise ApplicationNotReady(problems)
    return application


def _profile_answers_store(application: Application, *, actor: User) -> None:
    """Store what the group's profile holds as the answers to the questions that take it
    from there, so the submitted application keeps what it was submitted with."""
    questions = list(Question.objects.filter(section__round_id=application.round_id))
    values = profile_answers(application=application, questions=questions) or {}
    stored = {
        answer.question_id: answer
        for answer in Answer.objects.select_for_update().filter(
            application=application, question_id__in=values
        )
    }
    for question_id, value in values.items():
        answer = stored.get(question_id)
        if answer is None:
            if value is not None:
                Answer.objects.create(
                    application=application, question_id=question_id, value=value, updated_by=actor
                )
            continue
        if answer.value != value:
            answer.value = value
            answer.version += 1
            answer.updated_by = actor
            answer.entered_by_assistant = False
            answer.save()


def _submit(
    application: Application, *, actor: User, now: datetime.datetime, send_copy: bool
) -> Application:
    submission = (application.pdfs.aggregate(last=Max("submission"))["last"] or 0) + 1
    reference = application.reference or _next_reference(now)
    application = transition(
        application,
        to=Application.Status.SUBMITTED,
        actor=actor,
        changes={
            "reference": reference,
            "submitted_at": now,
            "submitted_by": actor,
            "declaration_accepted_at": now,
        },
        detail={"reference": reference, "submission": submission},
    )
    due_diligence_create(application=application)
    if not send_copy:
        return application
    ledger_queue(
        ApplicationPdf(
            key=f"application-pdf:{application.pk}:{submission}",
            application=application,
            submission=submission,
        )
    )
    return application


def _application_pdf_make(pdf: ApplicationPdf) -> None:
    application = pdf.application
    content = render_pdf(
        template="pdf/application.html",
        context={
            "application": application,
            "sections": application_answer_sections(application=application),
        },
    )
    name = f"{application.reference}-{pdf.submission}.pdf"
    pdf.file.save(name, ContentFile(content), save=False)


def _application_pdf_email(pdf: ApplicationPdf) -> None:
    application = pdf.application
    recipient = application.submitted_by
    if recipient is None:
        return
    email_queue(
        key=f"application-submitted:{application.pk}:{pdf.submission}",
        to=recipient.email,
        subject=f"Application {application.reference} submitted",
        template="email/application_submitted",
        context={
            "application": application,
            "user": recipient,
            "link": reverse("applications:application-detail", args=[application.pk]),
        },
        attachment_path=pdf.file.name,
        attachment_name=f"{application.reference}.pdf",
    )
    pdf.emailed_at = timezone.now()


def application_pdf_render(*, pdf_id: int) -> ApplicationPdf:
    """Render the PDF copy of one submission once, then email it to the person who submitted.

    Rendering happens outside any row lock; the email is queued with the ready copy.
    """
    return ledger_run(
        ApplicationPdf, pk=pdf_id, work=_application_pdf_make, on_done=_application_pdf_email
    )


# Withdrawing, reopening, handing over, copying -----------------------------------------


def _latest_event(application: Application, verb: str) -> AuditEvent:
    """The application's newest audit event with this verb: its id makes an email's key."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id=str(application.pk),
            verb=verb,
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, reason: str = "", email: bool = True
) -> Application:
    """The group withdraws its application before a decision; it can start again.

    The optional ``reason`` is kept in the history. Every member of the group is told,
    the one who withdrew it included (by email too, unless ``email`` is False: the demo's).
    """

    def guard(locked: Application, to: str) -> str:
        if not is_member(actor, locked.organisation):
            return "Only members of the group can withdraw its application"
        return ""

    reason = reason.strip()
    withdrawn = transition(
        application, to=Application.Status.WITHDRAWN, actor=actor, reason=reason, guard=guard
    )
    event = _latest_event(withdrawn, "application.withdrawn")
    group_tell(
        withdrawn,
        actor=actor,
        subject=f"{withdrawn.organisation}'s application to {withdrawn.round} has been withdrawn",
        template="email/application_withdrawn",
        key=f"application-withdrawn:{withdrawn.pk}:{event.pk}",
        email=email,
        context={"reason": reason},
        tell_actor=True,
    )
    return withdrawn


def _round_still_open(application: Application, to: str) -> str:
    if timezone.now() >= application.round.closes_at:
        return "The round has closed, so the application cannot be reopened"
    return ""


@transaction.atomic
def application_reopen(
    *, application: Application, reason: str, actor: User, email: bool = True
) -> Application:
    """A commissioner sends a submitted application back for changes before the round closes.

    The group sees the reason on its task list and every member is told (by email too,
    unless ``email`` is False: the demo's); the reference stays.
    """
    if not can_manage_applications(actor):
        raise DomainError("Only commissioners can reopen an application")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter what the group needs to change", field="reason")
    application = transition(
        application,
        to=Application.Status.DRAFT,
        actor=actor,
        reason=reason,
        guard=_round_still_open,
        changes={"reopened_reason": reason, "declaration_accepted_at": None},
    )
    ApplicationSection.objects.filter(application=application).update(completed=False)
    event = _latest_event(application, "application.draft")
    group_tell(
        application,
        actor=actor,
        subject=f"Your application to {application.round} has been sent back for changes",
        template="email/application_reopened",
        key=f"application-reopened:{application.pk}:{event.pk}",
        email=email,
        context={"reason": reason},
    )
    return application


@transaction.atomic
def application_hand_over(
    *, application: Application, actor: User, email: bool = True
) -> Application:
    """The assisting link worker hands the draft to the group, whose owners are told.

    They get an in-app notification and, unless ``email`` is False (the demo), an email.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=application.pk)
    )
    if application.assisted_by_id != actor.pk:
        raise DomainError("Only the link worker helping with this application can hand it over")
    if application.status != Application.Status.DRAFT:
        raise DomainError("This application is no longer a draft")
    application.handed_over_at = timezone.now()
    application.save(update_fields=["handed_over_at", "updated_at"])
    owners = Membership.objects.filter(
        organisation=application.organisation, role=Membership.Role.OWNER
    ).select_related("user")
    link = reverse("applications:application-detail", args=[application.pk])
    for membership in owners:
        notify(
            user=membership.user,
            subject=f"Your application to {application.round} is ready for you to check",
            template="email/application_handed_over",
            context={
                "application": application,
                "assistant": actor,
                "user": membership.user,
                "link": link,
            },
            link=link,
            key=f"application-handed-over:{application.pk}:{membership.user_id}:"
            f"{application.handed_over_at.isoformat()}",
            email=email,
        )
    audit_record(actor=actor, verb="application.hand_over", target=application)
    return application


def _same_label(text: str) -> str:
    return " ".join(text.lower().split())


@transaction.atomic
def application_copy_to_round(*, source: Application, round: Round, actor: User) -> Application:
    """Start an application to a later round from an earlier one, answers and budget included.

    Answers move to questions with the same label and kind; the rest start empty.
    """
    source = Application.objects.select_related("organisation").get(pk=source.pk)
    if not is_member(actor, source.organisation):
        raise DomainError("Only members of the group can copy its application")
    if round.pk == source.round_id:
        raise DomainError("Choose a different round", field="round")
    if source.status == Application.Status.DRAFT:
        raise DomainError("Only a submitted or withdrawn application can be copied")
    if (
        Application.objects.filter(round=round, organisation=source.organisation)
        .exclude(status=Application.Status.WITHDRAWN)
        .exists()
    ):
        raise DomainError("Your group already has an application to this round", field="round")
    _round_accepting(round, timezone.now())
    copy = Application.objects.create(
        round=round,
        organisation=source.organisation,
        created_by=actor,
        copied_from=source,
        title=source.title,
    )
    targets = {
        (_same_label(q.label), q.kind): q for q in Question.objects.filter(section__round=round)
    }
    copied = 0
    for answer in source.answers.select_related("question"):
        target = targets.get((_same_label(answer.question.label), answer.question.kind))
        if target is None or not is_answered(answer.value):
            continue
        Answer.objects.create(
            application=copy,
            question=target,
            value=answer.value,
            document=answer.document,
            updated_by=actor,
        )
        copied += 1
    application_places_refresh(application_ids=[copy.pk])
    if any(kind == K.BUDGET for _label, kind in targets):
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=copy,
                kind=line.kind,
                item=line.item,
                category=line.category,
                amount=line.amount,
                order=line.order,
            )
            for line in source.budget_lines.all()
        )
        costs = [line.amount for line in copy.budget_lines.filter(kind=BudgetLine.Kind.COST)]
        copy.amount_requested = sum(costs, Decimal("0")) if costs else None
        copy.save(update_fields=["amount_requested"])
    audit_record(
        actor=actor,
        verb="application.copy",
        target=copy,
        to_state=copy.status,
        detail={"from": source.pk, "answers": copied},
    )
    return copy
