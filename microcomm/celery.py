"""The Celery app: queues `default` and `pdf`, a beat schedule for periodic sweeps."""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcomm.settings")

app = Celery("microcomm")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each queue has its own exchange and routing key, so a task goes to exactly one queue.
app.conf.task_queues = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("pdf", Exchange("pdf"), routing_key="pdf"),
)
app.conf.beat_schedule = {
    "resend-unsent-email": {
        "task": "microcomm.tasks.sweep_outbound_email",
        "schedule": crontab(minute="*/5"),
    },
    "advance-rounds": {
        "task": "rounds.tasks.advance_rounds",
        "schedule": crontab(minute="*"),
    },
}
app.autodiscover_tasks()
# PDF rendering tasks live in their own modules so the pdf worker's code is easy to find.
app.autodiscover_tasks(related_name="tasks_pdf")
