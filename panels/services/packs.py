"""Panel packs: the PDF of a member's assigned applications (never the conflicted ones) with
the rubric, for reading offline or on paper. Rendered in the `pdf` queue via the ledger."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.ledger import ledger_queue_version, ledger_run
from microcomm.models import User
from microcomm.pdf import render_pdf
from panels.models import PanelMember, PanelPack
from panels.selectors.feedback import pack_contents, pack_criteria


def panel_pack_request(*, member: PanelMember, actor: User) -> PanelPack:
    """Queue a fresh pack for the member; one already being prepared is returned instead."""
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if locked.status == PanelMember.Status.REMOVED:
            raise DomainError("This person is no longer on the panel")
        pack, new = ledger_queue_version(
            PanelPack, owner={"member": locked}, key=f"panel-pack:{locked.pk}", requested_by=actor
        )
        if not new:
            return pack
        audit_record(
            actor=actor,
            verb="panel_pack.request",
            target=locked,
            detail={"version": pack.version},
        )
    return pack


def _pack_make(pack: PanelPack) -> None:
    member = pack.member
    panel = member.panel
    content = render_pdf(
        template="pdf/panel_pack.html",
        context={
            "member": member,
            "round": panel.round,
            "criteria": pack_criteria(panel=panel),
            "applications": pack_contents(member=member),
            "made_at": timezone.now(),
        },
    )
    pack.file.save(
        f"panel-pack-{panel.round.slug}-{member.pk}-{pack.version}.pdf",
        ContentFile(content),
        save=False,
    )


def panel_pack_render(*, pack_id: int) -> PanelPack:
    """Render one queued pack once; a failure is kept and tried again by the sweep."""
    return ledger_run(PanelPack, pk=pack_id, work=_pack_make)
