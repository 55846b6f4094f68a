"""Everything the office holds about a client, with who opened it and who changed it
(GDPR art. 15: the right of access; DESIGN rule 2).

``personal_data_report`` gathers the report in a fixed number of queries, one per kind of
record whatever their number: the card, the registration periods, the customer advisors, the
card journal, the assessments (with the answers), the plans with their versions, actions and
contacts, the job-club enrolments and attendance, the deadlines and reminders naming the
client; then the access log of the record and the change history (django-auditlog) of the card
and of every one of those records. The same report is shown as a page, printed to PDF and
exported as JSON (``report_as_dict``), so the three always hold the same sections.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import AdvisorAssignment, CardEntry, Client, Registration
from ipd.models import Contact, DueItem, IndividualActionPlan, PlanAction, PlanVersion, Reminder
from job_clubs.models import Attendance, Enrolment
from labour_office.audit.models import AccessLog
from labour_office.offices.models import Office, User
from profiling.models import Assessment

JSONValue = Any  # what json.dumps accepts: str, int, float, bool, None, lists and dicts of them

EMPTY = "—"


@dataclass(frozen=True)
class Item:
    """One field of a record: its name, its label, the value as shown and as exported."""

    name: str
    label: str
    display: str
    value: JSONValue
    # Long texts and structured values (answers, plan contents) print as blocks.
    block: bool = False


@dataclass(frozen=True)
class Record:
    title: str
    items: list[Item]

    @property
    def pk(self) -> JSONValue:
        return next((item.value for item in self.items if item.name == "id"), None)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    records: list[Record]


@dataclass(frozen=True)
class Access:
    """One opening of the record (audit.AccessLog)."""

    timestamp: datetime
    user: str
    username: str
    action: str
    action_display: str
    remote_addr: str | None


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One change to the card or to a record about the client (auditlog.LogEntry)."""

    timestamp: datetime
    user: str
    username: str
    record_type: str
    record: str
    object_pk: str
    action: str
    action_display: str
    remote_addr: str | None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalDataReport:
    client: Client
    office: Office
    generated_at: datetime
    sections: list[Section]
    accesses: list[Access]
    changes: list[Change]


# --- Values as shown and as exported ----------------------------------------------------------


def _user_name(user: User | None) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.username


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _display(obj: models.Model, model_field: models.Field[Any, Any]) -> tuple[str, JSONValue]:
    """The value of ``model_field`` on ``obj`` for people and for the JSON export."""
    if model_field.is_relation:
        related = getattr(obj, model_field.name)
        if related is None:
            return EMPTY, None
        return str(related), {"id": related.pk, "name": str(related)}
    value = getattr(obj, model_field.attname)
    if value is None or value == "":
        return EMPTY, value
    if model_field.choices:
        shown = str(getattr(obj, f"get_{model_field.name}_display")())
        return shown, value
    if isinstance(value, bool):
        return _yes_no(value), value
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return formats.date_format(local, "SHORT_DATETIME_FORMAT"), local.isoformat()
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT"), value.isoformat()
    if isinstance(value, Decimal):
        return formats.localize(value), str(value)
    if isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        return (", ".join(str(v) for v in value) or EMPTY), value
    if isinstance(value, dict | list):
        if not value:
            return EMPTY, value
        return _structured(value), value
    return str(value), value


def _scalar(value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _yes_no(value)
    return str(value)


def _complex(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value)
    return isinstance(value, list) and any(isinstance(v, dict | list) for v in value)


def _structured(value: Any, depth: int = 0) -> str:
    """A stored structure (interview answers, a plan's content) as indented lines."""
    pad = "  " * depth
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if _complex(item):
                lines += [f"{pad}{key}:", _structured(item, depth + 1)]
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            if _complex(item):
                lines += [f"{pad}{number}.", _structured(item, depth + 1)]
            else:
                lines.append(f"{pad}{number}. {_scalar(item)}")
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return "\n".join(lines)


# Fields the models leave without a verbose name (Django would print the attribute's name).
FIELD_LABELS: dict[str, Any] = {
    "created_by": gettext_lazy("created by"),
    "assigned_by": gettext_lazy("assigned by"),
    "determined_by": gettext_lazy("profile determined by"),
    "enrolled_by": gettext_lazy("enrolled by"),
    "recorded_by": gettext_lazy("recorded by"),
    "done_by": gettext_lazy("done by"),
    "created_at": gettext_lazy("created"),
    "recorded_at": gettext_lazy("recorded"),
    "registration": gettext_lazy("registration period"),
    "office": gettext_lazy("office"),
    "plan": gettext_lazy("individual action plan"),
    "activity": gettext_lazy("job-club activity"),
    "session": gettext_lazy("session"),
    "enrolment": gettext_lazy("enrolment"),
    "client": gettext_lazy("client"),
    "employer": gettext_lazy("employer"),
    "revision": gettext_lazy("revision"),
    "closed_by_system": gettext_lazy("closed by the system"),
}


def _label(model_field: Any, name: str) -> str:
    """The field's verbose name, or ours when the model gave it none."""
    verbose = str(getattr(model_field, "verbose_name", "") or "")
    if not verbose or verbose == name.replace("_", " "):
        return str(FIELD_LABELS.get(name, verbose or name.replace("_", " ")))
    return verbose


def _record(
    obj: models.Model,
    title: str,
    exclude: Sequence[str] = (),
    m2m: dict[str, Iterable[models.Model]] | None = None,
) -> Record:
    """Every concrete field of ``obj`` (but ``exclude``), in the model's order."""
    items: list[Item] = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        shown, value = _display(obj, model_field)
        block = isinstance(model_field, models.TextField | models.JSONField) and shown != EMPTY
        items.append(
            Item(
                name=model_field.name,
                label=_label(model_field, model_field.name),
                display=shown,
                value=value,
                block=block,
            )
        )
    for name, related in (m2m or {}).items():
        relation = obj._meta.get_field(name)
        people = list(related)
        items.append(
            Item(
                name=name,
                label=_label(relation, name),
                display=", ".join(str(p) for p in people) or EMPTY,
                value=[{"id": p.pk, "name": str(p)} for p in people],
            )
        )
    return Record(title=title, items=items)


# --- The records ------------------------------------------------------------------------------


@dataclass
class _Held:
    """The records about the client, fetched once; their history is looked up by their keys."""

    registrations: list[Registration]
    assignments: list[AdvisorAssignment]
    entries: list[CardEntry]
    assessments: list[Assessment]
    plans: list[IndividualActionPlan]
    versions: list[PlanVersion]
    actions: list[PlanAction]
    contacts: list[Contact]
    enrolments: list[Enrolment]
    attendance: list[Attendance]
    due_items: list[DueItem]
    reminders: list[Reminder]

    def audited(self) -> list[tuple[type[models.Model], list[int]]]:
        """The records whose changes auditlog keeps, by model."""
        return [
            (Registration, [r.pk for r in self.registrations]),
            (AdvisorAssignment, [a.pk for a in self.assignments]),
            (Assessment, [a.pk for a in self.assessments]),
            (IndividualActionPlan, [p.pk for p in self.plans]),
            (PlanAction, [a.pk for a in self.actions]),
            (Contact, [c.pk for c in self.contacts]),
            (Enrolment, [e.pk for e in self.enrolments]),
            (Attendance, [a.pk for a in self.attendance]),
        ]


def _held(client: Client) -> _Held:
    """One query per kind of record (two for the plans: their specialists)."""
    plan_with_client = ("plan", "plan__client")
    return _Held(
        registrations=list(
            Registration.objects.filter(client=client)
            .select_related("office", "jobseeker_category", "deregistration_reason", "created_by")
            .order_by("registered_on", "pk")
        ),
        assignments=list(
            AdvisorAssignment.objects.filter(client=client)
            .select_related("advisor", "assigned_by")
            .order_by("started_at", "pk")
        ),
        entries=list(
            CardEntry.objects.filter(client=client)
            .select_related("author")
            .order_by("created_at", "pk")
        ),
        assessments=list(
            Assessment.objects.filter(client=client)
            .select_related("client", "registration", "version", "determined_by", "created_by")
            .order_by("created_at", "pk")
        ),
        plans=list(
            IndividualActionPlan.objects.filter(client=client)
            .select_related(
                "client",
                "registration",
                "assessment",
                "assessment__client",
                "based_on",
                "based_on__client",
                "advisor",
                "created_by",
            )
            .prefetch_related("specialists")
            .order_by("starts_on", "pk")
        ),
        versions=list(
            PlanVersion.objects.filter(plan__client=client)
            .select_related(*plan_with_client, "created_by")
            .order_by("plan__starts_on", "plan_id", "number")
        ),
        actions=list(
            PlanAction.objects.filter(plan__client=client)
            .select_related(*plan_with_client, "form", "responsible")
            .order_by("plan__starts_on", "plan_id", "position", "pk")
        ),
        contacts=list(
            Contact.objects.filter(plan__client=client)
            .select_related(*plan_with_client, "staff", "recorded_by")
            .order_by("contact_on", "pk")
        ),
        enrolments=list(
            Enrolment.objects.filter(client=client)
            .select_related("activity", "activity__club", "enrolled_by", "plan_action__form")
            .order_by("enrolled_at", "pk")
        ),
        attendance=list(
            Attendance.objects.filter(enrolment__client=client)
            .select_related(
                "session",
                "session__activity",
                "enrolment",
                "enrolment__client",
                "enrolment__activity",
                "recorded_by",
            )
            .order_by("session__starts_at", "pk")
        ),
        due_items=list(
            DueItem.objects.filter(client=client)
            .select_related("office", *plan_with_client)
            .order_by("due_on", "pk")
        ),
        reminders=list(
            Reminder.objects.filter(client=client)
            .select_related("office", "advisor", "done_by", *plan_with_client)
            .order_by("created_at", "pk")
        ),
    )


def _sections(client: Client, held: _Held) -> list[Section]:
    def each(objs: Iterable[models.Model], title: Any, exclude: Sequence[str] = ()) -> list[Record]:
        return [_record(obj, title(obj), exclude) for obj in objs]

    def plan_title(obj: PlanAction | Contact | PlanVersion) -> str:
        return f"{obj.plan} · {obj}"

    own = ("client", "employer")
    return [
        Section(
            "card",
            _("Registration card"),
            [_record(client, str(client), exclude=("search_text",))],
        ),
        Section(
            "registrations",
            _("Registration periods"),
            each(held.registrations, str, own),
        ),
        Section(
            "advisors",
            _("Customer advisors"),
            each(held.assignments, str, own),
        ),
        Section(
            "journal",
            _("Registration card journal"),
            each(held.entries, str, own),
        ),
        Section(
            "assessments",
            _("Assistance profiles (assessments)"),
            each(held.assessments, lambda a: f"{a.get_status_display()} {a.final_profile}", own),
        ),
        Section(
            "plans",
            _("Individual action plans"),
            [
                _record(plan, str(plan), own, m2m={"specialists": plan.specialists.all()})
                for plan in held.plans
            ],
        ),
        Section("plan_versions", _("Agreed versions of the plans"), each(held.versions, str)),
        Section("plan_actions", _("Actions of the plans"), each(held.actions, plan_title)),
        Section("plan_contacts", _("Contacts"), each(held.contacts, plan_title)),
        Section(
            "enrolments",
            _("Job-club enrolments"),
            each(held.enrolments, lambda e: str(e.activity), own),
        ),
        Section("attendance", _("Job-club attendance"), each(held.attendance, str)),
        Section(
            "deadlines",
            _("Deadlines watched"),
            each(held.due_items, lambda d: str(d.get_kind_display()), own),
        ),
        Section(
            "reminders",
            _("Reminders naming the client"),
            each(held.reminders, lambda r: str(r.get_kind_display()), own),
        ),
    ]


# --- The history ------------------------------------------------------------------------------


def _accesses(client: Client) -> list[Access]:
    rows = (
        AccessLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Client), object_id=str(client.pk)
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    return [
        Access(
            timestamp=timezone.localtime(row.timestamp),
            user=_user_name(row.user),
            username=row.user.username,
            action=row.action,
            action_display=row.get_action_display(),
            remote_addr=row.remote_addr,
        )
        for row in rows
    ]


CHANGE_ACTIONS: dict[int, Any] = {
    LogEntry.Action.CREATE: ("create", gettext_lazy("created")),
    LogEntry.Action.UPDATE: ("update", gettext_lazy("changed")),
    LogEntry.Action.DELETE: ("delete", gettext_lazy("deleted")),
    LogEntry.Action.ACCESS: ("access", gettext_lazy("read")),
}


class _Names:
    """Names for the ids auditlog wrote for foreign keys: the records already in the report,
    and the people and offices named, looked up in one query each."""

    def __init__(self, client: Client, held: _Held) -> None:
        known: list[models.Model] = [client, client.office]
        for records in (
            held.registrations,
            held.assignments,
            held.assessments,
            held.plans,
            held.actions,
            held.contacts,
            held.enrolments,
            held.attendance,
            [e.activity for e in held.enrolments],
            [a.session for a in held.attendance],
            [a.form for a in held.actions if a.form is not None],
            [a.version for a in held.assessments],
        ):
            known.extend(records)
        self.names: dict[tuple[type[models.Model], str], str] = {
            (type(obj), str(obj.pk)): str(obj) for obj in known
        }

    def look_up(self, wanted: dict[type[models.Model], set[str]]) -> None:
        for model in (User, Office):
            ids = {pk for pk in wanted.get(model, set()) if pk.isdigit()}
            ids -= {pk for kind, pk in self.names if kind is model}
            if ids:
                for obj in model._default_manager.filter(pk__in=ids):
                    self.names[(model, str(obj.pk))] = str(obj)

    def name(self, model: type[models.Model], pk: str) -> str:
        return self.names.get((model, pk), pk)


EMPTY_VALUES = ("None", "", "null", "[]", "{}")


def _when(model_field: models.Field[Any, Any], text: str) -> str:
    """A date or a time as auditlog wrote it (ISO, UTC for times), in the office's format."""
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = datetime.fromisoformat(text)
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        return formats.date_format(date.fromisoformat(text[:10]), "SHORT_DATE_FORMAT")
    except ValueError:
        return text


def _change_value(model_field: Any, value: Any, names: _Names) -> str:
    """A value as auditlog wrote it (a string, "None" for nothing), for people."""
    if value is None or value in EMPTY_VALUES:
        return EMPTY
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if model_field is None:
        return text
    if model_field.is_relation and model_field.related_model is not None:
        return names.name(model_field.related_model, text)
    choices = getattr(model_field, "choices", None) or getattr(
        getattr(model_field, "base_field", None), "choices", None
    )
    if choices:
        return str(dict(choices).get(text, text))
    if isinstance(model_field, models.BooleanField):
        return {"True": _yes_no(True), "False": _yes_no(False)}.get(text, text)
    if isinstance(model_field, models.DateField | models.DateTimeField):
        return _when(model_field, text)
    return text


def _model_field(model: type[models.Model] | None, name: str) -> Any:
    """The model's field of that name; None for a field gone since, or a reverse relation
    (auditlog lists those on creation, with no value worth showing)."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if isinstance(found, models.ForeignObjectRel) else found


def _field_changes(
    model: type[models.Model] | None, changes: dict[str, Any], names: _Names
) -> list[FieldChange]:
    result: list[FieldChange] = []
    for name, values in changes.items():
        model_field = _model_field(model, name)
        if model_field is None and model is not None and name in _reverse_names(model):
            continue
        label = _label(model_field, name)
        if isinstance(values, dict):  # a many-to-many change: which objects were added/removed
            operation = values.get("operation", "")
            objects = ", ".join(str(o) for o in values.get("objects", []))
            if operation == "add":
                result.append(FieldChange(name, label, EMPTY, objects))
            elif operation == "delete":
                result.append(FieldChange(name, label, objects, EMPTY))
            else:
                result.append(FieldChange(name, label, EMPTY, f"{operation}: {objects}"))
            continue
        old, new = [*list(values), None, None][:2]
        shown = (_change_value(model_field, old, names), _change_value(model_field, new, names))
        if shown != (EMPTY, EMPTY):  # creation lists every field, the empty ones too
            result.append(FieldChange(name, label, *shown))
    return result


def _reverse_names(model: type[models.Model]) -> set[str]:
    return {
        rel.name
        for rel in model._meta.get_fields()
        if isinstance(rel, models.ForeignObjectRel) and not rel.concrete
    }


def _changes(client: Client, held: _Held) -> list[Change]:
    """The change history of the card and of every record about the client: one query for
    the entries, one each for the people and offices they name."""
    types = ContentType.objects.get_for_models(Client, *(model for model, _pks in held.audited()))
    query = Q(content_type=types[Client], object_pk=str(client.pk))
    for model, pks in held.audited():
        if pks:
            query |= Q(content_type=types[model], object_pk__in=[str(pk) for pk in pks])
    # Removed actions and contacts no longer exist to be listed; their deletion names the plan.
    plan_pks = [str(plan.pk) for plan in held.plans]
    if plan_pks:
        query |= Q(
            content_type__in=[types[PlanAction], types[Contact]],
            action=LogEntry.Action.DELETE,
            changes__plan__0__in=plan_pks,
        )
    entries = list(
        LogEntry.objects.filter(query)
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )
    names = _Names(client, held)
    wanted: dict[type[models.Model], set[str]] = {User: set(), Office: set()}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in entry.changes_dict.items():
            model_field = _model_field(model, name)
            related = getattr(model_field, "related_model", None)
            if related in wanted and isinstance(values, list):
                wanted[related].update(str(v) for v in values if v not in (None, "None"))
    names.look_up(wanted)
    result: list[Change] = []
    for entry in entries:
        model = entry.content_type.model_class()
        code, shown = CHANGE_ACTIONS.get(entry.action, ("other", entry.action))
        actor: User | None = entry.actor
        result.append(
            Change(
                timestamp=timezone.localtime(entry.timestamp),
                user=_user_name(actor),
                username=actor.username if actor is not None else "",
                record_type=str(model._meta.verbose_name) if model else entry.content_type.model,
                record=entry.object_repr,
                object_pk=entry.object_pk,
                action=code,
                action_display=str(shown),
                remote_addr=entry.remote_addr,
                fields=_field_changes(model, entry.changes_dict, names),
            )
        )
    return result


# --- The report -------------------------------------------------------------------------------


def personal_data_report(client: Client) -> PersonalDataReport:
    """The whole report of ``client`` (already scoped to the user by the caller).

    A fixed number of queries: one per kind of record, the plans' specialists, the access log
    and the change history; never one per record.
    """
    held = _held(client)
    return PersonalDataReport(
        client=client,
        office=client.office,
        generated_at=timezone.localtime(),
        sections=_sections(client, held),
        accesses=_accesses(client),
        changes=_changes(client, held),
    )


def report_as_dict(report: PersonalDataReport) -> dict[str, JSONValue]:
    """The report for the JSON export: the same sections as the page, machine-readable."""
    return {
        "format": "labour-office/personal-data-report/1",
        "generated_at": report.generated_at.isoformat(),
        "controller": {
            "office": report.office.name,
            "address": " ".join(
                part
                for part in (report.office.street, report.office.postal_code, report.office.city)
                if part
            ),
            "email": report.office.email,
        },
        "client": {"id": report.client.pk, "name": str(report.client)},
        "sections": {
            section.key: {
                "title": section.title,
                "records": [
                    {
                        "title": record.title,
                        "fields": {
                            item.name: {"label": item.label, "value": item.value}
                            for item in record.items
                        },
                    }
                    for record in section.records
                ],
            }
            for section in report.sections
        },
        "access_history": [
            {
                "time": access.timestamp.isoformat(),
                "user": access.user,
                "action": access.action,
            }
            for access in report.accesses
        ],
        "change_history": [
            {
                "time": change.timestamp.isoformat(),
                "user": change.user if change.username else None,  # None: the system
                "record_type": change.record_type,
                "record": change.record,
                "record_id": change.object_pk,
                "action": change.action,
                "changes": [
                    {"field": f.name, "label": f.label, "old": f.old, "new": f.new}
                    for f in change.fields
                ],
            }
            for change in report.changes
        ],
    }
