"""What every app's Django admin shares: office scoping, read-only registers, access logging.

An administrator of an office sees in the admin what they see in the application (DESIGN,
rule 1): rows of their own office, choices (foreign keys, filters, autocomplete) from their own
office. National administrators and superusers see every office. Registers whose writes carry
rules are read-only here; their admin actions call the services.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from labour_office.offices.access import visible_offices
from labour_office.offices.models import Office, User


def request_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def scoped_choices(
    site: admin.AdminSite, model: type[models.Model], request: HttpRequest
) -> QuerySet[Any] | None:
    """The rows of ``model`` the user may pick or filter by; None where nothing is scoped."""
    user = request_user(request)
    if model is Office:
        return visible_offices(user)
    if model is User:
        return User.objects.visible_to(user)
    related = site._registry.get(model)
    if isinstance(related, OfficeScopedAdmin):
        return related.get_queryset(request)
    return None


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter by a related row that offers only the rows of the user's office."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> Any:
        queryset = scoped_choices(model_admin.admin_site, field.remote_field.model, request)
        if queryset is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset]


class OfficeScopedAdmin(admin.ModelAdmin[Any]):
    """``office_path``: the lookup (or lookups, any of which may match) from the model to its
    office, e.g. ``"office"``, ``"client__office"``, ``("client__office", "employer__office")``.
    ``client_path``: the client whose personal data the change page shows (``"self"`` for a
    client); opening it is written to the access log as in the application."""

    office_path: str | tuple[str, ...] = "office"
    client_path: str | None = None

    def office_condition(self, office_id: int) -> Q:
        paths = (self.office_path,) if isinstance(self.office_path, str) else self.office_path
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}_id": office_id})
        return condition

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = request_user(request)
        if user.sees_all_offices:
            return queryset
        if user.office_id is None:
            return queryset.none()
        return queryset.filter(self.office_condition(user.office_id))

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "queryset" not in kwargs:
            queryset = scoped_choices(self.admin_site, db_field.remote_field.model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if "queryset" not in kwargs:
            queryset = scoped_choices(self.admin_site, db_field.remote_field.model, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Filters by a related row offer the user's office only; a filter by office is
        dropped for an office's own administrator (it would have one choice)."""
        user = request_user(request)
        filters: list[Any] = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str):
                field = get_fields_from_path(self.model, entry)[-1]
                if isinstance(field, models.ForeignKey | models.ManyToManyField):
                    if field.related_model is Office and not user.sees_all_offices:
                        continue
                    entry = (entry, ScopedRelatedFieldListFilter)
            filters.append(entry)
        return filters

    def accessed_client(self, obj: Any) -> models.Model | None:
        if self.client_path is None:
            return None
        if self.client_path == "self":
            return obj  # type: ignore[no-any-return]
        client: models.Model | None = attrgetter(self.client_path.replace("__", "."))(obj)
        return client

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and request.method == "GET":
            client = self.accessed_client(obj)
            if client is not None:
                from labour_office.audit.services import access_record

                access_record(request=request, obj=client)  # type: ignore[arg-type]
        return super().render_change_form(request, context, add, change, form_url, obj)


class ReadOnlyAdmin(OfficeScopedAdmin):
    """A register whose writes carry rules: read here, changed through the application's
    pages or this admin's actions, both of which call the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def action_submitted(request: HttpRequest) -> bool:
    """True when the action's own form (``action_form_page``) was sent, not the changelist."""
    return request.POST.get("apply") == "yes"


def action_form_page(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    *,
    action: str,
    form: forms.Form,
    title: Any,
    intro: Any,
    submit_label: Any,
) -> TemplateResponse:
    """The page an action asks its details on (a reason, an advisor), then posts back to the
    changelist with the same selection, like Django's delete confirmation."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "form": form,
        "opts": opts,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/action_form.html", context)
