"""How the status of an application shows as a tag."""

from __future__ import annotations

from applications.models import Application
from microcomm.status_tags import status_tag_register


def register() -> None:
    status_tag_register(
        Application,
        {
            Application.Status.DRAFT: "blue",
            Application.Status.SUBMITTED: "green",
            Application.Status.WITHDRAWN: "grey",
        },
    )
