"""Seed the administrator-editable numbers marked APPROXIMATION in domain/."""

from django.db import migrations

PARAMETERS = [
    ("clients.long_term_threshold_days", 360,
     "Long-term unemployed: more than this many days in the register within the last 2 years "
     "(12 months counted as 30-day months, Civil Code art. 114). domain/clients.md.",
     "approximation"),
]


def seed(apps, schema_editor):
    Parameter = apps.get_model("system", "Parameter")
    for key, value, description, mark in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key, defaults={"value": value, "description": description, "mark": mark}
        )


def unseed(apps, schema_editor):
    apps.get_model("system", "Parameter").objects.filter(
        key__in=[row[0] for row in PARAMETERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("system", "0002_parameter")]
    operations = [migrations.RunPython(seed, unseed)]
