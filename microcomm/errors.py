"""The one exception a rule raises when it refuses an action a person asked for."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action; the message tells a person what to do instead."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
