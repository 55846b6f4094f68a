"""The individual action plan as the client signs it (PDF), in the client's language."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ipd.models import ActionKind, ContactStatus, IndividualActionPlan, PlanStatus
from ipd.services import next_contact
from labour_office.rulesets import rule_set_for
from profiling.models import PROFILE_MEANING

DOCUMENT_LANGUAGES = ("pl", "en", "uk", "be")


def plan_html(plan: IndividualActionPlan, language: str) -> str:
    """The plan's printable HTML; ``language`` is one of the client's document languages
    (Polish for any other code)."""
    if language not in DOCUMENT_LANGUAGES:
        language = "pl"
    plan = (
        IndividualActionPlan.objects.select_related(
            "client", "client__office", "registration", "assessment", "advisor"
        )
        .prefetch_related("specialists")
        .get(pk=plan.pk)
    )
    actions = list(plan.actions.select_related("form", "responsible").order_by("position", "pk"))
    contacts = list(plan.contacts.select_related("staff").order_by("contact_on", "pk"))
    held = [c.contact_on for c in contacts if c.status == ContactStatus.HELD]
    is_draft = plan.status == PlanStatus.DRAFT or plan.amending
    with translation.override(language):
        office_actions = [
            {"action": action, "form_name": action.form.name_in(language) if action.form else ""}
            for action in actions
            if action.kind == ActionKind.OFFICE
        ]
        return render_to_string(
            "ipd/plan_document.html",
            {
                "plan": plan,
                "client": plan.client,
                "office": plan.client.office,
                "language": language,
                "is_draft": is_draft,
                # An amendment in preparation becomes the next version once agreed.
                "version": plan.version + 1 if plan.amending else plan.version,
                "profile_meaning": PROFILE_MEANING.get(plan.profile, ""),
                "determined_on": plan.assessment.determined_on if plan.assessment else None,
                "specialists": sorted(plan.specialists.all(), key=lambda u: u.get_full_name()),
                "office_actions": office_actions,
                "own_actions": [a for a in actions if a.kind == ActionKind.OWN],
                "planned_contacts": [c for c in contacts if c.status == ContactStatus.PLANNED],
                "contact_days": rule_set_for(plan.starts_on).office_contact_days,
                "next_contact": next_contact(plan, held),
            },
        )


def plan_pdf(plan: IndividualActionPlan, language: str) -> bytes:
    # Imported here: WeasyPrint loads pango at import, which only the documents need.
    import weasyprint

    html = plan_html(plan, language)
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return pdf
