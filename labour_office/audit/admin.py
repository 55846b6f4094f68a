from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from labour_office.audit.models import AccessLog
from labour_office.offices.models import User


def _own_office(queryset: QuerySet[Any], request: HttpRequest, user_field: str) -> QuerySet[Any]:
    """An office administrator sees what the staff of their own office did; national ones all."""
    user: User = request.user  # type: ignore[assignment]
    if user.sees_all_offices:
        return queryset
    return queryset.filter(**{f"{user_field}__office_id": user.office_id})


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ["timestamp", "user", "action", "content_type", "object_repr", "remote_addr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user__username", "user__last_name"]
    list_select_related = ["user", "content_type"]
    autocomplete_fields = ["user"]
    date_hierarchy = "timestamp"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessLog]:
        return _own_office(super().get_queryset(request), request, "user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class OfficeLogEntryAdmin(LogEntryAdmin):  # type: ignore[misc]
    def get_queryset(self, request: HttpRequest) -> QuerySet[LogEntry]:
        return _own_office(super().get_queryset(request), request, "actor")
