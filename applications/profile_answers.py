"""Answers the group's profile already holds, so the application does not ask them again.

A question set to take its answer from the profile (``Question.from_profile``) is not a
field on the applying pages: a draft shows, checks and submits what the profile holds
now, and submission stores it as the answer, so what was submitted stays on record when
the profile changes later. Pure reads: the submission service stores the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from applications.models import Application, OrganisationProfile
from microcomm.models import Organisation
from rounds.models import Question

P = Question.FromProfile


def profile_values(organisation: Organisation) -> dict[str, Any]:
    """What the group's profile holds for each thing a question can take from it, stored
    as the question's kind stores answers (an amount as "1250.00", a year as a number).
    Things the profile does not hold yet are left out."""
    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    values: dict[str, Any] = {P.NAME: organisation.name}
    if profile is not None:
        address = [
            profile.address_line_1,
            profile.address_line_2,
            profile.town,
            profile.postcode,
        ]
        values[P.ADDRESS] = ", ".join(part.strip() for part in address if part.strip())
        values[P.MAIN_CONTACT] = profile.main_contact_name
        values[P.CHARITY_NUMBER] = profile.charity_number
        values[P.COMPANY_NUMBER] = profile.company_number
        if profile.annual_income is not None:
            values[P.ANNUAL_INCOME] = f"{profile.annual_income:.2f}"
        values[P.YEAR_STARTED] = profile.year_started
    return {key: value for key, value in values.items() if value not in (None, "")}


def profile_answers(
    *, application: Application, questions: Iterable[Question]
) -> dict[int, Any] | None:
    """For a draft, the answers its profile questions have now (question id to value, None
    where the profile does not hold it); None once the application is no longer a draft,
    when the answers stored at submission are the record."""
    if application.status != Application.Status.DRAFT:
        return None
    asked = [question for question in questions if question.from_profile]
    if not asked:
        return {}
    held = profile_values(application.organisation)
    return {question.pk: held.get(question.from_profile) for question in asked}


def with_profile_answers(
    *, application: Application, questions: Iterable[Question], values: Mapping[int, Any]
) -> dict[int, Any]:
    """The answers as the application has them: ``values`` stored, and for a draft the
    profile's answers in place of whatever was stored for its profile questions."""
    merged = dict(values)
    merged.update(profile_answers(application=application, questions=questions) or {})
    return merged


def profile_missing_message(question: Question) -> str:
    """What to do when a required question's answer is missing from the profile."""
    thing = str(P(question.from_profile).label)
    return f"Add {thing[0].lower()}{thing[1:]} to your group's profile"
