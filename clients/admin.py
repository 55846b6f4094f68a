"""Administrators' views of the client data. Writes that carry rules stay with the services:
the registers are read here, the actions (a new advisor, recomputed dates) call the services,
and only the code lists are edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clients import services
from clients.models import (
    AdvisorAssignment,
    CardEntry,
    Client,
    DeregistrationReason,
    Employer,
    EmployerContact,
    JobseekerCategory,
    LetterRange,
    Registration,
    Substitution,
)
from labour_office.admin_scoping import (
    OfficeScopedAdmin,
    ReadOnlyAdmin,
    action_form_page,
    action_submitted,
    request_user,
)
from labour_office.offices.models import Office, Role, User

__all__ = ["OfficeScopedAdmin", "ReadOnlyAdmin"]


class ReassignForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=_("New customer advisor"), queryset=User.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        advisors = User.objects.customer_advisors().filter(office=office)
        self.fields["advisor"].queryset = advisors.order_by(  # type: ignore[attr-defined]
            "last_name", "first_name"
        )


def refresh_due_items_of(client_ids: QuerySet[Any]) -> int:
    """Recompute the due dates of these clients through ``ipd.deadlines`` (one client at a
    time, as the services do after a write); answers how many clients."""
    from ipd.deadlines import refresh_due_items

    clients = list(Client.objects.filter(pk__in=client_ids))
    for client in clients:
        refresh_due_items(client)
    return len(clients)


def can_refresh_due_items(request: HttpRequest) -> bool:
    return request_user(request).has_role(Role.ADMIN)


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    client_path = "self"
    list_display = ["last_name", "first_name", "masked_pesel", "birth_date", "office"]
    list_filter = ["office", "sex", "education_level", "disability_degree"]
    search_fields = ["pesel", "last_name", "search_text"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["reassign_advisor", "refresh_due_items"]

    def has_reassign_permission(self, request: HttpRequest) -> bool:
        return request_user(request).has_perm("clients.reassign_client")

    def has_refresh_permission(self, request: HttpRequest) -> bool:
        return can_refresh_due_items(request)

    @admin.action(
        description=_("Give the selected clients to another customer advisor"),
        permissions=["reassign"],
    )
    def reassign_advisor(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> TemplateResponse | None:
        office_ids = list(queryset.order_by().values_list("office_id", flat=True).distinct()[:2])
        if len(office_ids) != 1:
            self.message_user(
                request, _("Select clients of one office at a time."), messages.WARNING
            )
            return None
        office = Office.objects.get(pk=office_ids[0])
        form = ReassignForm(request.POST if action_submitted(request) else None, office=office)
        if form.is_valid():
            try:
                moved = services.advisor_bulk_reassign(
                    acting_user=request_user(request),
                    office=office,
                    client_ids=queryset.values_list("pk", flat=True),
                    advisor=form.cleaned_data["advisor"],
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDenied:
                self.message_user(
                    request, _("You may not reassign clients of this office."), messages.ERROR
                )
                return None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d client has a new customer advisor.",
                        "%(count)d clients have a new customer advisor.",
                        moved,
                    )
                    % {"count": moved},
                )
                return None
        return action_form_page(
            self,
            request,
            action="reassign_advisor",
            form=form,
            title=_("Give clients to another customer advisor"),
            intro=_(
                "The clients get the advisor chosen below; each client's journal records the "
                "change and its reason. Clients who already have this advisor stay as they are."
            ),
            submit_label=_("Reassign"),
        )

    @admin.action(
        description=_("Recompute the due dates of the selected clients"),
        permissions=["refresh"],
    )
    def refresh_due_items(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        count = refresh_due_items_of(queryset.values("pk"))
        self.message_user(
            request,
            ngettext(
                "Due dates recomputed for %(count)d client.",
                "Due dates recomputed for %(count)d clients.",
                count,
            )
            % {"count": count},
        )


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    client_path = "client"
    list_display = ["client", "status", "registered_on", "deregistered_on", "office"]
    list_filter = ["status", "office", "jobseeker_category", "deregistration_reason"]
    search_fields = ["client__pesel", "client__last_name"]
    list_select_related = ["client", "office"]
    autocomplete_fields = ["client", "office", "created_by"]
    date_hierarchy = "registered_on"
    show_full_result_count = False


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(ReadOnlyAdmin):
    office_path = ("client__office", "employer__office")
    client_path = "client"
    list_display = ["client", "employer", "advisor", "kind", "started_at", "ended_at"]
    list_filter = ["kind", ("ended_at", admin.EmptyFieldListFilter), "advisor"]
    search_fields = ["client__pesel", "client__last_name", "employer__name", "advisor__last_name"]
    list_select_related = ["client", "employer", "advisor"]
    autocomplete_fields = ["client", "employer", "advisor", "assigned_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False


@admin.register(CardEntry)
class CardEntryAdmin(ReadOnlyAdmin):
    office_path = ("client__office", "employer__office")
    client_path = "client"
    list_display = ["created_at", "kind", "client", "employer", "author"]
    list_filter = ["kind"]
    search_fields = ["client__pesel", "client__last_name", "employer__name", "text"]
    list_select_related = ["client", "employer", "author"]
    autocomplete_fields = ["client", "employer", "author"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "nip", "regon", "kind", "city", "office"]
    list_filter = ["kind", "office"]
    search_fields = ["name", "nip", "regon", "search_text"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    date_hierarchy = "created_at"


@admin.register(EmployerContact)
class EmployerContactAdmin(ReadOnlyAdmin):
    office_path = "employer__office"
    list_display = ["name", "position", "employer", "phone", "email"]
    list_filter = ["employer__kind"]
    search_fields = ["name", "employer__name", "email"]
    list_select_related = ["employer"]
    autocomplete_fields = ["employer"]


@admin.register(Substitution)
class SubstitutionAdmin(ReadOnlyAdmin):
    list_display = ["absent", "substitute", "starts_on", "ends_on", "office"]
    list_filter = ["office", "absent", "substitute"]
    search_fields = ["absent__last_name", "substitute__last_name", "reason"]
    list_select_related = ["absent", "substitute", "office"]
    autocomplete_fields = ["office", "absent", "substitute", "created_by"]
    date_hierarchy = "starts_on"


@admin.register(LetterRange)
class LetterRangeAdmin(ReadOnlyAdmin):
    """Read-only here: managers set the ranges on the assignment page, which checks them."""

    list_display = ["office", "first_letter", "last_letter", "advisor"]
    list_filter = ["office", "advisor"]
    search_fields = ["advisor__last_name", "first_letter"]
    list_select_related = ["office", "advisor"]
    autocomplete_fields = ["office", "advisor"]


@admin.register(JobseekerCategory, DeregistrationReason)
class DictionaryAdmin(admin.ModelAdmin[Any]):
    list_display = ["code", "name_pl", "name_en", "mark", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["mark", "is_active"]
    search_fields = ["code", "name_pl", "name_en"]
    readonly_fields = ["code", "mark"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # One list for every office: only the operator's administrators change it.
        return request_user(request).sees_all_offices and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
