import pytest

from microcomm.errors import DomainError
from microcomm.models import AuditEvent
from rounds.models import Need, NeedSignal
from rounds.services.needs import (
    need_close,
    need_create,
    need_link_priority,
    need_merge,
    need_quick_log,
    need_reopen,
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


def test_first_quick_log_creates_a_need_named_after_theme_and_place():
    theme = ThemeFactory(name="Loneliness and isolation")
    place = LocalityFactory(name="Abbey Fields")
    person = link_worker()

    need, count = need_quick_log(theme=theme, locality=place, note="No lunch club", actor=person)

    assert need.title == "Loneliness and isolation in Abbey Fields"
    assert need.source == Need.Source.CASELOAD
    assert need.recorded_by == person
    assert count == 1
    assert list(need.signals.values_list("note", flat=True)) == ["No lunch club"]
    assert verbs(need) == ["need.create", "need.signal"]


def test_repeated_quick_logs_add_signals_to_one_need():
    theme, place = ThemeFactory(), LocalityFactory()
    workers = [link_worker(), link_worker()]

    counts = [
        need_quick_log(theme=theme, locality=place, note=f"Log {n}", actor=workers[n % 2])[1]
        for n in range(4)
    ]

    assert counts == [1, 2, 3, 4]
    need = Need.objects.get()
    assert need.signal_count == 4 == need.signals.count()


def test_quick_log_starts_a_new_need_when_the_old_one_is_closed_or_in_another_place():
    theme, place = ThemeFactory(), LocalityFactory()
    person = link_worker()
    closed = NeedFactory(theme=theme, locality=place, status=Need.Status.CLOSED)
    jsna = NeedFactory(theme=theme, locality=place, source=Need.Source.JSNA)

    need, count = need_quick_log(theme=theme, locality=place, note="", actor=person)
    other, _ = need_quick_log(theme=theme, locality=LocalityFactory(), note="", actor=person)

    assert need.pk not in (closed.pk, jsna.pk)
    assert other.pk != need.pk
    assert count == 1


def test_quick_log_adds_to_a_need_being_addressed():
    need = need_with_signals(2, status=Need.Status.BEING_ADDRESSED)
    logged, count = need_quick_log(
        theme=need.theme, locality=need.locality, note="Still waiting", actor=link_worker()
    )
    assert logged.pk == need.pk
    assert count == 3


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
