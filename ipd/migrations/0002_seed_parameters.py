"""The office default for a jobseeker's optional plan (domain/profiles.md, APPROXIMATION)."""

from django.db import migrations

PARAMETERS = [
    ("ipd.jobseeker_default_days", 180,
     "A jobseeker's optional IPD has no profile maximum: its planned end defaults to this many "
     "days after the start (the advisor agrees another with the client). domain/profiles.md.",
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
    dependencies = [("ipd", "0001_initial"), ("system", "0003_seed_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
