from django.db import migrations, models

import microcomm.ledger


def sent_to_done(apps, schema_editor):
    apps.get_model("microcomm", "OutboundEmail").objects.filter(status="sent").update(status="done")


def done_to_sent(apps, schema_editor):
    apps.get_model("microcomm", "OutboundEmail").objects.filter(status="done").update(status="sent")


class Migration(migrations.Migration):
    """OutboundEmail becomes a ledger row: its times are renamed, "sent" is now "done"."""

    dependencies = [
        ("microcomm", "0003_outbound_email_attachment"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="outboundemail",
            name="microcomm_o_status_cbdfae_idx",
        ),
        migrations.RenameField("outboundemail", "created_at", "queued_at"),
        migrations.RenameField("outboundemail", "sent_at", "finished_at"),
        migrations.AlterField(
            model_name="outboundemail",
            name="key",
            field=models.CharField(
                default=microcomm.ledger.new_ledger_key, max_length=200, unique=True
            ),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="outboundemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Sending"),
                    ("done", "Sent"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.RunPython(sent_to_done, done_to_sent),
        migrations.AlterModelOptions(
            name="outboundemail",
            options={"ordering": ["-queued_at", "-id"]},
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(
                fields=["status", "queued_at"], name="microcomm_o_status_57eee4_idx"
            ),
        ),
    ]
