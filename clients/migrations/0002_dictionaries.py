"""Seed the code lists of domain/clients.md: jobseeker categories and deregistration reasons.

Administrators may rename, reorder or retire entries later; RECONSTRUCTION entries are marked so.
"""

from django.db import migrations

JOBSEEKER_CATEGORIES = [
    # code, Polish, English, mark
    ("employed_development", "zatrudniony lub prowadzący działalność, chce się rozwijać",
     "employed or self-employed, wants to develop", "reconstruction"),
    ("notice_period", "w okresie wypowiedzenia z przyczyn dotyczących zakładu pracy",
     "in a notice period for reasons on the employer's side", "seed"),
    ("employer_insolvent", "zatrudniony u pracodawcy w upadłości lub likwidacji",
     "employer bankrupt or in liquidation", "seed"),
    ("pensioner", "pobiera emeryturę lub rentę", "receives an old-age or disability pension",
     "reconstruction"),
    ("benefit_recipient", "pobiera świadczenie przedemerytalne, rehabilitacyjne, chorobowe lub "
     "macierzyńskie", "receives a pre-retirement, rehabilitation, sickness or maternity benefit",
     "reconstruction"),
    ("social_or_carer_benefit", "pobiera stały zasiłek lub świadczenie pielęgnacyjne",
     "receives a permanent social-assistance allowance or a carer's benefit", "reconstruction"),
    ("miner", "górniczy zasiłek socjalny lub urlop górniczy",
     "miners' social allowance or miners' leave", "seed"),
    ("social_integration", "uczestnik CIS lub indywidualnego programu integracji",
     "social integration centre or integration programme", "seed"),
    ("reserve_soldier", "żołnierz rezerwy", "reserve soldier", "seed"),
    ("farm_household", "domownik lub małżonek rolnika szukający pracy poza rolnictwem",
     "farmer's household member or spouse seeking non-farm work", "seed"),
    ("worker_45_plus", "pracownik w wieku 45 lat i więcej", "worker aged 45 or over", "seed"),
    ("other", "inna sytuacja", "other", "reconstruction"),
]

DEREGISTRATION_REASONS = [
    # code, Polish, English, applies to ("" = both), mark, in use under the default regime
    ("employment", "podjęcie zatrudnienia, innej pracy zarobkowej lub działalności",
     "took up employment, other paid work or a business", "", "law", True),
    ("startup_grant", "otrzymanie jednorazowych środków na podjęcie działalności",
     "received a one-off grant for a business", "unemployed", "law", True),
    ("refused_offer", "odmowa bez uzasadnionej przyczyny przyjęcia propozycji pracy lub pomocy",
     "refused a suitable offer of work or assistance without good reason", "unemployed", "law",
     True),
    ("no_show", "niestawiennictwo w wyznaczonym terminie bez uzasadnionej przyczyny",
     "did not appear on the set date without good reason", "unemployed", "law", True),
    ("interrupted_form", "przerwanie z własnej winy szkolenia, stażu lub innej formy pomocy",
     "interrupted training, a traineeship or another form through own fault", "unemployed",
     "reconstruction", True),
    ("own_request", "na własny wniosek", "own request", "unemployed", "reconstruction", True),
    ("conditions_lost", "utrata warunków posiadania statusu bezrobotnego",
     "no longer meets a condition of unemployed status", "unemployed", "law", True),
    ("moved", "zmiana miejsca zamieszkania poza powiat", "moved to another poviat", "",
     "reconstruction", True),
    ("death", "zgon", "death", "", "law", True),
    ("no_contact_90_days", "brak kontaktu z urzędem przez 90 dni (ustawa z 2025 r.)",
     "no contact within 90 days (2025 Act)", "unemployed", "reconstruction", False),
    ("status_limit", "upływ 3 lat statusu bezrobotnego (ustawa z 2025 r.)",
     "3-year status limit reached (2025 Act)", "unemployed", "law", False),
    ("jobseeker_request", "rezygnacja osoby poszukującej pracy", "the jobseeker left",
     "jobseeker", "reconstruction", True),
    ("jobseeker_inactive", "brak kontaktu osoby poszukującej pracy",
     "the jobseeker stopped contact", "jobseeker", "reconstruction", True),
]


def seed(apps, schema_editor):
    JobseekerCategory = apps.get_model("clients", "JobseekerCategory")
    DeregistrationReason = apps.get_model("clients", "DeregistrationReason")
    for order, (code, pl, en, mark) in enumerate(JOBSEEKER_CATEGORIES):
        JobseekerCategory.objects.update_or_create(
            code=code, defaults={"name_pl": pl, "name_en": en, "mark": mark, "order": order}
        )
    for order, (code, pl, en, applies, mark, active) in enumerate(DEREGISTRATION_REASONS):
        DeregistrationReason.objects.update_or_create(
            code=code,
            defaults={"name_pl": pl, "name_en": en, "applies_to": applies, "mark": mark,
                      "is_active": active, "order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("clients", "JobseekerCategory").objects.filter(
        code__in=[row[0] for row in JOBSEEKER_CATEGORIES]).delete()
    apps.get_model("clients", "DeregistrationReason").objects.filter(
        code__in=[row[0] for row in DEREGISTRATION_REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
