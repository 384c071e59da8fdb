"""What an uploaded file really is, judged by its content, and a safe name to show.

``upload_check(upload, allowed=..., max_bytes=...) -> CheckedFile`` refuses a file that is
empty, too big or not one of the allowed types with a GOV.UK message. Every upload in the
product (application documents, evidence for needs, round guidance) goes through it.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# Extension -> the content type the file is stored and served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods")
DOCUMENT_AND_IMAGE_EXTENSIONS = (*DOCUMENT_EXTENSIONS, "jpg", "png")
MEGABYTE = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MEGABYTE
NAME_MAX_LENGTH = 200

_EXTENSION_OF = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}
_ZIP_GUESSES = {"application/zip", *_EXTENSION_OF} - {"application/pdf", "image/jpeg", "image/png"}
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w .()\-]+")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    safe_name: str
    size: int


def types_text(extensions: Iterable[str]) -> str:
    """ "PDF, DOCX or ODT" for a message."""
    names = [extension.upper() for extension in extensions]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _zip_content_type(upload: UploadedFile) -> str:
    """The office format inside a zip container, or '' for any other zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
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
        upload.seek(0)
    return ""


def sniffed_content_type(upload: UploadedFile) -> str:
    """The content type the file's bytes show, among the known ones; '' for anything else."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return ""
    if kind.mime in _ZIP_GUESSES:
        # filetype reads only the start of the file, where every zip looks alike.
        return _zip_content_type(upload)
    return kind.mime if kind.mime in _EXTENSION_OF else ""


def safe_file_name(name: str, extension: str) -> str:
    """A name fit to show: the last path part, plain characters, the real extension."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("-", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"-{2,}", "-", stem).strip(" .-_")
    stem = stem[: NAME_MAX_LENGTH - len(extension) - 1] or "document"
    return f"{stem}.{extension}"


def upload_size_check(upload: UploadedFile, *, max_bytes: int) -> int:
    """The file's size; refuses an empty file or one over the limit."""
    size = upload.size or 0
    if size <= 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {max_bytes // MEGABYTE}MB", code="too_big"
        )
    return size


def upload_check(
    upload: UploadedFile,
    *,
    allowed: Iterable[str] = DOCUMENT_AND_IMAGE_EXTENSIONS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CheckedFile:
    """What an uploaded file really is; refuses an empty, too big or not allowed file."""
    allowed = tuple(allowed)
    size = upload_size_check(upload, max_bytes=max_bytes)
    content_type = sniffed_content_type(upload)
    if _EXTENSION_OF.get(content_type) not in allowed:
        raise ValidationError(f"The selected file must be a {types_text(allowed)}", code="type")
    extension = _EXTENSION_OF[content_type]
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        safe_name=safe_file_name(upload.name or "", extension),
        size=size,
    )
