import datetime

import pytest

from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from rounds.models import Need, NeedSignal
from rounds.need_matching import MATCH_THRESHOLD, need_similarity
from rounds.services.needs import (
    need_close,
    need_create,
    need_link_priority,
    need_merge,
    need_quick_log,
    need_reopen,
    need_signal_add,
    need_signal_delete,
    need_signal_move,
    need_status_change,
    need_update,
)
from tests.microcomm.factories import LocalityFactory, ThemeFactory, commissioner, link_worker
from tests.rounds.factories import (
    JsnaPriorityFactory,
    NeedFactory,
    need_with_signals,
    population_group,
)

pytestmark = pytest.mark.django_db


def verbs(need):
    return list(
        AuditEvent.objects.filter(target_id=str(need.pk), target_type__model="need")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def test_first_quick_log_creates_a_need_named_after_what_was_missing():
    theme = ThemeFactory(name="Loneliness and isolation")
    place = LocalityFactory(name="Abbey Fields")
    person = link_worker()

    logged = need_quick_log(theme=theme, locality=place, note="no lunch club", actor=person)

    need = logged.need
    assert logged.started
    assert need.title == "No lunch club"
    assert (need.theme, need.locality) == (theme, place)
    assert need.source == Need.Source.CASELOAD
    assert need.recorded_by == person
    assert logged.count == 1
    assert list(need.signals.values_list("note", flat=True)) == ["no lunch club"]
    assert verbs(need) == ["need.create", "need.signal"]


def test_quick_logs_with_matching_notes_add_signals_to_one_need():
    theme, place = ThemeFactory(), LocalityFactory()
    workers = [link_worker(), link_worker()]
    notes = [
        "No lunch club for men",
        "no lunch clubs for men",
        "Lunch club for men wanted",
        "Nothing like a lunch club for men nearby",
    ]

    counts = [
        need_quick_log(theme=theme, locality=place, note=note, actor=workers[n % 2]).count
        for n, note in enumerate(notes)
    ]

    assert counts == [1, 2, 3, 4]
    need = Need.objects.get()
    assert need.signal_count == 4 == need.signals.count()


def test_a_quick_log_about_something_else_starts_a_new_need_in_the_same_theme_and_place():
    theme, place = ThemeFactory(), LocalityFactory()
    oldest = need_quick_log(
        theme=theme, locality=place, note="No lunch club for men", actor=link_worker()
    ).need

    logged = need_quick_log(
        theme=theme, locality=place, note="Nothing on Sundays", actor=link_worker()
    )

    assert logged.started and logged.need.pk != oldest.pk
    assert logged.need.title == "Nothing on Sundays"
    oldest.refresh_from_db()
    assert oldest.signal_count == 1


def test_a_quick_log_joins_the_need_the_link_worker_chose():
    need = need_with_signals(2, title="No befriending for people living alone")

    logged = need_quick_log(
        theme=need.theme,
        locality=need.locality,
        note="Nothing on Sundays",
        actor=link_worker(),
        need=need,
    )

    assert (logged.need.pk, logged.count, logged.started) == (need.pk, 3, False)


def test_a_quick_log_may_start_a_new_need_although_one_matches():
    need = need_with_signals(1, title="No lunch club")

    logged = need_quick_log(
        theme=need.theme,
        locality=need.locality,
        note="No lunch club",
        actor=link_worker(),
        start_new=True,
    )

    assert logged.started and logged.need.pk != need.pk


@pytest.mark.parametrize("status", [Need.Status.CLOSED, Need.Status.MET])
def test_a_quick_log_cannot_join_a_chosen_need_that_has_closed_or_another_place(status):
    need = NeedFactory(status=status)
    elsewhere = NeedFactory(theme=need.theme)
    for chosen in (need, elsewhere):
        with pytest.raises(DomainError) as raised:
            need_quick_log(
                theme=need.theme, locality=need.locality, note="x", actor=link_worker(), need=chosen
            )
        assert raised.value.field == "need"
    assert NeedSignal.objects.count() == 0


def test_quick_log_starts_a_new_need_when_the_old_one_is_closed_or_in_another_place():
    theme, place = ThemeFactory(), LocalityFactory()
    person = link_worker()
    closed = NeedFactory(theme=theme, locality=place, status=Need.Status.CLOSED, title="Walks")
    elsewhere = NeedFactory(theme=theme, title="Walks")

    logged = need_quick_log(theme=theme, locality=place, note="Walks", actor=person)

    assert logged.started
    assert logged.need.pk not in (closed.pk, elsewhere.pk)


def test_quick_log_adds_to_a_need_being_addressed():
    need = need_with_signals(
        2, status=Need.Status.BEING_ADDRESSED, title="Long wait for talking therapies"
    )
    logged = need_quick_log(
        theme=need.theme,
        locality=need.locality,
        note="long waits for talking therapy",
        actor=link_worker(),
    )
    assert logged.need.pk == need.pk
    assert logged.count == 3


def test_a_log_moves_to_another_need_and_both_counts_and_trails_follow():
    target = need_with_signals(3)
    source = need_with_signals(2, theme=target.theme)
    signal = source.signals.first()
    person = commissioner()

    moved_to = need_signal_move(signal=signal, to=target, actor=person)

    source.refresh_from_db()
    assert moved_to.pk == target.pk
    assert target.signals.filter(pk=signal.pk).exists()
    assert (moved_to.signal_count, source.signal_count) == (4, 1)
    assert moved_to.signals.count() == 4 and source.signals.count() == 1
    assert source.status == Need.Status.OPEN
    assert verbs(target)[-1] == "need.signal_move_in"
    assert verbs(source)[-1] == "need.signal_move_out"


def test_moving_the_only_log_to_a_new_need_closes_the_empty_one():
    person = link_worker()
    logged = need_quick_log(
        theme=ThemeFactory(), locality=LocalityFactory(), note="No dance class", actor=person
    )
    other_place = LocalityFactory()

    new = need_signal_move(signal=logged.signal, locality=other_place, actor=person)

    old = Need.objects.get(pk=logged.need.pk)
    assert (new.locality, new.title, new.signal_count) == (other_place, "No dance class", 1)
    assert (old.status, old.signal_count) == (Need.Status.CLOSED, 0)
    assert "moved" in old.closed_reason


def test_a_log_cannot_move_to_a_closed_need_or_another_theme():
    source = need_with_signals(2)
    signal = source.signals.first()
    for target in (
        NeedFactory(theme=source.theme, status=Need.Status.CLOSED),
        NeedFactory(),
    ):
        with pytest.raises(DomainError):
            need_signal_move(signal=signal, to=target, actor=commissioner())
    source.refresh_from_db()
    assert source.signal_count == 2 == source.signals.count()


def test_deleting_a_log_counts_down_and_is_audited():
    need = need_with_signals(2)

    need_signal_delete(signal=need.signals.first(), actor=commissioner())

    need.refresh_from_db()
    assert need.signal_count == 1 == need.signals.count()
    assert need.status == Need.Status.OPEN
    assert verbs(need)[-1] == "need.signal_delete"


def test_quick_log_with_an_identifier_stores_nothing():
    with pytest.raises(DomainError) as raised:
        need_quick_log(
            theme=ThemeFactory(),
            locality=LocalityFactory(),
            note="Mr B, 943 476 5919, lonely",
            actor=link_worker(),
        )
    assert raised.value.message.startswith("This looks like an NHS number")
    assert raised.value.field == "note"
    assert Need.objects.count() == 0
    assert NeedSignal.objects.count() == 0
    assert AuditEvent.objects.filter(verb__startswith="need.").count() == 0


def test_create_a_jsna_need_with_groups_has_no_signals():
    person = commissioner()
    need = need_create(
        theme=ThemeFactory(),
        locality=LocalityFactory(),
        source=Need.Source.JSNA,
        title="  Social isolation among older carers ",
        description="JSNA chapter 4",
        people_affected=120,
        population_groups=[population_group("carers"), population_group("65-and-over")],
        actor=person,
    )
    assert need.title == "Social isolation among older carers"
    assert need.signal_count == 0
    assert {g.slug for g in need.population_groups.all()} == {"carers", "65-and-over"}
    assert verbs(need) == ["need.create"]


def test_create_a_caseload_need_counts_one_signal():
    need = need_create(
        theme=ThemeFactory(),
        locality=LocalityFactory(),
        source=Need.Source.CASELOAD,
        title="No men's group",
        actor=link_worker(),
    )
    assert need.signal_count == 1 == need.signals.count()


@pytest.mark.parametrize(
    ("field", "text", "kind"),
    [
        ("title", "Call 07700 900123", "a phone number"),
        ("description", "Lives at S80 2AB", "a full postcode"),
        ("language_spoken", "Polish, jo@example.org", "an email address"),
        ("population_other", "born 12/03/1950", "a date of birth"),
    ],
)
def test_create_refuses_identifiers_in_any_free_text(field, text, kind):
    values = {"title": "A need", field: text}
    with pytest.raises(DomainError) as raised:
        need_create(
            theme=ThemeFactory(),
            locality=LocalityFactory(),
            source=Need.Source.OTHER,
            actor=commissioner(),
            **values,
        )
    assert raised.value.field == field
    assert kind in raised.value.message
    assert Need.objects.count() == 0


def test_update_records_the_fields_that_changed():
    need = NeedFactory(title="Old title")
    person = commissioner()
    need_update(
        need=need,
        actor=person,
        title="New title",
        description=need.description,
        population_groups=[population_group("carers")],
    )
    need.refresh_from_db()
    assert need.title == "New title"
    event = AuditEvent.objects.get(verb="need.update")
    assert event.detail == {"fields": ["title", "population_groups"]}
    assert event.actor == person


def test_update_with_an_identifier_changes_nothing():
    need = NeedFactory(description="Fine")
    with pytest.raises(DomainError):
        need_update(need=need, actor=commissioner(), description="DOB 01/02/1950")
    need.refresh_from_db()
    assert need.description == "Fine"


@pytest.mark.parametrize(
    ("field", "text", "kind"),
    [
        ("title", "Mrs Patel aged 82", "a person’s name and age"),
        ("description", "Lives at 14 Elm Road", "a street address"),
        ("language_spoken", "Urdu; name at gmail dot com", "an email address"),
        ("population_other", "3rd March 41", "a date of birth"),
    ],
)
def test_create_refuses_names_addresses_and_hidden_identifiers(field, text, kind):
    values = {"title": "A need", field: text}
    with pytest.raises(DomainError) as raised:
        need_create(
            theme=ThemeFactory(),
            locality=LocalityFactory(),
            source=Need.Source.OTHER,
            actor=commissioner(),
            **values,
        )
    assert raised.value.field == field
    assert raised.value.message.startswith(f"This looks like {kind}.")
    assert Need.objects.count() == 0


def test_create_refuses_an_identifier_in_the_evidence_link():
    with pytest.raises(DomainError) as raised:
        need_create(
            theme=ThemeFactory(),
            locality=LocalityFactory(),
            source=Need.Source.OTHER,
            title="A need",
            evidence_url="https://example.org/record?nhs=943%20476%205919",
            actor=commissioner(),
        )
    assert raised.value.field == "evidence_url"
    assert raised.value.message == (
        "This link contains an NHS number. Link to a page whose address does not identify anyone"
    )
    assert Need.objects.count() == 0


def test_update_with_an_identifier_in_the_evidence_link_changes_nothing():
    need = NeedFactory(title="Fine", evidence_url="https://example.org/report")
    with pytest.raises(DomainError) as raised:
        need_update(
            need=need,
            actor=commissioner(),
            title="Better",
            evidence_url="https://example.org/people/jo.bloggs%40example.org",
        )
    assert raised.value.field == "evidence_url"
    need.refresh_from_db()
    assert (need.title, need.evidence_url) == ("Fine", "https://example.org/report")
    assert verbs(need) == []


def test_closing_with_an_address_in_the_reason_keeps_the_need_open():
    need = NeedFactory()
    with pytest.raises(DomainError) as raised:
        need_close(need=need, reason="Moved from 3a, Kiln Court", actor=commissioner())
    assert raised.value.field == "reason"
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
    assert need.closed_reason == ""


def test_link_a_priority_is_audited():
    need, priority = NeedFactory(), JsnaPriorityFactory(title="Healthy ageing")
    need_link_priority(need=need, priority=priority, actor=commissioner())
    need.refresh_from_db()
    assert need.jsna_priority == priority
    assert AuditEvent.objects.get(verb="need.link_priority").to_state == "Healthy ageing"


def test_close_needs_a_reason():
    need = NeedFactory()
    with pytest.raises(DomainError) as raised:
        need_close(need=need, reason="  ", actor=commissioner())
    assert raised.value.message == "Enter why you are closing this need"
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_close_then_reopen_is_audited_with_the_reason():
    need = NeedFactory()
    person = commissioner()
    need_close(need=need, reason="A lunch club started", actor=person)
    need.refresh_from_db()
    assert (need.status, need.closed_reason) == (Need.Status.CLOSED, "A lunch club started")
    need_reopen(need=need, actor=person)
    need.refresh_from_db()
    assert (need.status, need.closed_reason) == (Need.Status.OPEN, "")
    closed = AuditEvent.objects.get(verb="need.closed")
    assert (closed.from_state, closed.to_state, closed.reason) == (
        "open",
        "closed",
        "A lunch club started",
    )
    assert verbs(need)[-1] == "need.open"


def test_illegal_transitions_are_refused():
    need = NeedFactory(status=Need.Status.CLOSED)
    with pytest.raises(DomainError) as raised:
        need_status_change(need=need, status=Need.Status.MET, actor=commissioner())
    assert raised.value.message == "A need that is closed cannot be moved to met"
    with pytest.raises(DomainError):
        need_close(need=need, reason="Again", actor=commissioner())


def test_merge_moves_every_signal_and_closes_the_duplicate():
    theme = ThemeFactory()
    source = need_with_signals(3, theme=theme)
    source.population_groups.add(population_group("carers"))
    target = need_with_signals(2, theme=theme)
    person = commissioner()

    merged = need_merge(source=source, target=target, reason="Same lunch club gap", actor=person)

    source.refresh_from_db()
    assert merged.pk == target.pk
    assert merged.signal_count == 5 == merged.signals.count()
    assert source.status == Need.Status.CLOSED
    assert source.merged_into == target
    assert source.signal_count == 0
    assert list(merged.population_groups.values_list("slug", flat=True)) == ["carers"]
    closed = AuditEvent.objects.get(verb="need.closed", target_id=str(source.pk))
    assert (closed.reason, closed.detail["merged_into"]) == ("Same lunch club gap", target.pk)
    merge_in = AuditEvent.objects.get(verb="need.merge_in")
    assert merge_in.detail["merged_from"] == source.pk
    assert merge_in.reason == "Same lunch club gap"


def test_merging_a_need_without_signals_adds_one():
    theme = ThemeFactory()
    source = NeedFactory(theme=theme, source=Need.Source.JSNA, title="Older carers")
    target = need_with_signals(1, theme=theme)
    merged = need_merge(source=source, target=target, reason="Same", actor=commissioner())
    assert merged.signal_count == 2 == merged.signals.count()


@pytest.mark.parametrize(
    ("source_status", "target_status", "message"),
    [
        ("closed", "open", "This need is closed. Reopen it before merging it"),
        ("open", "closed", "Choose a need that is not closed to merge into"),
    ],
)
def test_merge_refuses_closed_needs(source_status, target_status, message):
    theme = ThemeFactory()
    source = NeedFactory(theme=theme, status=source_status)
    target = NeedFactory(theme=theme, status=target_status)
    with pytest.raises(DomainError) as raised:
        need_merge(source=source, target=target, reason="Same", actor=commissioner())
    assert raised.value.message == message


def test_merge_refuses_a_need_into_itself_and_a_merged_need():
    need = NeedFactory()
    with pytest.raises(DomainError, match="Choose a different need"):
        need_merge(source=need, target=need, reason="Same", actor=commissioner())
    other = NeedFactory(theme=need.theme)
    need_merge(source=need, target=other, reason="Same", actor=commissioner())
    with pytest.raises(DomainError, match="already merged"):
        need_merge(source=need, target=NeedFactory(), reason="Same", actor=commissioner())
    with pytest.raises(DomainError, match="merged into"):
        need_reopen(need=need, actor=commissioner())


def test_a_signal_added_to_a_need_counts_and_keeps_when_it_was_heard():
    need = need_with_signals(2)
    heard = need.created_at + datetime.timedelta(days=3)

    need = need_signal_add(
        need=need, note="Asked again at the surgery", actor=link_worker(), moment=heard
    )

    assert need.signal_count == 3 == need.signals.count()
    assert need.signals.get(note="Asked again at the surgery").created_at == heard
    assert verbs(need)[-1] == "need.signal"


def test_a_signal_is_not_added_to_a_merged_need_or_with_a_phone_number():
    target = need_with_signals(1)
    source = need_with_signals(1)
    need_merge(source=source, target=target, reason="Same need", actor=link_worker())

    with pytest.raises(DomainError, match="merged into"):
        need_signal_add(need=source, note="", actor=link_worker())
    with pytest.raises(DomainError):
        need_signal_add(need=target, note="Call her on 07700 900123", actor=link_worker())
    target.refresh_from_db()
    assert target.signal_count == target.signals.count() == 2


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("No lunch club for men", "Lunch clubs for men wanted", True),
        ("Long wait for talking therapies", "long waits for talking therapy", True),
        ("No lunch club for men", "Nothing on Sundays", False),
        ("lunch club for men", "lunch club for women", False),
        ("Nothing nearby", "Nothing nearby", False),  # no content words: matches nothing
    ],
)
def test_a_note_matches_a_need_only_when_its_content_words_mostly_agree(first, second, same):
    assert (need_similarity(first, second) >= MATCH_THRESHOLD) is same
