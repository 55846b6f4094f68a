"""The job club's pages: clubs, the week, activities with their lists and enrolment, the
register of each session (saved per click with htmx), and the printed documents.

Who may do what: every advisor of the office sees the clubs and enrols clients; the
activity's leader, the club's leader and managers edit activities and keep the register."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import get_client_for_user
from job_clubs import selectors, services
from job_clubs.forms import (
    ActivityForm,
    CancelForm,
    ClubForm,
    DropOutForm,
    EnrolForm,
    OfficeSettingsForm,
    ScheduleForm,
    SearchForm,
    SessionFormSet,
    WeekForm,
)
from job_clubs.models import (
    Activity,
    AttendanceMark,
    EnrolmentStatus,
    Session,
)
from job_clubs.outcomes import outcomes_for
from labour_office.audit.models import AccessAction
from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices.http import AuthenticatedHttpRequest, next_url
from labour_office.offices.models import Office


def _office(request: AuthenticatedHttpRequest) -> Office:
    """The office whose clubs a new club joins: the user's own."""
    if request.user.office is None:
        raise Http404
    return request.user.office


# --- Clubs ----------------------------------------------------------------------------------


@permission_required("job_clubs.view_jobclub", raise_exception=True)
def club_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    clubs = list(selectors.clubs_for(request.user).order_by("office__name", "name"))
    return render(
        request,
        "job_clubs/club_list.html",
        {"clubs": clubs, "office": request.user.office},
    )


@permission_required("job_clubs.add_jobclub", raise_exception=True)
def club_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = _office(request)
    form = ClubForm(request.POST if request.method == "POST" else None, office=office)
    if request.method == "POST" and form.is_valid():
        form.instance.office = office
        club = form.save()
        messages.success(request, _("The job club “%(name)s” is open.") % {"name": club.name})
        return redirect("job_clubs:club", club.pk)
    return render(request, "job_clubs/club_form.html", {"form": form, "club": None})


@permission_required("job_clubs.change_jobclub", raise_exception=True)
def club_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = selectors.get_club_for_user(request.user, pk)
    form = ClubForm(
        request.POST if request.method == "POST" else None, instance=club, office=club.office
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The club's details are saved."))
        return redirect("job_clubs:club", club.pk)
    return render(request, "job_clubs/club_form.html", {"form": form, "club": club})


@permission_required("job_clubs.change_jobclub", raise_exception=True)
def office_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's two switches: who may use open information access, and the public page."""
    office = _office(request)
    form = OfficeSettingsForm(request.POST if request.method == "POST" else None, instance=office)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The job club settings of the office are saved."))
        return redirect("job_clubs:clubs")
    return render(request, "job_clubs/office_settings.html", {"form": form, "office": office})


@permission_required("job_clubs.view_jobclub", raise_exception=True)
def club_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = selectors.get_club_for_user(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "job_clubs/club_detail.html",
        {
            "club": club,
            "page": selectors.club_page(club, today),
            "can_lead": selectors.can_lead_club(request.user, club),
            "today": today,
        },
    )


@permission_required("job_clubs.view_jobclub", raise_exception=True)
def club_week(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The club's week, Monday to Sunday; ``?week=`` any day of the week wanted."""
    club = selectors.get_club_for_user(request.user, pk)
    form = WeekForm(request.GET)
    day = form.cleaned_data.get("week") if form.is_valid() else None
    day = day or timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    days = selectors.week(club, monday)
    return render(
        request,
        "job_clubs/week.html",
        {
            "club": club,
            "days": [d for d in days if d.sessions or d.day.weekday() < 5],
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": timezone.localdate(),
            "form": form,
        },
    )


# --- Activities -----------------------------------------------------------------------------


def _require_lead(request: AuthenticatedHttpRequest, activity: Activity) -> None:
    if not selectors.can_lead(request.user, activity):
        raise PermissionDenied


@permission_required("job_clubs.view_activity", raise_exception=True)
def activity_create(request: AuthenticatedHttpRequest, club_pk: int) -> HttpResponse:
    club = selectors.get_club_for_user(request.user, club_pk)
    if not selectors.can_lead_club(request.user, club):
        raise PermissionDenied
    initial = {"leader": club.leader_id, "enrolment_opens_on": timezone.localdate()}
    form = ActivityForm(
        request.POST if request.method == "POST" else None, office=club.office, initial=initial
    )
    schedule = ScheduleForm(request.POST if request.method == "POST" else None, prefix="schedule")
    if request.method == "POST" and form.is_valid() and schedule.is_valid():
        with transaction.atomic():
            form.instance.club = club
            activity = form.save()
            Session.objects.bulk_create(
                Session(
                    activity=activity,
                    starts_at=start,
                    ends_at=end,
                    hours=hours,
                    room=schedule.cleaned_data["room"],
                )
                for start, end, hours in schedule.sessions()
            )
        messages.success(
            request, _("The activity “%(title)s” is planned.") % {"title": activity.title}
        )
        return redirect(activity)
    return render(
        request,
        "job_clubs/activity_form.html",
        {"form": form, "schedule": schedule, "club": club, "activity": None},
    )


@permission_required("job_clubs.view_activity", raise_exception=True)
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    _require_lead(request, activity)
    capacity = activity.capacity
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        instance=activity,
        office=activity.club.office,
    )
    sessions = SessionFormSet(
        request.POST if request.method == "POST" else None,
        instance=activity,
        queryset=activity.sessions.order_by("starts_at", "pk"),
        prefix="sessions",
    )
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        try:
            with transaction.atomic():
                wanted = form.cleaned_data["capacity"]
                # The places change only under the lock, through the service.
                locked = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
                form.instance.capacity = capacity = locked.capacity
                form.save()
                sessions.save()
                services.recount_hours(activity)
                promoted = []
                if wanted != capacity:
                    promoted = services.set_capacity(
                        acting_user=request.user,
                        activity=activity,
                        capacity=wanted,
                        on=timezone.localdate(),
                    )
        except ValidationError as error:
            form.instance.capacity = capacity
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            for enrolment in promoted:
                messages.info(
                    request,
                    _("%(client)s has a place now (from the waiting list).")
                    % {"client": enrolment.client},
                )
            return redirect(activity)
    return render(
        request,
        "job_clubs/activity_form.html",
        {"form": form, "sessions": sessions, "club": activity.club, "activity": activity},
    )


@permission_required("job_clubs.view_activity", raise_exception=True)
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, pk)
    today = timezone.localdate()
    search = SearchForm(request.GET)
    found = None
    if search.is_valid() and search.cleaned_data["q"]:
        found = selectors.find_candidates(request.user, activity, search.cleaned_data["q"])
    page = selectors.activity_page(activity)
    return render(
        request,
        "job_clubs/activity_detail.html",
        {
            "activity": activity,
            "club": activity.club,
            "page": page,
            "outcomes": outcomes_for([activity.pk], today)[activity.pk],
            "search": search,
            "found": found,
            "employer_refusal": services.eligibility_message(activity.kind, "employer"),
            "can_lead": selectors.can_lead(request.user, activity),
            "can_enrol": request.user.has_perm("job_clubs.add_enrolment"),
            "window_open": activity.enrolment_opens_on <= today <= activity.enrolment_closes_on,
            "today": today,
        },
    )


# --- Enrolment ------------------------------------------------------------------------------


@permission_required("job_clubs.add_enrolment", raise_exception=True)
def client_activities(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    """From the client page: the activities the client may join now, with free places."""
    client = get_client_for_user(request.user, client_pk)
    access_record(request=request, obj=client)
    today = timezone.localdate()
    return render(
        request,
        "job_clubs/client_activities.html",
        {
            "client": client,
            "candidates": selectors.joinable(client, today),
            "enrolments": selectors.client_enrolments(client),
            "today": today,
        },
    )


@permission_required("job_clubs.add_enrolment", raise_exception=True)
@require_POST
def enrol(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Enrol the posted client. A clash with the client's other activities, or a profile that
    needs a justification, first shows a page to confirm; nothing is saved until then."""
    activity = selectors.get_activity_for_user(request.user, pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a client to enrol."))
        return redirect(next_url(request, activity.get_absolute_url()))
    client = get_client_for_user(request.user, form.cleaned_data["client"])
    back = next_url(request, activity.get_absolute_url())
    clashes = selectors.clashes(client, activity)
    if clashes and not form.cleaned_data["clash_confirmed"]:
        return _confirm(request, activity, client, form, clashes, back)
    try:
        enrolment = services.enrol(
            acting_user=request.user,
            activity=activity,
            client=client,
            on=timezone.localdate(),
            justification=form.cleaned_data["justification"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "justification" in error.error_dict:
            add_service_errors(form, error)
            return _confirm(request, activity, client, form, clashes, back)
        for text in error.messages:
            messages.error(request, text)
        return redirect(back)
    if enrolment.status == EnrolmentStatus.ENROLLED:
        text = _("%(client)s is enrolled in “%(title)s”.")
    else:
        text = _("No places left: %(client)s is on the waiting list of “%(title)s”.")
    messages.success(request, text % {"client": client, "title": activity.title})
    if enrolment.plan_action_id:
        messages.info(request, _("The activity is now an action of the client's IPD."))
    return redirect(back)


def _confirm(
    request: AuthenticatedHttpRequest,
    activity: Activity,
    client: Any,
    form: EnrolForm,
    clashes: list[Session],
    back: str,
) -> HttpResponse:
    return render(
        request,
        "job_clubs/enrol_confirm.html",
        {
            "activity": activity,
            "client": client,
            "form": form,
            "clashes": clashes,
            "next": back,
        },
        status=200 if not form.errors else 400,
    )


def _enrolment_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type[CancelForm] | type[DropOutForm],
    template: str,
) -> HttpResponse:
    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    form = form_class(request.POST if request.method == "POST" else None)
    back = next_url(request, enrolment.activity.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, DropOutForm):
                promoted = services.drop_out(
                    acting_user=request.user,
                    enrolment=enrolment,
                    reason=form.cleaned_data["reason"],
                    good_reason=form.cleaned_data["good_reason"],
                    on=timezone.localdate(),
                )
                messages.success(request, _("The drop-out is recorded."))
            else:
                promoted = services.cancel(
                    acting_user=request.user,
                    enrolment=enrolment,
                    reason=form.cleaned_data["reason"],
                    on=timezone.localdate(),
                )
                messages.success(request, _("The enrolment is cancelled."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if promoted is not None:
                messages.info(
                    request,
                    _(
                        "%(client)s moves up from the waiting list; their advisor is told "
                        "in the reminders."
                    )
                    % {"client": promoted.client},
                )
            return redirect(back)
    return render(
        request,
        template,
        {"enrolment": enrolment, "activity": enrolment.activity, "form": form, "next": back},
        status=400 if form.errors else 200,
    )


@permission_required("job_clubs.change_enrolment", raise_exception=True)
def enrolment_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _enrolment_action(request, pk, CancelForm, "job_clubs/enrolment_cancel.html")


@permission_required("job_clubs.change_enrolment", raise_exception=True)
def enrolment_drop_out(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    _require_lead(request, enrolment.activity)
    return _enrolment_action(request, pk, DropOutForm, "job_clubs/enrolment_drop_out.html")


# --- Register and documents -----------------------------------------------------------------


@permission_required("job_clubs.view_session", raise_exception=True)
def session_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session_for_user(request.user, pk)
    return render(
        request,
        "job_clubs/register.html",
        {
            "session": session,
            "activity": session.activity,
            "register": selectors.register(session),
            "can_mark": selectors.can_lead(request.user, session.activity),
            "marks": AttendanceMark.choices,
        },
    )


@permission_required("job_clubs.view_session", raise_exception=True)
@require_POST
def session_mark(request: AuthenticatedHttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    """One click in the register: htmx gets the participant's row back; without JavaScript
    the register again."""
    session = selectors.get_session_for_user(request.user, pk)
    _require_lead(request, session.activity)
    enrolment = selectors.get_enrolment_for_user(request.user, enrolment_pk)
    if enrolment.activity_id != session.activity_id:
        raise Http404
    error = ""
    was_completed = enrolment.status == EnrolmentStatus.COMPLETED
    try:
        enrolment = services.mark_attendance(
            acting_user=request.user,
            session=session,
            enrolment=enrolment,
            mark=request.POST.get("mark", ""),
            on=timezone.localdate(),
        )
    except ValidationError as problem:
        error = " ".join(problem.messages)
    completed_now = not was_completed and enrolment.status == EnrolmentStatus.COMPLETED
    if request.htmx:
        register = selectors.register(session)
        row = next((r for r in register.rows if r[0].pk == enrolment.pk), None)
        if row is None:
            # The participant left the register meanwhile: show the register as it is now.
            response = HttpResponse(error, status=400)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "job_clubs/_register_row.html",
            {
                "session": session,
                "row": row,
                "register": register,
                "can_mark": True,
                "marks": AttendanceMark.choices,
                "error": error,
                "completed_now": completed_now,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    elif completed_now:
        messages.success(
            request,
            _("%(client)s has completed the activity.") % {"client": enrolment.client},
        )
    return redirect("job_clubs:register", session.pk)


@permission_required("job_clubs.view_session", raise_exception=True)
def sign_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from job_clubs.documents import sign_list_pdf

    session = selectors.get_session_for_user(request.user, pk)
    response = HttpResponse(sign_list_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lista-obecnosci-{session.pk}.pdf"'
    return response


@permission_required("job_clubs.change_enrolment", raise_exception=True)
@require_POST
def certificate_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    try:
        services.issue_certificate(
            acting_user=request.user, enrolment=enrolment, on=timezone.localdate()
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(enrolment.activity)
    return redirect("job_clubs:certificate", enrolment.pk)


@permission_required("job_clubs.view_enrolment", raise_exception=True)
def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The certificate as issued (its number and date stay as first issued)."""
    from job_clubs.documents import certificate_pdf

    enrolment = selectors.get_enrolment_for_user(request.user, pk)
    if not enrolment.certificate_number:
        raise Http404
    access_record(request=request, obj=enrolment.client, action=AccessAction.PRINT)
    response = HttpResponse(certificate_pdf(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="zaswiadczenie-{enrolment.pk}.pdf"'
    return response
