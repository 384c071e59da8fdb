"""What later apps add to a round, registered in their AppConfig.ready().

Rounds come before the apps that use them, so it never imports them. Instead:

- a *start hook* runs when a round is created or copied, in the same transaction (the
  panels app gives the round a scoring system: its source's, or its tier's preset);
- a *move check* says why a round cannot be scheduled or opened yet (no agreed scoring
  system); the round's page lists it beside the move, and the move is refused;
- a *part* is a section a later app adds to the round's public page and the PDF of its
  form ("How we will score"), with the version of what it shows, so the PDF is made again
  when that changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from microcomm.models import User
    from rounds.models import Round


class StartHook(Protocol):
    def __call__(self, *, round: Round, source: Round | None, actor: User | None) -> None: ...


MoveCheck = Callable[["Round", str], str]

_start_hooks: list[StartHook] = []
_move_checks: list[MoveCheck] = []


def round_start_register(hook: StartHook) -> None:
    if hook not in _start_hooks:
        _start_hooks.append(hook)


def round_started(*, round: Round, source: Round | None, actor: User | None) -> None:
    """Run every start hook for a round just created (no source) or copied from `source`."""
    for hook in _start_hooks:
        hook(round=round, source=source, actor=actor)


def round_move_check_register(check: MoveCheck) -> None:
    if check not in _move_checks:
        _move_checks.append(check)


def round_move_checks(round: Round, to: str) -> str:
    """The first reason a later app gives why the round cannot move to `to`, or ''."""
    for check in _move_checks:
        problem = check(round, to)
        if problem:
            return problem
    return ""


@dataclass(frozen=True)
class RoundPart:
    """A section of the round's public page and form PDF that a later app fills.

    ``content(round)`` is what its templates show (None: nothing to show for this round);
    ``version(round)`` changes whenever that content does.
    """

    name: str
    template: str
    pdf_template: str
    content: Callable[[Round], Any]
    version: Callable[[Round], str]
    order: int = 100


_parts: list[RoundPart] = []


def round_part_register(part: RoundPart) -> None:
    if all(existing.name != part.name for existing in _parts):
        _parts.append(part)
        _parts.sort(key=lambda entry: entry.order)


def round_parts(round: Round, *, pdf: bool = False) -> list[dict[str, Any]]:
    """The parts to show for the round: each a template and its content."""
    shown = []
    for part in _parts:
        content = part.content(round)
        if content is not None:
            shown.append(
                {"template": part.pdf_template if pdf else part.template, "content": content}
            )
    return shown


def round_parts_version(round: Round) -> dict[str, str]:
    return {part.name: part.version(round) for part in _parts}
