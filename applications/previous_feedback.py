"""Feedback from an earlier round, shown beside each section when a group applies again.

The panel that decided the earlier application is a later app: it registers a provider
here in its ``ready()``, so applications never import it. A provider takes the earlier
application's id and returns ``{section title in lower case: feedback}``; what it has not
released to the group yet it leaves out.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[int], dict[str, str]]

_providers: list[Provider] = []


def previous_feedback_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def previous_feedback_for(application_id: int) -> dict[str, str]:
    """Every registered provider's feedback on the earlier application, by section title."""
    feedback: dict[str, str] = {}
    for provider in _providers:
        for title, text in provider(application_id).items():
            if text:
                feedback[title] = f"{feedback[title]}\n\n{text}" if title in feedback else text
    return feedback
