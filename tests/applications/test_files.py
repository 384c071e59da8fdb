import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from applications.files import private_file_response
from microcomm.uploads import MAX_UPLOAD_BYTES, safe_file_name, upload_check
from tests.microcomm.factories import (
    ELF_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    odf_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

TYPE_MESSAGE = "The selected file must be a PDF, DOCX, ODT, XLSX, ODS, JPG or PNG"


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("policy.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("logo.png", PNG_BYTES, "png", "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "jpg", "image/jpeg"),
        (
            "constitution.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "accounts.xlsx",
            xlsx_bytes(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "policy.odt",
            odf_bytes("application/vnd.oasis.opendocument.text"),
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "accounts.ods",
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, extension, content_type):
    checked = upload_check(upload(name, content))
    assert checked.extension == extension
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.safe_name == name


def test_a_docx_named_pdf_is_stored_with_its_real_extension():
    checked = upload_check(upload("letter.pdf", docx_bytes()))
    assert checked.extension == "docx"
    assert checked.safe_name == "letter.docx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("policy.pdf", ELF_BYTES),
        ("policy.pdf", EXE_BYTES),
        ("notes.pdf", b"just some text, not a PDF"),
        ("archive.docx", zip_bytes({"readme.txt": b"hello"})),
        ("slides.odt", odf_bytes("application/vnd.oasis.opendocument.presentation")),
        ("picture.pdf", b"GIF89a" + b"\x00" * 32),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, content))
    assert caught.value.messages == [TYPE_MESSAGE]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("empty.pdf", b""))
    assert caught.value.messages == ["The selected file is empty"]


def test_a_file_over_10mb_is_refused():
    too_big = PDF_BYTES + b"0" * (MAX_UPLOAD_BYTES + 1 - len(PDF_BYTES))
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("big.pdf", too_big))
    assert caught.value.messages == ["The selected file must be smaller than 10MB"]


def test_a_file_of_exactly_10mb_is_allowed():
    exact = PDF_BYTES + b"0" * (MAX_UPLOAD_BYTES - len(PDF_BYTES))
    assert upload_check(upload("big.pdf", exact)).size == MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\jo\\Policy 2025.pdf", "Policy 2025.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("..pdf", "document.pdf"),
        ("", "document.pdf"),
        ("policy", "policy.pdf"),
        ("Café ☕ policy.pdf", "Café - policy.pdf"),
        ("tab\there\x00.pdf", "tab-here.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_file_names_keep_only_a_safe_basename(name, safe):
    cleaned = safe_file_name(name, "pdf")
    assert cleaned == safe
    assert "/" not in cleaned and "\\" not in cleaned
    assert len(cleaned) <= 200


def test_path_parts_are_removed_from_an_upload_name():
    uploaded = SimpleUploadedFile("x.pdf", PDF_BYTES)
    uploaded.name = "../../etc/passwd.pdf"  # Django strips paths; a raw name is tested too
    assert upload_check(uploaded).safe_name == "passwd.pdf"


def test_private_file_response_is_a_download_the_browser_must_not_sniff(settings, tmp_path):
    from applications.models import OrganisationDocument

    document = OrganisationDocument()
    document.file.save("abc.pdf", ContentFile(PDF_BYTES), save=False)
    response = private_file_response(document.file, "Safeguarding policy.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Safeguarding policy.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.file_to_stream.close()
    assert str(settings.MEDIA_ROOT).startswith(str(tmp_path))


def test_private_file_response_for_a_missing_file_is_404():
    from applications.models import OrganisationDocument

    document = OrganisationDocument()
    document.file.name = "documents/gone.pdf"
    assert not default_storage.exists(document.file.name)
    with pytest.raises(Http404):
        private_file_response(document.file, "gone.pdf")
