"""The retention policy and the reports of its runs in the Django admin.

The policy acts on every office of the installation: office administrators read it, those who
see every office (national administrators, superusers) change it. A run's report is read-only
and lists to each administrator the clients of the offices they see.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from labour_office.admin_scoping import request_user
from labour_office.offices.access import visible_offices
from labour_office.offices.models import User
from labour_office.retention.models import RetentionPolicy, RetentionRun

# A report lists at most this many clients on its page; ``manage.py retention --dry-run``
# prints them all.
REPORT_ROWS = 1000


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin[RetentionPolicy]):
    list_display = ["__str__", "mode", "years_after_closure", "updated_at", "updated_by"]
    fields = ["mode", "years_after_closure", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    search_fields = ["mode"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request_user(request).sees_all_offices and super().has_change_permission(
            request, obj
        )

    def save_model(
        self, request: HttpRequest, obj: RetentionPolicy, form: Any, change: bool
    ) -> None:
        obj.updated_by = request_user(request)
        super().save_model(request, obj, form, change)


def report_for(user: User, run: RetentionRun) -> dict[str, Any]:
    """The clients of a run's report the user may see (those of their offices), the first
    ``REPORT_ROWS`` of them with a link to each client's page: two queries."""
    entries = run.entries.all()
    if not user.sees_all_offices:
        entries = entries.filter(office__in=visible_offices(user))
    count = entries.count()
    rows = [
        {"client": client_id, "url": reverse("client_detail", args=[client_id]), "closed_on": day}
        for client_id, day in entries.order_by("client_id").values_list("client_id", "closed_on")[
            :REPORT_ROWS
        ]
    ]
    return {"count": count, "rows": rows, "more": count - len(rows)}


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin[RetentionRun]):
    """Read-only reports: the change page lists the clients below the run's numbers."""

    change_form_template = "admin/retention/retentionrun/change_form.html"
    list_display = [
        "started_at",
        "mode",
        "years_after_closure",
        "cutoff",
        "clients_count",
        "finished",
    ]
    list_filter = ["mode", "finished"]
    search_fields = ["mode"]
    date_hierarchy = "started_at"
    fields = readonly_fields = (
        "started_at",
        "finished_at",
        "run_on",
        "mode",
        "years_after_closure",
        "cutoff",
        "clients_count",
        "finished",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            context["report"] = report_for(request_user(request), obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
