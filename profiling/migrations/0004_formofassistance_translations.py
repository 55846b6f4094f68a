"""Ukrainian and Belarusian names of the forms of assistance, for documents printed in the
client's language.

Like 0002, the names are read from the project's copy of the catalogue
(profiling/data/catalogue_pz-2014-catalogue-1.json, keys name_uk and name_be) and filled by code.
"""

import json
from pathlib import Path

from django.db import migrations, models

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue_pz-2014-catalogue-1.json"


def fill_translations(apps, schema_editor):
    Form = apps.get_model("profiling", "FormOfAssistance")
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    names = {f["code"]: (f["name_uk"], f["name_be"]) for f in catalogue["forms"]}
    for code, (name_uk, name_be) in names.items():
        Form.objects.filter(code=code).update(name_uk=name_uk, name_be=name_be)


class Migration(migrations.Migration):
    dependencies = [
        ("profiling", "0003_assessment"),
    ]

    operations = [
        migrations.AddField(
            model_name="formofassistance",
            name="name_be",
            field=models.CharField(blank=True, max_length=300, verbose_name="name (Belarusian)"),
        ),
        migrations.AddField(
            model_name="formofassistance",
            name="name_uk",
            field=models.CharField(blank=True, max_length=300, verbose_name="name (Ukrainian)"),
        ),
        migrations.RunPython(fill_translations, migrations.RunPython.noop),
    ]
