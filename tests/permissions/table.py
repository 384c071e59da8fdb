"""Who may open every URL of the product: one row per URL name, stated by the one rule.

The refusal rule, the same on every page:

- not signed in: sent to sign in, with ?next= back to the page (public pages excepted);
- signed in but may not know the object exists: 404, so nothing is revealed;
- may see the object (or the page has no object) but may not do this: 403, saying why;
- allowed: the page works (2xx or 3xx; a 400 only for a POST whose input it explains).

A row names who may do the thing (`do`) and who may at least know the object exists
(`see`); every other signed-in persona gets 404. Pages with no object are seen by every
signed-in persona, so the others get 403. A URL can have several rows (a tuple) to check
it against objects in different states: a draft and a submitted application, a draft and
an open round.

Every URL pattern the root URLconf has must have a row here (the admin excepted); a URL
name used by two patterns is keyed by its parameters too: "rounds:faq-create[slug]".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.permissions.world import (
    ADMIN,
    ANONYMOUS,
    APPLICANT_A,
    APPLICANT_B,
    COMMISSIONER,
    LINK_WORKER,
    OTHER_LINK_WORKER,
    PANEL_ASSIGNED,
    PANEL_CONFLICTED,
    PANEL_UNASSIGNED,
    PERSONAS,
)

Personas = frozenset[str]

EVERYONE: Personas = frozenset(PERSONAS)
SIGNED_IN: Personas = EVERYONE - {ANONYMOUS}
NOBODY: Personas = frozenset()
COMMISSIONERS: Personas = frozenset({COMMISSIONER})
LINK_WORKERS: Personas = frozenset({LINK_WORKER, OTHER_LINK_WORKER})
# Link workers and commissioners: needs, the service map, gaps, help to apply.
STAFF: Personas = LINK_WORKERS | COMMISSIONERS
GROUP_A: Personas = frozenset({APPLICANT_A})
# People who belong to a group (the no-role persona belongs to none).
GROUP_MEMBERS: Personas = frozenset({APPLICANT_A, APPLICANT_B})
# Group A's profile: its members, every link worker and commissioners.
GROUP_A_VIEWERS: Personas = GROUP_A | STAFF
# Group A's document vault: its members and commissioners, not link workers.
VAULT_A_VIEWERS: Personas = GROUP_A | COMMISSIONERS
# Group A's draft: the group, the link worker helping it, and commissioners...
DRAFT_VIEWERS: Personas = GROUP_A | {LINK_WORKER} | COMMISSIONERS
# ... edited by the group and its helper; submitted only by the group itself.
DRAFT_EDITORS: Personas = GROUP_A | {LINK_WORKER}
# Group A's submitted application (no helper): the group and commissioners.
SUBMITTED_VIEWERS: Personas = GROUP_A | COMMISSIONERS

# The closed round's panel: every member; the one assigned to group A's application
# (scorecard_assigned); the one with an interest in group A (hidden from it: 404).
PANEL_MEMBERS: Personas = frozenset({PANEL_ASSIGNED, PANEL_UNASSIGNED, PANEL_CONFLICTED})

# Which world object fills a parameter, when it is not the default (see FILL).
DRAFT_ROUND = {"slug": "round_draft"}
CLOSED_ROUND = {"slug": "round_closed"}
# Group B's decision in the closed round, recorded but not released.
UNRELEASED_DECISION = {"reference": "application_panel_b"}
OPEN_ROUND = {"slug": "round_open"}
SUBMITTED = {"pk": "application_a_submitted", "section_pk": "section_other"}
CONFLICTED_SCORECARD = {"pk": "scorecard_conflicted"}


@dataclass(frozen=True)
class Row:
    do: Personas
    see: Personas = NOBODY  # besides `do`; everyone else signed in gets 404
    public: bool = False  # anonymous people are not sent to sign in
    on: dict[str, str] = field(default_factory=dict)  # parameter -> world key
    data: dict[str, str] = field(default_factory=dict)  # the body of a POST
    methods: tuple[str, ...] = ("GET", "POST")  # the requests this row is about

    def expected(self, persona: str) -> str:
        """ "ok", "sign-in", "403" or "404" for this persona."""
        if persona == ANONYMOUS and not self.public:
            return "sign-in"
        if persona in self.do:
            return "ok"
        if persona in self.see:
            return "403"
        return "404"


def public(do: Personas = EVERYONE, **kwargs) -> Row:
    """A page anyone may open, signed in or not."""
    return Row(do=do, public=True, **kwargs)


def page(do: Personas, **kwargs) -> Row:
    """A page about no object in particular: those who may not use it get 403."""
    return Row(do=do, see=SIGNED_IN, **kwargs)


def thing(do: Personas, see: Personas = NOBODY, **kwargs) -> Row:
    """A page about one object: `do` may use it, `see` get 403, everyone else 404."""
    return Row(do=do, see=see, **kwargs)


def managed_round(**kwargs) -> tuple[Row, Row]:
    """A commissioners' page of a round: a draft is hidden, an open round is public."""
    return (
        thing(COMMISSIONERS, on=DRAFT_ROUND, **kwargs),
        thing(COMMISSIONERS, see=SIGNED_IN, on=OPEN_ROUND, **kwargs),
    )


def draft_edit(do: Personas = DRAFT_EDITORS) -> tuple[Row, Row]:
    """Changing an application: its draft for `do`, never once it has been submitted."""
    return (
        thing(do, see=DRAFT_VIEWERS),
        thing(NOBODY, see=SUBMITTED_VIEWERS, on=SUBMITTED),
    )


TABLE: dict[str, Row | tuple[Row, ...]] = {
    # microcomm: accounts and the pages everyone may read.
    "microcomm:home": page(SIGNED_IN),
    "microcomm:notifications-read": page(SIGNED_IN),
    "microcomm:sign-up": public(),
    "microcomm:sign-up-check-email": public(),
    "microcomm:email-confirm": public(),
    "microcomm:sign-in": public(),
    "microcomm:sign-out": public(),
    "microcomm:signed-out": public(),
    "microcomm:password-reset": public(),
    "microcomm:password-reset-sent": public(),
    "microcomm:password-reset-confirm": public(),
    "microcomm:accessibility": public(),
    "microcomm:privacy": public(),
    # Two-step sign-in: every signed-in person has an account page; admins and
    # commissioners cannot turn it off.
    "microcomm:account": page(SIGNED_IN),
    "microcomm:two-factor-verify": page(SIGNED_IN),
    "microcomm:two-factor-setup": page(SIGNED_IN),
    "microcomm:recovery-codes": page(SIGNED_IN),
    "microcomm:two-factor-turn-off": page(SIGNED_IN - COMMISSIONERS - {ADMIN}),
    "healthz": public(),
    # The needs register: link workers and commissioners log and triage.
    "rounds:need-list": page(STAFF),
    "rounds:need-create": page(STAFF),
    "rounds:need-quick-log": page(STAFF),
    "rounds:need-detail": thing(STAFF),
    "rounds:need-evidence": thing(STAFF),
    "rounds:need-edit": thing(STAFF),
    "rounds:need-merge": thing(STAFF),
    "rounds:need-close": thing(STAFF),
    "rounds:need-status": thing(STAFF, data={"status": "being_addressed"}),
    # One log of a need: moved or deleted by the link worker who logged it, or a commissioner.
    "rounds:need-signal-move": thing({LINK_WORKER} | COMMISSIONERS, see=STAFF),
    "rounds:need-signal-delete": thing({LINK_WORKER} | COMMISSIONERS, see=STAFF),
    # The service map: staff keep it; a group sees the listing it proposed.
    "rounds:service-list": page(STAFF),
    "rounds:service-create": page(STAFF),
    "rounds:service-propose": page(GROUP_MEMBERS),
    "rounds:service-detail": thing(STAFF | GROUP_A),
    "rounds:service-edit": thing(STAFF, see=GROUP_A),
    "rounds:service-verify": thing(STAFF, see=GROUP_A),
    "rounds:service-pause": thing(STAFF, see=GROUP_A),
    "rounds:service-close": thing(STAFF, see=GROUP_A),
    "rounds:service-reopen": thing(STAFF, see=GROUP_A),
    "rounds:service-approve": thing(STAFF, see=GROUP_A),
    "rounds:directory-import": page(COMMISSIONERS),
    "rounds:directory-import-status": thing(COMMISSIONERS),
    "rounds:gap-analysis": page(STAFF),
    "rounds:gap-analysis-csv": page(STAFF),
    # Open Referral UK: a public API of active services.
    "rounds:oruk-services": public(),
    "rounds:oruk-service": public(),
    # Funds and rounds are the commissioners' to manage; nobody else knows about funds.
    "rounds:fund-list": page(COMMISSIONERS),
    "rounds:fund-create": page(COMMISSIONERS),
    "rounds:fund-detail": thing(COMMISSIONERS),
    "rounds:fund-edit": thing(COMMISSIONERS),
    "rounds:round-list": page(COMMISSIONERS),
    "rounds:round-create": page(COMMISSIONERS),
    "rounds:round-detail": managed_round(),
    "rounds:round-edit": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:round-status": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:round-copy": managed_round(),
    "rounds:round-event-create": managed_round(),
    # A round's calendar is public once the round is; a draft's is for commissioners.
    "rounds:round-calendar": (public(on=OPEN_ROUND), public(COMMISSIONERS, on=DRAFT_ROUND)),
    # The form builder works on the draft round's form.
    "rounds:round-form": managed_round(),
    "rounds:round-form-preview": managed_round(),
    "rounds:round-form-pdf": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:round-form-publish": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:round-form-unpublish": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:form-section-create": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:form-section-edit": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:form-section-delete": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:question-create": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:question-edit": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:question-delete": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:question-move": thing(COMMISSIONERS, on=DRAFT_ROUND, data={"direction": "down"}),
    "rounds:round-questions-pdf": public(on=OPEN_ROUND),
    # The public pages of a round: published rounds only, for everyone.
    "rounds:round-public-list": public(),
    # A commissioner previews a draft's public page; nobody else knows it exists.
    "rounds:round-public-detail": (public(on=OPEN_ROUND), public(COMMISSIONERS, on=DRAFT_ROUND)),
    "rounds:round-eligibility": (public(on=OPEN_ROUND), public(NOBODY, on=DRAFT_ROUND)),
    "rounds:round-apply-start": page(SIGNED_IN, on=OPEN_ROUND),
    "rounds:faq-public-list": public(),
    "rounds:guidance-download": public(),
    # Help to apply: anyone asks; link workers and commissioners pick requests up.
    "rounds:support-request-create": public(),
    "rounds:support-request-sent": public(),
    "rounds:support-list": page(STAFF),
    "rounds:support-request-detail": thing(STAFF),
    "rounds:support-request-assign": thing(STAFF),
    "rounds:support-request-close": thing(STAFF),
    # FAQs and guidance: kept by commissioners; the scheme-wide ones are public.
    "rounds:faq-manage-list": page(COMMISSIONERS),
    "rounds:faq-create": page(COMMISSIONERS),
    "rounds:faq-manage-list[slug]": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:faq-create[slug]": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:faq-edit": thing(COMMISSIONERS, see=SIGNED_IN),
    "rounds:faq-delete": thing(COMMISSIONERS, see=SIGNED_IN),
    "rounds:guidance-manage-list": page(COMMISSIONERS),
    "rounds:guidance-create": page(COMMISSIONERS),
    "rounds:guidance-manage-list[slug]": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:guidance-create[slug]": thing(COMMISSIONERS, on=DRAFT_ROUND),
    "rounds:guidance-edit": thing(COMMISSIONERS, see=SIGNED_IN),
    "rounds:guidance-delete": thing(COMMISSIONERS, see=SIGNED_IN),
    # Groups: anyone signed in may set one up; its members change it.
    "applications:organisation-list": page(SIGNED_IN),
    "applications:organisation-create": page(SIGNED_IN),
    "applications:organisation-detail": thing(GROUP_A_VIEWERS),
    "applications:organisation-edit": thing(GROUP_A, see=GROUP_A_VIEWERS),
    "applications:member-invite": thing(GROUP_A, see=GROUP_A_VIEWERS),
    "applications:member-remove": thing(GROUP_A, see=GROUP_A_VIEWERS),
    "applications:member-role": thing(GROUP_A, see=GROUP_A_VIEWERS),
    # An invitation link explains itself to whoever holds it.
    "applications:invitation-accept": page(SIGNED_IN),
    # The vault: link workers see the group but not its documents.
    "applications:document-list": thing(VAULT_A_VIEWERS, see=GROUP_A_VIEWERS),
    "applications:document-upload": thing(GROUP_A, see=GROUP_A_VIEWERS),
    "applications:document-download": thing(VAULT_A_VIEWERS),
    "applications:document-replace": thing(GROUP_A, see=VAULT_A_VIEWERS),
    "applications:document-delete": thing(GROUP_A, see=VAULT_A_VIEWERS),
    # Applying.
    "applications:application-list": page(SIGNED_IN),
    "applications:application-start": (
        page(SIGNED_IN, on=OPEN_ROUND),
        thing(NOBODY, on=DRAFT_ROUND),
    ),
    "applications:application-assist-start": page(LINK_WORKERS),
    "applications:application-detail": (
        thing(DRAFT_VIEWERS),
        thing(SUBMITTED_VIEWERS, on=SUBMITTED),
    ),
    # A submitted application's section reads as answers, saying why they cannot change.
    "applications:application-section": (
        thing(DRAFT_EDITORS, see=DRAFT_VIEWERS),
        thing(SUBMITTED_VIEWERS, on=SUBMITTED, methods=("GET",)),
        thing(NOBODY, see=SUBMITTED_VIEWERS, on=SUBMITTED, methods=("POST",)),
    ),
    "applications:application-autosave": draft_edit(),
    "applications:application-budget": draft_edit(),
    "applications:application-check": thing(DRAFT_VIEWERS),
    "applications:application-submit": draft_edit(GROUP_A),
    "applications:application-submitted": thing(SUBMITTED_VIEWERS, on=SUBMITTED),
    "applications:application-withdraw": (
        thing(GROUP_A, see=DRAFT_VIEWERS),
        thing(GROUP_A, see=SUBMITTED_VIEWERS, on=SUBMITTED),
    ),
    "applications:application-copy": thing(GROUP_A, see=SUBMITTED_VIEWERS, on=SUBMITTED),
    "applications:application-hand-over": thing({LINK_WORKER}, see=DRAFT_VIEWERS),
    "applications:application-assistance-end": thing(GROUP_A, see=DRAFT_VIEWERS),
    "applications:application-draft-copy": thing(DRAFT_VIEWERS),
    # Assessing: commissioners only. A group knows its own application and an open round
    # is public, so for those the refusal is 403; anything else stays hidden.
    "applications:manage-application-list": (
        thing(COMMISSIONERS, see=SIGNED_IN, on=OPEN_ROUND),
        thing(COMMISSIONERS, on=DRAFT_ROUND),
    ),
    "applications:manage-application-csv": thing(COMMISSIONERS, see=SIGNED_IN, on=OPEN_ROUND),
    "applications:manage-application-detail": thing(
        COMMISSIONERS, see=SUBMITTED_VIEWERS, on=SUBMITTED
    ),
    "applications:manage-application-override": thing(
        COMMISSIONERS, see=SUBMITTED_VIEWERS, on=SUBMITTED
    ),
    "applications:manage-due-diligence-verify": thing(
        COMMISSIONERS, see=SUBMITTED_VIEWERS, on=SUBMITTED
    ),
    "applications:manage-application-reopen": thing(
        COMMISSIONERS, see=SUBMITTED_VIEWERS, on=SUBMITTED
    ),
    # Panels, area C: conflicts of interest, assignment, scoring, looking again. A member
    # opens only their own scorecard, never one for a group they declared an interest in
    # (404 even though it was started); commissioners see it but do not score (403).
    "panels:conflict-declare": thing(PANEL_MEMBERS, see=COMMISSIONERS),
    "panels:scorer-list": thing(PANEL_MEMBERS, see=COMMISSIONERS),
    "panels:scorecard-detail": (
        thing({PANEL_ASSIGNED}, see=COMMISSIONERS),
        thing(NOBODY, see=COMMISSIONERS, on=CONFLICTED_SCORECARD),
    ),
    "panels:scorecard-document": (
        thing({PANEL_ASSIGNED}, see=COMMISSIONERS),
        thing(NOBODY, see=COMMISSIONERS, on=CONFLICTED_SCORECARD),
    ),
    "panels:scorecards-assign": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:conflict-register": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:conflict-record": thing(COMMISSIONERS, see={PANEL_ASSIGNED}),
    "panels:score-look-again": (
        thing(COMMISSIONERS, see={PANEL_ASSIGNED}),
        thing(COMMISSIONERS, on=CONFLICTED_SCORECARD),
    ),
    # Panels, area D: moderation and the meeting. Only the panel's members and commissioners
    # know the panel exists; members may follow the meeting, only the chair or a
    # commissioner runs it; a member with an interest in a group never opens its decision.
    "panels:moderation-detail": thing(COMMISSIONERS, see=PANEL_MEMBERS),
    "panels:meeting-detail": thing(COMMISSIONERS | PANEL_MEMBERS),
    "panels:ranking-csv": thing(COMMISSIONERS, see=PANEL_MEMBERS),
    "panels:minutes-request": thing(COMMISSIONERS, see=PANEL_MEMBERS),
    "panels:minutes-download": thing(COMMISSIONERS, see=PANEL_MEMBERS),
    "panels:decision-record": thing(COMMISSIONERS, see=PANEL_MEMBERS - {PANEL_CONFLICTED}),
    "panels:decision-change": thing(COMMISSIONERS, see=PANEL_MEMBERS - {PANEL_CONFLICTED}),
    # Panels, area E: commissioners edit and release feedback and run the interviews (the
    # round is published, so others get 403); a group sees its decision once released
    # (404 before, even to itself) and chooses its own interview time; a member makes and
    # downloads their own panel pack, a commissioner anyone's.
    "panels:feedback-list": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:feedback-edit": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:decisions-release": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:decision-detail": (
        thing(GROUP_A | COMMISSIONERS),
        thing(COMMISSIONERS, on=UNRELEASED_DECISION),
    ),
    "panels:interview-list": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:interview-slot-add": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:interview-slot-remove": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:interview-invite": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:interview-notes": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:interview-book": thing(GROUP_A, see=COMMISSIONERS),
    "panels:pack-detail": thing(PANEL_MEMBERS, see=COMMISSIONERS),
    "panels:pack-members": thing(COMMISSIONERS, see=PANEL_MEMBERS),
    "panels:pack-download": thing(COMMISSIONERS | {PANEL_ASSIGNED}),
    # Panels, area B: the panel's rules, members and payments are commissioners' (the round
    # is published, so others get 403). The panel home is for anyone seated on a panel;
    # practice for the panel's own members (a commissioner knows the panel: 403). The
    # invitation link explains itself to whoever holds it.
    "panels:panel-detail": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:panel-settings": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:member-add": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:member-role": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:member-remove": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:member-invite-again": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:attendance-record": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:payments-csv": thing(COMMISSIONERS, see=SIGNED_IN),
    "panels:member-home": page(PANEL_MEMBERS),
    "panels:practice-score": thing(PANEL_MEMBERS, see=COMMISSIONERS),
    "panels:invitation-accept": public(),
    # The scoring system. Commissioners change it while the round is a draft; once
    # the round has left draft it is locked (403 with the reason), and still shown.
    "panels:rubric-detail": (
        thing(COMMISSIONERS, on=DRAFT_ROUND),
        thing(COMMISSIONERS, see=SIGNED_IN, on=CLOSED_ROUND),
    ),
    "panels:rubric-preset": (
        thing(COMMISSIONERS, on=DRAFT_ROUND),
        thing(NOBODY, see=SIGNED_IN, on=CLOSED_ROUND),
    ),
    "panels:rubric-edit": (
        thing(COMMISSIONERS, on=DRAFT_ROUND),
        thing(NOBODY, see=SIGNED_IN, on=CLOSED_ROUND),
    ),
}

# Which world object fills each URL parameter: (URL name prefix, world key), first match
# wins, "" matches every URL. A row's `on` overrides it.
FILL: dict[str, list[tuple[str, str]]] = {
    "pk": [
        ("rounds:need-signal-", "need_signal"),
        ("rounds:need-", "need"),
        ("rounds:service-", "service"),
        ("rounds:directory-import", "directory_import"),
        ("rounds:fund-", "fund"),
        ("rounds:form-section-", "section_draft"),
        ("rounds:question-", "question_draft"),
        ("rounds:support-request-", "support_request"),
        ("rounds:faq-", "faq"),
        ("rounds:guidance-", "guidance"),
        ("applications:organisation-", "organisation_a"),
        ("applications:member-", "organisation_a"),
        ("applications:document-", "organisation_a"),
        ("applications:application-", "application_a_draft"),
        ("applications:manage-", "application_a_submitted"),
        ("panels:scorecard-", "scorecard_assigned"),
        ("panels:score-", "scorecard_assigned"),
        ("panels:decision-", "application_panel_a"),
        ("panels:feedback-", "decision_panel_b"),
        ("panels:interview-notes", "interview_panel_a"),
        ("panels:interview-slot-", "interview_slot_free"),
        ("panels:pack-", "pack_assigned"),
    ],
    "slug": [("panels:", "round_closed"), ("", "round_open")],
    "section_pk": [
        ("rounds:", "section_draft"),
        ("applications:", "section_open"),
    ],
    "reference": [
        ("panels:decision-detail", "application_decided_a"),
        ("panels:interview-book", "application_panel_a"),
    ],
    "membership_pk": [("", "editor_membership_a")],
    "member_pk": [
        ("panels:conflict-record", "member_assigned"),
        ("panels:member-invite-again", "member_invited"),
        ("panels:member-", "member_unassigned"),
    ],
    "event_pk": [("panels:attendance-record", "panel_meeting")],
    "doc_pk": [("panels:scorecard-document", "document_panel_a"), ("", "document_a")],
    "item_pk": [("", "due_diligence_a")],
    "id": [("rounds:oruk-service", "service")],
    "token": [
        ("applications:invitation-accept", "invitation_a"),
        ("microcomm:email-confirm", "email_confirm_token"),
        ("microcomm:password-reset-confirm", "password_reset_token"),
        ("panels:invitation-accept", "panel_invitation_token"),
    ],
    "uidb64": [
        ("microcomm:email-confirm", "email_confirm_uid"),
        ("microcomm:password-reset-confirm", "password_reset_uid"),
    ],
}

# How a world object becomes a URL parameter, when it is not its primary key.
PARAMETER_OF = {
    "slug": lambda value: value.slug,
    "id": lambda value: value.oruk_id,
    "reference": lambda value: getattr(value, "reference", value),
    "token": lambda value: getattr(value, "token", value),
}
