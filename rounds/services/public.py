"""Every write behind the public pages: FAQs, guidance, and requests for help to apply."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from microcomm.audit import audit_record
from microcomm.caching import PUBLIC_PAGES, invalidates
from microcomm.errors import DomainError
from microcomm.lifecycle import transition
from microcomm.models import User
from microcomm.services import email_queue
from microcomm.validators import PHONE_MESSAGE, uk_phone_normalise
from rounds.models import Faq, GuidanceResource, Round, SupportRequest
from rounds.permissions import can_handle_support_requests


def _clean_text(text: str | None) -> str:
    return (text or "").strip()


# FAQs ----------------------------------------------------------------------------------


def _faq_fields(*, question: str, answer: str) -> tuple[str, str]:
    question, answer = _clean_text(question), _clean_text(answer)
    if not question:
        raise DomainError("Enter the question", field="question")
    if not answer:
        raise DomainError("Enter the answer", field="answer")
    return question, answer


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def faq_create(
    *, round: Round | None, question: str, answer: str, order: int = 0, actor: User
) -> Faq:
    """Add a question and answer to a round, or to the whole scheme when round is None."""
    question, answer = _faq_fields(question=question, answer=answer)
    faq = Faq.objects.create(round=round, question=question, answer=answer, order=order)
    audit_record(
        actor=actor, verb="faq.create", target=faq, detail={"round": round.slug if round else ""}
    )
    return faq


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def faq_update(*, faq: Faq, question: str, answer: str, order: int, actor: User) -> Faq:
    faq.question, faq.answer = _faq_fields(question=question, answer=answer)
    faq.order = order
    faq.save(update_fields=["question", "answer", "order"])
    audit_record(actor=actor, verb="faq.update", target=faq)
    return faq


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def faq_delete(*, faq: Faq, actor: User) -> None:
    audit_record(
        actor=actor,
        verb="faq.delete",
        target=faq,
        detail={"question": faq.question, "round": faq.round.slug if faq.round else ""},
    )
    faq.delete()


# Guidance ------------------------------------------------------------------------------


def _store_guidance_file(resource: GuidanceResource, upload: UploadedFile, extension: str) -> None:
    # A random name, so that two uploads called "constitution.docx" never collide.
    resource.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)


def _delete_file_on_commit(resource: GuidanceResource) -> None:
    name, storage = resource.file.name, resource.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _guidance_fields(*, title: str, url: str) -> tuple[str, str]:
    title, url = _clean_text(title), _clean_text(url)
    if not title:
        raise DomainError("Enter a title", field="title")
    return title, url


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def guidance_create(
    *,
    round: Round | None,
    title: str,
    description: str = "",
    file: UploadedFile | None = None,
    file_extension: str = "",
    url: str = "",
    order: int = 0,
    actor: User,
) -> GuidanceResource:
    """Add a guide or template: a file to download (checked by the form) or a link."""
    title, url = _guidance_fields(title=title, url=url)
    if file is None and not url:
        raise DomainError("Upload a file or enter a link", field="file")
    if file is not None and not file_extension:
        raise DomainError("The selected file must be a PDF, DOCX, ODT, XLSX or ODS", field="file")
    resource = GuidanceResource(
        round=round, title=title, description=_clean_text(description), url=url, order=order
    )
    if file is not None:
        _store_guidance_file(resource, file, file_extension)
    resource.save()
    audit_record(
        actor=actor,
        verb="guidance.create",
        target=resource,
        detail={"round": round.slug if round else "", "file": bool(file), "url": url},
    )
    return resource


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def guidance_update(
    *,
    resource: GuidanceResource,
    title: str,
    description: str,
    url: str,
    order: int,
    file: UploadedFile | None = None,
    file_extension: str = "",
    actor: User,
) -> GuidanceResource:
    """Change a resource; a new file replaces the old one, which is removed after commit."""
    title, url = _guidance_fields(title=title, url=url)
    if file is None and not url and not resource.file:
        raise DomainError("Upload a file or enter a link", field="file")
    if file is not None:
        if not file_extension:
            raise DomainError(
                "The selected file must be a PDF, DOCX, ODT, XLSX or ODS", field="file"
            )
        _delete_file_on_commit(resource)
        _store_guidance_file(resource, file, file_extension)
    resource.title, resource.description = title, _clean_text(description)
    resource.url, resource.order = url, order
    resource.save()
    audit_record(
        actor=actor, verb="guidance.update", target=resource, detail={"new_file": bool(file)}
    )
    return resource


@invalidates(PUBLIC_PAGES)
@transaction.atomic
def guidance_delete(*, resource: GuidanceResource, actor: User) -> None:
    audit_record(
        actor=actor, verb="guidance.delete", target=resource, detail={"title": resource.title}
    )
    _delete_file_on_commit(resource)
    resource.delete()


# Support requests ----------------------------------------------------------------------


@transaction.atomic
def support_request_create(
    *,
    round: Round | None,
    name: str,
    group_name: str = "",
    email: str = "",
    phone: str = "",
    contact_preference: str,
    help_needed: Iterable[str],
    language: str = "",
    message: str = "",
) -> SupportRequest:
    """Record a group's request for help to apply, and email them that it arrived.

    No account is needed. The contact preference decides which detail is required: an
    email address to be emailed, a UK phone number to be called or texted.
    """
    name, email, phone = _clean_text(name), _clean_text(email).lower(), _clean_text(phone)
    help_needed = [item for item in dict.fromkeys(help_needed) if item]
    if not name:
        raise DomainError("Enter your name", field="name")
    if contact_preference not in SupportRequest.Contact.values:
        raise DomainError("Select how you would like us to contact you", field="contact_preference")
    unknown = set(help_needed) - set(SupportRequest.Help.values)
    if not help_needed or unknown:
        raise DomainError("Select the help you need", field="help_needed")
    if phone and uk_phone_normalise(phone) is None:
        raise DomainError(PHONE_MESSAGE, field="phone")
    if contact_preference == SupportRequest.Contact.EMAIL and not email:
        raise DomainError("Enter an email address so that we can email you", field="email")
    if contact_preference in (SupportRequest.Contact.PHONE, SupportRequest.Contact.TEXT) and (
        not phone
    ):
        raise DomainError("Enter a phone number so that we can contact you", field="phone")
    request = SupportRequest.objects.create(
        round=round,
        name=name,
        group_name=_clean_text(group_name),
        email=email,
        phone=phone,
        contact_preference=contact_preference,
        help_needed=help_needed,
        language=_clean_text(language),
        message=_clean_text(message),
    )
    audit_record(
        actor=None,
        verb="support_request.create",
        target=request,
        to_state=request.status,
        detail={"round": round.slug if round else ""},
    )
    if email:
        labels = dict(SupportRequest.Help.choices)
        email_queue(
            key=f"support-received:{request.pk}",
            to=email,
            subject="We have your request for help to apply",
            template="email/support_received",
            context={
                "support_request": request,
                "round": round,
                "help_labels": [labels[item] for item in help_needed],
            },
        )
    return request


def support_request_assign(
    *, support_request: SupportRequest, assignee: User, actor: User
) -> SupportRequest:
    """Give a request to a link worker (the actor or another), who then helps the group."""
    if not can_handle_support_requests(assignee):
        raise DomainError("Select a link worker to help this group", field="assignee")
    return transition(
        support_request,
        to=SupportRequest.Status.ASSIGNED,
        actor=actor,
        changes={"assigned_to": assignee},
        detail={"assigned_to": assignee.pk},
    )


def support_request_close(
    *, support_request: SupportRequest, notes: str, actor: User
) -> SupportRequest:
    """Close a request with a note of what was done; the note is required."""
    notes = _clean_text(notes)

    def changes(locked: SupportRequest) -> dict[str, Any]:
        # Whoever closes a request nobody took is the one who helped.
        return {
            "notes": notes,
            "closed_at": timezone.now(),
            "assigned_to": locked.assigned_to or actor,
        }

    def guard(locked: SupportRequest, to: str) -> str:
        if not notes:
            raise DomainError("Enter what you did to help", field="notes")
        return ""

    return transition(
        support_request,
        to=SupportRequest.Status.CLOSED,
        actor=actor,
        reason=notes,
        guard=guard,
        changes=changes,
    )
