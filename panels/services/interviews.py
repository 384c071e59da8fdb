"""Interviews: the slots the panel offers, invitations with calendar entries, bookings, notes.

The commissioner offers slots (a time, and a place or a video link) and invites shortlisted
groups; each invitation email carries an iCalendar file of the slots still free. A group
chooses one slot: the first to choose it has it, and a group choosing it a moment later is
told to choose another. Booking sends the chosen time as a calendar entry too.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from applications.models import Application
from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.formatting import london_datetime
from microcomm.models import Membership, User
from microcomm.services import notify
from panels.models import Decision, InterviewInvitation, InterviewSlot, Panel, Scorecard
from panels.services.scoring import score_look_again


def interview_slot_add(
    *,
    panel: Panel,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    video_link: str = "",
    actor: User,
) -> InterviewSlot:
    """Offer a time for an interview, in a place or by video."""
    if ends_at <= starts_at:
        raise DomainError("The interview must end after it starts", field="ends_at")
    if starts_at <= timezone.now():
        raise DomainError("Offer a time in the future", field="starts_at")
    if not place.strip() and not video_link.strip():
        raise DomainError("Enter a place or a video link", field="place")
    with transaction.atomic():
        slot = InterviewSlot.objects.create(
            panel=panel,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            video_link=video_link.strip(),
        )
        audit_record(
            actor=actor,
            verb="interview.slot_add",
            target=panel,
            detail={"time": london_datetime(starts_at)},
        )
    return slot


def interview_slot_remove(*, slot: InterviewSlot, actor: User) -> None:
    """Take back a slot no group has chosen."""
    with transaction.atomic():
        locked = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if InterviewInvitation.objects.filter(slot=locked).exists():
            raise DomainError("A group has chosen this time, so it cannot be taken back")
        audit_record(
            actor=actor,
            verb="interview.slot_remove",
            target=locked.panel,
            detail={"time": london_datetime(locked.starts_at)},
        )
        locked.delete()


def interview_calendar(*, slots: list[InterviewSlot], application: Application) -> bytes:
    """An iCalendar file with one event per slot, for the group's calendar."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SCHEME_NAME}//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "microcomm"
    for slot in slots:
        event = Event()
        event.add("uid", f"interview-slot-{slot.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"Interview with the panel of {application.round.title}")
        if slot.place:
            event.add("location", slot.place)
        if slot.video_link:
            event.add("url", slot.video_link)
        event.add(
            "description",
            f"Interview about application {application.reference}. "
            + (f"Video link: {slot.video_link}" if slot.video_link else f"At {slot.place}"),
        )
        calendar.add_component(event)
    return calendar.to_ical()


def _calendar_save(content: bytes, name: str) -> str:
    return default_storage.save(f"panels/interviews/{name}", ContentFile(content))


def _group_members(application: Application) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation_id=application.organisation_id, user__is_active=True
        )
        .select_related("user")
        .order_by("id")
    ]


def interviews_invite(
    *, panel: Panel, applications: list[Application], actor: User
) -> list[InterviewInvitation]:
    """Invite shortlisted groups to choose one of the free slots, with a calendar file of them.

    Refused when no slot is free, or an application is not a submitted one of the round.
    """
    free = list(InterviewSlot.objects.filter(panel=panel, invitation__isnull=True))
    if not free:
        raise DomainError("Add at least one interview time before inviting groups")
    invited = []
    with transaction.atomic():
        for application in applications:
            if application.round_id != panel.round_id or (
                application.status != Application.Status.SUBMITTED
            ):
                raise DomainError(f"{application} is not a submitted application of this round")
            invitation, created = InterviewInvitation.objects.get_or_create(
                application=application, defaults={"invited_by": actor}
            )
            if not created:
                continue
            audit_record(actor=actor, verb="interview.invite", target=application)
            path = _calendar_save(
                interview_calendar(slots=free, application=application),
                f"{application.reference}-times.ics",
            )
            link = reverse("panels:interview-book", args=[application.reference])
            for user in _group_members(application):
                notify(
                    user=user,
                    subject=f"Choose a time for your interview about {application.reference}",
                    template="email/interview_invitation",
                    context={"application": application, "user": user, "slots": free},
                    link=link,
                    key=f"interview-invitation:{invitation.pk}:{user.pk}",
                    attachment_path=path,
                    attachment_name="interview-times.ics",
                )
            invited.append(invitation)
    return invited


TAKEN = "Another group has just chosen that time. Choose another time."


def interview_book(
    *, invitation: InterviewInvitation, slot: InterviewSlot, access_needs: str, actor: User
) -> InterviewInvitation:
    """The group chooses one free slot (or changes to another) and says what it needs.

    First come, first served: a slot another group has chosen is refused with ``TAKEN``.
    """
    try:
        with transaction.atomic():
            locked = InterviewInvitation.objects.select_for_update().get(pk=invitation.pk)
            chosen = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
            if chosen.panel.round_id != locked.application.round_id:
                raise DomainError("Choose one of the times offered", field="slot")
            holder = InterviewInvitation.objects.filter(slot=chosen).exclude(pk=locked.pk)
            if holder.exists():
                raise DomainError(TAKEN, field="slot")
            if chosen.starts_at <= timezone.now():
                raise DomainError("That time has passed. Choose another time.", field="slot")
            if Decision.objects.filter(
                application_id=locked.application_id, status=Decision.Status.RELEASED
            ).exists():
                raise DomainError("The panel has made its decision, so the interview is over")
            locked.slot = chosen
            locked.access_needs = access_needs.strip()
            locked.booked_at = timezone.now()
            locked.save(update_fields=["slot", "access_needs", "booked_at", "updated_at"])
            audit_record(
                actor=actor,
                verb="interview.book",
                target=locked.application,
                detail={"starts_at": london_datetime(chosen.starts_at)},
            )
            application = locked.application
            path = _calendar_save(
                interview_calendar(slots=[chosen], application=application),
                f"{application.reference}-interview.ics",
            )
            notify(
                user=actor,
                subject=f"Your interview about {application.reference}",
                template="email/interview_booked",
                context={"application": application, "user": actor, "slot": chosen},
                link=reverse("panels:interview-book", args=[application.reference]),
                key=f"interview-booked:{locked.pk}:{chosen.pk}:{locked.booked_at.isoformat()}",
                attachment_path=path,
                attachment_name="interview.ics",
            )
    except IntegrityError as error:
        # Two groups chose the same slot at the same instant: the unique slot kept one.
        raise DomainError(TAKEN, field="slot") from error
    return locked


def interview_notes_save(
    *, invitation: InterviewInvitation, notes: str, ask_scorers: bool = False, actor: User
) -> InterviewInvitation:
    """Record the panel's notes of the interview; with ``ask_scorers``, ask everyone who
    submitted scores for the application to look at them again in the light of it (they
    may change a score, with a reason, through scoring's look-again)."""
    with transaction.atomic():
        locked = InterviewInvitation.objects.select_for_update().get(pk=invitation.pk)
        locked.notes = notes.strip()
        locked.save(update_fields=["notes", "updated_at"])
        audit_record(actor=actor, verb="interview.notes", target=locked.application)
        if ask_scorers:
            for scorecard in Scorecard.objects.filter(
                application_id=locked.application_id, status=Scorecard.Status.SUBMITTED
            ):
                score_look_again(
                    scorecard=scorecard,
                    note="After the interview, look again at your scores and change any "
                    "the interview changed your mind about, with a reason.",
                    actor=actor,
                )
    return locked
