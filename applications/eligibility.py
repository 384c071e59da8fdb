"""Whether an application meets its round's rules, read from its answers and its group.

The rules themselves are the round's (``rounds.eligibility``); this gathers what the
application tells them. A pure read: storing the result is ``eligibility_run``'s job.
"""

from __future__ import annotations

from applications.models import Application
from rounds.answers import answered_locality_ids, is_answered
from rounds.eligibility import EligibilityResult, eligibility_check
from rounds.models import Question
from rounds.selectors.form_builder import round_priorities


def application_eligibility(*, application: Application, so_far: bool = False) -> EligibilityResult:
    """The round's rules applied to the application as it stands, with every reason it fails.

    Places count only from the localities questions the applicant sees; a round whose form
    does not ask about priorities does not hold its priority rule against anyone.

    ``so_far`` judges a draft on what it has told us yet, for the task list: the group's
    kind and income from its profile, places and amount once given, and priorities only
    once the section asking about them is marked completed (no choice is not yet "none").
    """
    round = application.round
    answers = list(application.answers.select_related("question__condition_question"))
    chose_priority = any(
        answer.question.kind == Question.Kind.PRIORITIES and is_answered(answer.value)
        for answer in answers
    )
    priority_questions = Question.objects.filter(
        section__round=round, kind=Question.Kind.PRIORITIES
    )
    has_priority_question = priority_questions.exists() and bool(round_priorities(round=round))
    if so_far and has_priority_question and not chose_priority:
        has_priority_question = application.section_states.filter(
            section__questions__in=priority_questions, completed=True
        ).exists()
    profile = getattr(application.organisation, "profile", None)
    return eligibility_check(
        round=round,
        legal_form=application.organisation.legal_form,
        annual_income=getattr(profile, "annual_income", None),
        locality_ids=answered_locality_ids(answers),
        amount=application.amount_requested,
        addresses_priority=chose_priority if has_priority_question else None,
    )
