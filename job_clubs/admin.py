"""Administrators' views of the job clubs. Clubs, activities and sessions are the office's
set-up and may be corrected here (a changed number of places goes through the service, which
fills new places from the waiting list); enrolments and attendance are read-only, and an
enrolment is cancelled through the service, as on the activity page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from job_clubs import services
from job_clubs.models import HOLDS_A_PLACE, Activity, Attendance, Enrolment, JobClub, Session
from labour_office.admin_scoping import (
    OfficeScopedAdmin,
    ReadOnlyAdmin,
    action_form_page,
    action_submitted,
    request_user,
)


class JobClubForm(forms.ModelForm[JobClub]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office, leader = data.get("office"), data.get("leader")
        if office and leader and leader.office_id != office.pk:
            self.add_error("leader", _("Choose a staff member of the club's office."))
        return data


@admin.register(JobClub)
class JobClubAdmin(OfficeScopedAdmin):
    form = JobClubForm
    list_display = ["name", "office", "place", "leader", "public_page", "is_active"]
    list_filter = ["is_active", "public_page", "office"]
    list_select_related = ["office", "leader"]
    search_fields = ["name", "place"]
    autocomplete_fields = ["office", "leader"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActivityForm(forms.ModelForm[Activity]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        club, leader = data.get("club"), data.get("leader")
        if club and leader and leader.office_id != club.office_id:
            self.add_error("leader", _("Choose a staff member of the club's office."))
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None and capacity != self.instance.capacity:
            # The service checks this again under the activity's lock when saving.
            taken = Enrolment.objects.filter(
                activity_id=self.instance.pk, status__in=HOLDS_A_PLACE
            ).count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _("%(taken)s people already hold places; the activity cannot have fewer.")
                    % {"taken": taken},
                )
        return data


@admin.register(Activity)
class ActivityAdmin(OfficeScopedAdmin):
    form = ActivityForm
    office_path = "club__office"
    list_display = [
        "title",
        "club",
        "kind",
        "capacity",
        "enrolment_opens_on",
        "enrolment_closes_on",
        "leader",
    ]
    list_filter = ["kind", "club"]
    list_select_related = ["club", "leader"]
    search_fields = ["title", "club__name"]
    autocomplete_fields = ["club", "leader"]
    date_hierarchy = "enrolment_opens_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once created, an activity stays in its club: enrolments and the IPD follow it.
        return ("club",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Activity, form: Any, change: bool) -> None:
        wanted = obj.capacity
        if not change or "capacity" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        obj.capacity = form.initial["capacity"]
        super().save_model(request, obj, form, change)
        promoted = services.set_capacity(
            acting_user=request_user(request),
            activity=obj,
            capacity=wanted,
            on=timezone.localdate(),
        )
        obj.capacity = wanted
        for enrolment in promoted:
            self.message_user(
                request,
                _("%(client)s has a place now (from the waiting list).")
                % {"client": enrolment.client},
                messages.INFO,
            )


class SessionForm(forms.ModelForm[Session]):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, hours = data.get("starts_at"), data.get("ends_at"), data.get("hours")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session ends after it starts."))
        elif (
            starts and ends and hours is not None and hours * 3600 > (ends - starts).total_seconds()
        ):
            self.add_error("hours", _("More hours than the session lasts."))
        return data


@admin.register(Session)
class SessionAdmin(OfficeScopedAdmin):
    form = SessionForm
    office_path = "activity__club__office"
    list_display = ["activity", "starts_at", "ends_at", "room", "hours"]
    list_filter = ["activity__club"]
    list_select_related = ["activity"]
    search_fields = ["activity__title", "room"]
    autocomplete_fields = ["activity"]
    date_hierarchy = "starts_at"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting goes one by one, where a session with attendance refuses.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.attendance.exists():
            return False
        return super().has_delete_permission(request, obj)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    office_path = "activity__club__office"
    client_path = "client"
    list_display = [
        "client",
        "activity",
        "status",
        "enrolled_at",
        "hours_attended",
        "certificate_number",
    ]
    list_filter = ["status", "activity__club", "good_reason"]
    list_select_related = ["client", "activity"]
    search_fields = [
        "client__pesel",
        "client__last_name",
        "activity__title",
        "certificate_number",
    ]
    autocomplete_fields = ["activity", "client", "enrolled_by", "plan_action"]
    date_hierarchy = "enrolled_at"
    show_full_result_count = False
    actions = ["cancel_enrolments"]

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request_user(request).has_perm("job_clubs.change_enrolment")

    @admin.action(description=_("Cancel the selected enrolments"), permissions=["cancel"])
    def cancel_enrolments(
        self, request: HttpRequest, queryset: QuerySet[Enrolment]
    ) -> TemplateResponse | None:
        form = CancelForm(request.POST if action_submitted(request) else None)
        if not form.is_valid():
            return action_form_page(
                self,
                request,
                action="cancel_enrolments",
                form=form,
                title=_("Cancel enrolments"),
                intro=_(
                    "Each enrolment is cancelled as on the activity page: the place goes to "
                    "the first on the waiting list, and the client's journal and IPD follow."
                ),
                submit_label=_("Cancel the enrolments"),
            )
        cancelled = 0
        for enrolment in queryset.select_related("activity__club__office", "client"):
            try:
                services.cancel(
                    acting_user=request_user(request),
                    enrolment=enrolment,
                    reason=form.cleaned_data["reason"],
                    on=timezone.localdate(),
                )
            except (ValidationError, PermissionDenied) as error:
                reasons = getattr(error, "messages", None) or [_("Not permitted.")]
                self.message_user(
                    request, f"{enrolment}: {' '.join(map(str, reasons))}", messages.WARNING
                )
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d enrolment cancelled.", "%(count)d enrolments cancelled.", cancelled
                )
                % {"count": cancelled},
            )
        return None


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    office_path = "session__activity__club__office"
    client_path = "enrolment__client"
    list_display = ["session", "enrolment", "mark", "recorded_by", "recorded_at"]
    list_filter = ["mark", "session__activity__club"]
    list_select_related = [
        "session__activity",
        "enrolment__client",
        "enrolment__activity",
        "recorded_by",
    ]
    search_fields = [
        "enrolment__client__pesel",
        "enrolment__client__last_name",
        "session__activity__title",
    ]
    autocomplete_fields = ["session", "enrolment", "recorded_by"]
    date_hierarchy = "recorded_at"
    show_full_result_count = False
