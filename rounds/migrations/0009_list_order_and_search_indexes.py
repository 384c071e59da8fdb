from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# The free-text searches of the needs register and the service map match each word with
# icontains, which PostgreSQL runs as UPPER(column::text) LIKE '%WORD%': a trigram index
# on that same expression answers it without reading every row. SQLite (a laptop's
# `make run`) has no trigram indexes and reads the rows, as before.
TRIGRAM_INDEXES = {
    "rounds_need": ["title", "description"],
    "rounds_service": ["name", "description", "provider_name", "venue", "postcode", "eligibility"],
}


def _index_name(table, column):
    return f"{table.removeprefix('rounds_')}_{column}_trgm"


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in TRIGRAM_INDEXES.items():
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {_index_name(table, column)} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in TRIGRAM_INDEXES.items():
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("microcomm", "0004_outbound_email_ledger"),
        ("rounds", "0008_question_from_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="need",
            index=models.Index(fields=["-updated_at", "-id"], name="need_recent_first"),
        ),
        migrations.AddIndex(
            model_name="needsignal",
            index=models.Index(
                fields=["recorded_by", "-created_at", "-id"], name="need_signal_recent_by_person"
            ),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["name", "id"], name="service_by_name"),
        ),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(
                fields=["status", "-closed_at", "-id"], name="support_request_closed"
            ),
        ),
        # Only on PostgreSQL: the operation does nothing on another database.
        TrigramExtension(),
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop),
    ]
