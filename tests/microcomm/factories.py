"""Users, roles, groups, places, themes and file bytes shared by every app's tests."""

from __future__ import annotations

import io
import zipfile

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from microcomm.models import LegalForm, Locality, Membership, Organisation, Theme, User
from microcomm.permissions import COMMISSIONER_GROUP, LINK_WORKER_GROUP

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


def commissioner(**kwargs):
    return UserFactory(roles=[COMMISSIONER_GROUP], **kwargs)


def link_worker(**kwargs):
    return UserFactory(roles=[LINK_WORKER_GROUP], **kwargs)


def applicant(**kwargs):
    """A signed-up person who belongs to a group and holds no staff role."""
    return MembershipFactory(user=UserFactory(**kwargs)).user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = LegalForm.UNINCORPORATED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


def member_of(organisation: Organisation, **kwargs) -> User:
    """A new person who owns `organisation`."""
    return MembershipFactory(organisation=organisation, user=UserFactory(**kwargs)).user


def group_with_member(**membership) -> Membership:
    """A membership of a new person in a new group, an owner unless told otherwise."""
    membership.setdefault("role", Membership.Role.OWNER)
    return MembershipFactory(
        user=membership.pop("user", None) or UserFactory(),
        organisation=membership.pop("organisation", None) or OrganisationFactory(),
        **membership,
    )


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = Locality.Kind.WARD


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PcnFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Test PCN {n}")
    kind = Locality.Kind.PCN


class WardFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Test Ward {n}")
    kind = Locality.Kind.WARD
    parent = factory.SubFactory(PcnFactory)


# File contents the upload checks accept or refuse.

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
