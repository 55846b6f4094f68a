from django.contrib import admin

from labour_office.admin_scoping import ReadOnlyAdmin
from labour_office.dashboard.models import Caseload


@admin.register(Caseload)
class CaseloadAdmin(ReadOnlyAdmin):
    """The dashboard's copy, read-only: ``manage.py rebuild_caseload`` recomputes it."""

    list_display = [
        "client",
        "office",
        "advisor",
        "status",
        "profile",
        "registered_on",
        "contact_due",
        "prepare_due",
    ]
    list_filter = ["status", "profile", "office"]
    list_select_related = ["client", "office", "advisor"]
    search_fields = ["client__pesel", "client__last_name"]
    autocomplete_fields = ["client", "office", "advisor"]
    show_full_result_count = False
