from django.db import migrations

GROUPS = [
    ("Children and young people (under 18)", "under-18", "age"),
    ("Young adults (18 to 24)", "18-to-24", "age"),
    ("Adults (25 to 49)", "25-to-49", "age"),
    ("Adults (50 to 64)", "50-to-64", "age"),
    ("Older people (65 and over)", "65-and-over", "age"),
    ("Carers", "carers", "carers"),
    ("People with a disability", "disability", "disability"),
    ("People who speak a language other than English", "language", "language"),
    ("Other", "other", "other"),
]


def create_groups(apps, schema_editor):
    PopulationGroup = apps.get_model("rounds", "PopulationGroup")
    for order, (name, slug, kind) in enumerate(GROUPS):
        PopulationGroup.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "order": order}
        )


def remove_groups(apps, schema_editor):
    apps.get_model("rounds", "PopulationGroup").objects.filter(
        slug__in=[slug for _, slug, _ in GROUPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rounds", "0001_initial")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
