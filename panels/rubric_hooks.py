"""What the scoring system adds to the rounds app's pages and rules (area A)."""

from __future__ import annotations

from django.urls import reverse

from microcomm.navigation import PageLink, page_link_register
from panels.permissions import can_manage_panels
from panels.selectors.rubric import rubric_public, rubric_round_move_problem, rubric_version
from panels.services.rubric import rubric_start
from rounds.round_hooks import (
    RoundPart,
    round_move_check_register,
    round_part_register,
    round_start_register,
)


def register() -> None:
    # A round's page links to its scoring system, whatever its status (read-only once locked).
    page_link_register(
        PageLink(
            place="round",
            label="How applications will be scored",
            url=lambda round: reverse("panels:rubric-detail", args=[round.slug]),
            visible=lambda user, round: user is not None and bool(can_manage_panels(user)),
            order=5,
        )
    )
    # Every round starts with a scoring system: its source's when copied, else its tier's.
    round_start_register(rubric_start)
    # Groups apply knowing how they will be scored, so a round opens only with one agreed.
    round_move_check_register(rubric_round_move_problem)
    round_part_register(
        RoundPart(
            name="rubric",
            template="panels/_rubric_public.html",
            pdf_template="panels/_rubric_pdf.html",
            content=rubric_public,
            version=rubric_version,
        )
    )
