"""One object's history: the timeline selector and the one template that shows it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string

from microcomm.audit import audit_record
from microcomm.selectors import audit_timeline
from tests.microcomm.factories import UserFactory
from tests.rounds.factories import NeedFactory, london

pytestmark = pytest.mark.django_db


def _record(need, actor, verb, when, **kwargs):
    with time_machine.travel(when, tick=False):
        audit_record(actor=actor, verb=verb, target=need, **kwargs)


def test_the_timeline_is_newest_first_with_labels_and_states_in_words():
    person = UserFactory(full_name="Ada Worker")
    need = NeedFactory()
    other = NeedFactory()
    _record(need, person, "need.create", london(2027, 3, 1, 9), to_state="open")
    _record(need, None, "need.met", london(2027, 3, 2, 15, 5), from_state="open", to_state="met")
    _record(other, person, "need.update", london(2027, 3, 3))

    timeline = audit_timeline(target=need)

    assert [event.label for event in timeline] == ["Marked the need as met", "Recorded the need"]
    assert (timeline[0].from_label, timeline[0].to_label) == ("Open", "Met")
    assert [event.label for event in audit_timeline(target=need, oldest_first=True)] == [
        "Recorded the need",
        "Marked the need as met",
    ]


def test_the_timeline_is_bounded_and_keeps_the_latest(django_assert_max_num_queries):
    need = NeedFactory()
    start = london(2027, 3, 1)
    for day in range(5):
        _record(need, UserFactory(), "need.update", start + datetime.timedelta(days=day))

    with django_assert_max_num_queries(2):  # the content type (if not cached) and events
        timeline = audit_timeline(target=need, limit=3)
        names = [event.actor.full_name for event in timeline]

    assert len(timeline) == 3
    assert timeline[0].created_at == start + datetime.timedelta(days=4)
    assert len(names) == 3


def test_the_template_says_who_did_what_when_and_why():
    person = UserFactory(full_name="Ada Worker")
    need = NeedFactory()
    _record(
        need,
        person,
        "need.closed",
        london(2027, 3, 2, 15, 5),
        from_state="open",
        to_state="closed",
        reason="A walking group now meets here",
    )
    _record(need, None, "need.signal", london(2027, 3, 3, 9))

    html = render_to_string("microcomm/_timeline.html", {"timeline": audit_timeline(target=need)})

    assert "Closed the need" in html
    assert "3:05pm on 2 March 2027</time> by Ada Worker" in html
    assert "Open to Closed" in html
    assert "Reason: A walking group now meets here" in html
    assert "9am on 3 March 2027</time>, automatically" in html


def test_an_empty_timeline_says_so():
    html = render_to_string(
        "microcomm/_timeline.html", {"timeline": audit_timeline(target=NeedFactory())}
    )
    assert "No changes recorded yet." in html
