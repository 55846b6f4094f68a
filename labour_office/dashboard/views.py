"""The managers' dashboard, its drill-down lists and their exports.

Managers see their office; national administrators may pick one office or see all. Every list
is the number it came from, with the same filters; every export is logged in the access log,
one entry per client exported. All four pages may read from the read replica when one is
configured (``labour_office/db_router.py``); the access log is written on the primary."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from clients import selectors as client_selectors
from clients.forms import BulkReassignForm
from clients.models import Client, Status
from labour_office.audit.models import AccessAction, AccessLog
from labour_office.dashboard import selectors
from labour_office.dashboard.forms import FilterForm
from labour_office.db_router import reads_from_replica
from labour_office.offices.http import AuthenticatedHttpRequest
from labour_office.offices.ip import client_ip
from labour_office.offices.models import Role

PAGE_SIZE = 50
EXPORT_BATCH = 2000


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_role(Role.MANAGER, Role.ADMIN):
        raise PermissionDenied


def _filters(request: AuthenticatedHttpRequest) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None, user=request.user)
    return form, form.filters()


class _Links:
    """The list behind each number, with the page's filters and the cell's own. A large
    office's advisor table has a thousand of them: each list's URL is reversed once."""

    def __init__(self, filters: selectors.Filters) -> None:
        self.query = filters.query()
        self.urls: dict[str, str] = {}

    def __call__(self, key: str, **changes: Any) -> str:
        url = self.urls.get(key)
        if url is None:
            url = self.urls[key] = reverse("dashboard:list", args=[key])
        params = {**self.query, **{k: v for k, v in changes.items() if v}}
        return f"{url}?{urlencode(params)}" if params else url


@reads_from_replica
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manager(request)
    form, filters = _filters(request)
    today = timezone.localdate()
    numbers = selectors.counts(filters, today)
    months, trends = selectors.trends(filters, today)
    advisors = selectors.per_advisor(filters)
    link = _Links(filters)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "cards": [
                (metric, numbers.get(key, 0), link(key))
                for key, metric in selectors.METRICS.items()
            ],
            "advisors": [
                {
                    "row": row,
                    "link": link("registered", advisor=row.advisor_id or "none"),
                    "status": [
                        (
                            row.by_status[s],
                            link("registered", advisor=row.advisor_id or "none", status=s),
                        )
                        for s in (Status.UNEMPLOYED, Status.JOBSEEKER)
                    ],
                    "profiles": [
                        (
                            row.by_profile[p],
                            link("registered", advisor=row.advisor_id or "none", profile=p),
                        )
                        for p in (*selectors.PROFILES, selectors.NO_PROFILE)
                    ],
                }
                for row in advisors
            ],
            "activities": selectors.job_clubs(filters, today),
            "trends": trends,
            "trend_rows": [
                (
                    month,
                    [
                        (trend.values[index], _trend_link(trend.key, month, filters))
                        for trend in trends
                    ],
                )
                for index, month in enumerate(months)
            ],
            "chart": {
                "labels": [m.strftime("%m.%Y") for m in months],
                "series": [{"label": str(t.label), "values": t.values} for t in trends],
            },
            "today": today,
        },
    )


def _trend_link(key: str, month: date, filters: selectors.Filters) -> str:
    url = reverse("dashboard:trend", args=[key, month.strftime("%Y-%m")])
    office = {k: v for k, v in filters.query().items() if k == "office"}
    return f"{url}?{urlencode(office)}" if office else url


@reads_from_replica
def trend_list(request: AuthenticatedHttpRequest, key: str, month: str) -> HttpResponse:
    """The clients one cell of the trends table counts (the office filter applies)."""
    _require_manager(request)
    if key not in selectors.TREND_LABELS:
        raise Http404
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    _form, filters = _filters(request)
    page = Paginator(selectors.trend_list(key, first, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    office = {k: v for k, v in filters.query().items() if k == "office"}
    return render(
        request,
        "dashboard/trend_list.html",
        {
            "label": selectors.TREND_LABELS[key],
            "month": first,
            "page": page,
            "query_string": urlencode(office),
            "dashboard_url": reverse("dashboard:dashboard")
            + (f"?{urlencode(office)}" if office else ""),
        },
    )


def _metric(key: str) -> selectors.Metric:
    metric = selectors.METRICS.get(key)
    if metric is None:
        raise Http404
    return metric


@reads_from_replica
def metric_list(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The clients a number counts, 50 a page; a manager of one office can tick them and give
    them to another advisor (the clients' bulk reassignment)."""
    _require_manager(request)
    metric = _metric(key)
    form, filters = _filters(request)
    today = timezone.localdate()
    page = Paginator(selectors.metric_list(metric, filters, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    office = request.user.office
    can_move = office is not None and request.user.has_perm("clients.reassign_client")
    query = urlencode(filters.query())
    move_form = None
    if can_move and office is not None:
        move_form = BulkReassignForm(
            advisors=client_selectors.office_advisors(office.pk),
            clients=Client.objects.none(),
            prefix="move",
        )
        move_form.fields["advisor"].widget.attrs["class"] = "form-select"
    return render(
        request,
        "dashboard/list.html",
        {
            "metric": metric,
            "form": form,
            "page": page,
            "query_string": query,
            "dashboard_url": reverse("dashboard:dashboard") + (f"?{query}" if query else ""),
            "move_form": move_form,
            "today": today,
        },
    )


def _rows(metric: selectors.Metric, clients: list[Any]) -> Iterator[list[Any]]:
    for client in clients:
        yield [
            client.last_name,
            client.first_name,
            client.birth_date.year,
            str(Status(client.current_status).label) if client.current_status else "",
            client.current_profile or "",
            " ".join(
                filter(None, (client.current_advisor_first_name, client.current_advisor_last_name))
            ),
            client.current_registered_on,
            getattr(client, "due_on", None) or "",
        ]


def _header(metric: selectors.Metric) -> list[str]:
    return [
        _("Surname"),
        _("First name"),
        _("Year of birth"),
        _("Status"),
        _("Profile"),
        _("Customer advisor"),
        _("Registered on"),
        str(metric.due_column or ""),
    ]


@reads_from_replica
def export(request: AuthenticatedHttpRequest, key: str, fmt: str) -> HttpResponse:
    """The list as CSV or XLSX with the same filters. No PESEL (data minimisation): names,
    year of birth and the caseload columns; each exported client is logged as exported."""
    _require_manager(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    metric = _metric(key)
    _form, filters = _filters(request)
    today = timezone.localdate()
    queryset = selectors.metric_list(metric, filters, today)
    clients: list[Any] = list(queryset)
    content_type = ContentType.objects.get_for_model(Client)
    address = client_ip(request)
    AccessLog.objects.bulk_create(
        (
            AccessLog(
                user=request.user,
                content_type=content_type,
                object_id=str(client.pk),
                object_repr=str(client)[:200],
                action=AccessAction.EXPORT,
                remote_addr=address,
            )
            for client in clients
        ),
        batch_size=EXPORT_BATCH,
    )
    name = f"{key}-{today.isoformat()}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(_header(metric))
        writer.writerows(
            [value.isoformat() if isinstance(value, date) else value for value in row]
            for row in _rows(metric, clients)
        )
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(metric.label)[:31])
        sheet.append(_header(metric))
        for row in _rows(metric, clients):
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
