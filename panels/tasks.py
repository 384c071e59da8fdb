"""Celery tasks of the panels app: take ids, call a service.

Tasks named `*.render_*` go to the `pdf` queue.
"""

from celery import shared_task

from panels.services.packs import panel_pack_render


@shared_task(name="panels.tasks.render_panel_pack")
def render_panel_pack(pack_id: int) -> str:
    return panel_pack_render(pack_id=pack_id).status


# The minutes of the decision meeting.
from panels.services.meeting import minutes_render  # noqa: E402


@shared_task(name="panels.tasks.render_meeting_minutes")
def render_meeting_minutes(minutes_id: int) -> str:
    return minutes_render(minutes_id=minutes_id).status
