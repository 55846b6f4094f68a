"""The information sheet handed to the client: their profile and what it means (PDF)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from labour_office.rulesets import rule_set_for
from profiling.models import PROFILE_MEANING, Assessment, FormOfAssistance
from profiling.rules import EXCLUDED


def information_sheet_html(assessment: Assessment, language: str) -> str:
    profile = assessment.final_profile
    rules = rule_set_for(assessment.determined_on or assessment.created_at.date())
    with translation.override(language):
        forms = [
            form
            for form in FormOfAssistance.objects.filter(is_active=True).order_by("seed_item")
            if getattr(form, f"access_{profile.lower()}") != EXCLUDED
        ]
        return render_to_string(
            "profiling/sheet.html",
            {
                "assessment": assessment,
                "client": assessment.client,
                "office": assessment.client.office,
                "profile": profile,
                "meaning": PROFILE_MEANING[profile],
                "max_ipd_days": (rules.ipd_max_days or {}).get(profile),
                "preparation_days": rules.ipd_preparation_days,
                "contact_days": rules.office_contact_days,
                "forms": forms,
                "language": language,
            },
        )


def information_sheet_pdf(assessment: Assessment, language: str) -> bytes:
    # Imported here: WeasyPrint loads pango at import, which only this document needs.
    import weasyprint

    html = information_sheet_html(assessment, language)
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
