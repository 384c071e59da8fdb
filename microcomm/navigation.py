"""The service navigation: each app registers the sections its pages offer.

Apps register entries in their AppConfig.ready(), so the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100
    # URL prefixes that mark this item as the current section.
    prefixes: tuple[str, ...] = ()


_registry: list[NavItem] = []


def nav_register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _registry):
        _registry.append(item)
        _registry.sort(key=lambda entry: entry.order)


def nav_items_for(request: HttpRequest) -> list[dict[str, object]]:
    """The navigation entries this person may use, with the current one marked."""
    # A request refused before authentication ran (a bad Host header) has no user.
    user = getattr(request, "user", None)
    if user is None:
        return []
    items = []
    for item in _registry:
        if not item.visible(user):
            continue
        url = reverse(item.url_name)
        prefixes = item.prefixes or ((url,) if url != "/" else ())
        current = request.path == url or any(request.path.startswith(p) for p in prefixes)
        items.append({"label": item.label, "url": url, "current": current})
    return items


@dataclass(frozen=True)
class PageLink:
    """A link a later app adds to an earlier app's page: a round's applications, say.

    ``place`` names where it shows (``"round"``: a round's page, its row in the list of
    rounds and its line on the home page); ``url`` makes the address from the object.
    """

    place: str
    label: str
    url: Callable[[Any], str]
    visible: Callable[[Any, Any], bool]
    order: int = 100


_page_links: list[PageLink] = []


def page_link_register(link: PageLink) -> None:
    if all(
        (existing.place, existing.label) != (link.place, link.label) for existing in _page_links
    ):
        _page_links.append(link)
        _page_links.sort(key=lambda entry: entry.order)


def page_links_for(place: str, user: object, obj: object) -> list[dict[str, str]]:
    """The links registered for ``place`` that this person may follow for this object."""
    return [
        {"label": link.label, "url": link.url(obj)}
        for link in _page_links
        if link.place == place and link.visible(user, obj)
    ]
