"""What an uploaded file really is, judged by its content, and a safe name to show.

``upload_check(upload, allowed=..., max_bytes=...) -> CheckedFile`` refuses a file that is
empty, too big, not one of the allowed types or dangerous to open with a GOV.UK message.
Every upload in the product (application documents, evidence for needs, round guidance)
goes through it. Dangerous means: a PDF with scripts or actions that start programs, web
page code inside a PDF or an image, an office file with macros, and an archive (every
DOCX, XLSX, ODT and ODS is one) that would unpack to far more than it holds.

Archives are never unpacked whole: ``zip_archive_check`` judges what each part says it
unpacks to, and ``zip_member_read`` reads at most a set number of bytes of one part.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
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

# An archive may unpack to at most this much in all, in at most this many parts; a part
# may unpack to at most RATIO times its packed size once it is over RATIO_FLOOR.
ZIP_MAX_UNPACKED_BYTES = 100 * MEGABYTE
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = MEGABYTE
# How much of a small part (a type declaration, a manifest) is read to judge the file.
ZIP_READ_LIMIT = MEGABYTE

TOO_MUCH_UNPACKED_MESSAGE = (
    "The selected file unpacks to too much data to be a real document. "
    "Save it again from the program that made it, then upload it"
)
MACROS_MESSAGE = (
    "The selected file contains macros. Save it as a file without macros "
    "(DOCX, XLSX, ODT or ODS), then upload it"
)
PDF_ACTIONS_MESSAGE = (
    "The selected PDF contains scripts or actions that start programs. Save it again without "
    "them (for example, print it to a new PDF), then upload it"
)
WEB_CODE_MESSAGE = (
    "The selected file contains web page code. Save it again from the program that made it, "
    "then upload it"
)

_EXTENSION_OF = {content_type: extension for extension, content_type in CONTENT_TYPES.items()}
_ZIP_GUESSES = {"application/zip", *_EXTENSION_OF} - {"application/pdf", "image/jpeg", "image/png"}
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w .()\-]+")

# Markup a browser would run, looked for in lower-cased bytes of PDFs and images; each is
# long enough not to turn up by chance in compressed data.
_WEB_CODE = (b"<script", b"<html", b"<body", b"<iframe", b"<!doctype html", b"<?php")
# A PDF name: "/" and regular characters, with "#xx" standing for any byte.
_PDF_NAME = re.compile(rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]+")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Every JavaScript action is of type /JavaScript (which "/JS" holds the code of), and
# document scripts sit under /JavaScript too. "/JS" alone is looked for only in the text of
# object streams: three bytes turn up by chance in compressed data.
_PDF_ACTION_NAMES = frozenset({b"JavaScript", b"Launch"})
_PDF_ACTION_NAMES_IN_OBJECTS = _PDF_ACTION_NAMES | {b"JS"}
_PDF_STREAM_START = re.compile(rb"stream\r?\n")
# Object streams hide dictionaries (and so /JS) inside compressed data; at most this much
# of them is unpacked to look inside.
_PDF_MAX_UNPACKED_OBJECTS = 50 * MEGABYTE
# Parts of office files that hold macros or controls that run code.
_OOXML_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "xl/macrosheets/", "/activex/")
_OOXML_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"macrosheet")
_ODF_MACRO_FOLDERS = ("basic/", "scripts/")


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


def zip_archive_check(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose parts say they unpack to too much, in all or for their size.

    Python's zipfile never unpacks a part beyond the size it declares, so judging the
    declared sizes bounds what reading any part can cost.
    """
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or unpacked > ZIP_MAX_UNPACKED_BYTES
        or any(
            info.file_size > ZIP_RATIO_FLOOR
            and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
            for info in members
        )
    ):
        raise ValidationError(TOO_MUCH_UNPACKED_MESSAGE, code="zip_bomb")


def zip_member_read(archive: zipfile.ZipFile, name: str, *, limit: int = ZIP_READ_LIMIT) -> bytes:
    """At most ``limit`` bytes of one part; more than that is refused, never unpacked."""
    with archive.open(name) as member:
        content = member.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(TOO_MUCH_UNPACKED_MESSAGE, code="zip_bomb")
    return content


def _office_macros(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether an office file holds macros: VBA projects, macro sheets, ODF Basic or scripts."""
    lowered = [name.lower() for name in names]
    if any(part in name for name in lowered for part in _OOXML_MACRO_PARTS):
        return True
    if any(name.startswith(_ODF_MACRO_FOLDERS) for name in lowered):
        return True
    if "[Content_Types].xml" in names:
        declared = zip_member_read(archive, "[Content_Types].xml").lower()
        return any(kind in declared for kind in _OOXML_MACRO_TYPES)
    return False


def _zip_content_type(upload: UploadedFile) -> str:
    """The office format inside a zip container, or '' for any other zip.

    Refuses, with a ``ValidationError``, an archive that unpacks to too much and an office
    file with macros.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            zip_archive_check(archive)
            names = set(archive.namelist())
            content_type = ""
            if "mimetype" in names:
                declared = zip_member_read(archive, "mimetype", limit=100)
                declared_type = declared.decode("ascii", "replace").strip()
                if declared_type in (CONTENT_TYPES["odt"], CONTENT_TYPES["ods"]):
                    content_type = declared_type
            elif "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    content_type = CONTENT_TYPES["docx"]
                elif any(name.startswith("xl/") for name in names):
                    content_type = CONTENT_TYPES["xlsx"]
            if content_type and _office_macros(archive, names):
                raise ValidationError(MACROS_MESSAGE, code="macros")
            return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return ""
    except (NotImplementedError, RuntimeError, ValueError):
        # An unknown compression method, an encrypted part or a corrupt header.
        return ""
    finally:
        upload.seek(0)


def _pdf_names(data: bytes | memoryview) -> Iterator[tuple[bytes, int]]:
    """Each PDF name in the data with "#xx" escapes undone, and where it ends."""
    for match in _PDF_NAME.finditer(data):
        name = match.group()[1:]
        if b"#" in name:
            name = _PDF_HEX_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), name)
        yield name, match.end()


def _pdf_runs_actions(data: bytes) -> bool:
    """Whether a PDF names JavaScript or a launch action, also inside its object streams."""
    budget = _PDF_MAX_UNPACKED_OBJECTS
    view = memoryview(data)
    for name, end in _pdf_names(data):
        if name in _PDF_ACTION_NAMES:
            return True
        if name != b"ObjStm":
            continue
        start = _PDF_STREAM_START.search(data, end)
        if start is None:
            continue
        unpacker = zlib.decompressobj()
        try:
            objects = unpacker.decompress(view[start.end() :], budget + 1)
        except zlib.error:
            # Not deflated: nothing a PDF reader would find in it either.
            continue
        budget -= len(objects)
        if budget < 0:
            raise ValidationError(TOO_MUCH_UNPACKED_MESSAGE, code="zip_bomb")
        if any(inner in _PDF_ACTION_NAMES_IN_OBJECTS for inner, _ in _pdf_names(objects)):
            return True
    return False


def _holds_web_code(data: bytes) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in _WEB_CODE)


def _dangerous_content(upload: UploadedFile, extension: str) -> None:
    """Refuse a PDF that runs scripts or programs, and web page code in a PDF or image."""
    if extension not in ("pdf", "png", "jpg"):
        return
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # Anywhere in the file, so also after the image's or the PDF's end marker.
    if _holds_web_code(data):
        raise ValidationError(WEB_CODE_MESSAGE, code="web_code")
    if extension == "pdf" and _pdf_runs_actions(data):
        raise ValidationError(PDF_ACTIONS_MESSAGE, code="pdf_actions")


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
    _dangerous_content(upload, extension)
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        safe_name=safe_file_name(upload.name or "", extension),
        size=size,
    )
