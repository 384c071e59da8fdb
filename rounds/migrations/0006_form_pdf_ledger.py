import django.utils.timezone
from django.db import migrations, models

import microcomm.ledger


def keys_and_statuses(apps, schema_editor):
    FormPdf = apps.get_model("rounds", "FormPdf")
    for form_pdf in FormPdf.objects.all():
        form_pdf.key = f"form-pdf:{form_pdf.round_id}:{form_pdf.version}"
        if form_pdf.status == "ready":
            form_pdf.status = "done"
        form_pdf.save(update_fields=["key", "status"])


def statuses_back(apps, schema_editor):
    apps.get_model("rounds", "FormPdf").objects.filter(status="done").update(status="ready")


class Migration(migrations.Migration):
    """FormPdf becomes a ledger row: a key per round and version, "ready" is now "done"."""

    dependencies = [
        ("rounds", "0005_question_kind_localities"),
    ]

    operations = [
        migrations.RenameField("formpdf", "created_at", "queued_at"),
        migrations.RenameField("formpdf", "rendered_at", "finished_at"),
        migrations.AlterModelOptions(
            name="formpdf",
            options={"ordering": ["-queued_at", "-id"]},
        ),
        migrations.AlterField(
            model_name="formpdf",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="formpdf",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="formpdf",
            name="last_error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="formpdf",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="formpdf",
            name="key",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="formpdf",
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
            model_name="formpdf",
            name="key",
            field=models.CharField(
                default=microcomm.ledger.new_ledger_key, max_length=200, unique=True
            ),
        ),
        migrations.AddIndex(
            model_name="formpdf",
            index=models.Index(
                fields=["status", "queued_at"], name="rounds_form_status_28c7ce_idx"
            ),
        ),
    ]
