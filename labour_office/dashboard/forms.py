"""The dashboard's filters: one GET form shared by the numbers, the lists and the exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Status
from ipd.forms import DATE_INPUT, staff_label
from labour_office.dashboard.selectors import NO_ADVISOR, NO_PROFILE, PROFILES, Filters
from labour_office.forms import QuickSelect
from labour_office.offices.models import Office, User

NO_ADVISOR_VALUE = "none"


class FilterForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("all"),
        widget=QuickSelect,
    )
    advisor = forms.ChoiceField(label=_("Customer advisor"), required=False, widget=QuickSelect)
    profile = forms.ChoiceField(
        label=_("Profile"),
        required=False,
        choices=[("", _("any")), *((p, p) for p in PROFILES), (NO_PROFILE, _("not profiled"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Status.choices]
    )
    registered_from = forms.DateField(label=_("Registered from"), required=False, widget=DATE_INPUT)
    registered_to = forms.DateField(label=_("Registered until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        office_field: Any = self.fields["office"]
        if user.sees_all_offices:
            office_field.queryset = Office.objects.filter(is_active=True).order_by("name")
            advisors = User.objects.filter(is_customer_advisor=True)
        else:
            del self.fields["office"]
            advisors = User.objects.filter(office_id=user.office_id or 0, is_customer_advisor=True)
        advisor_field: Any = self.fields["advisor"]
        advisor_field.choices = [
            ("", _("any")),
            (NO_ADVISOR_VALUE, _("no advisor")),
            *(
                (str(advisor.pk), staff_label(advisor))
                for advisor in advisors.order_by("last_name", "first_name")
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", _("The end of the range is before its start."))
        return data

    def filters(self) -> Filters:
        """The filters of a valid form; an invalid one filters by the office alone."""
        data = self.cleaned_data if self.is_valid() else {}
        office_ids: tuple[int, ...] | None
        if self.user.sees_all_offices:
            office = data.get("office")
            office_ids = (office.pk,) if office else None
        else:
            office_ids = (self.user.office_id,) if self.user.office_id else ()
        advisor = data.get("advisor") or ""
        return Filters(
            office_ids=office_ids,
            advisor_id=(
                NO_ADVISOR if advisor == NO_ADVISOR_VALUE else int(advisor) if advisor else None
            ),
            profile=data.get("profile", ""),
            status=data.get("status", ""),
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
        )
