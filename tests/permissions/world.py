"""A small scheme every URL can be opened in, and the people who open it.

One world is built per test module: two groups with one applicant each, a fund, a round
in draft and two open ones, a draft and a submitted application of each group, a need, a
service, a directory import, a support request, FAQs, guidance and an invitation. URL
parameters are filled from it by name (see `table.FILL`).

To add a persona (the panel members, say), add a function to PERSONAS that returns the
user from the world, building whatever they need first; then name it in the table's sets.
A persona the table does not name is refused everywhere, which is what a new role with no
rules yet should get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications.models import Application
from microcomm.models import Membership, User
from microcomm.tokens import email_confirmation_token
from rounds.models import DirectoryImport, Question
from tests.applications.factories import (
    ApplicationFactory,
    DocumentFactory,
    DueDiligenceItemFactory,
    InvitationFactory,
    SubmittedApplicationFactory,
    group_with_owner,
)
from tests.microcomm.factories import (
    PDF_BYTES,
    MembershipFactory,
    UserFactory,
    commissioner,
    link_worker,
)
from tests.rounds.factories import (
    FaqFactory,
    FormSectionFactory,
    FundFactory,
    GuidanceResourceFactory,
    NeedFactory,
    NeedSignalFactory,
    OpenRoundFactory,
    QuestionFactory,
    RoundFactory,
    ServiceFactory,
    SupportRequestFactory,
)

World = dict[str, Any]

ANONYMOUS = "anonymous"
APPLICANT_A = "applicant_a"
APPLICANT_B = "applicant_b"
LINK_WORKER = "link_worker"
OTHER_LINK_WORKER = "other_link_worker"
COMMISSIONER = "commissioner"
ADMIN = "admin"
NO_ROLE = "no_role"

# Who each persona is, given the world. None is nobody signed in.
PERSONAS: dict[str, Callable[[World], User | None]] = {
    ANONYMOUS: lambda world: None,
    # Owns group A, which has a draft (helped by LINK_WORKER) and a submitted application.
    APPLICANT_A: lambda world: world["applicant_a"],
    # Owns group B: a different group with applications of its own.
    APPLICANT_B: lambda world: world["applicant_b"],
    # Helps group A with its draft application.
    LINK_WORKER: lambda world: world["link_worker"],
    OTHER_LINK_WORKER: lambda world: link_worker(full_name="Other Link Worker"),
    COMMISSIONER: lambda world: commissioner(full_name="Commissioner"),
    # Django admin only: staff status and no role in the scheme.
    ADMIN: lambda world: UserFactory(is_staff=True, full_name="Site Admin"),
    # Signed up, confirmed, in no group and with no role.
    NO_ROLE: lambda world: UserFactory(full_name="No Role"),
}


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def world_build() -> World:
    """Every object a URL of the product can name, in the state its page expects."""
    organisation_a, applicant_a = group_with_owner(name="Riverside Walkers")
    organisation_b, applicant_b = group_with_owner(name="Hilltop Crafters")
    editor_a = MembershipFactory(organisation=organisation_a, role=Membership.Role.EDITOR)
    helper = link_worker(full_name="Link Worker")

    fund = FundFactory()
    round_draft = RoundFactory(fund=fund, title="Draft round")
    section_draft = FormSectionFactory(round=round_draft)
    question_draft = QuestionFactory(section=section_draft)
    QuestionFactory(section=section_draft)

    # Drafts are made in round_open, submitted applications in round_other: a group has
    # one live application per round.
    round_open = OpenRoundFactory(fund=fund, title="Open round")
    section_open = FormSectionFactory(round=round_open)
    QuestionFactory(section=section_open)
    QuestionFactory(section=section_open, kind=Question.Kind.BUDGET, required=False)
    round_other = OpenRoundFactory(fund=fund, title="Another open round")
    section_other = FormSectionFactory(round=round_other)

    draft_a = ApplicationFactory(
        round=round_open,
        organisation=organisation_a,
        status=Application.Status.DRAFT,
        assisted_by=helper,
    )
    ApplicationFactory(round=round_open, organisation=organisation_b)
    submitted_a = SubmittedApplicationFactory(round=round_other, organisation=organisation_a)
    SubmittedApplicationFactory(round=round_other, organisation=organisation_b)

    unconfirmed = UserFactory(email_confirmed_at=None)
    # Nobody signs in as this person: signing in would spoil the reset token.
    forgetful = UserFactory(full_name="Forgetful Person")
    return {
        "applicant_a": applicant_a,
        "applicant_b": applicant_b,
        "link_worker": helper,
        "organisation_a": organisation_a,
        "organisation_b": organisation_b,
        "editor_membership_a": editor_a,
        "document_a": DocumentFactory(organisation=organisation_a),
        "invitation_a": InvitationFactory(organisation=organisation_a),
        "fund": fund,
        "round_draft": round_draft,
        "section_draft": section_draft,
        "question_draft": question_draft,
        "round_open": round_open,
        "section_open": section_open,
        "round_other": round_other,
        "section_other": section_other,
        "application_a_draft": draft_a,
        "application_a_submitted": submitted_a,
        "due_diligence_a": DueDiligenceItemFactory(application=submitted_a),
        "need": NeedFactory(evidence_file=ContentFile(PDF_BYTES, name="evidence.pdf")),
        # Logged by LINK_WORKER: theirs (and a commissioner's) to move or delete.
        "need_signal": NeedSignalFactory(recorded_by=helper),
        # Proposed by group A, so its members may see it too.
        "service": ServiceFactory(provider_organisation=organisation_a),
        "directory_import": DirectoryImport.objects.create(
            file=ContentFile(b'{"contents": []}', name="directory.json"),
            original_name="directory.json",
            format=DirectoryImport.Format.JSON,
        ),
        "support_request": SupportRequestFactory(round=round_open),
        "faq": FaqFactory(round=None),
        "guidance": GuidanceResourceFactory(
            round=None, url="", file=ContentFile(PDF_BYTES, name="guide.pdf")
        ),
        "email_confirm_uid": _uid(unconfirmed),
        "email_confirm_token": email_confirmation_token.make_token(unconfirmed),
        "password_reset_uid": _uid(forgetful),
        "password_reset_token": default_token_generator.make_token(forgetful),
    }
