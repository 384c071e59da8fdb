import django.utils.timezone
from django.db import migrations, models

import microcomm.ledger


def keys_and_statuses(apps, schema_editor):
    ApplicationPdf = apps.get_model("applications", "ApplicationPdf")
    for pdf in ApplicationPdf.objects.order_by("pk"):
        pdf.key = f"application-pdf:{pdf.application_id}:{pdf.submission}"
        if pdf.status == "ready":
            pdf.status = "done"
        pdf.save(update_fields=["key", "status"])


def statuses_back(apps, schema_editor):
    ApplicationPdf = apps.get_model("applications", "ApplicationPdf")
    ApplicationPdf.objects.filter(status="done").update(status="ready")


class Migration(migrations.Migration):
    """ApplicationPdf becomes a ledger row: a key per submission, "ready" is now "done"."""

    dependencies = [
        ("applications", "0003_priority_answers_by_id"),
    ]

    operations = [
        migrations.RenameField("applicationpdf", "created_at", "queued_at"),
        migrations.RenameField("applicationpdf", "rendered_at", "finished_at"),
        migrations.AlterField(
            model_name="applicationpdf",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="applicationpdf",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="applicationpdf",
            name="last_error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="applicationpdf",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="applicationpdf",
            name="key",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="applicationpdf",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Being prepared"),
                    ("running", "Being prepared"),
                    ("done", "Ready"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.RunPython(keys_and_statuses, statuses_back),
        migrations.AlterField(
            model_name="applicationpdf",
            name="key",
            field=models.CharField(
                default=microcomm.ledger.new_ledger_key, max_length=200, unique=True
            ),
        ),
        migrations.AddIndex(
            model_name="applicationpdf",
            index=models.Index(
                fields=["status", "queued_at"], name="application_status_ae4af9_idx"
            ),
        ),
    ]
