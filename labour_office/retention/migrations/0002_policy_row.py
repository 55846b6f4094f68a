"""The single row of the retention policy: off, with the approximate default period."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("retention", "RetentionPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
