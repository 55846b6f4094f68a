"""The job club's forms. They parse and check what one form can see; the services decide
what the rules allow (capacity, eligibility, the waiting list)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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
        if ends <= starts:
            self.add_error("ends", _("A session ends after it starts."))
            return data
        tz = timezone.get_current_timezone()
        self.instance.starts_at = datetime.combine(day, starts, tzinfo=tz)
        self.instance.ends_at = datetime.combine(day, ends, tzinfo=tz)
        length = Decimal((self.instance.ends_at - self.instance.starts_at).seconds) / 3600
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
        tz = timezone.get_current_timezone()
        length: Decimal = data["length"]
        result: list[tuple[datetime, datetime, Decimal]] = []
        day: date = data["first_day"]
        while len(result) < data["count"]:
            if is_working_day(day):
                start = datetime.combine(day, data["starts"], tzinfo=tz)
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
