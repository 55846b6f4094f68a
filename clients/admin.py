"""Administrators' views of the client data. Writes that carry rules stay in the app's pages
(the services); here the registers are read, and only the code lists are edited."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from clients.models import (
    AdvisorAssignment,
    CardEntry,
    Client,
    DeregistrationReason,
    Employer,
    JobseekerCategory,
    LetterRange,
    Registration,
    Substitution,
)
from labour_office.offices.models import User


class OfficeScopedAdmin(admin.ModelAdmin[Any]):
    office_path = "office"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user: User = request.user  # type: ignore[assignment]
        if user.sees_all_offices:
            return queryset
        return queryset.filter(**{f"{self.office_path}_id": user.office_id})


class ReadOnlyAdmin(OfficeScopedAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "masked_pesel", "birth_date", "office"]
    list_filter = ["office", "sex", "education_level", "disability_degree"]
    search_fields = ["pesel", "last_name", "search_text"]
    list_select_related = ["office"]
    show_full_result_count = False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["client", "status", "registered_on", "deregistered_on", "office"]
    list_filter = ["status", "office", "jobseeker_category", "deregistration_reason"]
    search_fields = ["client__pesel", "client__last_name"]
    list_select_related = ["client", "office"]
    date_hierarchy = "registered_on"


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(ReadOnlyAdmin):
    office_path = "client__office"
    list_display = ["client", "employer", "advisor", "kind", "started_at", "ended_at"]
    list_filter = ["kind"]
    search_fields = ["client__last_name", "employer__name", "advisor__last_name"]
    list_select_related = ["client", "employer", "advisor"]


@admin.register(CardEntry)
class CardEntryAdmin(ReadOnlyAdmin):
    office_path = "client__office"
    list_display = ["created_at", "kind", "client", "employer", "author"]
    list_filter = ["kind"]
    search_fields = ["client__last_name", "employer__name", "text"]
    list_select_related = ["client", "employer", "author"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "nip", "regon", "kind", "city", "office"]
    list_filter = ["kind", "office"]
    search_fields = ["name", "nip", "regon"]
    list_select_related = ["office"]


@admin.register(Substitution)
class SubstitutionAdmin(ReadOnlyAdmin):
    list_display = ["absent", "substitute", "starts_on", "ends_on", "office"]
    list_select_related = ["absent", "substitute", "office"]


@admin.register(LetterRange)
class LetterRangeAdmin(ReadOnlyAdmin):
    """Read-only here: managers set the ranges on the assignment page, which checks them."""

    list_display = ["office", "first_letter", "last_letter", "advisor"]
    list_select_related = ["office", "advisor"]


@admin.register(JobseekerCategory, DeregistrationReason)
class DictionaryAdmin(admin.ModelAdmin[Any]):
    list_display = ["code", "name_pl", "name_en", "mark", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["mark", "is_active"]
    readonly_fields = ["code", "mark"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # One list for every office: only the operator's administrators change it.
        user: User = request.user  # type: ignore[assignment]
        return user.sees_all_offices and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
