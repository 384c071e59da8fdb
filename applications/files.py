"""Uploaded files: what they really are, a safe name to show, and private downloads.

``checked_upload(uploaded_file) -> CheckedFile`` looks at the content, not the name, and
raises ``ValidationError`` with a GOV.UK message when the file is empty, too big or not an
allowed type. ``private_file_response(file_field, download_name)`` serves a stored file as
an attachment, after the view has checked that the person may see it.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES_TEXT = "PDF, DOCX, ODT, XLSX, ODS, JPG or PNG"
# Extension -> the content type a download is served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
_EXTENSION_OF = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}
_ZIP_GUESSES = {"application/zip", *_EXTENSION_OF} - {"application/pdf", "image/jpeg", "image/png"}
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w .()\-]+")
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    safe_name: str
    size: int


def _zip_content_type(uploaded_file: UploadedFile) -> str:
    """The office format inside a zip container, or '' for any other zip."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in (CONTENT_TYPES["odt"], CONTENT_TYPES["ods"]):
                    return declared
                return ""
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return CONTENT_TYPES["docx"]
                if any(name.startswith("xl/") for name in names):
                    return CONTENT_TYPES["xlsx"]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return ""
    finally:
        uploaded_file.seek(0)
    return ""


def _content_type(uploaded_file: UploadedFile) -> str:
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return ""
    if kind.mime in _ZIP_GUESSES:
        # filetype reads only the start of the file, where every zip looks alike.
        return _zip_content_type(uploaded_file)
    return kind.mime if kind.mime in _EXTENSION_OF else ""


def safe_file_name(name: str, extension: str) -> str:
    """A name fit to show: the last path part, plain characters, the real extension."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("-", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"-{2,}", "-", stem).strip(" .-_")
    stem = stem[: NAME_MAX_LENGTH - len(extension) - 1] or "document"
    return f"{stem}.{extension}"


def checked_upload(uploaded_file: UploadedFile) -> CheckedFile:
    """What an uploaded file really is, judged by its content; refuses what is not allowed."""
    size = uploaded_file.size or 0
    if size <= 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError("The selected file must be smaller than 10MB", code="too_big")
    content_type = _content_type(uploaded_file)
    if not content_type:
        raise ValidationError(f"The selected file must be a {ALLOWED_TYPES_TEXT}", code="type")
    extension = _EXTENSION_OF[content_type]
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        safe_name=safe_file_name(uploaded_file.name or "", extension),
        size=size,
    )


def private_file_response(
    file_field: FieldFile, download_name: str, *, content_type: str = ""
) -> FileResponse:
    """Serve a private file as a download the browser must not render or cache.

    Check permission before calling this; a missing file is a 404.
    """
    if not file_field:
        raise Http404
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = download_name.rsplit(".", 1)[-1].lower() if "." in download_name else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name,
        content_type=content_type
        or CONTENT_TYPES.get(extension)
        or mimetypes.guess_type(download_name)[0]
        or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
