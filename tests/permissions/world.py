"""A small scheme every URL can be opened in, and the people who open it.

One world is built per test module: two groups with one applicant each, a fund, a round
in draft and two open ones, a draft and a submitted application of each group, a need, a
service, a directory import, a support request, FAQs, guidance and an invitation; and a
closed round with a rubric, a panel of three members (assigned, unassigned, conflicted)
and a submitted application from each group. URL parameters are filled from it by name
(see `table.FILL`).

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
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications.models import Application
from microcomm.models import Membership, User
from microcomm.tokens import email_confirmation_token
from panels.invitations import invitation_token
from panels.models import ConflictDeclaration, Decision, PanelPack, Scorecard
from rounds.models import DirectoryImport, Question, RoundEvent
from tests.applications.factories import (
    AnswerFactory,
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
from tests.panels.factories import (
    ConflictFactory,
    DecisionFactory,
    InterviewInvitationFactory,
    InterviewSlotFactory,
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    invited_member,
    rubric_for,
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
    RoundEventFactory,
    RoundFactory,
    ServiceFactory,
    SupportRequestFactory,
    closed_round,
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
# Panels: members of the closed round's panel (see `_panel_build`).
PANEL_ASSIGNED = "panel_assigned"
PANEL_UNASSIGNED = "panel_unassigned"
PANEL_CONFLICTED = "panel_conflicted"

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
    # Members of the closed round's panel. All three have declared for both groups that
    # applied. Assigned: scores group A's application (not started yet), no interests.
    PANEL_ASSIGNED: lambda world: world["member_assigned"].user,
    # Unassigned: on the panel, no interests, no application to score.
    PANEL_UNASSIGNED: lambda world: world["member_unassigned"].user,
    # Conflicted: a trustee of group A, declared after starting to score its application,
    # so their scorecard is kept but hidden; assigned to group B's application too.
    PANEL_CONFLICTED: lambda world: world["member_conflicted"].user,
}


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _panel_build(organisation_a, organisation_b) -> World:
    """A closed round with a rubric, a panel of three members and two submitted bids."""
    round_closed = closed_round(title="Closed round")
    section_closed = FormSectionFactory(round=round_closed)
    file_question = QuestionFactory(section=section_closed, kind=Question.Kind.FILE, required=False)
    rubric_for(round_closed)
    panel = PanelFactory(round=round_closed, scorers_per_application=2)
    application_a = SubmittedApplicationFactory(round=round_closed, organisation=organisation_a)
    application_b = SubmittedApplicationFactory(round=round_closed, organisation=organisation_b)
    document = DocumentFactory(organisation=organisation_a, title="Constitution")
    AnswerFactory(application=application_a, question=file_question, value=None, document=document)
    DueDiligenceItemFactory(application=application_a)
    members = {
        key: PanelMemberFactory(panel=panel, user=UserFactory(full_name=name))
        for key, name in (
            ("member_assigned", "Assigned Member"),
            ("member_unassigned", "Unassigned Member"),
            ("member_conflicted", "Conflicted Member"),
        )
    }
    for member in members.values():
        for organisation in (organisation_a, organisation_b):
            if member is members["member_conflicted"] and organisation == organisation_a:
                continue
            ConflictFactory(
                member=member,
                organisation=organisation,
                interest=ConflictDeclaration.Interest.NONE,
                description="",
            )
    ConflictFactory(member=members["member_conflicted"], application=application_a)
    return {
        "round_closed": round_closed,
        "panel": panel,
        "application_panel_a": application_a,
        "application_panel_b": application_b,
        "document_panel_a": document,
        **members,
        "scorecard_assigned": ScorecardFactory(
            member=members["member_assigned"], application=application_a
        ),
        "scorecard_conflicted": ScorecardFactory(
            member=members["member_conflicted"],
            application=application_a,
            status=Scorecard.Status.IN_PROGRESS,
        ),
        "scorecard_conflicted_b": ScorecardFactory(
            member=members["member_conflicted"], application=application_b
        ),
    }


def _feedback_build(world: World) -> World:
    """A decision in the closed round not yet released (group B), a released one
    for group A in a round of its own, an interview invitation for group A with a free
    time, and the assigned member's panel pack."""
    round_decided = closed_round(title="Decided round")
    PanelFactory(round=round_decided)
    decided_a = SubmittedApplicationFactory(
        round=round_decided, organisation=world["organisation_a"]
    )
    DecisionFactory(
        application=decided_a,
        status=Decision.Status.RELEASED,
        feedback="Well argued.",
        released_at=timezone.now(),
    )
    slot = InterviewSlotFactory(panel=world["panel"])
    return {
        "round_decided": round_decided,
        "application_decided_a": decided_a,
        "decision_panel_b": DecisionFactory(application=world["application_panel_b"]),
        "interview_slot_free": slot,
        "interview_panel_a": InterviewInvitationFactory(application=world["application_panel_a"]),
        "pack_assigned": PanelPack.objects.create(
            key="world-pack",
            member=world["member_assigned"],
            status=PanelPack.Status.DONE,
            file=ContentFile(PDF_BYTES, name="pack.pdf"),
        ),
    }


def _panel_members_build(world: World) -> World:
    """The closed round's panel meeting, and a person invited to the panel who has
    not set a password yet, with their invitation link's token."""
    invited = invited_member(panel=world["panel"])
    return {
        "panel_meeting": RoundEventFactory(
            round=world["round_closed"], kind=RoundEvent.Kind.PANEL_MEETING
        ),
        "member_invited": invited,
        "panel_invitation_token": invitation_token(invited),
    }


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
    world = {
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
        **_panel_build(organisation_a, organisation_b),
    }
    world.update(_feedback_build(world))
    world.update(_panel_members_build(world))
    return world
