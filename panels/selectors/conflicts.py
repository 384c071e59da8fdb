"""Reads for conflicts of interest: who applies, what each member declared, the register."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from applications.models import Application
from microcomm.models import Organisation
from panels.models import ConflictDeclaration, Panel, PanelMember
from panels.permissions import SEATED


def panel_for_round(*, slug: str) -> Panel | None:
    """The panel of the round with this slug, with its round, or None."""
    return Panel.objects.select_related("round").filter(round__slug=slug).first()


def applying_organisations(*, panel: Panel) -> QuerySet[Organisation]:
    """The organisations with a submitted application to the panel's round, by name."""
    applying = Application.objects.filter(
        round_id=panel.round_id, status=Application.Status.SUBMITTED
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=applying).order_by("name", "id")


def declarations_missing(*, member: PanelMember) -> bool:
    """Whether the member has yet to declare for some organisation applying to the round."""
    declared = ConflictDeclaration.objects.filter(member=member).values("organisation_id")
    return (
        Application.objects.filter(
            round_id=member.panel.round_id, status=Application.Status.SUBMITTED
        )
        .exclude(organisation_id__in=declared)
        .exists()
    )


@dataclass
class DeclarationRow:
    """One organisation applying, with what the member declared about it (None: not yet)."""

    organisation: Organisation
    declaration: ConflictDeclaration | None


def declaration_rows(*, member: PanelMember) -> list[DeclarationRow]:
    """Each organisation applying to the member's round with the member's declaration."""
    declarations = {
        declaration.organisation_id: declaration
        for declaration in ConflictDeclaration.objects.filter(member=member)
    }
    return [
        DeclarationRow(organisation=organisation, declaration=declarations.get(organisation.pk))
        for organisation in applying_organisations(panel=member.panel)
    ]


@dataclass
class RegisterRow:
    """A member of the panel with their declared interests and how many groups they covered."""

    member: PanelMember
    interests: list[ConflictDeclaration] = field(default_factory=list)
    declared: int = 0


@dataclass
class ConflictRegister:
    organisations: list[Organisation]
    rows: list[RegisterRow]

    @property
    def interests(self) -> int:
        return sum(len(row.interests) for row in self.rows)


def conflict_register(*, panel: Panel) -> ConflictRegister:
    """The round's register: each seated member, their interests, and who has not declared.

    Three queries whatever the size of the panel.
    """
    organisations = list(applying_organisations(panel=panel))
    applying = {organisation.pk for organisation in organisations}
    rows = {
        member.pk: RegisterRow(member=member)
        for member in PanelMember.objects.filter(panel=panel, status__in=SEATED)
        .select_related("user")
        .order_by("user__full_name", "id")
    }
    declarations = ConflictDeclaration.objects.filter(
        member__panel=panel, member__status__in=SEATED
    ).select_related("organisation", "recorded_by")
    for declaration in declarations:
        row = rows.get(declaration.member_id)
        if row is None or declaration.organisation_id not in applying:
            continue
        row.declared += 1
        if declaration.is_conflict:
            row.interests.append(declaration)
    for row in rows.values():
        row.interests.sort(key=lambda declaration: declaration.organisation.name)
    return ConflictRegister(organisations=organisations, rows=list(rows.values()))
