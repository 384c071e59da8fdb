"""The Celery app: queues `default` and `pdf`, and a beat schedule the apps add to.

Each app registers its periodic tasks with `periodic_register` in its `AppConfig.ready()`,
so this module names no app but the core.
"""

import os
from typing import Any

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcomm.settings")

app = Celery("microcomm")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each queue has its own exchange and routing key, so a task goes to exactly one queue.
app.conf.task_queues = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("pdf", Exchange("pdf"), routing_key="pdf"),
)
app.conf.beat_schedule = {}
app.autodiscover_tasks()
# PDF rendering tasks live in their own modules so the pdf worker's code is easy to find.
app.autodiscover_tasks(related_name="tasks_pdf")


def periodic_register(*, name: str, task: Any, schedule: Any) -> None:
    """Run a task (or a task's name) on a schedule in beat; call from an app's `ready()`."""
    task_name = task if isinstance(task, str) else task.name
    app.conf.beat_schedule = {
        **app.conf.beat_schedule,
        name: {"task": task_name, "schedule": schedule},
    }
