"""The client's personal-data report (GDPR art. 15): a printable page, a PDF and a JSON export.

Producing the report is a right of managers and office administrators
(``audit.report_personal_data``): the office's data-protection requests go through them.
Every view is scoped to the user's offices and logs its own access (viewed, printed,
exported) before gathering the report, so the report shows that access too.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from clients import selectors
from clients.gdpr import PersonalDataReport, personal_data_report, report_as_dict
from labour_office.audit.models import AccessAction
from labour_office.audit.services import access_record
from labour_office.offices.http import AuthenticatedHttpRequest

PERMISSION = "audit.report_personal_data"


def _report(request: AuthenticatedHttpRequest, pk: int, action: str) -> PersonalDataReport:
    client = selectors.get_client_for_user(request.user, pk)
    access_record(request=request, obj=client, action=action)
    return personal_data_report(client)


@permission_required(PERMISSION, raise_exception=True)
def personal_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report as a page; its print style leaves out the navigation."""
    report = _report(request, pk, AccessAction.VIEW)
    return render(request, "clients/gdpr_report.html", {"report": report, "client": report.client})


def report_pdf(report: PersonalDataReport) -> bytes:
    """The report as a tagged PDF (PDF/UA), in the language of the request."""
    # Imported here: WeasyPrint loads pango at import, which only the documents need.
    import weasyprint

    html = render_to_string(
        "clients/gdpr_document.html",
        {
            "report": report,
            "client": report.client,
            "office": report.office,
            "language": translation.get_language(),
        },
    )
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return pdf


@permission_required(PERMISSION, raise_exception=True)
def personal_data_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, AccessAction.PRINT)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="personal-data-{report.client.pk}.pdf"'
    return response


@permission_required(PERMISSION, raise_exception=True)
def personal_data_json(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report, machine-readable (GDPR art. 15(3): a copy of the data)."""
    report = _report(request, pk, AccessAction.EXPORT)
    body = json.dumps(report_as_dict(report), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{report.client.pk}.json"'
    )
    return response
