"""Private downloads of stored files.

``private_file_response(file_field, download_name)`` serves a stored file as an attachment,
after the view has checked that the person may see it. What an upload really is is decided
once for the product, in ``microcomm.uploads``.
"""

from __future__ import annotations

import mimetypes

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from microcomm.uploads import CONTENT_TYPES


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
