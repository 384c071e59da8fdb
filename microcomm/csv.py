"""Spreadsheet downloads that cannot run anything when opened."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula, also after spaces
# and in their full-width and small forms (＝, ﹦, ＋, －, ＠), which NFKC folds to these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\u2212")


def _runs_as_formula(text: str) -> bool:
    first = text[:1]
    if first.isascii() and first.isalnum():
        return False
    if text.startswith(("\t", "\r", "\n")):
        return True
    first = text.lstrip()[:1]
    return bool(first) and unicodedata.normalize("NFKC", first).startswith(FORMULA_PREFIXES)


def csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


# Lines handed to the server at a time: enough that a long download is not slowed by
# handing over each line alone, few enough that memory stays small.
LINES_PER_CHUNK = 200


def csv_rows_streamed(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The lines of a spreadsheet download, formula-safe, produced as the rows are read:
    the header at once, then the rows a chunk at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_safe(value) for value in header])
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([csv_safe(value) for value in row]))
        if len(chunk) >= LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_download(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A CSV download that starts at once and holds one row at a time in memory."""
    response = StreamingHttpResponse(
        csv_rows_streamed(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
