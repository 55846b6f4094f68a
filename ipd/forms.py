"""The advisor's forms for a plan. They parse; the services decide what the law allows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipd.models import (
    ActionStatus,
    ContactChannel,
    ContactStatus,
    EndReason,
    IndividualActionPlan,
)
from labour_office.offices.models import User
from profiling.models import FormOfAssistance

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def revision_field() -> forms.IntegerField:
    """The revision of the record the form was loaded from (ipd.conflicts). Optional: a post
    without it (an old page, a script) is saved as before, last writer wins."""
    return forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


def staff_label(user: User) -> str:
    post = user.get_post_display()
    return f"{user.get_full_name()} ({post})" if post else user.get_full_name()


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


def office_staff(office_id: int) -> Any:
    return User.objects.filter(office_id=office_id, is_active=True).order_by(
        "last_name", "first_name"
    )


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Occupational goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The work the client aims at, in their own terms: occupation, place, hours."),
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Planned end"), widget=DATE_INPUT)
    contact_arrangements = forms.CharField(
        label=_("How we keep in touch"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How and how often the client and the office contact each other."),
    )
    specialists = StaffMultipleChoiceField(
        label=_("Specialists involved"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("E.g. a career counsellor or a job placement officer."),
    )
    revision = revision_field()

    def __init__(self, *args: Any, plan: IndividualActionPlan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "revision": plan.revision,
                "goals": plan.goals,
                "starts_on": plan.starts_on,
                "ends_on": plan.ends_on,
                "contact_arrangements": plan.contact_arrangements,
                "specialists": [u.pk for u in plan.specialists.all()],
            },
        )
        super().__init__(*args, **kwargs)
        field: Any = self.fields["specialists"]
        field.queryset = office_staff(plan.client.office_id).exclude(pk=plan.advisor_id)
        if plan.max_end:
            self.fields["ends_on"].widget.attrs["max"] = plan.max_end.isoformat()
            self.fields["ends_on"].help_text = _(
                "At the latest %(date)s: the maximum for profile %(profile)s."
            ) % {"date": plan.max_end.strftime("%d.%m.%Y"), "profile": plan.profile}
        if plan.status != "draft":
            self.fields["starts_on"].disabled = True


class FormChoiceField(forms.ModelChoiceField[FormOfAssistance]):
    notes: dict[int, str]

    def label_from_instance(self, obj: FormOfAssistance) -> str:
        note = self.notes.get(obj.pk, "")
        return f"{obj.name} ({note})" if note else obj.name


class ActionForm(forms.Form):
    """One action: an office action names a form of assistance from those offered to this
    client; an own action is what the client undertakes."""

    description = forms.CharField(label=_("What exactly"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    expected_result = forms.CharField(
        label=_("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    # Only when editing an action (the view puts it in ``initial``); a new action has none.
    revision = revision_field()

    def __init__(
        self,
        *args: Any,
        plan: IndividualActionPlan,
        offered: list[tuple[FormOfAssistance, str]] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["revision"]
        today = timezone.localdate()
        start = max(plan.starts_on, today) if plan.status != "draft" else plan.starts_on
        self.fields["starts_on"].initial = start
        self.fields["ends_on"].initial = plan.ends_on
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget.attrs.update(
                {"min": plan.starts_on.isoformat(), "max": plan.ends_on.isoformat()}
            )


class OfficeActionForm(ActionForm):
    form = FormChoiceField(
        label=_("Form of assistance"),
        queryset=FormOfAssistance.objects.none(),
        help_text=_("Only the forms this client's profile allows are offered."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Required where the profile allows the form only in justified cases."),
    )
    special_programme = forms.CharField(
        label=_("Special programme"),
        required=False,
        max_length=200,
        help_text=_("The programme's name, when the form is given within one."),
    )
    completed_pai = forms.BooleanField(
        label=_("The client has completed the Activation and Integration Programme"),
        required=False,
    )
    responsible = StaffChoiceField(label=_("Responsible"), queryset=User.objects.none())

    field_order = [
        "form",
        "description",
        "justification",
        "special_programme",
        "completed_pai",
        "starts_on",
        "ends_on",
        "responsible",
        "expected_result",
        "revision",
    ]

    def __init__(
        self,
        *args: Any,
        plan: IndividualActionPlan,
        offered: list[tuple[FormOfAssistance, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        field: Any = self.fields["form"]
        offered = offered or []
        field.queryset = FormOfAssistance.objects.filter(pk__in=[f.pk for f, _n in offered])
        field.notes = {f.pk: note for f, note in offered}
        responsible: Any = self.fields["responsible"]
        responsible.queryset = office_staff(plan.client.office_id)
        responsible.initial = plan.advisor_id


class OwnActionForm(ActionForm):
    def __init__(self, *args: Any, plan: IndividualActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["description"].label = _("What the client will do")
        self.fields["description"].widget.attrs["placeholder"] = _(
            "e.g. apply to at least 4 offers a month and tell the advisor"
        )
        self.fields["ends_on"].label = _("Deadline")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    status_reason = forms.CharField(label=_("Why not done"), required=False, max_length=1000)
    revision = revision_field()


class AgreeForm(forms.Form):
    prepared_on = forms.DateField(label=_("Prepared with the client on"), widget=DATE_INPUT)
    outcome = forms.ChoiceField(
        label=_("The client"),
        choices=[("agreed", _("agrees to the plan")), ("refused", _("refuses to agree"))],
        widget=forms.RadioSelect,
        initial="agreed",
    )
    refusal_note = forms.CharField(
        label=_("The client's refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the client said: the law asks the advisor to record it."),
    )
    late_reason = forms.CharField(
        label=_("Reason for preparing after the deadline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prepared_on"].initial = timezone.localdate()


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan changes"), widget=forms.Textarea(attrs={"rows": 2})
    )
    agreed_on = forms.DateField(label=_("Agreed with the client on"), widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class ContactForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The contact"),
        choices=[
            (ContactStatus.HELD, _("took place")),
            (ContactStatus.MISSED, _("was missed: the client did not come")),
            (ContactStatus.PLANNED, _("is planned")),
        ],
        initial=ContactStatus.HELD,
        widget=forms.RadioSelect,
    )
    contact_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    channel = forms.ChoiceField(label=_("Form"), choices=ContactChannel.choices)
    staff = StaffChoiceField(label=_("Who"), queryset=User.objects.none())
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    # Recording a planned contact: the contact's revision (a new contact has none).
    revision = revision_field()

    def __init__(
        self,
        *args: Any,
        plan: IndividualActionPlan,
        user: User,
        planned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_on"].initial = timezone.localdate()
        staff: Any = self.fields["staff"]
        staff.queryset = office_staff(plan.client.office_id)
        staff.initial = user.pk if user.office_id == plan.client.office_id else plan.advisor_id
        if planned:
            # Recording what happened to an appointment: it took place or was missed.
            status: Any = self.fields["status"]
            status.choices = status.choices[:2]
            del self.fields["staff"]
        else:
            del self.fields["revision"]


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (EndReason.WORK, EndReason.WORK.label),
            (EndReason.MAXIMUM, EndReason.MAXIMUM.label),
            (EndReason.OTHER, EndReason.OTHER.label),
        ],
        widget=forms.RadioSelect,
    )
    analysis = forms.CharField(
        label=_("Analysis of the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when the plan ends without work: what was done, what did not work and "
            "why. The profile is then determined again."
        ),
    )
    revision = revision_field()

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = today or timezone.localdate()
