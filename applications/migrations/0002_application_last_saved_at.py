from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="last_saved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
