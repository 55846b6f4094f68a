"""The system's state for administrators: the heartbeat, the parameters of the law, and the
beat schedule. The schedule's source is code (docs/decisions/0003): beat writes each entry of
``labour_office/celery.py`` into the database at start, so the admin shows it with its last run,
may pause it, and a retime lasts until beat restarts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from labour_office.system.models import Heartbeat, Parameter

CODE_ENTRY_FIELDS = ("name", "regtask", "task", "args", "kwargs")


def code_schedule() -> dict[str, Any]:
    """The entries of the beat schedule in code, by name."""
    from labour_office.celery import app

    return dict(app.conf.beat_schedule or {})


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ["name", "last_seen", "hostname", "count"]
    readonly_fields = ["name", "last_seen", "hostname", "count"]
    search_fields = ["name", "hostname"]
    date_hierarchy = "last_seen"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin[Parameter]):
    list_display = ["key", "value", "mark", "description"]
    list_filter = ["mark"]
    search_fields = ["key", "description"]
    readonly_fields = ["key", "mark"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CodeEntryFormMixin:
    """An entry defined in code keeps its name, task and arguments: beat finds it by name and
    writes the code's values back at start, so a renamed copy would run twice."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CODE_ENTRY_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = True
        if "name" in self.fields:
            self.fields["name"].help_text = _(
                "Defined in code (labour_office/celery.py). Pausing here lasts; a changed "
                "schedule lasts until the scheduler restarts and writes the code's schedule "
                "again."
            )


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):  # type: ignore[misc]
    change_list_template = "admin/system/periodictask_change_list.html"
    list_display = (
        "name",
        "in_code",
        "enabled",
        "task",
        "interval",
        "crontab",
        "last_run_at",
        "total_run_count",
    )
    list_filter = ["enabled", "one_off", "task", "last_run_at"]
    search_fields = ("name", "task", "description")

    @admin.display(boolean=True, description=_("defined in code"))
    def in_code(self, obj: PeriodicTask) -> bool:
        return obj.name in code_schedule()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "schedule_note": _(
                "The schedule is kept in code (labour_office/celery.py) and written here each "
                "time the scheduler starts. Here you can pause an entry (it stays paused) and "
                "see when it last ran; a changed interval or time lasts only until the next "
                "start. An entry removed from code stays here: disable or delete it."
            ),
        }
        return super().changelist_view(request, extra_context)  # type: ignore[no-any-return]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.name in code_schedule():
            return type("CodeEntryForm", (CodeEntryFormMixin, form), {})
        return form

    def get_actions(self, request: HttpRequest) -> Any:
        # One by one, where the entries from code refuse (beat would write them back).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.name in code_schedule():
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[no-any-return]
