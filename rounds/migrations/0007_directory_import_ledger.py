from django.db import migrations, models

import microcomm.ledger


def keys(apps, schema_editor):
    DirectoryImport = apps.get_model("rounds", "DirectoryImport")
    for directory_import in DirectoryImport.objects.order_by("pk"):
        directory_import.key = f"directory-import:{directory_import.pk}"
        directory_import.save(update_fields=["key"])


class Migration(migrations.Migration):
    """DirectoryImport becomes a ledger row: every upload gets a key of its own."""

    dependencies = [
        ("rounds", "0006_form_pdf_ledger"),
    ]

    operations = [
        migrations.RenameField("directoryimport", "created_at", "queued_at"),
        migrations.AlterModelOptions(
            name="directoryimport",
            options={"ordering": ["-queued_at", "-id"]},
        ),
        migrations.AddField(
            model_name="directoryimport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="directoryimport",
            name="last_error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="directoryimport",
            name="key",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="directoryimport",
            name="key",
            field=models.CharField(
                default=microcomm.ledger.new_ledger_key, max_length=200, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="directoryimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("running", "Importing"),
                    ("done", "Imported"),
                    ("failed", "Not imported"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="directoryimport",
            index=models.Index(
                fields=["status", "queued_at"], name="rounds_dire_status_58b750_idx"
            ),
        ),
    ]
