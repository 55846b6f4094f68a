"""The job club's forms. They parse and check what one form can see; the services decide
what the rules allow (capacity, eligibility, the waiting list)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipd.forms import DATE_INPUT, StaffChoiceField, office_staff
from job_clubs.models import Activity, JobClub, Session
from labour_office.calendar import is_working_day
from labour_office.offices.models import Office

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_SESSIONS = 60
# Sessions are planned from a year back (entering a past cycle) to three years ahead.
YEARS_BACK, YEARS_AHEAD = 1, 3


def check_session_day(day: date) -> None:
    today = timezone.localdate()
    if (
        not today.replace(year=today.year - YEARS_BACK, day=1)
        <= day
        <= today.replace(year=today.year + YEARS_AHEAD, day=1)
    ):
        raise forms.ValidationError(
            _("Plan sessions from a year back to three years ahead."), code="out_of_range"
        )


def local_moment(day: date, moment: time) -> datetime | None:
    """The moment in the office's time zone, or None when the clocks skip it (the spring
    change of time)."""
    tz = timezone.get_current_timezone()
    aware = datetime.combine(day, moment, tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != aware.replace(tzinfo=None):
        return None
    return aware


class ClubForm(forms.ModelForm[JobClub]):
    completion_percent = forms.IntegerField(
        label=_("Share of scheduled hours needed to complete (%)"),
        min_value=1,
        max_value=100,
        initial=80,
        help_text=_("A participant who attends at least this share completes the activity."),
    )

    class Meta:
        model = JobClub
        fields = ["name", "place", "leader", "public_page", "is_active"]
        field_classes = {"leader": StaffChoiceField}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = office_staff(office.pk)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["completion_percent"].initial = int(self.instance.completion_share * 100)
        self.order_fields(["name", "place", "leader", "completion_percent"])

    def save(self, commit: bool = True) -> JobClub:
        self.instance.completion_share = Decimal(self.cleaned_data["completion_percent"]) / 100
        return super().save(commit)


class OfficeSettingsForm(forms.ModelForm[Office]):
    class Meta:
        model = Office
        fields = ["job_club_information_open_to_all", "job_club_public_page"]


class ActivityForm(forms.ModelForm[Activity]):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "description",
            "programme",
            "leader",
            "capacity",
            "enrolment_opens_on",
            "enrolment_closes_on",
        ]
        field_classes = {"leader": StaffChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "programme": forms.Textarea(attrs={"rows": 6}),
            "enrolment_opens_on": DATE_INPUT,
            "enrolment_closes_on": DATE_INPUT,
        }
        help_texts = {
            "programme": _(
                "Topics, e.g. assessing one's skills, the local labour market, application "
                "documents, the job interview, methods of looking for work."
            ),
            "capacity": _("Beyond it, clients join the waiting list."),
        }

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = office_staff(office.pk)  # type: ignore[attr-defined]
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("enrolment_opens_on"), data.get("enrolment_closes_on")
        if opens and closes and closes < opens:
            self.add_error("enrolment_closes_on", _("Enrolment cannot close before it opens."))
        return data


class SessionForm(forms.ModelForm[Session]):
    """One session as the leader thinks of it: a day, from, to; the hours follow from the
    times unless given (a break makes them fewer)."""

    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    starts = forms.TimeField(label=_("From"), widget=TIME_INPUT)
    ends = forms.TimeField(label=_("To"), widget=TIME_INPUT)

    class Meta:
        model = Session
        fields = ["room", "hours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].required = False
        self.fields["hours"].help_text = _("Empty: the time from start to end.")
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=start.date(),
                starts=start.time(),
                ends=timezone.localtime(self.instance.ends_at).time(),
            )
        self.order_fields(["day", "starts", "ends", "room", "hours"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day is None or starts is None or ends is None:
            return data
        try:
            check_session_day(day)
        except forms.ValidationError as error:
            self.add_error("day", error)
            return data
        if ends <= starts:
            self.add_error("ends", _("A session ends after it starts."))
            return data
        starts_at, ends_at = local_moment(day, starts), local_moment(day, ends)
        if starts_at is None or ends_at is None:
            self.add_error(
                "starts", _("The clocks change that night: this time does not exist that day.")
            )
            return data
        self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        length = Decimal(int(ends_at.timestamp() - starts_at.timestamp())) / 3600
        hours = data.get("hours") or length.quantize(Decimal("0.1"))
        if hours > length:
            self.add_error("hours", _("More hours than the session lasts."))
        elif hours < Decimal("0.5"):
            self.add_error("hours", _("A session lasts at least half an hour."))
        data["hours"] = hours
        return data


class BaseSessionFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        for form in self.forms:
            deleted = form.cleaned_data.get("DELETE") and form.instance.pk
            if deleted and form.instance.attendance.exists():
                raise forms.ValidationError(
                    _("The session of %(day)s has attendance recorded and cannot be removed.")
                    % {"day": timezone.localtime(form.instance.starts_at).date()}
                )


SessionFormSet = forms.inlineformset_factory(
    Activity,
    Session,
    form=SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_SESSIONS,
    validate_max=True,
)


class ScheduleForm(forms.Form):
    """Sessions in a row on working days: the handbook's cycles are 20 sessions of 4 hours
    over four weeks (plus individual work) or 22 sessions over ten days (two a day)."""

    first_day = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    count = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=MAX_SESSIONS, initial=20
    )
    per_day = forms.IntegerField(label=_("Sessions a day"), min_value=1, max_value=3, initial=1)
    starts = forms.TimeField(label=_("First session from"), widget=TIME_INPUT, initial=time(9))
    length = forms.DecimalField(
        label=_("Hours per session"),
        min_value=Decimal("0.5"),
        max_value=Decimal("8"),
        decimal_places=1,
        initial=Decimal("4"),
    )
    room = forms.CharField(label=_("Room"), max_length=100, required=False)

    def clean_first_day(self) -> date:
        day: date = self.cleaned_data["first_day"]
        check_session_day(day)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, length, per_day = data.get("starts"), data.get("length"), data.get("per_day")
        if starts and length and per_day:
            minutes = (
                starts.hour * 60 + starts.minute + int(length * 60) * per_day + 30 * (per_day - 1)
            )
            if minutes > 22 * 60:
                self.add_error(None, _("The sessions of one day would end after 22:00."))
        return data

    def sessions(self) -> list[tuple[datetime, datetime, Decimal]]:
        """(start, end, hours) on consecutive working days; sessions of one day follow each
        other with a half-hour break."""
        data = self.cleaned_data
        length: Decimal = data["length"]
        result: list[tuple[datetime, datetime, Decimal]] = []
        day: date = data["first_day"]
        while len(result) < data["count"]:
            start = local_moment(day, data["starts"])
            if is_working_day(day) and start is not None:
                for _n in range(data["per_day"]):
                    if len(result) == data["count"]:
                        break
                    end = start + timedelta(minutes=int(length * 60))
                    result.append((start, end, length))
                    start = end + timedelta(minutes=30)
            day += timedelta(days=1)
        return result


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a client by PESEL or name"),
        max_length=100,
        required=False,
    )


class EnrolForm(forms.Form):
    client = forms.IntegerField(widget=forms.HiddenInput)
    justification = forms.CharField(
        label=_("Why the client needs it (for the IPD)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the client's profile allows this form only in justified cases."),
    )
    clash_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DropOutForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the participant stopped coming"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    good_reason = forms.TypedChoiceField(
        label=_("Did the client give a good reason?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "Without a good reason, interrupting a form of assistance may cost the unemployed "
            "status; the office decides separately."
        ),
    )


class WeekForm(forms.Form):
    week = forms.DateField(required=False, widget=DATE_INPUT)

    def clean_week(self) -> date | None:
        day: date | None = self.cleaned_data.get("week")
        if day is not None and not date(1900, 1, 8) <= day <= date(9999, 12, 20):
            raise forms.ValidationError(_("Choose a day of a week."), code="out_of_range")
        return day
