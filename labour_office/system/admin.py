from django.contrib import admin

from labour_office.system.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ["name", "last_seen", "hostname", "count"]
    readonly_fields = ["name", "last_seen", "hostname", "count"]
