"""Administrators' views of the individual action plans and of what is due. Plans, actions,
contacts and versions change only through the plan pages (ipd.services); due dates are derived
from the data, so the admin recomputes them (ipd.deadlines) rather than edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clients.admin import can_refresh_due_items, refresh_due_items_of
from ipd.models import (
    Contact,
    Digest,
    DueItem,
    IndividualActionPlan,
    PlanAction,
    PlanVersion,
    Reminder,
)
from labour_office.admin_scoping import ReadOnlyAdmin, request_user
from labour_office.offices.models import Role


class RefreshDueItemsMixin(ReadOnlyAdmin):
    """An action recomputing the due dates of the clients of the selected rows."""

    def has_refresh_permission(self, request: HttpRequest) -> bool:
        return can_refresh_due_items(request)

    @admin.action(
        description=_("Recompute the due dates of these clients"), permissions=["refresh"]
    )
    def refresh_due_items(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = refresh_due_items_of(queryset.values("client_id"))
        self.message_user(
            request,
            ngettext(
                "Due dates recomputed for %(count)d client.",
                "Due dates recomputed for %(count)d clients.",
                count,
            )
            % {"count": count},
        )


@admin.register(IndividualActionPlan)
class IndividualActionPlanAdmin(RefreshDueItemsMixin):
    office_path = "client__office"
    client_path = "client"
    list_display = [
        "client",
        "status",
        "profile",
        "starts_on",
        "ends_on",
        "max_end",
        "version",
        "advisor",
    ]
    list_filter = ["status", "profile", "end_reason", "amending", "client_refused", "advisor"]
    list_select_related = ["client", "advisor"]
    search_fields = ["client__pesel", "client__last_name", "advisor__last_name"]
    autocomplete_fields = [
        "client",
        "registration",
        "assessment",
        "based_on",
        "advisor",
        "specialists",
        "created_by",
    ]
    date_hierarchy = "starts_on"
    show_full_result_count = False
    actions = ["refresh_due_items"]


@admin.register(PlanAction)
class PlanActionAdmin(ReadOnlyAdmin):
    office_path = "plan__client__office"
    client_path = "plan__client"
    list_display = ["title", "plan", "kind", "status", "starts_on", "ends_on", "responsible"]
    list_filter = ["kind", "status", "form"]
    list_select_related = ["plan__client", "form", "responsible"]
    search_fields = ["description", "plan__client__pesel", "plan__client__last_name"]
    autocomplete_fields = ["plan", "form", "responsible"]
    date_hierarchy = "starts_on"
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    office_path = "plan__client__office"
    client_path = "plan__client"
    list_display = ["contact_on", "plan", "status", "channel", "staff"]
    list_filter = ["status", "channel", "staff"]
    list_select_related = ["plan__client", "staff"]
    search_fields = ["plan__client__pesel", "plan__client__last_name", "outcome", "note"]
    autocomplete_fields = ["plan", "staff", "recorded_by"]
    date_hierarchy = "contact_on"
    show_full_result_count = False


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    office_path = "plan__client__office"
    client_path = "plan__client"
    list_display = ["plan", "number", "agreed_on", "created_by"]
    list_select_related = ["plan__client", "created_by"]
    search_fields = ["plan__client__pesel", "plan__client__last_name", "reason"]
    autocomplete_fields = ["plan", "created_by"]
    date_hierarchy = "agreed_on"
    show_full_result_count = False


@admin.register(DueItem)
class DueItemAdmin(RefreshDueItemsMixin):
    list_display = ["client", "kind", "due_on", "act_by", "plan", "office"]
    list_filter = ["kind", "office"]
    list_select_related = ["client", "office", "plan__client"]
    search_fields = ["client__pesel", "client__last_name"]
    autocomplete_fields = ["client", "office", "plan"]
    show_full_result_count = False
    actions = ["refresh_due_items"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["client", "kind", "stage", "due_on", "act_by", "advisor", "done_at"]
    list_filter = [
        "stage",
        "kind",
        ("done_at", admin.EmptyFieldListFilter),
        "advisor",
    ]
    list_select_related = ["client", "advisor"]
    search_fields = ["client__pesel", "client__last_name", "advisor__last_name"]
    autocomplete_fields = ["client", "office", "advisor", "plan", "done_by"]
    show_full_result_count = False
    actions = ["mark_done"]

    def has_close_permission(self, request: HttpRequest) -> bool:
        return request_user(request).has_role(Role.MANAGER, Role.ADMIN)

    @admin.action(description=_("Mark the selected reminders done"), permissions=["close"])
    def mark_done(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        # As the inbox closes one (ipd.views.reminder_done): done now, by this person.
        count = queryset.filter(done_at__isnull=True).update(
            done_at=timezone.now(), done_by=request_user(request)
        )
        self.message_user(
            request,
            ngettext("%(count)d reminder marked done.", "%(count)d reminders marked done.", count)
            % {"count": count},
        )


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    office_path = "advisor__office"
    list_display = ["day", "advisor", "reminders", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "advisor"]
    list_select_related = ["advisor"]
    search_fields = ["advisor__last_name", "advisor__username"]
    autocomplete_fields = ["advisor"]
    date_hierarchy = "day"
