"""Hostile values posted to every form a signed-in applicant, link worker, commissioner and
panel member can reach: never a 500, and a save the page refuses changes nothing.

The pages and who may use them come from the permission table (tests/permissions/), in
the same world. Each page's form is read from its GET (the fields of the forms that post
back to the page) or, for an action with no page of its own, from the row's POST data.
Every field gets the same hostile value at once: very long text, a NUL character,
right-to-left overrides, markup, a spreadsheet formula, numbers too big for any column,
negative amounts, paths that climb out of a folder, days that do not exist. Each request
runs in a savepoint that is rolled back, as in the permission table.

A page that answers with its form again (400, or 200 with "There is a problem") refused
the input: the database must then be as it was. The application's section pages are the
exception by design: they save every answer that can be saved as the person types and
flag the others (applications/forms/applying.py), so for them only the refused answers
must be unsaved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from rounds.forms.funding import source_formset
from tests.permissions.table import TABLE
from tests.permissions.test_permission_table import (
    URLS,
    _fill,
    _private_media_in_tmp_path,  # noqa: F401 (an autouse fixture of the shared world)
    _rows,
    world,  # noqa: F401 (the permission table's world, built once for the module)
)
from tests.permissions.world import APPLICANT_A, COMMISSIONER, LINK_WORKER, PANEL_ASSIGNED, World
from tests.rounds.factories import GuidanceResourceFactory

pytestmark = pytest.mark.django_db

PERSONAS = (APPLICANT_A, LINK_WORKER, COMMISSIONER, PANEL_ASSIGNED)

HOSTILE = {
    "long": "Too long " * 12_000,
    "nul": "Walking\x00group",
    "rtl": "\u202eevil.exe\u202c group \u200f",
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "formula": "=cmd|' /C calc'!A0",
    "fullwidth-formula": '\uff1dHYPERLINK("http://example.org")',
    "huge-int": "9" * 40,
    "negative": "-500",
    "not-a-number": "NaN",
    "exponent": "1e999",
    "path": "../../../etc/passwd",
    "bad-date": "31/02/2025",
}

# Date fields come as day, month and year: the bad date is also posted as its parts.
BAD_DATE_PARTS = {"_day": "31", "_month": "2", "_year": "2025"}

# Pages that log the person out or change how they sign in are not forms of the cycle.
SKIPPED = {
    "microcomm:sign-out",
    "microcomm:sign-in",
    "microcomm:two-factor-turn-off",
}

# Pages that save what can be saved of a section and flag the rest (see the docstring).
SAVES_WHAT_IT_CAN = {"applications:application-section", "applications:application-autosave"}

# A refused submission keeps the eligibility check it ran on the application, by design
# (applications/services/applying.py, application_submit): nothing else may change.
MAY_CHANGE_WHEN_REFUSED = {"applications:application-submit": {"applications.Application"}}

# What a refused save must leave as it was: every model of the product's apps.
WATCHED_APPS = ("microcomm", "rounds", "applications", "panels")
UNWATCHED_MODELS = {"AuditEvent"}  # a refusal may be audited (a failed eligibility check)

REFUSED_MARKERS = ("There is a problem", "govuk-error-summary", "govuk-error-message")


@dataclass
class FormField:
    """A field of a form as the page shows it: its input type and what it would send."""

    kind: str
    value: str = ""


class _PostForms(HTMLParser):
    """The fields of the forms on a page that post, by the path each posts to."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.actions: list[str] = []
        self.forms: dict[str, dict[str, FormField]] = {}  # path -> field name -> field
        self.textarea: str | None = None
        self.select: str | None = None
        self.options_seen = False

    def _add(self, name: str, field: FormField) -> None:
        for path in self.actions:
            self.forms[path].setdefault(name, field)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = attributes.get("method", "get").lower()
            action = urlsplit(attributes.get("action") or self.path).path or self.path
            # A form that htmx also posts elsewhere as the person types (autosave).
            self.actions = [action] if method == "post" else []
            if attributes.get("hx-post"):
                self.actions.append(urlsplit(attributes["hx-post"]).path)
            for path in self.actions:
                self.forms.setdefault(path, {})
            return
        if tag == "option" and self.select and self.actions:
            # A browser sends the selected option, or the first.
            if "selected" in attributes or not self.options_seen:
                for path in self.actions:
                    self.forms[path][self.select].value = attributes.get("value", "")
            self.options_seen = True
            return
        name = attributes.get("name")
        if not self.actions or not name or name == "csrfmiddlewaretoken":
            return
        kind = attributes.get("type", tag) if tag == "input" else tag
        if tag == "input":
            checked = kind not in ("radio", "checkbox") or "checked" in attributes
            self._add(name, FormField(kind))
            if checked:
                for path in self.actions:
                    self.forms[path][name].value = attributes.get("value", "")
        elif tag in ("textarea", "select"):
            self._add(name, FormField(kind))
            self.textarea = name if tag == "textarea" else None
            self.select = name if tag == "select" else None
            self.options_seen = False
        elif tag == "button":
            self._add(name, FormField("button", attributes.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            for path in self.actions:
                field = self.forms[path][self.textarea]
                # A browser drops the newline that starts a textarea's content.
                field.value += data.removeprefix("\n") if not field.value else data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.actions = []
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def _client(built: World, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = built["sessions"][persona]
    return client


@pytest.fixture(scope="module")
def post_forms(world: World, django_db_blocker) -> dict[str, dict[str, FormField]]:  # noqa: F811
    """Every form the three people are shown on any page, by the path it posts to: an
    action's form is often on another page (submit is on check your answers)."""
    found: dict[str, dict[str, FormField]] = {}
    with django_db_blocker.unblock():
        for key, url_info in URLS.items():
            if key not in TABLE:
                continue
            for row in _rows(key):
                if "GET" not in row.methods:
                    continue
                url = reverse(url_info.name, kwargs=_fill(url_info, row, world))
                for persona in PERSONAS:
                    if persona not in row.do:
                        continue
                    with transaction.atomic():
                        response = _client(world, persona).get(url)
                        transaction.set_rollback(True)
                    if response.status_code != 200 or response.streaming:
                        continue
                    if "html" not in response.get("Content-Type", ""):
                        continue
                    parser = _PostForms(url)
                    parser.feed(response.content.decode(errors="replace"))
                    for action, fields in parser.forms.items():
                        found.setdefault(action, {}).update(
                            (name, field)
                            for name, field in fields.items()
                            if name not in found.get(action, {})
                        )
    return found


def _hostile_post(fields: dict[str, FormField], key: str) -> dict[str, object]:
    """Every field of the form given the same hostile value."""
    value = HOSTILE[key]
    data: dict[str, object] = {}
    for name, field in fields.items():
        if field.kind == "file":
            data[name] = SimpleUploadedFile(value[:200] + ".pdf", value.encode()[:5000])
            continue
        part = next((part for part in BAD_DATE_PARTS if name.endswith(part)), None)
        data[name] = BAD_DATE_PARTS[part] if key == "bad-date" and part else value
    return data


def _one_hostile_field(fields: dict[str, FormField], name: str, key: str) -> dict[str, object]:
    """The form as the page shows it, with one field given a hostile value."""
    data: dict[str, object] = {
        other: field.value
        for other, field in fields.items()
        if field.value and field.kind not in ("file", "button")
    }
    data.update(_hostile_post({name: fields[name]}, key))
    return data


def _watched_models() -> list:
    return [
        model
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
        if model.__name__ not in UNWATCHED_MODELS
    ]


def _snapshot() -> dict[str, object]:
    """What the watched tables hold, to compare after a request. On PostgreSQL, the rows
    this transaction has inserted, updated and deleted in each (one query; an update that
    writes the same values counts too); elsewhere, every row's values."""
    models = _watched_models()
    if connection.vendor == "postgresql":
        tables = {model._meta.db_table: model._meta.label for model in models}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del "
                "FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
                [list(tables)],
            )
            return {tables[name]: counts for name, *counts in cursor.fetchall()}
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def _changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return [
        f"{label} (before {before.get(label)!r:.200}, after {value!r:.200})"
        for label, value in after.items()
        if value != before.get(label)
    ]


def _refused(response) -> bool:
    if response.status_code == 400:
        return True
    if response.status_code != 200 or response.streaming:
        return False
    page = response.content.decode(errors="replace")
    return any(marker in page for marker in REFUSED_MARKERS)


def _cases() -> Iterator[object]:
    for key, url_info in URLS.items():
        if url_info.name in SKIPPED or key not in TABLE:
            continue
        for index, row in enumerate(_rows(key)):
            if "POST" not in row.methods:
                continue
            # Each form once, as the first of the three who may use it.
            persona = next((persona for persona in PERSONAS if persona in row.do), None)
            if persona is not None:
                yield pytest.param(key, index, persona, id=f"{key}#{index}-{persona}")


def _form_of(world: World, post_forms, key: str, index: int, persona: str):  # noqa: F811
    url_info, row = URLS[key], _rows(key)[index]
    url = reverse(url_info.name, kwargs=_fill(url_info, row, world))
    fields = {
        **{name: FormField("text", value) for name, value in row.data.items()},
        **post_forms.get(url, {}),
    }
    if not fields:
        pytest.skip("no form posts here: the permission table posts to it")
    return url_info.name, url, fields, _client(world, persona)


def _problem(name: str, client: Client, url: str, data: dict[str, object]) -> str:
    """What went wrong posting ``data``, or ''."""
    with transaction.atomic():
        before = _snapshot()
        response = client.post(url, data)
        if response.streaming:
            b"".join(response.streaming_content)
        changed = _changes(before, _snapshot()) if _refused(response) else []
        transaction.set_rollback(True)
    allowed = MAY_CHANGE_WHEN_REFUSED.get(name, set())
    changed = [change for change in changed if change.split(" ")[0] not in allowed]
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        return f"{response.status_code} {error[1] if error else ''}"
    if changed and name not in SAVES_WHAT_IT_CAN:
        return f"refused but saved {'; '.join(changed)}"
    return ""


CASES = list(_cases())


@pytest.mark.parametrize(("key", "index", "persona"), CASES)
def test_every_field_hostile_never_breaks_a_form_and_a_refusal_saves_nothing(
    world,  # noqa: F811
    post_forms,
    key,
    index,
    persona,
):
    name, url, fields, client = _form_of(world, post_forms, key, index, persona)

    problems = [
        f"{hostile}: {problem}"
        for hostile in HOSTILE
        if (problem := _problem(name, client, url, _hostile_post(fields, hostile)))
    ]

    assert not problems, f"{key} as {persona} with fields {sorted(fields)}:\n" + "\n".join(problems)


@pytest.mark.parametrize(("key", "index", "persona"), CASES)
def test_one_hostile_field_in_a_good_form_never_breaks_it_and_a_refusal_saves_nothing(
    world,  # noqa: F811
    post_forms,
    key,
    index,
    persona,
):
    """The form as the page fills it in, with one field at a time given a hostile value
    (the next in turn): a refusal of one field must not save the others."""
    name, url, fields, client = _form_of(world, post_forms, key, index, persona)
    keys = list(HOSTILE)
    typed = [field for field, item in fields.items() if item.kind not in ("button", "hidden")]

    problems = [
        f"{field}={hostile}: {problem}"
        for number, field in enumerate(typed)
        if (hostile := keys[number % len(keys)])
        and (problem := _problem(name, client, url, _one_hostile_field(fields, field, hostile)))
    ]

    assert not problems, f"{key} as {persona}:\n" + "\n".join(problems)


def test_a_huge_posted_form_count_builds_no_more_sources_than_the_page_shows():
    formset = source_formset(
        {
            "sources-TOTAL_FORMS": "9" * 40,
            "sources-INITIAL_FORMS": "0",
            "sources-0-name": "Council",
            "sources-0-kind": "council",
            "sources-0-amount": "100",
        }
    )

    assert not formset.is_valid()
    assert len(formset.forms) <= 20
    assert "Add at most 20 funding sources" in formset.non_form_errors()


def test_the_sweep_sees_a_row_saved_and_a_row_changed():
    before = _snapshot()
    with transaction.atomic():
        guidance = GuidanceResourceFactory(round=None)
        added = _changes(before, _snapshot())
        guidance.title = "Changed"
        guidance.save()
        changed = _changes(before, _snapshot())
        transaction.set_rollback(True)

    assert [change.split(" ")[0] for change in added] == ["rounds.GuidanceResource"]
    assert [change.split(" ")[0] for change in changed] == ["rounds.GuidanceResource"]
    assert added != changed
