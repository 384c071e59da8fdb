import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from applications.models import Answer, Application, ApplicationPdf, ApplicationSection
from applications.services import applying as services
from microcomm.errors import DomainError
from microcomm.models import AuditEvent, OutboundEmail
from tests.microcomm.factories import (
    PcnFactory,
    WardFactory,
    commissioner,
    group_with_member,
    link_worker,
)
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    round = OpenRoundFactory()
    questions = micro_form(round)
    membership = group_with_member()
    application = services.application_start(
        round=round, organisation=membership.organisation, actor=membership.user
    )
    return round, questions, membership.user, application


def _fill(application, questions, user, *, about="We run a weekly walking group."):
    services.answers_save(
        application=application,
        values={
            questions["name"].pk: "Eastfield Walkers",
            questions["about"].pk: about,
            questions["people"].pk: 20,
            questions["children"].pk: "no",
        },
        versions={},
        actor=user,
    )
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))],
        actor=user,
    )
    for section in application.round.sections.all():
        services.section_mark(application=application, section=section, completed=True, actor=user)


def test_start_twice_returns_the_same_live_application(setup):
    round, _questions, user, application = setup
    again = services.application_start(
        round=round, organisation=application.organisation, actor=user
    )
    assert again.pk == application.pk
    assert Application.objects.filter(round=round).count() == 1


def test_submit_gives_a_reference_queues_the_pdf_and_emails_it(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(
            application=application, actor=user, declaration=True
        )
    year = timezone.localtime().year
    assert submitted.reference == f"MC-{year}-0001"
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.amount_requested == Decimal("300.00")
    assert submitted.eligibility["eligible"] is True
    assert submitted.due_diligence.exists()
    # Celery runs inline without Redis: the task ran once the transaction committed.
    pdf = ApplicationPdf.objects.get(application=application)
    assert pdf.status == ApplicationPdf.Status.DONE
    email = OutboundEmail.objects.get(key=f"application-submitted:{application.pk}:1")
    assert email.attachment_path == pdf.file.name
    assert submitted.reference in email.body_text
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert mailoutbox[0].attachments[0][0] == f"{submitted.reference}.pdf"
    assert mailoutbox[0].attachments[0][1].startswith(b"%PDF")


def test_references_are_unique_and_sequential(setup):
    round, questions, user, first = setup
    second_membership = group_with_member()
    second = services.application_start(
        round=round, organisation=second_membership.organisation, actor=second_membership.user
    )
    _fill(first, questions, user)
    _fill(second, questions, second_membership.user)
    a = services.application_submit(application=first, actor=user, declaration=True)
    b = services.application_submit(
        application=second, actor=second_membership.user, declaration=True
    )
    assert int(b.reference[-4:]) == int(a.reference[-4:]) + 1


def test_submit_one_second_before_close_is_accepted(setup):
    round, questions, user, application = setup
    _fill(application, questions, user)
    with time_machine.travel(round.closes_at - datetime.timedelta(seconds=1), tick=False):
        submitted = services.application_submit(
            application=application, actor=user, declaration=True
        )
    assert submitted.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("after", [0, 60])
def test_submit_at_or_after_close_is_refused_and_keeps_the_draft(setup, after):
    round, questions, user, application = setup
    _fill(application, questions, user)
    moment = round.closes_at + datetime.timedelta(seconds=after)
    with (
        time_machine.travel(moment, tick=False),
        pytest.raises(DomainError, match="round closed at"),
    ):
        services.application_submit(application=application, actor=user, declaration=True)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.reference is None
    assert application.answers.count() == 5  # four answers and the budget


def test_word_limit_overflow_is_kept_and_blocks_completion_and_submission(setup):
    _round, questions, user, application = setup
    long_text = " ".join(["word"] * 32)
    _fill(application, questions, user)
    services.answers_save(
        application=application,
        values={questions["about"].pk: long_text},
        versions={questions["about"].pk: 1},
        actor=user,
    )
    assert Answer.objects.get(question=questions["about"]).value == long_text
    about = questions["about"].section
    with pytest.raises(DomainError, match="12 words too many"):
        services.section_mark(application=application, section=about, completed=True, actor=user)
    with pytest.raises(services.ApplicationNotReady) as refused:
        services.application_submit(application=application, actor=user, declaration=True)
    assert any("12 words too many" in problem for problem in refused.value.problems)


def test_submit_refuses_missing_required_answers_but_ignores_hidden_questions(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    # "How will you keep children safe?" is hidden while the answer is "no".
    submitted = services.application_submit(application=application, actor=user, declaration=True)
    assert submitted.status == Application.Status.SUBMITTED


def test_submit_refuses_a_budget_outside_the_round_limits(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    services.budget_save(
        application=application,
        rows=[services.BudgetRow(kind="cost", item="Minibus", category="", amount=Decimal(5000))],
        actor=user,
    )
    with pytest.raises(services.ApplicationNotReady) as refused:
        services.application_submit(application=application, actor=user, declaration=True)
    assert any("Ask for between £100 and £1,000" in p for p in refused.value.problems)


def test_saving_answers_and_the_budget_records_the_time_not_an_audit_event(setup):
    _round, questions, user, application = setup
    events = AuditEvent.objects.count()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=False):
        services.answers_save(
            application=application,
            values={questions["name"].pk: "Eastfield Walkers"},
            versions={},
            actor=user,
        )
        saved_at = timezone.now()
    assert Application.objects.get(pk=application.pk).last_saved_at == saved_at
    with time_machine.travel(saved_at + datetime.timedelta(minutes=5), tick=False):
        services.budget_save(
            application=application,
            rows=[
                services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))
            ],
            actor=user,
        )
        budget_saved_at = timezone.now()
    assert Application.objects.get(pk=application.pk).last_saved_at == budget_saved_at
    assert AuditEvent.objects.count() == events


def test_concurrent_edit_is_not_overwritten_silently(setup):
    _round, questions, user, application = setup
    other = group_with_member(organisation=application.organisation, role="editor").user
    name = questions["name"].pk
    services.answers_save(application=application, values={name: "First"}, versions={}, actor=user)
    # Both open the page at version 1; the other member saves first.
    services.answers_save(
        application=application, values={name: "Theirs"}, versions={name: 1}, actor=other
    )
    result = services.answers_save(
        application=application,
        values={name: "Mine", questions["people"].pk: 12},
        versions={name: 1, questions["people"].pk: 0},
        actor=user,
    )
    assert [c.question.pk for c in result.conflicts] == [name]
    assert result.conflicts[0].theirs == "Theirs"
    assert result.conflicts[0].yours == "Mine"
    assert Answer.objects.get(question_id=name).value == "Theirs"
    assert Answer.objects.get(question=questions["people"]).value == 12


def test_saving_the_same_value_as_the_other_person_is_not_a_conflict(setup):
    _round, questions, user, application = setup
    name = questions["name"].pk
    services.answers_save(application=application, values={name: "Same"}, versions={}, actor=user)
    result = services.answers_save(
        application=application, values={name: "Same"}, versions={name: 0}, actor=user
    )
    assert result.conflicts == []


def test_a_deliberate_save_replaces_the_persons_own_newer_version_but_an_autosave_does_not(
    setup,
):
    _round, questions, user, application = setup
    name = questions["name"].pk
    # The page was opened with the answer empty; an autosave from it landed first.
    services.answers_save(
        application=application, values={name: "East"}, versions={name: 0}, actor=user
    )
    late_autosave = services.answers_save(
        application=application,
        values={name: "Ea"},
        versions={name: 0},
        actor=user,
        autosave=True,
    )
    assert [c.theirs for c in late_autosave.conflicts] == ["East"]
    assert Answer.objects.get(question_id=name).value == "East"
    result = services.answers_save(
        application=application, values={name: "Eastfield"}, versions={name: 0}, actor=user
    )
    assert result.conflicts == []
    assert Answer.objects.get(question_id=name).value == "Eastfield"


@pytest.mark.parametrize("save", ["answers", "budget", "section"])
def test_a_save_from_a_page_loaded_before_submission_is_refused(setup, save):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    loaded = Application.objects.get(pk=application.pk)
    services.application_submit(application=application, actor=user, declaration=True)
    assert loaded.status == Application.Status.DRAFT  # the page's copy, out of date

    with pytest.raises(DomainError, match="submitted, so it can no longer be changed"):
        if save == "answers":
            services.answers_save(
                application=loaded,
                values={questions["name"].pk: "Changed"},
                versions={questions["name"].pk: 1},
                actor=user,
            )
        elif save == "budget":
            services.budget_save(
                application=loaded,
                rows=[services.BudgetRow(kind="cost", item="Late", category="", amount=1)],
                actor=user,
            )
        else:
            section = application.round.sections.first()
            services.section_mark(application=loaded, section=section, completed=False, actor=user)

    assert Answer.objects.get(question=questions["name"]).value == "Eastfield Walkers"
    assert [line.item for line in application.budget_lines.all()] == ["Hall hire"]
    assert all(state.completed for state in application.section_states.all())


def test_a_budget_changed_since_it_was_opened_is_refused_whole(setup):
    _round, _questions, user, application = setup
    hall = services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))
    services.budget_save(application=application, rows=[hall], actor=user)
    opened = services.budget_version(application.budget_lines.all())
    other = group_with_member(organisation=application.organisation, role="editor").user
    tea = services.BudgetRow(kind="cost", item="Tea", category="", amount=Decimal(50))
    services.budget_save(application=application, rows=[hall, tea], version=opened, actor=other)

    maps = services.BudgetRow(kind="cost", item="Maps", category="", amount=Decimal(20))
    with pytest.raises(services.BudgetChanged) as refused:
        services.budget_save(application=application, rows=[hall, maps], version=opened, actor=user)

    assert [line.item for line in refused.value.lines] == ["Hall hire", "Tea"]
    assert [line.item for line in application.budget_lines.all()] == ["Hall hire", "Tea"]
    application.refresh_from_db()
    assert application.amount_requested == Decimal(350)
    # Saving what is already there is no conflict, whatever the page was opened at.
    services.budget_save(application=application, rows=[hall, tea], version=opened, actor=user)


def test_withdraw_and_start_again(setup):
    round, _questions, user, application = setup
    withdrawn = services.application_withdraw(application=application, actor=user)
    assert withdrawn.status == Application.Status.WITHDRAWN
    fresh = services.application_start(
        round=round, organisation=application.organisation, actor=user
    )
    assert fresh.pk != application.pk


def test_reopen_keeps_the_reference_on_resubmission(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    submitted = services.application_submit(application=application, actor=user, declaration=True)
    reopened = services.application_reopen(
        application=submitted, reason="Add the hall's address", actor=commissioner()
    )
    assert reopened.status == Application.Status.DRAFT
    assert reopened.reopened_reason == "Add the hall's address"
    for section in reopened.round.sections.all():
        services.section_mark(application=reopened, section=section, completed=True, actor=user)
    again = services.application_submit(application=reopened, actor=user, declaration=True)
    assert again.reference == submitted.reference
    assert ApplicationPdf.objects.filter(application=application).count() == 2


def test_reopen_needs_a_commissioner(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    services.application_submit(application=application, actor=user, declaration=True)
    with pytest.raises(DomainError):
        services.application_reopen(application=application, reason="x", actor=user)


def test_assisted_answers_are_marked_and_the_link_worker_cannot_submit(setup, mailoutbox):
    round, questions, user, _application = setup
    helper = link_worker()
    group = group_with_member()
    application = services.application_start(
        round=round, organisation=group.organisation, actor=helper, assisted=True
    )
    assert application.assisted_by == helper
    services.answers_save(
        application=application,
        values={questions["name"].pk: "Bridge Club"},
        versions={},
        actor=helper,
    )
    answer = Answer.objects.get(application=application)
    assert answer.entered_by_assistant is True
    with pytest.raises(DomainError):
        services.application_submit(application=application, actor=helper, declaration=True)
    services.application_hand_over(application=application, actor=helper)
    application.refresh_from_db()
    assert application.handed_over_at is not None
    assert OutboundEmail.objects.filter(to=group.user.email).exists()


def test_copy_to_a_later_round_maps_answers_by_label_and_kind(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)
    services.application_submit(application=application, actor=user, declaration=True)
    about = ApplicationSection.objects.get(
        application=application, section=questions["about"].section
    )
    about.feedback = "Say more about who comes."
    about.save()
    later = OpenRoundFactory()
    later_questions = micro_form(later)
    copy = services.application_copy_to_round(source=application, round=later, actor=user)
    assert copy.copied_from == application
    assert Answer.objects.get(application=copy, question=later_questions["name"]).value == (
        "Eastfield Walkers"
    )
    assert copy.amount_requested == Decimal("300.00")
    from applications.selectors.applying import application_task_list

    rows = application_task_list(application=copy)
    assert rows[0].feedback == "Say more about who comes."


# Where the activity happens ------------------------------------------------------------


@pytest.fixture
def places_setup(setup):
    """The setup's form with a "where will it happen" question, and a round open only to
    Northfield PCN (which holds Oak ward) and Riverside ward."""
    from rounds.models import FormSection, Question

    round, questions, user, application = setup
    northfield = PcnFactory(name="Northfield PCN")
    oak = WardFactory(name="Oak", parent=northfield)
    riverside = WardFactory(name="Riverside")
    hilltop = WardFactory(name="Hilltop")
    round.eligible_localities.set([northfield, riverside])
    idea = FormSection.objects.get(round=round, title="Your idea")
    questions["places"] = Question.objects.create(
        section=idea,
        kind=Question.Kind.LOCALITIES,
        label="Where will your activity happen?",
        order=5,
    )
    places = {"northfield": northfield, "oak": oak, "riverside": riverside, "hilltop": hilltop}
    return round, questions, user, application, places


def _say_where(application, questions, user, *localities):
    services.answers_save(
        application=application,
        values={questions["places"].pk: [locality.pk for locality in localities]},
        versions={},
        actor=user,
    )


def test_places_outside_the_eligible_localities_fail_eligibility_at_submission(places_setup):
    _round, questions, user, application, places = places_setup
    _say_where(application, questions, user, places["hilltop"])
    _fill(application, questions, user)
    with pytest.raises(services.ApplicationNotReady) as refused:
        services.application_submit(application=application, actor=user, declaration=True)
    assert (
        "This round is for groups working in Northfield PCN or Riverside. "
        "You told us you work in Hilltop."
    ) in refused.value.problems
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.eligibility["eligible"] is False


def test_a_place_inside_the_eligible_localities_passes(places_setup):
    _round, questions, user, application, places = places_setup
    _say_where(application, questions, user, places["hilltop"], places["riverside"])
    _fill(application, questions, user)
    submitted = services.application_submit(application=application, actor=user, declaration=True)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.eligibility["eligible"] is True


def test_the_pdf_copy_names_the_places(places_setup):
    from django.template.loader import render_to_string

    from applications.selectors.applying import application_answer_sections

    _round, questions, user, application, places = places_setup
    _say_where(application, questions, user, places["riverside"], places["oak"])
    html = render_to_string(
        "pdf/application.html",
        {
            "application": application,
            "sections": application_answer_sections(application=application),
        },
    )
    assert "<li>Oak</li><li>Riverside</li>" in html


def test_a_ward_in_an_eligible_pcn_passes(places_setup):
    _round, questions, user, application, places = places_setup
    _say_where(application, questions, user, places["oak"])
    _fill(application, questions, user)
    submitted = services.application_submit(application=application, actor=user, declaration=True)
    assert submitted.eligibility == {**submitted.eligibility, "eligible": True, "reasons": []}


def test_places_in_a_hidden_localities_question_are_left_out(places_setup):
    _round, questions, user, application, places = places_setup
    questions["places"].required = False
    questions["places"].condition_question = questions["children"]
    questions["places"].condition_value = "yes"
    questions["places"].save()
    _say_where(application, questions, user, places["hilltop"])
    _fill(application, questions, user)  # answers "no" to children, hiding the question
    submitted = services.application_submit(application=application, actor=user, declaration=True)
    assert submitted.eligibility["eligible"] is True


def test_submitting_writes_one_lifecycle_event_after_the_audited_eligibility_check(setup):
    _round, questions, user, application = setup
    _fill(application, questions, user)

    submitted = services.application_submit(application=application, actor=user, declaration=True)

    check, submit = AuditEvent.objects.filter(
        target_id=str(application.pk),
        verb__in=["application.eligibility_check", "application.submitted"],
    ).order_by("id")
    assert (check.verb, check.actor, check.detail["eligible"]) == (
        "application.eligibility_check",
        user,
        True,
    )
    assert (submit.verb, submit.from_state, submit.to_state, submit.actor) == (
        "application.submitted",
        "draft",
        "submitted",
        user,
    )
    assert submit.detail == {"reference": submitted.reference, "submission": 1}


def test_a_refused_submission_keeps_its_audited_eligibility_check(places_setup):
    _round, questions, user, application, places = places_setup
    _say_where(application, questions, user, places["hilltop"])
    _fill(application, questions, user)

    with pytest.raises(services.ApplicationNotReady):
        services.application_submit(application=application, actor=user, declaration=True)

    application.refresh_from_db()
    assert (application.status, application.eligibility["eligible"]) == ("draft", False)
    check = AuditEvent.objects.get(
        verb="application.eligibility_check", target_id=str(application.pk)
    )
    assert check.detail["eligible"] is False
    assert not AuditEvent.objects.filter(verb="application.submitted").exists()


def test_a_submission_made_while_the_round_was_open_can_be_recorded_after_it_closes(setup):
    round, questions, user, application = setup
    _fill(application, questions, user)
    was_open = round.closes_at - datetime.timedelta(hours=1)
    with time_machine.travel(round.closes_at + datetime.timedelta(days=2), tick=False):
        with pytest.raises(DomainError, match="round closed at"):
            services.application_submit(application=application, actor=user, declaration=True)
        submitted = services.application_submit(
            application=application, actor=user, declaration=True, moment=was_open, send_copy=False
        )
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at == was_open
    assert AuditEvent.objects.filter(verb="application.submitted", target_id=str(application.pk))
    assert not ApplicationPdf.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("hours", [-30, 1])
def test_a_submission_outside_the_open_round_or_in_the_future_cannot_be_recorded(setup, hours):
    round, questions, user, application = setup
    _fill(application, questions, user)
    moment = (round.opens_at if hours < 0 else timezone.now()) + datetime.timedelta(hours=hours)
    with pytest.raises(DomainError):
        services.application_submit(
            application=application, actor=user, declaration=True, moment=moment
        )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.reference is None


def test_a_draft_started_while_the_round_was_open_can_be_recorded_after_it_closes(setup):
    round, _questions, _user, _application = setup
    group = group_with_member()
    was_open = round.opens_at + datetime.timedelta(hours=2)
    with time_machine.travel(round.closes_at + datetime.timedelta(days=1), tick=False):
        with pytest.raises(DomainError, match="round closed at"):
            services.application_start(
                round=round, organisation=group.organisation, actor=group.user
            )
        application = services.application_start(
            round=round, organisation=group.organisation, actor=group.user, moment=was_open
        )
    assert application.status == Application.Status.DRAFT
    assert application.created_at == was_open


def test_a_hand_over_without_email_still_tells_the_owners_in_the_app(setup):
    round, _questions, _user, _application = setup
    helper = link_worker()
    group = group_with_member()
    application = services.application_start(
        round=round, organisation=group.organisation, actor=helper, assisted=True
    )
    services.application_hand_over(application=application, actor=helper, email=False)
    assert group.user.notifications.filter(link__contains=f"/{application.pk}/").exists()
    assert not OutboundEmail.objects.filter(
        to=group.user.email, key__startswith="application-handed-over"
    ).exists()
