"""Every write to the needs register: quick logs, full records, triage and status changes.

Each service checks free text for identifiers itself, so nothing that identifies a person
is stored whichever way the call came in.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.caching import GAPS, PUBLIC_PAGES, invalidates
from microcomm.errors import DomainError
from microcomm.lifecycle import transition
from microcomm.models import Locality, Theme, User
from rounds.identifiers import identifier_problems, link_identifier_problems
from rounds.models import JsnaPriority, Need, NeedSignal, PopulationGroup
from rounds.need_matching import need_best_match
from rounds.need_rules import need_move_guard
from rounds.selectors.gaps import COUNTED_NEED_STATUSES
from rounds.selectors.needs import need_texts, quick_log_candidates

# Fields a person may change with the full form; status, counts and merges have services.
EDITABLE_FIELDS = (
    "theme",
    "locality",
    "source",
    "title",
    "description",
    "people_affected",
    "language_spoken",
    "population_other",
    "evidence_url",
)
# Every field a person types into; the evidence link gets the link check.
FREE_TEXT_FIELDS = ("title", "description", "language_spoken", "population_other", "evidence_url")


def _refuse_identifiers(**texts: str | None) -> None:
    for field, text in texts.items():
        if field == "evidence_url":
            problems = link_identifier_problems(text)
        else:
            problems = identifier_problems(text)
        if problems:
            raise DomainError(problems[0], field=field)


def _quick_log_title(note: str, theme: Theme, locality: Locality) -> str:
    """A new need from a quick log is named by what was missing, cut at a word if long."""
    text = " ".join(note.split())
    if not text:
        return f"{theme.name} in {locality.name}"[:120]
    text = text[0].upper() + text[1:]
    if len(text) <= 120:
        return text
    return text[:119].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _add_signal(
    *,
    need: Need,
    note: str,
    actor: User | None,
    count: int = 1,
    moment: datetime.datetime | None = None,
) -> NeedSignal:
    signal = NeedSignal.objects.create(
        need=need, note=note, recorded_by=actor, created_at=moment or timezone.now()
    )
    Need.objects.filter(pk=need.pk).update(
        signal_count=F("signal_count") + count, updated_at=timezone.now()
    )
    need.refresh_from_db(fields=["signal_count", "updated_at"])
    return signal


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_signal_add(
    *, need: Need, note: str, actor: User, moment: datetime.datetime | None = None
) -> Need:
    """Log one more time a need was heard; ``moment`` is when, for a log made after the fact.

    A need merged into another takes no more logs: they belong to the need it joined.
    """
    _refuse_identifiers(note=note)
    need = (
        Need.objects.select_for_update(of=("self",)).select_related("merged_into").get(pk=need.pk)
    )
    problem = need_move_guard(need, need.status)
    if problem:
        raise DomainError(problem)
    _add_signal(need=need, note=note.strip(), actor=actor, moment=moment)
    audit_record(
        actor=actor, verb="need.signal", target=need, detail={"signal_count": need.signal_count}
    )
    return need


def _store_evidence(need: Need, upload: UploadedFile, extension: str) -> None:
    # A random name: an uploaded file's own name could identify a person.
    need.evidence_file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)


@dataclass(frozen=True)
class QuickLog:
    """Where a quick log went: the need, the new signal, and whether the need is new."""

    need: Need
    signal: NeedSignal
    started: bool

    @property
    def count(self) -> int:
        return self.need.signal_count


def _is_live(need: Need) -> bool:
    return need.status in COUNTED_NEED_STATUSES and not need.merged_into_id


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_quick_log(
    *,
    theme: Theme,
    locality: Locality,
    note: str,
    actor: User,
    need: Need | None = None,
    start_new: bool = False,
) -> QuickLog:
    """Log that a need came up once more, under the same need or a new one.

    The signal joins ``need`` when the link worker chose it (a live need of this theme
    and place); with ``start_new`` it starts a new need; otherwise it joins the live need
    of this theme and place whose description matches the note (``rounds.need_matching``)
    or, when none matches, starts a new need named after the note.
    """
    _refuse_identifiers(note=note)
    note = note.strip()
    # Locking the theme row makes two logs at once for a new need add up, not duplicate.
    Theme.objects.select_for_update().filter(pk=theme.pk).first()
    if need is not None:
        need = Need.objects.select_for_update().filter(pk=need.pk).first()
        if (
            need is None
            or not _is_live(need)
            or (need.theme_id, need.locality_id) != (theme.pk, locality.pk)
        ):
            raise DomainError(
                "That need has been closed, merged or moved. Choose another, or log a new need",
                field="need",
            )
    elif not start_new:
        candidates = quick_log_candidates(theme=theme, locality=locality)
        need = need_best_match(note, ((c, need_texts(c)) for c in candidates))
    started = need is None
    if need is None:
        need = Need.objects.create(
            theme=theme,
            locality=locality,
            source=Need.Source.CASELOAD,
            title=_quick_log_title(note, theme, locality),
            description=note,
            recorded_by=actor,
        )
        audit_record(actor=actor, verb="need.create", target=need, to_state=need.status)
    signal = _add_signal(need=need, note=note, actor=actor)
    audit_record(
        actor=actor, verb="need.signal", target=need, detail={"signal_count": need.signal_count}
    )
    return QuickLog(need=need, signal=signal, started=started)


def _signal_left(*, need: Need, actor: User, reason: str) -> None:
    """Take one signal off a need; a caseload need left with none and still open closes.

    A need from link workers' caseloads exists because it was logged: with no logs left it
    would count as an unmet need nobody met. It can be opened again.
    """
    Need.objects.filter(pk=need.pk).update(
        signal_count=F("signal_count") - 1, updated_at=timezone.now()
    )
    need.refresh_from_db()
    if (
        need.source == Need.Source.CASELOAD
        and need.status == Need.Status.OPEN
        and not need.merged_into_id
        and not need.signals.exists()
    ):
        _move(need=need, to=Need.Status.CLOSED, actor=actor, reason=reason)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_signal_move(
    *,
    signal: NeedSignal,
    actor: User,
    to: Need | None = None,
    locality: Locality | None = None,
) -> Need:
    """Move a log to another live need of its theme, or to a new need started from its note.

    A new need is in ``locality`` (by default the place of the need it leaves). Both needs'
    counts change and both audit trails say where the log went. Returns the need it joined.
    """
    signal = (
        NeedSignal.objects.select_for_update(of=("self",)).select_related("need").get(pk=signal.pk)
    )
    source = Need.objects.select_for_update().get(pk=signal.need_id)
    if to is not None:
        to = Need.objects.select_for_update().filter(pk=to.pk).first()
        if to is None or to.pk == source.pk or not _is_live(to) or to.theme_id != source.theme_id:
            raise DomainError(
                "Choose a need of the same theme that is open or being addressed", field="to"
            )
        Need.objects.filter(pk=to.pk).update(
            signal_count=F("signal_count") + 1, updated_at=timezone.now()
        )
        to.refresh_from_db()
    else:
        place = locality or source.locality
        to = Need.objects.create(
            theme=source.theme,
            locality=place,
            source=Need.Source.CASELOAD,
            title=_quick_log_title(signal.note, source.theme, place),
            description=signal.note,
            recorded_by=actor,
            signal_count=1,
        )
        audit_record(actor=actor, verb="need.create", target=to, to_state=to.status)
    NeedSignal.objects.filter(pk=signal.pk).update(need=to)
    audit_record(
        actor=actor,
        verb="need.signal_move_in",
        target=to,
        detail={"signal": signal.pk, "from_need": source.pk, "signal_count": to.signal_count},
    )
    audit_record(
        actor=actor,
        verb="need.signal_move_out",
        target=source,
        detail={"signal": signal.pk, "to_need": to.pk},
    )
    _signal_left(need=source, actor=actor, reason=f"Its only log was moved to “{to.title}”")
    return to


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_signal_delete(*, signal: NeedSignal, actor: User) -> Need:
    """Delete a log of a need; the need's count goes down and its audit trail says so."""
    signal = NeedSignal.objects.select_for_update().get(pk=signal.pk)
    need = Need.objects.select_for_update().get(pk=signal.need_id)
    signal.delete()
    audit_record(actor=actor, verb="need.signal_delete", target=need, detail={"signal": signal.pk})
    _signal_left(need=need, actor=actor, reason="Its only log was deleted")
    return need


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_create(
    *,
    theme: Theme,
    locality: Locality,
    source: str,
    title: str,
    actor: User,
    description: str = "",
    people_affected: int | None = None,
    population_groups: Iterable[PopulationGroup] = (),
    language_spoken: str = "",
    population_other: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    evidence_extension: str = "",
    jsna_priority: JsnaPriority | None = None,
    moment: datetime.datetime | None = None,
) -> Need:
    """Record a need with the full form. A caseload need starts with one signal.

    ``moment`` is when it was first heard, for a need recorded after the fact.
    """
    _refuse_identifiers(
        title=title,
        description=description,
        language_spoken=language_spoken,
        population_other=population_other,
        evidence_url=evidence_url,
    )
    need = Need(
        theme=theme,
        locality=locality,
        source=source,
        title=title.strip(),
        description=description.strip(),
        people_affected=people_affected,
        language_spoken=language_spoken.strip(),
        population_other=population_other.strip(),
        evidence_url=evidence_url,
        jsna_priority=jsna_priority,
        recorded_by=actor,
        created_at=moment or timezone.now(),
    )
    if evidence_file is not None:
        _store_evidence(need, evidence_file, evidence_extension)
    need.save()
    need.population_groups.set(population_groups)
    audit_record(actor=actor, verb="need.create", target=need, to_state=need.status)
    if source == Need.Source.CASELOAD:
        _add_signal(need=need, note="", actor=actor, moment=moment)
    return need


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_update(
    *,
    need: Need,
    actor: User,
    population_groups: Iterable[PopulationGroup] | None = None,
    evidence_file: UploadedFile | None = None,
    evidence_extension: str = "",
    remove_evidence_file: bool = False,
    jsna_priority: JsnaPriority | None | object = ...,
    **changes: Any,
) -> Need:
    """Change the editable fields of a need; records which fields changed."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"need_update cannot change {', '.join(sorted(unknown))}")
    _refuse_identifiers(**{key: changes[key] for key in FREE_TEXT_FIELDS if key in changes})
    changed = []
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(need, field) != value:
            setattr(need, field, value)
            changed.append(field)
    if remove_evidence_file and need.evidence_file:
        need.evidence_file.delete(save=False)
        changed.append("evidence_file")
    if evidence_file is not None:
        _store_evidence(need, evidence_file, evidence_extension)
        changed.append("evidence_file")
    need.save()
    if population_groups is not None:
        before = set(need.population_groups.values_list("pk", flat=True))
        groups = list(population_groups)
        if before != {group.pk for group in groups}:
            need.population_groups.set(groups)
            changed.append("population_groups")
    if changed:
        audit_record(actor=actor, verb="need.update", target=need, detail={"fields": changed})
    if jsna_priority is not ... and jsna_priority != need.jsna_priority:
        need_link_priority(need=need, priority=jsna_priority, actor=actor)  # type: ignore[arg-type]
    return need


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_link_priority(*, need: Need, priority: JsnaPriority | None, actor: User) -> Need:
    """Link a need to a JSNA or local priority, or unlink it with None."""
    before = need.jsna_priority
    need.jsna_priority = priority
    need.save(update_fields=["jsna_priority", "updated_at"])
    audit_record(
        actor=actor,
        verb="need.link_priority" if priority else "need.unlink_priority",
        target=need,
        from_state=str(before or "")[:40],
        to_state=str(priority or "")[:40],
        detail={"priority_id": priority.pk if priority else None},
    )
    return need


def _move(*, need: Need, to: str, actor: User, reason: str = "") -> Need:
    """Move a need along its lifecycle; the reason is kept on the need only when it closes."""
    return transition(
        need,
        to=to,
        actor=actor,
        reason=reason,
        guard=need_move_guard,
        changes={"closed_reason": reason if to == Need.Status.CLOSED else ""},
    )


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_status_change(*, need: Need, status: str, actor: User, reason: str = "") -> Need:
    """Mark a need open, being addressed or met; closing has its own service."""
    if status == Need.Status.CLOSED:
        return need_close(need=need, reason=reason, actor=actor)
    _refuse_identifiers(reason=reason)
    return _move(need=need, to=status, actor=actor, reason=reason.strip())


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_close(*, need: Need, reason: str, actor: User) -> Need:
    """Close a need; the reason is required and kept on the need and in the audit trail."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why you are closing this need", field="reason")
    _refuse_identifiers(reason=reason)
    return _move(need=need, to=Need.Status.CLOSED, actor=actor, reason=reason)


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_reopen(*, need: Need, actor: User, reason: str = "") -> Need:
    """Open a closed or met need again; a merged need stays merged."""
    _refuse_identifiers(reason=reason)
    return _move(need=need, to=Need.Status.OPEN, actor=actor, reason=reason.strip())


@invalidates(GAPS, PUBLIC_PAGES)
@transaction.atomic
def need_merge(*, source: Need, target: Need, reason: str, actor: User) -> Need:
    """Merge a duplicate into another need: its signals move and add up, it closes.

    The source keeps pointing at the target; both audit trails record the merge.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why these needs are the same", field="reason")
    _refuse_identifiers(reason=reason)
    source, target = (
        Need.objects.select_for_update().get(pk=source.pk),
        Need.objects.select_for_update().get(pk=target.pk),
    )
    if source.pk == target.pk:
        raise DomainError("Choose a different need to merge into", field="target")
    if source.merged_into_id:
        raise DomainError(f"This need was already merged into “{source.merged_into}”")
    if target.merged_into_id or target.status == Need.Status.CLOSED:
        raise DomainError("Choose a need that is not closed to merge into", field="target")
    if Need.Status.CLOSED not in Need.TRANSITIONS[source.status]:
        raise DomainError("This need is closed. Reopen it before merging it", field="target")

    moved = NeedSignal.objects.filter(need=source).update(need=target)
    added = source.signal_count
    if moved == 0:
        NeedSignal.objects.create(
            need=target, note=f"Merged from “{source.title}”"[:300], recorded_by=actor
        )
        added = 1
    now = timezone.now()
    Need.objects.filter(pk=target.pk).update(signal_count=F("signal_count") + added, updated_at=now)
    target.population_groups.add(*source.population_groups.all())
    source = transition(
        source,
        to=Need.Status.CLOSED,
        actor=actor,
        reason=reason,
        changes={"merged_into": target, "signal_count": 0, "closed_reason": reason},
        detail={"merged_into": target.pk, "signals_moved": moved},
    )
    target.refresh_from_db()
    audit_record(
        actor=actor,
        verb="need.merge_in",
        target=target,
        reason=reason,
        detail={"merged_from": source.pk, "signals_moved": moved, "signals_added": added},
    )
    return target
