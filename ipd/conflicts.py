"""Two advisors editing the same plan: no silent lost update (issue 11).

Every form that can overwrite someone else's edit carries the revision of the record it was
loaded from (``ipd.models.Revised``). The service compares it with the record's revision while
it holds the row lock (``SELECT ... FOR UPDATE``): a concurrent save either committed before
the lock was granted, and then the revision differs, or waits for the lock. A stale submit
raises ``EditConflict`` and saves nothing; the view shows the record as it is now next to
what the user typed, with the form carrying the new revision, so saving again is a decision
taken knowing the other person's version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ipd.models import Contact, IndividualActionPlan, PlanAction, Revised

REVISION_FIELD = "revision"


class EditConflict(ValidationError):
    """The record changed after the form was loaded: nothing was saved. A ValidationError, so a
    caller that does not handle it specially still shows its message."""

    def __init__(self, record: Revised, message: str) -> None:
        super().__init__(message, code="edit_conflict")
        self.record = record


def last_change(record: models.Model) -> tuple[str, str] | None:
    """Who changed the record last and when (from the change history), as text."""
    entry = LogEntry.objects.get_for_object(record).select_related("actor").first()
    if entry is None:
        return None
    who = entry.actor.get_full_name() or entry.actor.get_username() if entry.actor else ""
    when = formats.date_format(timezone.localtime(entry.timestamp), "SHORT_DATETIME_FORMAT")
    return who or _("another user"), str(when)


def conflict_message(record: Revised) -> str:
    change = last_change(record)
    if isinstance(record, Contact):
        if change is None:
            return _(
                "Someone else recorded this contact while you were editing it. Nothing was "
                "saved: their version is shown, your input is kept in the form."
            )
        return _(
            "Someone else recorded this contact while you were editing it (%(user)s, "
            "%(time)s). Nothing was saved: their version is shown, your input is kept in the "
            "form."
        ) % {"user": change[0], "time": change[1]}
    if isinstance(record, PlanAction):
        if change is None:
            return _(
                "Someone else changed this action while you were editing it. Nothing was "
                "saved: their version is shown, your changes are kept in the form. Check them "
                "and save again."
            )
        return _(
            "Someone else changed this action while you were editing it (%(user)s, %(time)s). "
            "Nothing was saved: their version is shown, your changes are kept in the form. "
            "Check them and save again."
        ) % {"user": change[0], "time": change[1]}
    if change is None:
        return _(
            "Someone else changed this plan while you were editing it. Nothing was saved: "
            "their version is shown, your changes are kept in the form. Check them and save "
            "again."
        )
    return _(
        "Someone else changed this plan while you were editing it (%(user)s, %(time)s). "
        "Nothing was saved: their version is shown, your changes are kept in the form. Check "
        "them and save again."
    ) % {"user": change[0], "time": change[1]}


def check_revision(record: Revised, submitted: int | None) -> None:
    """Raise EditConflict if the form was loaded at another revision than the record's.

    Call it with the row locked (``select_for_update``) inside the service's transaction.
    ``None``: the caller sent no revision (a service called from code), nothing to compare.
    """
    if submitted is not None and submitted != record.revision:
        raise EditConflict(record, conflict_message(record))


# --- What the views show ----------------------------------------------------------------------


def _text(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(v) for v in value) or "—"
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return str(formats.date_format(value, "SHORT_DATE_FORMAT"))
    return str(value)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, Iterable) and not isinstance(left, str):
        return {getattr(v, "pk", v) for v in left} == {getattr(v, "pk", v) for v in right or []}
    return bool(
        getattr(left, "pk", left) == getattr(right, "pk", right) or (not left and not right)
    )


def saved_rows(form: forms.Form, saved: dict[str, Any]) -> list[tuple[str, str]]:
    """The record as saved now, field by field (label, value), where it differs from what the
    user submitted: the other person's version, shown above the user's kept input."""
    submitted = getattr(form, "cleaned_data", {})
    rows = []
    for name, value in saved.items():
        if name not in form.fields or name == REVISION_FIELD:
            continue
        if name in submitted and _same(value, submitted[name]):
            continue
        field = form.fields[name]
        rows.append((str(field.label), _text(field, value)))
    return rows


def with_revision(
    form_class: Any, request_data: Any, prefix: str | None, revision: int, **kwargs: Any
) -> Any:
    """The user's submitted form again, bound to their input but carrying the record's current
    revision: their next save is made knowing the other person's version."""
    data = request_data.copy()
    key = f"{prefix}-{REVISION_FIELD}" if prefix else REVISION_FIELD
    data[key] = str(revision)
    form = form_class(data, prefix=prefix, **kwargs)
    form.is_valid()
    return form


def plan_values(plan: IndividualActionPlan) -> dict[str, Any]:
    return {
        "goals": plan.goals,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "contact_arrangements": plan.contact_arrangements,
        "specialists": list(plan.specialists.all()),
    }


def action_values(action: PlanAction) -> dict[str, Any]:
    return {
        "form": action.form,
        "description": action.description,
        "justification": action.justification,
        "special_programme": action.special_programme,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "responsible": action.responsible,
        "expected_result": action.expected_result,
    }


def contact_values(contact: Contact) -> dict[str, Any]:
    return {
        "status": contact.status,
        "contact_on": contact.contact_on,
        "channel": contact.channel,
        "outcome": contact.outcome,
        "note": contact.note,
    }


def end_values(plan: IndividualActionPlan) -> dict[str, Any]:
    return {"ended_on": plan.ended_on, "reason": plan.end_reason, "analysis": plan.end_analysis}
