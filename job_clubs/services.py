"""Writes to job clubs: enrolment that never overbooks, the waiting list, attendance and
completion, each fed back to the client's IPD and journal (domain/job_clubs.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import CardEntry, Client, EntryKind
from clients.services import check_office, day_text
from ipd.models import (
    ActionKind,
    ActionStatus,
    DueKind,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    Reminder,
    ReminderStage,
)
from ipd.rules import act_by
from job_clubs import rules
from job_clubs.models import (
    HOLDS_A_PLACE,
    LIVE,
    Activity,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
    JobClub,
    Session,
)
from labour_office.offices.models import User
from profiling.models import FormOfAssistance
from profiling.selectors import forms_available_to

NOT_ELIGIBLE = {
    "deregistered": gettext_lazy(
        "Only a registered unemployed person or jobseeker may take part in classes and "
        "training of the job club; this person's registration has ended."
    ),
    "never_registered": gettext_lazy(
        "Only a registered unemployed person or jobseeker may take part in classes and "
        "training of the job club; this person has never been registered."
    ),
    "employer": gettext_lazy(
        "An employer cannot be enrolled: the job club's classes and training are for "
        "registered unemployed persons and jobseekers."
    ),
    "information_restricted": gettext_lazy(
        "This office keeps the job club's information access for registered unemployed "
        "persons and jobseekers; this person has no open registration."
    ),
}


def _journal(client: Client, author: User, text: str) -> None:
    CardEntry.objects.create(client=client, kind=EntryKind.ADVISOR_ACTION, text=text, author=author)


def _open_period(client: Client) -> rules.Period | None:
    registration = client.registrations.filter(deregistered_on__isnull=True).first()
    if registration is None:
        return None
    return rules.Period(
        registration.status, registration.registered_on, registration.deregistered_on
    )


def eligibility_message(kind: str, reason: str) -> str:
    if kind == rules.OPEN_INFORMATION and reason != "employer":
        return str(NOT_ELIGIBLE["information_restricted"])
    return str(NOT_ELIGIBLE[reason])


def check_eligible(activity: Activity, client: Client) -> None:
    """Raises ValidationError saying why the client may not take part in the activity."""
    try:
        rules.eligibility(
            activity.kind,
            _open_period(client),
            open_to_all=activity.club.office.job_club_information_open_to_all,
            ever_registered=client.registrations.exists(),
        )
    except rules.NotEligible as reason:
        raise ValidationError(eligibility_message(activity.kind, str(reason))) from None


def _first_and_last_day(activity: Activity) -> tuple[date, date] | None:
    sessions = list(activity.sessions.order_by("starts_at"))
    if not sessions:
        return None
    tz = timezone.get_current_timezone()
    return (
        sessions[0].starts_at.astimezone(tz).date(),
        sessions[-1].ends_at.astimezone(tz).date(),
    )


def _link_to_plan(
    enrolment: Enrolment, acting_user: User, on: date, justification: str
) -> PlanAction | None:
    """The enrolment becomes an office action of the client's IPD in force, under the form
    matching the activity's kind, if the client's profile allows that form."""
    activity = enrolment.activity
    code = rules.IPD_FORM_FOR_KIND.get(activity.kind)
    plan = (
        IndividualActionPlan.objects.filter(client=enrolment.client, status=PlanStatus.ACTIVE)
        .select_for_update()
        .first()
    )
    days = _first_and_last_day(activity)
    if code is None or plan is None or days is None:
        return None
    offered = {f.code: a for f, a in forms_available_to(enrolment.client, on)}
    availability = offered.get(code)
    if availability is None:
        return None
    if availability.needs_justification and not justification.strip():
        raise ValidationError(
            {
                "justification": _(
                    "The client's profile allows this form only in justified cases: write why "
                    "the job club is needed."
                )
            }
        )
    starts_on, ends_on = max(days[0], plan.starts_on), min(days[1], plan.ends_on)
    if ends_on < starts_on:
        return None
    action = PlanAction.objects.create(
        plan=plan,
        kind=ActionKind.OFFICE,
        form=FormOfAssistance.objects.get(code=code),
        description=_("Job club: %(title)s") % {"title": activity.title},
        justification=justification.strip() if availability.needs_justification else "",
        starts_on=starts_on,
        ends_on=ends_on,
        responsible=activity.leader,
        expected_result=_("Completion of the activity"),
        position=(plan.actions.count() + 1),
    )
    return action


def _follow(enrolment: Enrolment, status: str, reason: str, on: date) -> None:
    """The IPD action's status follows the enrolment."""
    if enrolment.plan_action_id is None:
        return
    PlanAction.objects.filter(pk=enrolment.plan_action_id).update(
        status=status,
        status_reason=reason if status == ActionStatus.NOT_DONE else "",
        status_on=on,
    )
    from ipd.deadlines import refresh_due_items

    refresh_due_items(enrolment.client)


@transaction.atomic
def enrol(
    *,
    acting_user: User,
    activity: Activity,
    client: Client,
    on: date,
    justification: str = "",
) -> Enrolment:
    """Enrol a client: a place while there is one, else the waiting list. The activity's row
    lock makes concurrent enrolments take places one at a time."""
    check_office(acting_user, activity.club.office)
    if client.office_id != activity.club.office_id:
        raise ValidationError(_("The client belongs to another office."))
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("club__office")
        .get(pk=activity.pk)
    )
    check_eligible(activity, client)
    if not activity.enrolment_opens_on <= on <= activity.enrolment_closes_on:
        raise ValidationError(
            _("Enrolment is open from %(start)s to %(end)s.")
            % {
                "start": day_text(activity.enrolment_opens_on),
                "end": day_text(activity.enrolment_closes_on),
            }
        )
    if Enrolment.objects.filter(activity=activity, client=client, status__in=LIVE).exists():
        raise ValidationError(_("The client is already enrolled in this activity."))
    taken = Enrolment.objects.filter(activity=activity, status__in=HOLDS_A_PLACE).count()
    status = EnrolmentStatus.ENROLLED if taken < activity.capacity else EnrolmentStatus.WAITLISTED
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                activity=activity, client=client, status=status, enrolled_by=acting_user
            )
    except IntegrityError:
        raise ValidationError(_("The client is already enrolled in this activity.")) from None
    action = _link_to_plan(enrolment, acting_user, on, justification)
    if action is not None:
        enrolment.plan_action = action
        enrolment.save(update_fields=["plan_action"])
        from ipd.deadlines import refresh_due_items

        refresh_due_items(client)
    if status == EnrolmentStatus.ENROLLED:
        text = _("Enrolled in the job club activity “%(title)s”.")
    else:
        text = _("Put on the waiting list of the job club activity “%(title)s”.")
    _journal(client, acting_user, text % {"title": activity.title})
    return enrolment


@transaction.atomic
def cancel(*, acting_user: User, enrolment: Enrolment, reason: str, on: date) -> Enrolment | None:
    """Cancel an enrolment (or a place on the waiting list). A freed place goes to the first
    on the waiting list, whose advisor is told through the inbox; answers that enrolment."""
    check_office(acting_user, enrolment.activity.club.office)
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=enrolment.activity_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED):
        raise ValidationError(_("This enrolment is no longer open."))
    if enrolment.attendance.filter(mark=AttendanceMark.PRESENT).exists():
        raise ValidationError(
            _("The participant has already attended: record a drop-out instead of a cancellation.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    held_place = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.reason = reason
    enrolment.ended_on = on
    enrolment.save(update_fields=["status", "reason", "ended_on"])
    _follow(enrolment, ActionStatus.NOT_DONE, reason, on)
    _journal(
        enrolment.client,
        acting_user,
        _("Enrolment in “%(title)s” cancelled: %(reason)s")
        % {"title": activity.title, "reason": reason},
    )
    if not held_place:
        return None
    return _promote_first(activity, acting_user, on)


@transaction.atomic
def drop_out(
    *, acting_user: User, enrolment: Enrolment, reason: str, good_reason: bool | None, on: date
) -> Enrolment | None:
    """A participant stopped coming. The facts (reason, whether the client gave a good one)
    go to the journal; whether that costs the unemployed status (``interrupted_form``,
    clients.md) stays the office's decision. The freed place goes to the waiting list;
    answers the promoted enrolment, if any."""
    check_office(acting_user, enrolment.activity.club.office)
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=enrolment.activity_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled participant can drop out."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for dropping out.")})
    if good_reason is None:
        raise ValidationError(
            {"good_reason": _("Say whether the client gave a good reason for dropping out.")}
        )
    enrolment.status = EnrolmentStatus.DROPPED_OUT
    enrolment.reason = reason
    enrolment.good_reason = good_reason
    enrolment.ended_on = on
    enrolment.save(update_fields=["status", "reason", "good_reason", "ended_on"])
    _follow(enrolment, ActionStatus.NOT_DONE, reason, on)
    if good_reason:
        text = _("Dropped out of “%(title)s” with a good reason: %(reason)s")
    else:
        text = _(
            "Dropped out of “%(title)s” without a good reason: %(reason)s. Interrupting a form "
            "of assistance may be a ground for losing the unemployed status; the office decides."
        )
    _journal(enrolment.client, acting_user, text % {"title": activity.title, "reason": reason})
    return _promote_first(activity, acting_user, on)


@transaction.atomic
def set_capacity(
    *, acting_user: User, activity: Activity, capacity: int, on: date
) -> list[Enrolment]:
    """Change the number of places. Never below the places already held; more places go to
    the waiting list in its order. Answers the promoted enrolments."""
    check_office(acting_user, activity.club.office)
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    taken = Enrolment.objects.filter(activity=activity, status__in=HOLDS_A_PLACE).count()
    if capacity < max(taken, 1):
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)s people already hold places; the activity cannot have fewer."
                )
                % {"taken": taken}
            }
        )
    activity.capacity = capacity
    activity.save(update_fields=["capacity"])
    promoted = []
    while (first := _promote_first(activity, acting_user, on)) is not None:
        promoted.append(first)
    return promoted


def _promote_first(activity: Activity, acting_user: User, on: date) -> Enrolment | None:
    taken = Enrolment.objects.filter(activity=activity, status__in=HOLDS_A_PLACE).count()
    if taken >= activity.capacity:
        return None
    waiting = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(activity=activity, status=EnrolmentStatus.WAITLISTED)
        .select_related("client", "activity__club__office")
        .order_by("enrolled_at", "pk")
    )
    first = None
    for candidate in waiting:
        try:
            check_eligible(activity, candidate.client)
        except ValidationError as refusal:
            # Deregistered while waiting: taken off the list with the reason, not promoted.
            reason = " ".join(refusal.messages)
            candidate.status = EnrolmentStatus.CANCELLED
            candidate.reason = reason
            candidate.ended_on = on
            candidate.save(update_fields=["status", "reason", "ended_on"])
            _follow(candidate, ActionStatus.NOT_DONE, reason, on)
            continue
        first = candidate
        break
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.save(update_fields=["status"])
    _journal(
        first.client,
        acting_user,
        _("A place freed up: enrolled in “%(title)s” from the waiting list.")
        % {"title": activity.title},
    )
    _tell_advisor(first, on)
    return first


def _tell_advisor(enrolment: Enrolment, on: date) -> None:
    """An inbox reminder for the client's advisor: the client has a place now."""
    client = enrolment.client
    assignment = client.assignments.filter(ended_at__isnull=True).first()
    days = _first_and_last_day(enrolment.activity)
    due_on = days[0] if days and days[0] >= on else on
    Reminder.objects.get_or_create(
        client=client,
        kind=DueKind.JOB_CLUB,
        due_on=due_on,
        stage=ReminderStage.DUE,
        defaults={
            "office_id": client.office_id,
            "act_by": act_by(due_on),
            "advisor_id": assignment.advisor_id if assignment else None,
            "created_on": on,
        },
    )


@transaction.atomic
def mark_attendance(
    *, acting_user: User, session: Session, enrolment: Enrolment, mark: str, on: date
) -> Enrolment:
    """One cell of the register. Hours attended are recounted; the first presence starts the
    IPD action; reaching the club's share of scheduled hours completes the activity."""
    check_office(acting_user, session.activity.club.office)
    if mark not in AttendanceMark.values:
        raise ValidationError(_("Choose present, absent or excused."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("activity__club", "client")
        .get(pk=enrolment.pk, activity_id=session.activity_id)
    )
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED):
        raise ValidationError(_("Only enrolled participants are on the register."))
    Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"mark": mark, "recorded_by": acting_user}
    )
    attended = Attendance.objects.filter(
        enrolment=enrolment, mark=AttendanceMark.PRESENT
    ).aggregate(hours=Sum("session__hours"))["hours"] or Decimal("0")
    scheduled = enrolment.activity.sessions.aggregate(hours=Sum("hours"))["hours"] or Decimal("0")
    first_presence = attended > 0 and enrolment.hours_attended == 0
    enrolment.hours_attended = attended
    fields = ["hours_attended"]
    if first_presence and enrolment.status == EnrolmentStatus.ENROLLED:
        _follow(enrolment, ActionStatus.IN_PROGRESS, "", on)
    share = enrolment.activity.club.completion_share
    if enrolment.status == EnrolmentStatus.ENROLLED and rules.completed(attended, scheduled, share):
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_on = on
        fields += ["status", "completed_on"]
        _follow(enrolment, ActionStatus.DONE, "", on)
        _journal(
            enrolment.client,
            acting_user,
            _("Completed the job club activity “%(title)s”: %(hours)s of %(scheduled)s hours.")
            % {
                "title": enrolment.activity.title,
                "hours": attended,
                "scheduled": scheduled,
            },
        )
    enrolment.save(update_fields=fields)
    return enrolment


def recount_hours(activity: Activity) -> None:
    """Hours attended again from the register, after the sessions' hours changed: one
    statement for the whole activity."""
    present = (
        Attendance.objects.filter(enrolment=OuterRef("pk"), mark=AttendanceMark.PRESENT)
        .order_by()
        .values("enrolment")
        .annotate(hours=Sum("session__hours"))
        .values("hours")
    )
    Enrolment.objects.filter(activity=activity).update(
        hours_attended=Coalesce(Subquery(present), Value(Decimal("0")))
    )


@transaction.atomic
def issue_certificate(*, acting_user: User, enrolment: Enrolment, on: date) -> Enrolment:
    """The completion certificate (zaświadczenie): numbered once per club and year, in the
    order issued; printing it again shows the same number and date."""
    check_office(acting_user, enrolment.activity.club.office)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValidationError(_("A certificate is issued only for a completed activity."))
    if enrolment.certificate_number:
        return enrolment
    club = JobClub.objects.select_for_update().get(pk=enrolment.activity.club_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.certificate_number:
        return enrolment
    issued = Enrolment.objects.filter(
        activity__club=club, certificate_issued_on__year=on.year
    ).count()
    enrolment.certificate_number = f"KP/{club.pk}/{on.year}/{issued + 1}"
    enrolment.certificate_issued_on = on
    enrolment.save(update_fields=["certificate_number", "certificate_issued_on"])
    _journal(
        enrolment.client,
        acting_user,
        _("Certificate %(number)s of completing “%(title)s” issued.")
        % {"number": enrolment.certificate_number, "title": enrolment.activity.title},
    )
    return enrolment
