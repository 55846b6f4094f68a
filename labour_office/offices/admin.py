from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from labour_office.offices.access import visible_offices
from labour_office.offices.models import Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name", "teryt_powiat", "city", "assignment_strategy", "is_active"]
    list_filter = ["is_active", "assignment_strategy", "job_club_public_page"]
    search_fields = ["name", "city", "teryt_powiat"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Office]:
        user: User = request.user  # type: ignore[assignment]
        return super().get_queryset(request) & visible_offices(user)


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = [
        "username",
        "last_name",
        "first_name",
        "office",
        "post",
        "is_customer_advisor",
        "is_active",
    ]
    list_filter = ["office", "post", "is_customer_advisor", "is_active", "groups"]
    list_select_related = ["office"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["office"]
    date_hierarchy = "date_joined"
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Office"),
            {
                "fields": [
                    "office",
                    "post",
                    "is_customer_advisor",
                    "is_national_admin",
                    "must_change_password",
                ]
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset: QuerySet[User] = super().get_queryset(request)
        user: User = request.user  # type: ignore[assignment]
        return queryset.visible_to(user)  # type: ignore[attr-defined,no-any-return]

    def get_list_filter(self, request: HttpRequest) -> Any:
        user: User = request.user  # type: ignore[assignment]
        if user.sees_all_offices:
            return self.list_filter
        return [f for f in self.list_filter if f != "office"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        user: User = request.user  # type: ignore[assignment]
        if not user.sees_all_offices:
            obj.office_id = user.office_id
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        user: User = request.user  # type: ignore[assignment]
        if user.is_superuser:
            return ()
        # Office administrators manage their office's accounts, not privileges or offices.
        return ("is_superuser", "is_national_admin", "user_permissions", "office")


# Authenticators are managed on the staff's own pages (set up, recovery codes, a manager's
# reset for a lost phone), never in the admin: its device forms would show the TOTP secrets and
# recovery codes of every account to anyone who can open them.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
