"""Days after an IPD ends without work by which the profile is determined again: a product
convention (the law sets no term), so an administrator's parameter."""

from django.db import migrations

PARAMETERS = [
    ("ipd.reprofiling_days", 14,
     "After an IPD ends without work the office analyses it and determines the profile again "
     "(domain/profiles.md); the law sets no term, the reminder falls due this many days after "
     "the end.",
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
    dependencies = [("ipd", "0003_deadlines")]
    operations = [migrations.RunPython(seed, unseed)]
