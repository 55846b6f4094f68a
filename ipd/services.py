"""Every write to an IPD: one transaction each, the rules of ``ipd.rules`` and the catalogue
applied, a journal entry on the registration card for what the law asks to be recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import CardEntry, Client, EntryKind, Registration, Status
from clients.services import check_office, day_text
from ipd import rules
from ipd.conflicts import check_revision
from ipd.deadlines import refresh_due_items
from ipd.models import (
    ActionKind,
    ActionStatus,
    Contact,
    ContactStatus,
    EndReason,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    PlanVersion,
    awaiting_reprofiling,
)
from labour_office.calendar import add_days
from labour_office.offices.models import User
from labour_office.system.services import parameter_value
from profiling.models import Assessment, FormOfAssistance, Trigger
from profiling.selectors import forms_available_to

JOBSEEKER_DEFAULT_DAYS = 180  # domain/profiles.md: an office default, configurable
WORK_DEREGISTRATION_REASONS = ("employment", "startup_grant")


def _journal(plan: IndividualActionPlan, author: User, text: str, kind: str) -> None:
    CardEntry.objects.create(client=plan.client, kind=kind, text=text, author=author)


def _locked(plan: IndividualActionPlan) -> IndividualActionPlan:
    return (
        IndividualActionPlan.objects.select_related(
            "client", "client__office", "registration", "assessment"
        )
        .select_for_update(of=("self",))
        .get(pk=plan.pk)
    )


def _check_editable(plan: IndividualActionPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("The plan is agreed: start an amendment to change it.")
            if plan.status == PlanStatus.ACTIVE
            else _("This plan has ended and cannot be changed.")
        )


def _check_staff(user: User | None, plan: IndividualActionPlan, field: str) -> None:
    if user is not None and (not user.is_active or user.office_id != plan.client.office_id):
        raise ValidationError({field: _("Choose an active member of this office's staff.")})


def max_end_for(plan_profile: str, starts_on: date) -> date | None:
    return rules.ipd_max_end(starts_on, plan_profile) if plan_profile else None


def _check_dates(starts_on: date, ends_on: date, max_end: date | None) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})
    if max_end is not None and ends_on > max_end:
        raise ValidationError(
            {
                "ends_on": _(
                    "The plan may run until %(date)s at the latest (the maximum for the profile)."
                )
                % {"date": day_text(max_end)}
            }
        )


# --- Preparing a plan -------------------------------------------------------------------------


def reprofiling_required(
    registration: Registration,
    assessment: Assessment | None,
    plans: list[IndividualActionPlan],
) -> bool:
    """After a plan ends without work the profile is determined again before the next plan
    (domain/profiles.md): true while the current profile is the one that plan was built on."""
    return (
        awaiting_reprofiling(plans, registration.pk, assessment.pk if assessment else None)
        is not None
    )


def _plan_basis(client: Client) -> tuple[Registration, Assessment | None]:
    # Locked as deregistration locks it: a plan never starts on a period being closed.
    registration = (
        client.registrations.select_for_update().filter(deregistered_on__isnull=True).first()
    )
    if registration is None:
        raise ValidationError(_("An IPD is prepared only during a registration."))
    if registration.status == Status.JOBSEEKER:
        return registration, None
    assessment = registration.assessments.filter(is_current=True).first()
    if assessment is None:
        raise ValidationError(_("Determine the client's profile first: the IPD is built on it."))
    if reprofiling_required(registration, assessment, list(registration.plans.all())):
        raise ValidationError(
            _(
                "The last plan ended without work: determine the profile again before "
                "preparing a new plan."
            )
        )
    return registration, assessment


@transaction.atomic
def plan_prepare(
    *,
    acting_user: User,
    client: Client,
    on: date,
    from_plan: IndividualActionPlan | None = None,
) -> IndividualActionPlan:
    """Start preparing a plan with the client: blank, or from the client's previous plan (its
    goals and the actions the client can still get, moved to the new dates)."""
    check_office(acting_user, client.office)
    # The client's row lock serialises two advisors preparing at once; the constraint backs it.
    Client.objects.select_for_update().get(pk=client.pk)
    registration, assessment = _plan_basis(client)
    if IndividualActionPlan.objects.filter(registration=registration).live().exists():
        raise ValidationError(_("This registration already has a plan being prepared or in force."))
    if from_plan is not None and from_plan.client_id != client.pk:
        raise ValidationError(_("A plan can only be prepared from this client's own plan."))
    if assessment and assessment.determined_on and on < assessment.determined_on:
        raise ValidationError(_("The plan cannot start before the profile was determined."))
    profile = assessment.final_profile if assessment else ""
    max_end = max_end_for(profile, on)
    ends_on = max_end or add_days(
        on, parameter_value("ipd.jobseeker_default_days", JOBSEEKER_DEFAULT_DAYS)
    )
    advisor = acting_user if acting_user.is_customer_advisor else _current_advisor(client)
    try:
        with transaction.atomic():
            plan = IndividualActionPlan.objects.create(
                client=client,
                registration=registration,
                assessment=assessment,
                profile=profile,
                based_on=from_plan,
                goals=from_plan.goals if from_plan else client.occupations,
                starts_on=on,
                ends_on=ends_on,
                max_end=max_end,
                contact_arrangements=from_plan.contact_arrangements if from_plan else "",
                advisor=advisor or acting_user,
                created_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(
            _("This registration already has a plan being prepared or in force.")
        ) from None
    if from_plan is not None:
        _copy_actions(from_plan, plan, on)
        plan.specialists.set(from_plan.specialists.filter(is_active=True))
    _journal(
        plan,
        acting_user,
        _("Preparation of an IPD started%(from)s.")
        % {
            "from": _(" from the plan of %(date)s") % {"date": day_text(from_plan.starts_on)}
            if from_plan
            else ""
        },
        EntryKind.IPD_CHANGE,
    )
    return plan


def _current_advisor(client: Client) -> User | None:
    assignment = client.assignments.filter(ended_at__isnull=True).select_related("advisor").first()
    return assignment.advisor if assignment else None


def _copy_actions(source: IndividualActionPlan, plan: IndividualActionPlan, on: date) -> None:
    """Carry the previous plan's actions over: office actions only if the catalogue still
    allows them to this client, each with its dates moved to the new plan."""
    allowed = {form.pk: avail for form, avail in forms_available_to(plan.client, on)}
    offset = (plan.starts_on - source.starts_on).days
    copies = []
    for position, action in enumerate(source.actions.all()):
        if action.kind == ActionKind.OFFICE:
            availability = allowed.get(action.form_id or 0)
            if availability is None:
                continue  # no longer open to this client
            if availability.needs_justification and not action.justification:
                continue  # the new profile allows it only in justified cases: planned anew
        if action.special_programme:
            continue  # a special programme is joined anew, not carried over
        starts_on = rules.shifted(
            action.starts_on, offset, earliest=plan.starts_on, latest=plan.ends_on
        )
        ends_on = rules.shifted(action.ends_on, offset, earliest=starts_on, latest=plan.ends_on)
        responsible = action.responsible
        if responsible is not None and (
            not responsible.is_active or responsible.office_id != plan.client.office_id
        ):
            responsible = None
        copies.append(
            PlanAction(
                plan=plan,
                kind=action.kind,
                form_id=action.form_id,
                description=action.description,
                justification=action.justification,
                starts_on=starts_on,
                ends_on=ends_on,
                responsible=responsible
                or (plan.advisor if action.kind == ActionKind.OFFICE else None),
                expected_result=action.expected_result,
                position=position,
            )
        )
    PlanAction.objects.bulk_create(copies)


@transaction.atomic
def plan_update(
    *,
    acting_user: User,
    plan: IndividualActionPlan,
    data: dict[str, Any],
    revision: int | None = None,
) -> IndividualActionPlan:
    """The plan's own fields: goals, dates, how we keep in touch, the specialists involved.
    ``revision``: the plan's revision the form was loaded at (EditConflict if it changed)."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    check_revision(plan, revision)
    _check_editable(plan)
    goals = data["goals"].strip()
    if not goals:
        raise ValidationError({"goals": _("Write the client's occupational goal.")})
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if plan.status == PlanStatus.ACTIVE and starts_on != plan.starts_on:
        raise ValidationError({"starts_on": _("The start of an agreed plan cannot change.")})
    max_end = max_end_for(plan.profile, starts_on)
    _check_dates(starts_on, ends_on, max_end)
    if plan.assessment and starts_on < plan.assessment.determined_on:
        raise ValidationError(
            {"starts_on": _("The plan cannot start before the profile was determined.")}
        )
    specialists = list(data.get("specialists", []))
    for user in specialists:
        _check_staff(user, plan, "specialists")
    plan.goals = goals
    plan.starts_on, plan.ends_on, plan.max_end = starts_on, ends_on, max_end
    plan.contact_arrangements = data.get("contact_arrangements", "").strip()
    plan.save()
    plan.specialists.set(specialists)
    return plan


# --- Actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionData:
    kind: str
    description: str
    starts_on: date
    ends_on: date
    form: FormOfAssistance | None = None
    justification: str = ""
    special_programme: str = ""
    completed_pai: bool = False
    responsible: User | None = None
    expected_result: str = ""


def _validated_action(plan: IndividualActionPlan, data: ActionData, on: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    description = data.description.strip()
    if not description:
        errors["description"] = (
            _("Write what exactly the office will do.")
            if data.kind == ActionKind.OFFICE
            else _("Write what the client will do, e.g. apply to 4 offers a month.")
        )
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("The action cannot end before it starts.")
    elif data.starts_on < plan.starts_on or data.ends_on > plan.ends_on:
        errors["ends_on"] = _("The action must fall within the plan (%(start)s to %(end)s).") % {
            "start": day_text(plan.starts_on),
            "end": day_text(plan.ends_on),
        }
    justification = data.justification.strip()
    if data.kind == ActionKind.OFFICE:
        if data.form is None:
            errors["form"] = _("Choose the form of assistance.")
        else:
            offered = {
                form.pk: availability
                for form, availability in forms_available_to(
                    plan.client,
                    on,
                    in_special_programme=bool(data.special_programme.strip()),
                    completed_pai=data.completed_pai,
                )
            }
            availability = offered.get(data.form.pk)
            if availability is None:
                errors["form"] = _(
                    "%(form)s is not available to this client (profile %(profile)s)."
                ) % {"form": data.form.name, "profile": plan.profile or _("none")}
            elif availability.needs_justification and not justification:
                errors["justification"] = _(
                    "For this profile the form is given only in justified cases: write why."
                )
        if data.responsible is None:
            errors["responsible"] = _("Choose who at the office is responsible.")
        else:
            try:
                _check_staff(data.responsible, plan, "responsible")
            except ValidationError as error:
                errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data.kind,
        "form": data.form if data.kind == ActionKind.OFFICE else None,
        "description": description,
        "justification": justification,
        "special_programme": data.special_programme.strip()
        if data.kind == ActionKind.OFFICE
        else "",
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "responsible": data.responsible if data.kind == ActionKind.OFFICE else None,
        "expected_result": data.expected_result.strip(),
    }


@transaction.atomic
def action_add(
    *, acting_user: User, plan: IndividualActionPlan, data: ActionData, on: date
) -> PlanAction:
    """An office action (only a form the catalogue allows this client) or an own action."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    _check_editable(plan)
    fields = _validated_action(plan, data, on)
    position = (plan.actions.aggregate(last=Max("position"))["last"] or 0) + 1
    return PlanAction.objects.create(plan=plan, position=position, **fields)


@transaction.atomic
def action_update(
    *,
    acting_user: User,
    action: PlanAction,
    data: ActionData,
    on: date,
    revision: int | None = None,
) -> PlanAction:
    check_office(acting_user, action.plan.client.office)
    plan = _locked(action.plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
    check_revision(action, revision)
    _check_editable(plan)
    fields = _validated_action(plan, data, on)
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    return action


@transaction.atomic
def action_remove(*, acting_user: User, action: PlanAction, revision: int | None = None) -> None:
    """Remove a planned action; not one someone else changed since ``revision`` was shown."""
    check_office(acting_user, action.plan.client.office)
    plan = _locked(action.plan)
    _check_editable(plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
    check_revision(action, revision)
    if action.status != ActionStatus.PLANNED:
        raise ValidationError(
            _("An action already under way stays in the plan; mark it as not done instead.")
        )
    action.delete()


@transaction.atomic
def action_move(*, acting_user: User, action: PlanAction, step: int) -> None:
    """Move an action one place up (-1) or down (+1)."""
    check_office(acting_user, action.plan.client.office)
    plan = _locked(action.plan)
    _check_editable(plan)
    actions = list(plan.actions.order_by("position", "pk"))
    index = next(i for i, a in enumerate(actions) if a.pk == action.pk)
    target = index + step
    if not 0 <= target < len(actions):
        return
    actions[index], actions[target] = actions[target], actions[index]
    for position, item in enumerate(actions, start=1):
        item.position = position
    PlanAction.objects.bulk_update(actions, ["position"])


@transaction.atomic
def action_set_status(
    *,
    acting_user: User,
    action: PlanAction,
    status: str,
    reason: str,
    on: date,
    revision: int | None = None,
) -> PlanAction:
    """Monitoring: an action starts, is done, or is not done (with the reason)."""
    check_office(acting_user, action.plan.client.office)
    plan = _locked(action.plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Actions are carried out once the plan is in force."))
    action = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
    check_revision(action, revision)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    reason = reason.strip()
    if status == ActionStatus.NOT_DONE and not reason:
        raise ValidationError({"status_reason": _("Write why the action was not done.")})
    if status == action.status:
        return action
    action.status = status
    action.status_reason = reason if status == ActionStatus.NOT_DONE else ""
    action.status_on = on
    action.save(update_fields=["status", "status_reason", "status_on"])
    text = _("IPD action “%(action)s”: %(status)s.") % {
        "action": f"{action.title}: {action.description}",
        "status": action.get_status_display(),
    }
    if action.status_reason:
        text += " " + action.status_reason
    _journal(
        plan,
        acting_user,
        text,
        EntryKind.CLIENT_ACTION if action.kind == ActionKind.OWN else EntryKind.ADVISOR_ACTION,
    )
    refresh_due_items(plan.client)
    return action


# --- Agreement and amendments -----------------------------------------------------------------


def plan_content(
    plan: IndividualActionPlan, actions: list[PlanAction], specialists: list[User]
) -> dict[str, Any]:
    """The plan's content as a version keeps it (from rows already loaded)."""
    return {
        "goals": plan.goals,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "contact_arrangements": plan.contact_arrangements,
        "specialists": sorted(
            f"{u.get_full_name()} ({u.get_post_display() or _('staff')})" for u in specialists
        ),
        "actions": [
            {
                "key": action.pk,
                "kind": action.kind,
                "title": action.title,
                "form": action.form.code if action.form else "",
                "description": action.description,
                "justification": action.justification,
                "special_programme": action.special_programme,
                "starts_on": action.starts_on.isoformat(),
                "ends_on": action.ends_on.isoformat(),
                "responsible": action.responsible.get_full_name() if action.responsible else "",
                "expected_result": action.expected_result,
            }
            for action in actions
        ],
    }


def snapshot(plan: IndividualActionPlan) -> dict[str, Any]:
    """The plan as agreed: what a later version is compared with and what the client signed."""
    actions = plan.actions.select_related("form", "responsible").order_by("position", "pk")
    return plan_content(plan, list(actions), list(plan.specialists.all()))


def _check_complete(plan: IndividualActionPlan, on: date) -> None:
    """Before the client agrees: actions exist, fit the plan's dates, and every office action
    given only in justified cases has its justification (the catalogue read again)."""
    actions = list(plan.actions.select_related("form"))
    if not actions:
        raise ValidationError(_("Add at least one action to the plan."))
    outside = [a for a in actions if a.starts_on < plan.starts_on or a.ends_on > plan.ends_on]
    if outside:
        raise ValidationError(
            _("Some actions fall outside the plan's dates: %(actions)s.")
            % {"actions": ", ".join(a.title for a in outside)}
        )
    offered = dict(forms_available_to(plan.client, on))
    justified = {
        form.pk for form, availability in offered.items() if availability.needs_justification
    }
    allowed = {form.pk for form in offered}
    not_allowed = [
        a
        for a in actions
        if a.kind == ActionKind.OFFICE and not a.special_programme and a.form_id not in allowed
    ]
    if not_allowed:
        raise ValidationError(
            _("The client's profile no longer allows: %(actions)s. Change or remove them.")
            % {"actions": ", ".join(a.title for a in not_allowed)}
        )
    unjustified = [
        a
        for a in actions
        if a.kind == ActionKind.OFFICE
        and a.form_id in justified
        and not a.justification
        and not a.special_programme
    ]
    if unjustified:
        raise ValidationError(
            _("Justify the actions the profile allows only in justified cases: %(actions)s.")
            % {"actions": ", ".join(a.title for a in unjustified)}
        )


def _rebase_on_current_profile(plan: IndividualActionPlan) -> None:
    """A draft started before the profile was determined again is agreed on the new profile:
    its maximum and its forms are those of the profile in force (else the old profile's
    maximum would be given once more)."""
    if plan.assessment_id is None:
        return
    current = Assessment.objects.filter(
        registration_id=plan.registration_id, is_current=True
    ).first()
    if current is None or current.pk == plan.assessment_id:
        return
    plan.assessment = current
    plan.profile = current.final_profile
    plan.max_end = max_end_for(plan.profile, plan.starts_on)
    if plan.max_end and plan.ends_on > plan.max_end:
        raise ValidationError(
            {
                "ends_on": _(
                    "The profile was determined again (profile %(profile)s): the plan may run "
                    "until %(date)s at the latest. Change its end first."
                )
                % {"profile": plan.profile, "date": day_text(plan.max_end)}
            }
        )
    plan.save(update_fields=["assessment", "profile", "max_end", "updated_at"])


def preparation_deadline(plan: IndividualActionPlan) -> date | None:
    if plan.assessment is None or plan.assessment.determined_on is None:
        return None
    return rules.ipd_preparation_deadline(plan.assessment.determined_on)


@transaction.atomic
def plan_agree(
    *,
    acting_user: User,
    plan: IndividualActionPlan,
    prepared_on: date,
    agreed: bool,
    refusal_note: str = "",
    late_reason: str = "",
) -> IndividualActionPlan:
    """The plan prepared with the client comes into force: agreed (version 1), or with the
    client's refusal recorded, as the law requires of the advisor."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("This plan is no longer being prepared."))
    _rebase_on_current_profile(plan)
    if prepared_on > timezone.localdate():
        raise ValidationError({"prepared_on": _("The date cannot be in the future.")})
    if plan.assessment and prepared_on < plan.assessment.determined_on:  # type: ignore[operator]
        raise ValidationError(
            {"prepared_on": _("The plan cannot be prepared before the profile was determined.")}
        )
    if prepared_on > plan.starts_on:
        raise ValidationError(
            {"prepared_on": _("The plan is prepared on or before the day it starts.")}
        )
    _check_complete(plan, prepared_on)
    deadline = preparation_deadline(plan)
    late_reason = late_reason.strip()
    if deadline is not None and prepared_on > deadline and not late_reason:
        raise ValidationError(
            {
                "late_reason": _("The plan was due by %(date)s: write why it is prepared later.")
                % {"date": day_text(deadline)}
            }
        )
    refusal_note = refusal_note.strip()
    if not agreed and not refusal_note:
        raise ValidationError(
            {"refusal_note": _("Record what the client said when refusing the plan.")}
        )
    plan.prepared_on = prepared_on
    plan.late_reason = late_reason if deadline is not None and prepared_on > deadline else ""
    plan.agreed_on = prepared_on if agreed else None
    plan.client_refused = not agreed
    plan.refusal_note = "" if agreed else refusal_note
    plan.status = PlanStatus.ACTIVE
    plan.version = 1
    plan.save()
    PlanVersion.objects.create(
        plan=plan, number=1, agreed_on=prepared_on, snapshot=snapshot(plan), created_by=acting_user
    )
    if agreed:
        text = _("IPD agreed with the client on %(date)s, until %(end)s.")
    else:
        text = _("IPD prepared on %(date)s, until %(end)s; the client refused to agree: %(note)s")
    text = text % {
        "date": day_text(prepared_on),
        "end": day_text(plan.ends_on),
        "note": refusal_note,
    }
    if plan.late_reason:
        text += " " + _("Prepared after the deadline: %(reason)s") % {"reason": plan.late_reason}
    _journal(plan, acting_user, text, EntryKind.IPD_CHANGE)
    refresh_due_items(plan.client)
    return plan


@transaction.atomic
def plan_amend_start(*, acting_user: User, plan: IndividualActionPlan) -> IndividualActionPlan:
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Only a plan in force is amended."))
    if not plan.amending:
        plan.amending = True
        plan.save(update_fields=["amending", "updated_at"])
    return plan


@transaction.atomic
def plan_amend_agree(
    *, acting_user: User, plan: IndividualActionPlan, reason: str, agreed_on: date
) -> PlanVersion:
    """The amendment agreed with the client becomes the next version; the old one is kept."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    if plan.status != PlanStatus.ACTIVE or not plan.amending:
        raise ValidationError(_("No amendment of this plan is in preparation."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the plan changes.")})
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("The date cannot be in the future.")})
    _check_complete(plan, agreed_on)
    previous = plan.versions.get(number=plan.version)
    if agreed_on < previous.agreed_on:
        raise ValidationError(
            {"agreed_on": _("The amendment cannot be agreed before the previous version.")}
        )
    content = snapshot(plan)
    changes = rules.version_changes(previous.snapshot, content)
    if not changes:
        raise ValidationError(
            _("Nothing in the plan has changed since version %(n)d.") % {"n": previous.number}
        )
    plan.version += 1
    plan.amending = False
    plan.save(update_fields=["version", "amending", "updated_at"])
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        agreed_on=agreed_on,
        reason=reason,
        snapshot=content,
        created_by=acting_user,
    )
    _journal(
        plan,
        acting_user,
        _("IPD amended (version %(n)d, agreed on %(date)s): %(reason)s")
        % {
            "n": version.number,
            "date": day_text(agreed_on),
            "reason": reason,
        },
        EntryKind.IPD_CHANGE,
    )
    refresh_due_items(plan.client)
    return version


# --- Contacts ---------------------------------------------------------------------------------


@transaction.atomic
def contact_add(
    *,
    acting_user: User,
    plan: IndividualActionPlan,
    status: str,
    contact_on: date,
    channel: str,
    staff: User,
    outcome: str = "",
    note: str = "",
) -> Contact:
    """A planned appointment, or a contact that took place (or an appointment missed)."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Contacts are recorded while the plan is in force."))
    _validate_contact(plan, status, contact_on, staff)
    contact = Contact.objects.create(
        plan=plan,
        status=status,
        contact_on=contact_on,
        channel=channel,
        staff=staff,
        outcome=outcome.strip(),
        note=note.strip(),
        recorded_by=acting_user,
    )
    _journal_contact(plan, contact, acting_user)
    refresh_due_items(plan.client)
    return contact


def _validate_contact(
    plan: IndividualActionPlan, status: str, contact_on: date, staff: User | None
) -> None:
    today = timezone.localdate()
    if status == ContactStatus.PLANNED and contact_on < today:
        raise ValidationError({"contact_on": _("A planned contact is on a future date.")})
    if status != ContactStatus.PLANNED and contact_on > today:
        raise ValidationError(
            {"contact_on": _("A contact is recorded once it has happened: not in the future.")}
        )
    if status != ContactStatus.PLANNED and contact_on < (plan.agreed_on or plan.prepared_on):  # type: ignore[operator]
        raise ValidationError({"contact_on": _("The contact is before the plan was agreed.")})
    _check_staff(staff, plan, "staff")


def _journal_contact(plan: IndividualActionPlan, contact: Contact, author: User) -> None:
    if contact.status == ContactStatus.PLANNED:
        text = _("Contact planned for %(date)s (%(channel)s, %(who)s).")
    elif contact.status == ContactStatus.MISSED:
        text = _("The client did not come to the appointment of %(date)s (%(channel)s, %(who)s).")
    else:
        text = _("Contact on %(date)s (%(channel)s, %(who)s).")
    text = text % {
        "date": day_text(contact.contact_on),
        "channel": contact.get_channel_display(),
        "who": contact.staff.get_full_name(),
    }
    text = " ".join(part for part in (text, contact.outcome, contact.note) if part)
    _journal(plan, author, text, EntryKind.CONTACT)


@transaction.atomic
def contact_record(
    *,
    acting_user: User,
    contact: Contact,
    status: str,
    contact_on: date,
    channel: str,
    outcome: str = "",
    note: str = "",
    revision: int | None = None,
) -> Contact:
    """What happened to a planned appointment: held (a contact) or missed (not a contact)."""
    check_office(acting_user, contact.plan.client.office)
    plan = _locked(contact.plan)
    contact = Contact.objects.select_for_update().get(pk=contact.pk, plan=plan)
    check_revision(contact, revision)
    if contact.status != ContactStatus.PLANNED:
        raise ValidationError(_("This contact is already recorded."))
    if status not in (ContactStatus.HELD, ContactStatus.MISSED):
        raise ValidationError({"status": _("Choose whether the contact took place.")})
    # Who met the client was chosen when planning: a colleague who has left since does not
    # stop the contact from being recorded.
    _validate_contact(plan, status, contact_on, None)
    contact.status = status
    contact.contact_on = contact_on
    contact.channel = channel
    contact.outcome = outcome.strip()
    contact.note = note.strip()
    contact.recorded_by = acting_user
    contact.save()
    _journal_contact(plan, contact, acting_user)
    refresh_due_items(plan.client)
    return contact


def next_contact(plan: IndividualActionPlan, held: list[date]) -> date | None:
    """The legal due date of the next contact while the plan is in force."""
    if plan.status != PlanStatus.ACTIVE:
        return None
    start = plan.agreed_on or plan.prepared_on
    if start is None:
        return None
    return rules.next_contact_due(rules.last_contact(start, held))


# --- Ending -----------------------------------------------------------------------------------


@transaction.atomic
def plan_end(
    *,
    acting_user: User,
    plan: IndividualActionPlan,
    ended_on: date,
    reason: str,
    analysis: str = "",
    revision: int | None = None,
) -> Assessment | None:
    """End the plan. Without work the analysis of why is required, and the client is profiled
    again (a new interview is opened, its trigger recorded): returns it then."""
    check_office(acting_user, plan.client.office)
    plan = _locked(plan)
    check_revision(plan, revision)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Only a plan in force is ended."))
    if reason not in (EndReason.WORK, EndReason.MAXIMUM, EndReason.OTHER):
        raise ValidationError(
            {"reason": _("Choose why the plan ends; deregistration ends it by itself.")}
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The date cannot be in the future.")})
    if ended_on < (plan.agreed_on or plan.prepared_on):  # type: ignore[operator]
        raise ValidationError({"ended_on": _("The plan cannot end before it was agreed.")})
    if reason == EndReason.MAXIMUM and plan.max_end and ended_on < plan.max_end:
        raise ValidationError(
            {
                "reason": _("The maximum period runs until %(date)s.")
                % {"date": day_text(plan.max_end)}
            }
        )
    analysis = analysis.strip()
    if reason != EndReason.WORK and not analysis:
        raise ValidationError(
            {"analysis": _("Write the analysis of why the plan ended without work.")}
        )
    _close(plan, acting_user, ended_on, reason, analysis)
    registration = plan.registration
    if reason == EndReason.WORK or registration.status != Status.UNEMPLOYED:
        return None
    from profiling.services import assessment_start

    return assessment_start(acting_user=acting_user, client=plan.client, trigger=Trigger.IPD_ENDED)


def _close(
    plan: IndividualActionPlan, acting_user: User, ended_on: date, reason: str, analysis: str
) -> None:
    plan.status = PlanStatus.ENDED
    plan.amending = False
    plan.ended_on = ended_on
    plan.end_reason = reason
    plan.end_analysis = analysis
    plan.save()
    plan.actions.filter(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]).update(
        status=ActionStatus.NOT_DONE,
        status_reason=_("the plan ended"),
        status_on=ended_on,
        revision=F("revision") + 1,
    )
    plan.contacts.filter(status=ContactStatus.PLANNED).delete()
    text = _("IPD ended on %(date)s: %(reason)s.") % {
        "date": day_text(ended_on),
        "reason": plan.get_end_reason_display(),
    }
    if analysis:
        text += " " + _("Analysis: %(analysis)s") % {"analysis": analysis}
    _journal(plan, acting_user, text, EntryKind.IPD_CHANGE)
    refresh_due_items(plan.client)


def end_on_deregistration(*, acting_user: User, registration: Registration) -> None:
    """Deregistering the client ends the plan; a plan still being prepared is dropped."""
    plan = (
        IndividualActionPlan.objects.select_for_update()
        .filter(registration=registration)
        .live()
        .first()
    )
    if plan is None:
        return
    ended_on = registration.deregistered_on
    if ended_on is None or registration.deregistration_reason is None:
        return
    reason_code = registration.deregistration_reason.code
    if plan.status == PlanStatus.DRAFT:
        plan.status = PlanStatus.ENDED
        plan.ended_on = ended_on
        plan.end_reason = EndReason.DEREGISTRATION
        plan.end_analysis = _("Deregistered before the plan was agreed: %(reason)s.") % {
            "reason": registration.deregistration_reason
        }
        plan.save()
        return
    if reason_code in WORK_DEREGISTRATION_REASONS:
        _close(plan, acting_user, ended_on, EndReason.WORK, "")
    else:
        _close(
            plan,
            acting_user,
            ended_on,
            EndReason.DEREGISTRATION,
            _("Deregistered: %(reason)s.") % {"reason": registration.deregistration_reason},
        )
