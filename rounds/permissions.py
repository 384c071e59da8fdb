"""Who may see and do what with needs, services, gaps, rounds and requests for help.

Each rule is stated once: a ``Rule`` says which objects a person may see (for one object
and for a list alike); the ``can_*`` predicates say who may do what, and why not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from microcomm.models import Organisation
from microcomm.permissions import (
    Rule,
    Verdict,
    is_active,
    is_commissioner,
    is_scheme_staff,
    organisations_of,
)
from rounds.models import (
    DirectoryImport,
    Faq,
    Fund,
    GuidanceResource,
    Need,
    NeedSignal,
    Round,
    Service,
    SupportRequest,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from microcomm.models import User

    AnyUser = User | AnonymousUser

STAFF_ONLY = "Only link workers and commissioners can"
COMMISSIONERS_ONLY = "Only commissioners can"


# Individual needs are for link workers and commissioners only.
NEEDS: Rule[Need] = Rule(model=Need, sees_all=is_scheme_staff)

# The service map is the staff's; a group sees the listings it provides (or proposed).
SERVICES: Rule[Service] = Rule(
    model=Service,
    sees_all=is_scheme_staff,
    involving=lambda user: Q(provider_organisation__in=organisations_of(user)),
)

# Rounds are public once they leave draft; commissioners see every round.
ROUNDS: Rule[Round] = Rule(
    model=Round, sees_all=is_commissioner, public=~Q(status=Round.Status.DRAFT)
)

# Funds are the commissioners' alone: nobody else knows about them.
FUNDS: Rule[Fund] = Rule(model=Fund, sees_all=is_commissioner)

# FAQs and guidance are public when scheme-wide or of a published round.
_SCHEME_WIDE_OR_PUBLISHED = Q(round__isnull=True) | ~Q(round__status=Round.Status.DRAFT)
FAQS: Rule[Faq] = Rule(model=Faq, sees_all=is_commissioner, public=_SCHEME_WIDE_OR_PUBLISHED)
GUIDANCE: Rule[GuidanceResource] = Rule(
    model=GuidanceResource, sees_all=is_commissioner, public=_SCHEME_WIDE_OR_PUBLISHED
)

# Imports of another directory into the service map are the commissioners'.
DIRECTORY_IMPORTS: Rule[DirectoryImport] = Rule(model=DirectoryImport, sees_all=is_commissioner)

# Requests for help to apply reach link workers and commissioners.
SUPPORT_REQUESTS: Rule[SupportRequest] = Rule(model=SupportRequest, sees_all=is_scheme_staff)


def can_view_needs(user: AnyUser) -> Verdict:
    """Individual needs are for link workers and commissioners only."""
    return Verdict.of(is_active(user) and NEEDS.sees_all(user), f"{STAFF_ONLY} see the needs")


def can_log_need(user: AnyUser) -> Verdict:
    return Verdict.of(is_scheme_staff(user), f"{STAFF_ONLY} record needs")


def can_triage_needs(user: AnyUser) -> Verdict:
    """Edit, merge, link to a JSNA priority, close: link workers know the needs best."""
    return Verdict.of(
        is_active(user) and NEEDS.sees_all(user), f"{STAFF_ONLY} change, merge or close needs"
    )


def can_change_need_signal(user: AnyUser, signal: NeedSignal) -> Verdict:
    """Move or delete one log of a need: the person who logged it, or a commissioner."""
    return Verdict.of(
        is_active(user)
        and (is_commissioner(user) or (is_scheme_staff(user) and signal.recorded_by_id == user.pk)),
        "Only the person who logged this, or a commissioner, can move or delete it",
    )


def can_view_gaps(user: AnyUser) -> Verdict:
    return Verdict.of(is_scheme_staff(user), f"{STAFF_ONLY} see the gap analysis")


def can_search_services(user: AnyUser) -> Verdict:
    return Verdict.of(is_scheme_staff(user), f"{STAFF_ONLY} search the service map")


def can_manage_services(user: AnyUser) -> Verdict:
    """Add, edit, verify, pause, close and approve listings."""
    return Verdict.of(is_scheme_staff(user), f"{STAFF_ONLY} change the service map")


def can_import_directory(user: AnyUser) -> Verdict:
    return Verdict.of(is_commissioner(user), f"{COMMISSIONERS_ONLY} import a directory")


def can_propose_service(user: AnyUser, organisation: Organisation) -> Verdict:
    """An applicant may propose a listing for an organisation they belong to."""
    return Verdict.of(
        is_active(user) and organisation.memberships.filter(user=user).exists(),
        "Only members of a group can propose a listing for it",
    )


def can_propose_any_service(user: AnyUser) -> Verdict:
    """The propose page is for people who belong to at least one group."""
    return Verdict.of(
        is_active(user) and Organisation.objects.filter(pk__in=organisations_of(user)).exists(),
        "Only members of a group can propose a listing. Set up or join a group first",
    )


def can_manage_funding(user: AnyUser) -> Verdict:
    """Funds, rounds, forms, FAQs and guidance are the commissioners' to manage."""
    return Verdict.of(is_commissioner(user), f"{COMMISSIONERS_ONLY} manage funds and rounds")


def can_handle_support_requests(user: AnyUser) -> Verdict:
    """Link workers (and commissioners) pick up requests for help to apply."""
    return Verdict.of(
        is_active(user) and SUPPORT_REQUESTS.sees_all(user),
        f"{STAFF_ONLY} handle requests for help",
    )
