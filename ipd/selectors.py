"""Reads of plans that the pages share: a fixed number of queries each, whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clients.models import Client, Registration
from clients.services import day_text
from ipd import rules
from ipd.models import (
    ActionKind,
    ActionStatus,
    Contact,
    ContactStatus,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
)
from labour_office.offices.models import User
from profiling.models import Assessment


def get_plan_for_user(user: User, pk: int) -> IndividualActionPlan:
    """A plan of a client the user may see (office scoping), else 404."""
    queryset = IndividualActionPlan.objects.visible_to(user).select_related(
        "client", "client__office", "registration", "assessment", "advisor"
    )
    return get_object_or_404(queryset, pk=pk)


def get_action_for_user(user: User, pk: int) -> PlanAction:
    plans = IndividualActionPlan.objects.visible_to(user)
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "plan__client", "form"),
        pk=pk,
        plan__in=plans,
    )


def get_contact_for_user(user: User, pk: int) -> Contact:
    plans = IndividualActionPlan.objects.visible_to(user)
    return get_object_or_404(
        Contact.objects.select_related("plan", "plan__client", "staff"), pk=pk, plan__in=plans
    )


# --- The timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    day: date
    label: str
    kind: str  # css modifier: profile, deadline, start, contact, missed, planned, due, end, ...
    act_by: date | None = None
    position: float = 0.0  # percent along the axis


@dataclass(frozen=True)
class Bar:
    label: str
    starts_on: date
    ends_on: date
    status: str
    status_label: str
    own: bool
    left: float = 0.0
    width: float = 0.0


@dataclass
class Timeline:
    starts: date
    ends: date
    marks: list[Mark] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    today: float | None = None

    @property
    def events(self) -> list[Mark]:
        return sorted(self.marks, key=lambda m: m.day)


def _position(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return round(min(max((day - start).days / span, 0.0), 1.0) * 100, 2)


def timeline(
    plan: IndividualActionPlan,
    actions: list[PlanAction],
    contacts: list[Contact],
    next_due: date | None,
    today: date,
) -> Timeline:
    """The plan's dates on one axis: profile, preparation deadline, start, contacts done and
    due, actions, planned and maximum end (and the end, once ended)."""
    marks: list[Mark] = []
    profile_date = plan.assessment.determined_on if plan.assessment else None
    if profile_date:
        marks.append(
            Mark(profile_date, _("profile %(profile)s") % {"profile": plan.profile}, "profile")
        )
        deadline = rules.ipd_preparation_deadline(profile_date)
        if plan.status == PlanStatus.DRAFT or plan.late_reason:
            # Once the plan is prepared in time its deadline no longer matters.
            marks.append(
                Mark(deadline, _("preparation deadline"), "deadline", rules.act_by(deadline))
            )
    marks.append(Mark(plan.starts_on, _("start"), "start"))
    if plan.agreed_on and plan.agreed_on != plan.starts_on:
        marks.append(Mark(plan.agreed_on, _("agreed"), "start"))
    for contact in contacts:
        kind = {
            ContactStatus.HELD: "contact",
            ContactStatus.MISSED: "missed",
            ContactStatus.PLANNED: "planned",
        }[ContactStatus(contact.status)]
        label = {
            "contact": _("contact: %(channel)s"),
            "missed": _("missed appointment"),
            "planned": _("planned contact: %(channel)s"),
        }[kind] % {"channel": contact.get_channel_display()}
        marks.append(Mark(contact.contact_on, label, kind))
    if next_due:
        marks.append(Mark(next_due, _("next contact due"), "due", rules.act_by(next_due)))
    if plan.status == PlanStatus.ENDED and plan.ended_on:
        marks.append(Mark(plan.ended_on, plan.get_end_reason_display(), "ended"))
    else:
        marks.append(Mark(plan.ends_on, _("planned end"), "end", rules.act_by(plan.ends_on)))
    if plan.max_end and plan.max_end != plan.ends_on:
        marks.append(Mark(plan.max_end, _("maximum end"), "max", rules.act_by(plan.max_end)))
    days = [m.day for m in marks] + [a.starts_on for a in actions] + [a.ends_on for a in actions]
    start, end = min(days), max(days)
    result = Timeline(starts=start, ends=end)
    result.marks = [
        Mark(m.day, m.label, m.kind, m.act_by, _position(m.day, start, end)) for m in marks
    ]
    for action in actions:
        left = _position(action.starts_on, start, end)
        result.bars.append(
            Bar(
                label=action.title if action.kind == ActionKind.OFFICE else action.description,
                starts_on=action.starts_on,
                ends_on=action.ends_on,
                status=action.status,
                status_label=action.get_status_display(),
                own=action.kind == ActionKind.OWN,
                left=left,
                width=max(_position(action.ends_on, start, end) - left, 1.0),
            )
        )
    if start <= today <= end:
        result.today = _position(today, start, end)
    return result


# --- Versions ---------------------------------------------------------------------------------

FIELD_LABELS = {
    "goals": _("occupational goals"),
    "starts_on": _("start"),
    "ends_on": _("planned end"),
    "contact_arrangements": _("how we keep in touch"),
    "specialists": _("specialists involved"),
    "form": _("form of assistance"),
    "description": _("what exactly"),
    "justification": _("justification"),
    "special_programme": _("special programme"),
    "responsible": _("responsible"),
    "expected_result": _("expected result"),
}


DATE_FIELDS = ("starts_on", "ends_on")


def _show(value: Any, field_name: str = "") -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if field_name in DATE_FIELDS and isinstance(value, str) and value:
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value) if value not in (None, "") else "—"


def change_lines(changes: list[rules.Change]) -> list[str]:
    """The differences between two versions as sentences for the page."""
    lines = []
    for change in changes:
        if change.kind == "plan":
            lines.append(
                _("%(field)s: %(before)s → %(after)s")
                % {
                    "field": str(FIELD_LABELS.get(change.subject, change.subject)).capitalize(),
                    "before": _show(change.before, change.subject),
                    "after": _show(change.after, change.subject),
                }
            )
        elif change.kind == "added":
            lines.append(_("Action added: %(action)s") % {"action": change.subject})
        elif change.kind == "removed":
            lines.append(_("Action removed: %(action)s") % {"action": change.subject})
        else:
            lines.append(
                _("Action changed: %(action)s (%(fields)s)")
                % {
                    "action": change.subject,
                    "fields": ", ".join(str(FIELD_LABELS.get(f, f)) for f in change.fields),
                }
            )
    return lines


@dataclass(frozen=True)
class VersionRow:
    version: PlanVersion
    changes: list[str]


def version_rows(versions: list[PlanVersion]) -> list[VersionRow]:
    """Versions newest first, each with what changed since the one before it."""
    ordered = sorted(versions, key=lambda v: v.number)
    rows = []
    previous: PlanVersion | None = None
    for version in ordered:
        changes = (
            change_lines(rules.version_changes(previous.snapshot, version.snapshot))
            if previous
            else []
        )
        rows.append(VersionRow(version, changes))
        previous = version
    return list(reversed(rows))


# --- Pages ------------------------------------------------------------------------------------


@dataclass
class PlanPage:
    plan: IndividualActionPlan
    actions: list[PlanAction]
    contacts: list[Contact]
    versions: list[VersionRow]
    specialists: list[User]
    next_due: date | None
    next_due_act_by: date | None
    preparation_deadline: date | None
    preparation_act_by: date | None
    timeline: Timeline
    contact_overdue: bool = False
    pending_changes: list[str] = field(default_factory=list)
    # A profile determined again while the plan runs: (profile, date).
    newer_profile: tuple[str, date] | None = None

    @property
    def office_actions(self) -> list[PlanAction]:
        return [a for a in self.actions if a.kind == ActionKind.OFFICE]

    @property
    def own_actions(self) -> list[PlanAction]:
        return [a for a in self.actions if a.kind == ActionKind.OWN]

    @property
    def held(self) -> list[Contact]:
        return [c for c in self.contacts if c.status != ContactStatus.PLANNED]

    @property
    def planned(self) -> list[Contact]:
        return [c for c in self.contacts if c.status == ContactStatus.PLANNED]


def plan_page(plan: IndividualActionPlan, today: date) -> PlanPage:
    from ipd.services import next_contact, plan_content

    actions = list(plan.actions.select_related("form", "responsible").order_by("position", "pk"))
    contacts = list(plan.contacts.select_related("staff").order_by("contact_on", "pk"))
    versions = list(plan.versions.select_related("created_by"))
    specialists = list(plan.specialists.order_by("last_name", "first_name"))
    held = [c.contact_on for c in contacts if c.status == ContactStatus.HELD]
    next_due = next_contact(plan, held)
    deadline = None
    if plan.assessment and plan.assessment.determined_on:
        deadline = rules.ipd_preparation_deadline(plan.assessment.determined_on)
    pending: list[str] = []
    if plan.amending and versions:
        # What the amendment changes so far: the working copy against the last version.
        last = max(versions, key=lambda v: v.number)
        working = plan_content(plan, actions, specialists)
        pending = change_lines(rules.version_changes(last.snapshot, working))
    newer = None
    if plan.status != PlanStatus.ENDED and plan.assessment_id:
        current = (
            Assessment.objects.filter(registration_id=plan.registration_id, is_current=True)
            .exclude(pk=plan.assessment_id)
            .values_list("final_profile", "determined_on")
            .first()
        )
        newer = (current[0], current[1]) if current and current[1] else None
    return PlanPage(
        plan=plan,
        actions=actions,
        contacts=contacts,
        versions=version_rows(versions),
        specialists=specialists,
        next_due=next_due,
        next_due_act_by=rules.act_by(next_due) if next_due else None,
        preparation_deadline=deadline,
        preparation_act_by=rules.act_by(deadline) if deadline else None,
        timeline=timeline(plan, actions, contacts, next_due, today),
        contact_overdue=bool(next_due and next_due < today),
        pending_changes=pending,
        newer_profile=newer,
    )


@dataclass
class ClientPlans:
    """The IPD part of the client page."""

    live: PlanPage | None
    ended: list[IndividualActionPlan]
    registration: Registration | None
    preparation_deadline: date | None = None
    preparation_act_by: date | None = None
    can_prepare: bool = False
    reprofiling_pending: bool = False


def client_plans(client: Client, registration: Registration | None, today: date) -> ClientPlans:
    from ipd.services import reprofiling_required

    plans = list(
        client.plans.select_related("assessment", "advisor", "registration").order_by(
            "-starts_on", "-pk"
        )
    )
    live = next((p for p in plans if p.status != PlanStatus.ENDED), None)
    result = ClientPlans(
        live=plan_page(live, today) if live else None,
        ended=[p for p in plans if p.status == PlanStatus.ENDED],
        registration=registration,
    )
    if registration is None or live is not None:
        return result
    current = registration.assessments.filter(is_current=True).first()
    if registration.status == "unemployed" and current is None:
        return result
    result.reprofiling_pending = reprofiling_required(registration, current, plans)
    result.can_prepare = not result.reprofiling_pending
    if current is not None and current.determined_on and not result.reprofiling_pending:
        deadline = rules.ipd_preparation_deadline(current.determined_on)
        result.preparation_deadline = deadline
        result.preparation_act_by = rules.act_by(deadline)
    return result


__all__ = [
    "ActionStatus",
    "ClientPlans",
    "PlanPage",
    "client_plans",
    "get_action_for_user",
    "get_contact_for_user",
    "get_plan_for_user",
    "plan_page",
]
