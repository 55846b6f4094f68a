"""Load the questionnaire version pz-2014-approx-1 and the catalogue pz-2014-catalogue-1.

The data are the project's own copies of domain/questionnaire.yaml and domain/catalogue.yaml,
kept as JSON beside this app (profiling/data/); the application never reads domain/.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"
QUESTIONNAIRE = DATA / "questionnaire_pz-2014-approx-1.json"
CATALOGUE = DATA / "catalogue_pz-2014-catalogue-1.json"


def seed(apps, schema_editor):
    Version = apps.get_model("profiling", "QuestionnaireVersion")
    Question = apps.get_model("profiling", "Question")
    Option = apps.get_model("profiling", "AnswerOption")
    Form = apps.get_model("profiling", "FormOfAssistance")
    data = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    decision = data["decision"]
    version, created = Version.objects.get_or_create(
        code=data["version"],
        defaults={
            "regime": data["regime"], "legal_basis": data["legal_basis"],
            "is_published": True, "published_at": timezone.now(),
            "distance_high_at_or_above": decision["distance_high_at_or_above"],
            "readiness_low_at_or_above": decision["readiness_low_at_or_above"],
            "matrix": decision["matrix"],
        },
    )
    if created:
        for q in data["questions"]:
            question = Question.objects.create(
                version=version, key=q["key"], number=q["number"], source=q["source"],
                dimension=q["dimension"], factor=q.get("factor", ""),
                card_field=q.get("card_field", ""), text_pl=q["text_pl"], text_en=q["text_en"],
                multiple=q["type"] == "multiple", max_score=q.get("max_score", 8),
            )
            Option.objects.bulk_create(
                Option(question=question, key=o["key"], label_pl=o["label_pl"],
                       label_en=o["label_en"], score=o["score"],
                       exclusive=o.get("exclusive", False), order=i)
                for i, o in enumerate(q["options"])
            )
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for f in catalogue["forms"]:
        Form.objects.get_or_create(
            code=f["code"],
            defaults={
                "seed_item": f["seed_item"], "name_pl": f["name_pl"], "name_en": f["name_en"],
                "legal_basis": f["legal_basis"], "access_i": f["profiles"]["I"],
                "access_ii": f["profiles"]["II"], "access_iii": f["profiles"]["III"],
                "requires": f.get("requires", []),
                "open_to_jobseekers": f.get("open_to_jobseekers", False),
                "mark": f["status"].lower(), "notes": f.get("notes", ""),
            },
        )


def unseed(apps, schema_editor):
    data = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    apps.get_model("profiling", "QuestionnaireVersion").objects.filter(
        code=data["version"]).delete()
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    apps.get_model("profiling", "FormOfAssistance").objects.filter(
        code__in=[f["code"] for f in catalogue["forms"]]).delete()


class Migration(migrations.Migration):
    dependencies = [("profiling", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
