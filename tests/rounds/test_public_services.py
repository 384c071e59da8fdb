import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcomm.errors import DomainError
from microcomm.models import AuditEvent, OutboundEmail
from microcomm.validators import PHONE_MESSAGE
from rounds.models import Faq, GuidanceResource, SupportRequest
from rounds.services import public as services
from tests.microcomm.factories import UserFactory, commissioner, link_worker
from tests.rounds.factories import FaqFactory, ScheduledRoundFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_upload(name: str = "constitution.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


# FAQs


def test_faq_create_for_a_round_and_scheme_wide_audits_each():
    actor = commissioner()
    round = ScheduledRoundFactory()

    faq = services.faq_create(round=round, question=" Who? ", answer="Groups.", actor=actor)
    general = services.faq_create(round=None, question="How?", answer="Online.", actor=actor)

    assert (faq.round, faq.question) == (round, "Who?")
    assert general.round is None
    assert verbs() == ["faq.create", "faq.create"]


def test_faq_create_refuses_a_blank_answer():
    with pytest.raises(DomainError) as error:
        services.faq_create(round=None, question="Why?", answer="  ", actor=commissioner())

    assert error.value.field == "answer"
    assert not Faq.objects.exists()


def test_faq_update_and_delete():
    actor = commissioner()
    faq = FaqFactory()

    services.faq_update(faq=faq, question="New?", answer="New.", order=3, actor=actor)
    faq.refresh_from_db()
    assert (faq.question, faq.answer, faq.order) == ("New?", "New.", 3)

    services.faq_delete(faq=faq, actor=actor)
    assert not Faq.objects.exists()
    assert verbs() == ["faq.update", "faq.delete"]


# Guidance


def test_guidance_create_stores_the_file_under_a_random_name(django_capture_on_commit_callbacks):
    resource = services.guidance_create(
        round=ScheduledRoundFactory(),
        title="Model constitution",
        file=docx_upload(),
        file_extension="docx",
        actor=commissioner(),
    )

    assert resource.file.name.endswith(".docx")
    assert "constitution" not in resource.file.name
    assert resource.file.storage.exists(resource.file.name)
    assert verbs() == ["guidance.create"]


def test_guidance_needs_a_file_or_a_link():
    with pytest.raises(DomainError) as error:
        services.guidance_create(round=None, title="Nothing", actor=commissioner())

    assert error.value.message == "Upload a file or enter a link"
    assert not GuidanceResource.objects.exists()


def test_replacing_a_guidance_file_removes_the_old_one(django_capture_on_commit_callbacks):
    actor = commissioner()
    resource = services.guidance_create(
        round=None,
        title="Safeguarding policy",
        file=SimpleUploadedFile("a.pdf", PDF),
        file_extension="pdf",
        actor=actor,
    )
    old_name = resource.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.guidance_update(
            resource=resource,
            title="Safeguarding policy template",
            description="",
            url="",
            order=0,
            file=docx_upload(),
            file_extension="docx",
            actor=actor,
        )

    resource.refresh_from_db()
    assert resource.title == "Safeguarding policy template"
    assert resource.file.name.endswith(".docx")
    assert not resource.file.storage.exists(old_name)


def test_guidance_delete_removes_the_file(django_capture_on_commit_callbacks):
    actor = commissioner()
    resource = services.guidance_create(
        round=None,
        title="Budget template",
        file=SimpleUploadedFile("a.pdf", PDF),
        file_extension="pdf",
        actor=actor,
    )
    name, storage = resource.file.name, resource.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        services.guidance_delete(resource=resource, actor=actor)

    assert not GuidanceResource.objects.exists()
    assert not storage.exists(name)


# Support requests


def support(**overrides):
    arguments = {
        "round": None,
        "name": "Ada Lovelace",
        "group_name": "Kiln Lane Knitters",
        "email": "Ada@Example.org",
        "phone": "",
        "contact_preference": SupportRequest.Contact.EMAIL,
        "help_needed": [SupportRequest.Help.FORM, SupportRequest.Help.TRANSLATION],
        "language": "Polish",
        "message": "",
    }
    arguments.update(overrides)
    return services.support_request_create(**arguments)


def test_support_request_is_stored_audited_and_acknowledged_by_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    round = ScheduledRoundFactory(title="Connecting Communities")

    with django_capture_on_commit_callbacks(execute=True):
        request = support(round=round)

    assert request.status == SupportRequest.Status.NEW
    assert request.email == "ada@example.org"
    assert verbs() == ["support_request.create"]
    email = OutboundEmail.objects.get(key=f"support-received:{request.pk}")
    assert email.to == "ada@example.org"
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Connecting Communities" in body
    assert "Help filling in the form" in body
    assert "Polish" in body


def test_a_phone_only_request_sends_no_email(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        support(email="", phone="07700 900982", contact_preference=SupportRequest.Contact.PHONE)

    assert SupportRequest.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Enter an email address so that we can email you"),
        (
            {"contact_preference": SupportRequest.Contact.TEXT},
            "phone",
            "Enter a phone number so that we can contact you",
        ),
        ({"phone": "12345"}, "phone", PHONE_MESSAGE),
        ({"help_needed": []}, "help_needed", "Select the help you need"),
        ({"help_needed": ["money"]}, "help_needed", "Select the help you need"),
        ({"name": " "}, "name", "Enter your name"),
    ],
)
def test_support_request_refuses_what_it_cannot_act_on(overrides, field, message):
    with pytest.raises(DomainError) as error:
        support(**overrides)

    assert (error.value.field, error.value.message) == (field, message)
    assert not SupportRequest.objects.exists()


def test_assign_then_close_a_request():
    worker, other = link_worker(), link_worker()
    request = SupportRequestFactory()

    services.support_request_assign(support_request=request, assignee=other, actor=worker)
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == (SupportRequest.Status.ASSIGNED, other)

    services.support_request_close(support_request=request, notes="Called them", actor=other)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.CLOSED
    assert request.notes == "Called them"
    assert request.closed_at is not None
    assert verbs() == ["support_request.assigned", "support_request.closed"]


def test_closing_needs_a_note_of_what_was_done():
    request = SupportRequestFactory()

    with pytest.raises(DomainError) as error:
        services.support_request_close(support_request=request, notes="  ", actor=link_worker())

    assert error.value.field == "notes"
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.NEW


def test_closing_an_unassigned_request_gives_it_to_the_closer():
    worker = link_worker()
    request = SupportRequestFactory()

    closed = services.support_request_close(
        support_request=request, notes="Sent the form", actor=worker
    )

    assert closed.assigned_to == worker


def test_only_link_workers_can_be_assigned():
    request = SupportRequestFactory()

    with pytest.raises(DomainError) as error:
        services.support_request_assign(
            support_request=request, assignee=UserFactory(), actor=link_worker()
        )

    assert error.value.field == "assignee"


def test_a_closed_request_cannot_be_assigned_or_closed_again():
    worker = link_worker()
    request = SupportRequestFactory(status=SupportRequest.Status.CLOSED, notes="Done")

    with pytest.raises(DomainError, match="closed already"):
        services.support_request_assign(support_request=request, assignee=worker, actor=worker)
    with pytest.raises(DomainError, match="closed already"):
        services.support_request_close(support_request=request, notes="Again", actor=worker)
