from __future__ import annotations

import itertools
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import (
    DRIVING_LICENCES,
    Client,
    DeregistrationReason,
    DocumentLanguage,
    Employer,
    EmployerContact,
    EntryKind,
    JobseekerCategory,
    LetterRange,
    Sex,
    Status,
)
from clients.pesel import normalise_pesel, validate_pesel
from clients.rules import POLISH_ALPHABET
from clients.services import CARD_FIELDS, EMPLOYER_FIELDS
from labour_office.forms import QuickSelect
from labour_office.offices.models import Office, User

LETTERS = [(letter, letter) for letter in POLISH_ALPHABET]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeselLookupForm(forms.Form):
    """Registration starts with the PESEL: an existing person is opened, not duplicated."""

    pesel = forms.CharField(
        label="PESEL",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_pesel = forms.BooleanField(label=_("The person has no PESEL"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pesel = cleaned.get("pesel", "")
        if pesel:
            validate_pesel(pesel)  # its message goes to the form's errors
            cleaned["pesel"] = normalise_pesel(pesel)
        elif not cleaned.get("no_pesel"):
            raise forms.ValidationError(_("Enter the PESEL, or tick that the person has none."))
        return cleaned


class StatusFields(forms.Form):
    status = forms.ChoiceField(
        label=_("Register as"),
        choices=Status.choices,
        widget=forms.RadioSelect,
        initial=Status.UNEMPLOYED,
    )
    jobseeker_category = forms.ModelChoiceField(
        label=_("Jobseeker category"),
        required=False,
        queryset=JobseekerCategory.objects.filter(is_active=True),
        help_text=_("Only for a jobseeker."),
    )
    registered_on = forms.DateField(label=_("Registration date"), widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == Status.JOBSEEKER and not cleaned.get("jobseeker_category"):
            self.add_error("jobseeker_category", _("Choose the jobseeker category."))
        if cleaned.get("registered_on") and cleaned["registered_on"] > timezone.localdate():
            self.add_error("registered_on", _("The registration date cannot be in the future."))
        return cleaned


class ClientCardForm(forms.ModelForm[Client]):
    """The registration card. Birth date and sex are typed only when there is no PESEL."""

    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licences"),
        choices=DRIVING_LICENCES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "licence-choices"}),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "---------"), *Sex.choices], required=False
    )

    class Meta:
        model = Client
        fields = CARD_FIELDS
        widgets = {
            "last_work_ended_on": DATE_INPUT,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("occupations", "languages", "licences", "skills")
            },
        }

    def __init__(self, *args: Any, pesel: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pesel = pesel
        # Polish unless the client asks for another language.
        self.fields["document_language"].required = False
        if self.instance.pk and not pesel:
            self.initial.setdefault("birth_date", self.instance.birth_date)
            self.initial.setdefault("sex", self.instance.sex)
        if pesel:
            # Derived from the PESEL: never typed twice.
            del self.fields["birth_date"], self.fields["sex"]
            for name in ("document_type", "document_number", "document_country"):
                del self.fields[name]

    def clean_document_language(self) -> str:
        return str(self.cleaned_data.get("document_language") or DocumentLanguage.POLISH)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.pesel:
            for name in (
                "birth_date",
                "sex",
                "document_type",
                "document_number",
                "document_country",
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required when the person has no PESEL."))
        return cleaned


class RegistrationForm(ClientCardForm, StatusFields):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked the people above: this is someone else"), required=False
    )

    def clean(self) -> dict[str, Any]:
        # ModelForm.clean does not call the next clean in line, so both run here.
        ClientCardForm.clean(self)
        StatusFields.clean(self)
        return self.cleaned_data


class ReregistrationForm(StatusFields):
    pass


class TakeoverForm(StatusFields):
    """Registering a person known to another office: the surname must match the card found
    by the PESEL, so a mistyped number cannot pull in a stranger's record."""

    last_name = forms.CharField(label=_("Surname (as in the identity document)"), max_length=150)


class DeregistrationForm(forms.Form):
    deregistered_on = forms.DateField(label=_("Deregistration date"), widget=DATE_INPUT)
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=DeregistrationReason.objects.none())
    decision = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        required=False,
        help_text=_("The starosta's decision, for an unemployed person."),
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deregistered_on"].initial = timezone.localdate()
        reason_field: Any = self.fields["reason"]
        reason_field.queryset = DeregistrationReason.objects.filter(is_active=True).filter(
            applies_to__in=["", status]
        )


class CardEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in EntryKind if k != EntryKind.SYSTEM],
    )
    text = forms.CharField(
        label=_("Entry"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, for_employer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_employer:
            # An employer has no IPD and no client's own actions.
            kind_field: Any = self.fields["kind"]
            kind_field.choices = [
                (k.value, k.label)
                for k in (EntryKind.ADVISOR_ACTION, EntryKind.CONTACT, EntryKind.COOPERATION_RULES)
            ]


class AdvisorChoiceField(forms.ModelChoiceField[User]):
    widget = QuickSelect

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ReassignForm(forms.Form):
    advisor = AdvisorChoiceField(label=_("New customer advisor"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, advisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        advisor_field: Any = self.fields["advisor"]
        advisor_field.queryset = advisors


class BulkReassignForm(ReassignForm):
    clients = forms.ModelMultipleChoiceField(
        queryset=Client.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients_field: Any = self.fields["clients"]
        clients_field.queryset = clients


class SubstitutionForm(forms.Form):
    absent = AdvisorChoiceField(label=_("Absent advisor"), queryset=User.objects.none())
    substitute = AdvisorChoiceField(label=_("Substitute"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, advisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("absent", "substitute"):
            field: Any = self.fields[name]
            field.queryset = advisors


class EmployerForm(forms.ModelForm[Employer]):
    # Longer than the 10 stored digits: "123-456-78-90" and "PL1234567890" are accepted.
    nip = forms.CharField(label="NIP", max_length=20)

    class Meta:
        model = Employer
        fields = EMPLOYER_FIELDS

    def clean_nip(self) -> str:
        from clients.validators import normalise_nip

        return normalise_nip(self.cleaned_data["nip"])


class EmployerContactForm(forms.ModelForm[EmployerContact]):
    class Meta:
        model = EmployerContact
        fields = ["name", "position", "phone", "email"]


class DeskFilterForm(forms.Form):
    q = forms.CharField(label=_("PESEL, first name or surname"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *Status.choices, ("deregistered", _("deregistered"))],
    )
    advisor = forms.ChoiceField(label=_("Advisor"), required=False, widget=QuickSelect)
    registered_since = forms.DateField(
        label=_("Registered since"), required=False, widget=DATE_INPUT
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("surname")),
            ("-registered", _("newest registration")),
            ("registered", _("oldest registration")),
        ],
    )

    def __init__(self, *args: Any, advisors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        advisor_field: Any = self.fields["advisor"]
        advisor_field.choices = [
            ("me", _("my clients")),
            ("all", _("all advisors")),
            *[(str(a.pk), a.get_full_name() or a.username) for a in advisors],
        ]


class AssignmentStrategyForm(forms.ModelForm[Office]):
    class Meta:
        model = Office
        fields = ["assignment_strategy"]
        widgets = {"assignment_strategy": forms.RadioSelect}


class LetterRangeForm(forms.ModelForm[LetterRange]):
    # A blank first choice: the empty extra rows stay empty and are ignored.
    first_letter = forms.ChoiceField(label=_("From letter"), choices=[("", "—"), *LETTERS])
    last_letter = forms.ChoiceField(label=_("To letter"), choices=[("", "—"), *LETTERS])

    class Meta:
        model = LetterRange
        fields = ["advisor", "first_letter", "last_letter"]

    def __init__(
        self, *args: Any, advisors: Any = None, advisor_choices: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        advisor_field: Any = self.fields["advisor"]
        advisor_field.queryset = advisors
        # Choices computed once for the whole formset, not one query per row.
        advisor_field.choices = advisor_choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_letter"), cleaned.get("last_letter")
        if first and last and POLISH_ALPHABET.index(first) > POLISH_ALPHABET.index(last):
            self.add_error("last_letter", _("The range must run forward through the alphabet."))
        return cleaned


class BaseLetterRangeFormSet(forms.BaseModelFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        spans = sorted(
            (
                POLISH_ALPHABET.index(data["first_letter"]),
                POLISH_ALPHABET.index(data["last_letter"]),
            )
            for data in (form.cleaned_data for form in self.forms if form.is_valid())
            if data and not data.get("DELETE")
        )
        for (_first, end), (start, _last) in itertools.pairwise(spans):
            if start <= end:
                raise forms.ValidationError(
                    _("The letter ranges overlap: each letter may belong to one advisor only.")
                )
