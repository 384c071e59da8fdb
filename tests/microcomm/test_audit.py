"""The audit vocabulary: every verb the code records has a plain-English label."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from microcomm import audit
from microcomm.audit import audit_record, is_registered, register_verbs, verb_label
from microcomm.lifecycle import lifecycle_models, lifecycle_verbs
from microcomm.models import AuditEvent
from tests.microcomm.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["microcomm", "rounds", "applications", "panels", "evaluation"]


def _verb_literals() -> dict[str, str]:
    """Every verb written as a `verb=` argument in the application code: verb to place."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "verb":
                        continue
                    # A whole verb is "<noun>.<verb>"; a bare suffix goes into an f-string.
                    verbs = [text for text in _strings(keyword.value) if "." in text]
                    place = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.update(dict.fromkeys(verbs, place))
    return found


def _strings(node: ast.AST) -> list[str]:
    """The whole strings an expression may evaluate to; f-strings are built at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return []
    return [text for child in ast.iter_child_nodes(node) for text in _strings(child)]


@pytest.fixture
def vocabulary():
    """Lets a test register verbs of its own and forgets them afterwards."""
    labels, provisional, retired = (
        dict(audit._LABELS),
        set(audit._PROVISIONAL),
        set(audit._RETIRED),
    )
    yield
    audit._LABELS.clear()
    audit._LABELS.update(labels)
    audit._PROVISIONAL.clear()
    audit._PROVISIONAL.update(provisional)
    audit._RETIRED.clear()
    audit._RETIRED.update(retired)


def test_the_scan_finds_the_verbs_the_code_records():
    verbs = _verb_literals()
    assert "application.start" in verbs
    assert "need.link_priority" in verbs
    assert "need.unlink_priority" in verbs  # the other branch of a conditional


def test_every_verb_written_in_the_code_is_registered_with_a_label():
    unregistered = {
        verb: place for verb, place in _verb_literals().items() if not is_registered(verb)
    }
    assert unregistered == {}


def test_every_lifecycle_verb_is_registered():
    assert lifecycle_models()
    for model in lifecycle_models():
        for verb, label in lifecycle_verbs(model).items():
            assert is_registered(verb), verb
            assert verb_label(verb) == label


def test_labels_are_plain_english_not_codes():
    for verb, label in audit.registered_verbs().items():
        assert label[0].isupper(), verb
        assert "_" not in label and "." not in label, verb


@pytest.mark.django_db
def test_an_unregistered_verb_is_refused_and_nothing_is_written():
    with pytest.raises(ValueError, match="not registered"):
        audit_record(actor=None, verb="thing.did_something")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_saving_answers_is_no_longer_recorded():
    with pytest.raises(ValueError, match="no longer recorded"):
        audit_record(actor=None, verb="application.answers_save")
    assert verb_label("application.answers_save") == "Saved answers"


@pytest.mark.django_db
def test_a_registered_verb_is_recorded_with_its_actor():
    person = UserFactory()
    event = audit_record(actor=person, verb="user.sign_up", target=person)
    assert event.verb == "user.sign_up"
    assert event.actor == person
    assert verb_label(event.verb) == "Created an account"


@pytest.mark.usefixtures("vocabulary")
def test_registering_a_verb_again_with_another_label_is_refused():
    register_verbs({"test.thing": "Did the thing"})
    register_verbs({"test.thing": "Did the thing"})
    with pytest.raises(ValueError, match="already registered"):
        register_verbs({"test.thing": "Did something else"})


@pytest.mark.usefixtures("vocabulary")
def test_a_provisional_label_gives_way_to_the_owner_s_label():
    register_verbs({"test.closed": "Closed it"}, provisional=True)
    register_verbs({"test.closed": "Closed the test"})
    register_verbs({"test.closed": "Closed it"}, provisional=True)
    assert verb_label("test.closed") == "Closed the test"


@pytest.mark.usefixtures("vocabulary")
def test_a_label_names_detail_fields_and_drops_the_ones_an_event_lacks():
    register_verbs({"test.check": "Verified a check: {label}"})
    assert verb_label("test.check", {"label": "Bank account"}) == "Verified a check: Bank account"
    assert verb_label("test.check", {}) == "Verified a check"
