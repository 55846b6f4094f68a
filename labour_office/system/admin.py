from django.contrib import admin
from django.http import HttpRequest

from labour_office.system.models import Heartbeat, Parameter


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ["name", "last_seen", "hostname", "count"]
    readonly_fields = ["name", "last_seen", "hostname", "count"]


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin[Parameter]):
    list_display = ["key", "value", "mark", "description"]
    search_fields = ["key", "description"]
    readonly_fields = ["key", "mark"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
