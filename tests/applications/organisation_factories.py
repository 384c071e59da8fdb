"""Factories and file bytes for the organisation profile and document vault tests."""

from __future__ import annotations

import io
import zipfile

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import OrganisationDocument, OrganisationInvitation, OrganisationProfile
from microcomm.models import Membership
from tests.microcomm.factories import MembershipFactory, OrganisationFactory, UserFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def zip_bytes(files: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), files[stored_first], zipfile.ZIP_STORED)
        for name, content in files.items():
            if name != stored_first:
                archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def odf_bytes(mimetype: str) -> bytes:
    return zip_bytes(
        {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"},
        stored_first="mimetype",
    )


def upload(name: str = "policy.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationProfile
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationInvitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.EDITOR
    token = factory.Sequence(lambda n: f"token-{n:040d}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDocument

    organisation = factory.SubFactory(OrganisationFactory)
    kind = OrganisationDocument.Kind.SAFEGUARDING
    title = "Safeguarding policy"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="stored.pdf"))
    original_name = "safeguarding.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


def group_with_owner(**organisation_kwargs):
    """A group, its profile and an owner; returns (organisation, owner)."""
    membership = MembershipFactory(
        organisation=OrganisationFactory(**organisation_kwargs), role=Membership.Role.OWNER
    )
    ProfileFactory(organisation=membership.organisation)
    return membership.organisation, membership.user


__all__ = ["MembershipFactory", "OrganisationFactory", "UserFactory"]
