import io
import os
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from applications.files import private_file_response
from microcomm import uploads
from microcomm.uploads import (
    MACROS_MESSAGE,
    MAX_UPLOAD_BYTES,
    PDF_ACTIONS_MESSAGE,
    TOO_MUCH_UNPACKED_MESSAGE,
    WEB_CODE_MESSAGE,
    safe_file_name,
    upload_check,
    zip_member_read,
)
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

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
TYPE_MESSAGE = "The selected file must be a PDF, DOCX, ODT, XLSX, ODS, JPG or PNG"


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("policy.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("logo.png", PNG_BYTES, "png", "image/png"),
        ("photo.jpg", JPEG_BYTES, "jpg", "image/jpeg"),
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


ODT = "application/vnd.oasis.opendocument.text"


def _deflated_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _refusal(name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, content))
    return caught.value.messages


def test_an_odt_whose_mimetype_part_is_a_zip_bomb_is_refused_without_unpacking_it():
    bomb = _deflated_zip(
        {"mimetype": ODT.encode() + b" " * (20 * 1024 * 1024), "content.xml": b"<x/>"}
    )
    assert len(bomb) < MAX_UPLOAD_BYTES

    assert _refusal("policy.odt", bomb) == [TOO_MUCH_UNPACKED_MESSAGE]


def test_an_archive_that_unpacks_beyond_the_total_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED_BYTES", 1000)
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": os.urandom(2000)}

    assert _refusal("letter.docx", _deflated_zip(parts)) == [TOO_MUCH_UNPACKED_MESSAGE]


def test_a_part_longer_than_it_may_be_read_is_refused_not_read():
    archive = zipfile.ZipFile(io.BytesIO(_deflated_zip({"mimetype": b"x" * 200})))
    with archive, pytest.raises(ValidationError) as caught:
        zip_member_read(archive, "mimetype", limit=100)
    assert caught.value.messages == [TOO_MUCH_UNPACKED_MESSAGE]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "letter.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\xd0\xcf\x11\xe0",
                }
            ),
        ),
        (
            "letter.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": b'<Types><Override ContentType="application/'
                    b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
                    "word/document.xml": b"<w:document/>",
                }
            ),
        ),
        (
            "accounts.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.xml": b"<workbook/>",
                    "xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>",
                }
            ),
        ),
        (
            "policy.odt",
            zip_bytes(
                {
                    "mimetype": ODT.encode(),
                    "content.xml": b"<office:document-content/>",
                    "Basic/Standard/Module1.xml": b"<script:module/>",
                },
                stored_first="mimetype",
            ),
        ),
    ],
)
def test_office_files_with_macros_are_refused(name, content):
    assert _refusal(name, content) == [MACROS_MESSAGE]


def _pdf_with_object_stream(objects: bytes) -> bytes:
    packed = zlib.compress(objects)
    return (
        b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"3 0 obj<</Type/Obj#53tm/N 1/First 4/Length " + str(len(packed)).encode() + b">>"
        b"stream\n" + packed + b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


@pytest.mark.parametrize(
    "content",
    [
        PDF_BYTES.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction<</S/JavaScript/JS(x)>>"),
        PDF_BYTES.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction<</S/J#61vaScript/JS(x)>>"),
        PDF_BYTES.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction<</S/Launch/F(cmd.exe)>>"),
        PDF_BYTES.replace(b"/Pages 2 0 R", b"/Pages 2 0 R/Names<</JavaScript 4 0 R>>"),
        _pdf_with_object_stream(b"4 0 <</AA<</O<</JS(app.alert(1))>>>>>>"),
    ],
)
def test_pdfs_with_scripts_or_launch_actions_are_refused(content):
    assert _refusal("policy.pdf", content) == [PDF_ACTIONS_MESSAGE]


def test_a_pdf_that_opens_at_a_page_and_has_object_streams_is_allowed():
    content = _pdf_with_object_stream(b"4 0 <</Type/Page/Parent 2 0 R>>").replace(
        b"/Pages 2 0 R", b"/Pages 2 0 R/OpenAction[4 0 R/Fit]"
    )
    assert upload_check(upload("policy.pdf", content)).extension == "pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("policy.pdf", b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>"),
        ("logo.png", PNG_BYTES + b"<SCRIPT>alert(document.cookie)</SCRIPT>"),
        ("photo.jpg", JPEG_BYTES + b"<!DOCTYPE html><html><iframe src=x></iframe>"),
        ("photo.jpg", JPEG_BYTES + b"<?php system($_GET['c']); ?>"),
    ],
)
def test_web_page_code_inside_a_pdf_or_after_an_image_is_refused(name, content):
    assert _refusal(name, content) == [WEB_CODE_MESSAGE]
