"""Every write to clients, registrations, advisors and the journal goes through here.

Each function is one transaction: it checks the rules, saves, and writes the journal entry the
seeds require; auditlog keeps the field history of the card.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from stdnum.pl.regon import compact as regon_compact

from clients import rules
from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    DeregistrationReason,
    Employer,
    EmployerContact,
    EntryKind,
    JobseekerCategory,
    LetterRange,
    Registration,
    Status,
    Substitution,
)
from clients.pesel import normalise_pesel, pesel_birth_date, pesel_sex
from clients.search import fold
from clients.signals import advisors_changed, registration_closed
from clients.validators import normalise_nip
from labour_office.offices.models import AssignmentStrategy, Office, Role, User

CARD_FIELDS = [
    "first_name",
    "second_name",
    "last_name",
    "family_name",
    "birth_place",
    "document_type",
    "document_number",
    "document_country",
    "citizenship",
    "phone",
    "email",
    "street",
    "postal_code",
    "city",
    "commune",
    "powiat",
    "teryt_terc",
    "education_level",
    "occupations",
    "work_experience_months",
    "last_work_ended_on",
    "languages",
    "language_level",
    "driving_licences",
    "licences",
    "licences_relevant",
    "skills",
    "disability_degree",
    "cares_for_child_under_6",
    "cares_for_dependant",
    "receives_social_assistance",
    "has_phone",
    "has_email",
    "has_internet",
    "consents_to_electronic_contact",
    "document_language",
]


def day_text(d: date) -> str:
    return str(formats.date_format(d, "SHORT_DATE_FORMAT"))


class ClientExists(ValidationError):
    """Registration found the person already in the register: open them instead."""

    def __init__(self, client: Client) -> None:
        super().__init__(_("This person is already in the register."), code="client_exists")
        self.client = client


def check_office(acting_user: User, office: Office) -> None:
    if not acting_user.sees_all_offices and acting_user.office_id != office.pk:
        raise PermissionDenied


def _journal(
    *,
    author: User,
    text: str,
    client: Client | None = None,
    employer: Employer | None = None,
    kind: str = EntryKind.SYSTEM,
) -> CardEntry:
    return CardEntry.objects.create(
        client=client, employer=employer, kind=kind, text=text, author=author
    )


def _apply_identity(
    client: Client, pesel: str | None, birth_date: date | None, sex: str | None
) -> None:
    """Birth date and sex come from the PESEL; only without one are they typed."""
    if pesel:
        client.pesel = normalise_pesel(pesel)
        client.birth_date = pesel_birth_date(client.pesel)
        client.sex = pesel_sex(client.pesel)
    else:
        client.pesel = None
        if birth_date is None or not sex:
            raise ValidationError(
                {"birth_date": _("Without a PESEL, enter the date of birth and sex.")}
            )
        client.birth_date, client.sex = birth_date, sex
        if not (client.document_type and client.document_number and client.document_country):
            raise ValidationError(
                {
                    "document_number": _(
                        "Without a PESEL, enter the identity document: type, "
                        "series and number, and issuing country."
                    )
                }
            )


def possible_duplicates(*, first_name: str, last_name: str, birth_date: date) -> list[Client]:
    """People with the same name and birth date: shown before saving a person without PESEL."""
    # The folded names, so that "Zolc" and "Żółć" are seen as the same person.
    first, last = fold(first_name), fold(last_name)
    candidates = Client.objects.filter(birth_date=birth_date, search_text__contains=last)
    return [
        c
        for c in candidates.select_related("office")[:50]
        if fold(c.first_name) == first and fold(c.last_name) == last
    ][:10]


@transaction.atomic
def client_register(
    *,
    acting_user: User,
    office: Office,
    card: dict[str, Any],
    pesel: str | None,
    birth_date: date | None,
    sex: str | None,
    status: str,
    jobseeker_category: JobseekerCategory | None,
    registered_on: date,
) -> Client:
    """Register a new person: the card, the first registration period and an advisor."""
    check_office(acting_user, office)
    if pesel and (existing := Client.objects.filter(pesel=normalise_pesel(pesel)).first()):
        raise ClientExists(existing)
    client = Client(office=office, **{k: v for k, v in card.items() if k in CARD_FIELDS})
    _apply_identity(client, pesel, birth_date, sex)
    client.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Someone registered the same PESEL (or document) a moment ago.
        existing = Client.objects.filter(pesel=client.pesel).first() if client.pesel else None
        if existing is not None:
            raise ClientExists(existing) from None
        raise ValidationError(
            {"document_number": _("A person with this identity document is already registered.")}
        ) from None
    registration_open(
        acting_user=acting_user,
        client=client,
        office=office,
        status=status,
        jobseeker_category=jobseeker_category,
        registered_on=registered_on,
    )
    return client


@transaction.atomic
def registration_open(
    *,
    acting_user: User,
    client: Client,
    office: Office,
    status: str,
    jobseeker_category: JobseekerCategory | None,
    registered_on: date,
) -> Registration:
    """Open a registration period; a returning person keeps the same client record."""
    check_office(acting_user, office)
    # The client row lock serialises two advisors registering the same person at once.
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_on is not None:  # checked under the lock: a retention run may be ahead
        raise ValidationError(
            _("This client's data were anonymised: register the person as a new client.")
        )
    open_period = Registration.objects.filter(client=client, deregistered_on__isnull=True).first()
    if open_period is not None:
        raise ValidationError(
            _(
                "This person is already registered (since %(date)s, %(office)s); deregister "
                "them first."
            )
            % {"date": day_text(open_period.registered_on), "office": open_period.office}
        )
    if registered_on > timezone.localdate():
        raise ValidationError(
            {"registered_on": _("The registration date cannot be in the future.")}
        )
    if client.birth_date > registered_on:
        raise ValidationError({"registered_on": _("The person was not born yet on that date.")})
    if status == Status.UNEMPLOYED and not rules.unemployed_age_allows(
        client.birth_date, client.sex, registered_on
    ):
        raise ValidationError(
            {
                "status": _(
                    "Unemployed status needs an age from 18 to below the retirement age "
                    "(60 for women, 65 for men); register the person as a jobseeker instead."
                )
            }
        )
    if status == Status.JOBSEEKER and jobseeker_category is None:
        raise ValidationError({"jobseeker_category": _("Choose the jobseeker category.")})
    if status != Status.JOBSEEKER:
        jobseeker_category = None
    last = client.registrations.order_by("-registered_on").first()
    if last is not None and last.deregistered_on and registered_on < last.deregistered_on:
        raise ValidationError(
            {
                "registered_on": _(
                    "The new registration cannot start before the previous one ended (%(date)s)."
                )
                % {"date": day_text(last.deregistered_on)}
            }
        )
    if client.office_id != office.pk:
        _journal(
            author=acting_user,
            client=client,
            text=_("Card taken over from %(old)s by %(new)s.")
            % {"old": client.office, "new": office},
        )
        client.office = office
        client.save(update_fields=["office"])
    registration = Registration.objects.create(
        client=client,
        office=office,
        status=status,
        jobseeker_category=jobseeker_category,
        registered_on=registered_on,
        created_by=acting_user,
    )
    assignment = _assign_advisor(acting_user=acting_user, client=client, office=office)
    status_text = (
        Status(status).label
        if status == Status.UNEMPLOYED
        else f"{Status(status).label} ({jobseeker_category})"
    )
    _journal(
        author=acting_user,
        client=client,
        text=_("Registered as %(status)s on %(date)s. Customer advisor: %(advisor)s (%(how)s).")
        % {
            "status": status_text,
            "date": day_text(registered_on),
            "advisor": assignment.advisor,
            "how": assignment.get_kind_display(),
        },
    )
    return registration


def _candidates(office: Office) -> Any:
    return User.objects.customer_advisors().filter(office=office)


def choose_advisor(
    *, office: Office, surname: str, previous: AdvisorAssignment | None = None
) -> tuple[User, str]:
    """The advisor a new client (or employer) gets, and why (domain: clients.md, continuity):
    the previous advisor while still an active advisor here, else the office's strategy."""
    if previous is not None:
        advisor = previous.advisor
        if advisor.is_active and advisor.is_customer_advisor and advisor.office_id == office.pk:
            return advisor, AssignmentKind.RETURN
    if office.assignment_strategy == AssignmentStrategy.LETTERS:
        letter = rules.surname_letter(surname)
        ranges = (
            LetterRange.objects.filter(office=office, advisor__in=_candidates(office))
            .select_related("advisor")
            .order_by("first_letter", "pk")
        )
        for letter_range in ranges:
            if letter and rules.letter_in_range(
                letter, letter_range.first_letter, letter_range.last_letter
            ):
                return letter_range.advisor, AssignmentKind.LETTERS
    least = (
        _candidates(office)
        .annotate(
            caseload=Count(
                "assignments",
                filter=Q(assignments__ended_at__isnull=True, assignments__client__isnull=False),
            )
        )
        .order_by("caseload", "last_name", "pk")
        .first()
    )
    if least is None:
        raise ValidationError(
            _(
                "The office has no active customer advisor. Ask the manager to "
                "give someone the customer advisor function."
            )
        )
    return least, AssignmentKind.LEAST_CASELOAD


def _assign_advisor(*, acting_user: User, client: Client, office: Office) -> AdvisorAssignment:
    # One registration at a time per office while the caseload is counted.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    previous = (
        AdvisorAssignment.objects.filter(client=client)
        .select_related("advisor")
        .order_by("-started_at", "-pk")
        .first()
    )
    advisor, kind = choose_advisor(office=office, surname=client.last_name, previous=previous)
    return AdvisorAssignment.objects.create(
        client=client, advisor=advisor, kind=kind, assigned_by=acting_user
    )


@transaction.atomic
def registration_close(
    *,
    acting_user: User,
    registration: Registration,
    deregistered_on: date,
    reason: DeregistrationReason,
    decision: str = "",
) -> Registration:
    """Deregister: close the period and end the advisor's care (kept for a return)."""
    check_office(acting_user, registration.office)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_open:
        raise ValidationError(_("This registration is already closed."))
    if deregistered_on > timezone.localdate():
        raise ValidationError(
            {"deregistered_on": _("The deregistration date cannot be in the future.")}
        )
    if not reason.is_active:
        raise ValidationError({"reason": _("This reason is not in use.")})
    if deregistered_on < registration.registered_on:
        raise ValidationError(
            {
                "deregistered_on": _(
                    "The deregistration date cannot be before the registration date (%(date)s)."
                )
                % {"date": day_text(registration.registered_on)}
            }
        )
    if reason.applies_to and reason.applies_to != registration.status:
        raise ValidationError({"reason": _("This reason does not apply to this status.")})
    registration.deregistered_on = deregistered_on
    registration.deregistration_reason = reason
    registration.deregistration_decision = decision
    registration.save(
        update_fields=["deregistered_on", "deregistration_reason", "deregistration_decision"]
    )
    AdvisorAssignment.objects.filter(
        client_id=registration.client_id, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    text = _("Deregistered on %(date)s: %(reason)s.") % {
        "date": day_text(deregistered_on),
        "reason": reason,
    }
    if decision:
        text += " " + _("Decision %(number)s.") % {"number": decision}
    _journal(author=acting_user, client=registration.client, text=text)
    registration_closed.send(
        sender=Registration, registration=registration, acting_user=acting_user
    )
    return registration


@transaction.atomic
def client_update(
    *,
    acting_user: User,
    client: Client,
    card: dict[str, Any],
    pesel: str | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
) -> Client:
    """Correct the card. auditlog records every changed field with the user and address."""
    check_office(acting_user, client.office)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_on is not None:  # checked under the lock: a retention run may be ahead
        raise ValidationError(_("This client's data were anonymised: the card cannot be edited."))
    for field in CARD_FIELDS:
        if field in card:
            setattr(client, field, card[field])
    _apply_identity(client, pesel, birth_date or client.birth_date, sex or client.sex)
    client.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        raise ValidationError(
            {"pesel": _("Another person in the register has this PESEL.")}
        ) from None
    return client


def _check_manager(acting_user: User, office: Office) -> None:
    check_office(acting_user, office)
    if not acting_user.has_role(Role.MANAGER, Role.ADMIN):
        raise PermissionDenied


def _check_advisor(advisor: User, office: Office) -> None:
    if not (advisor.is_active and advisor.is_customer_advisor and advisor.office_id == office.pk):
        raise ValidationError({"advisor": _("Choose an active customer advisor of this office.")})


@transaction.atomic
def advisor_reassign(*, acting_user: User, client: Client, advisor: User, reason: str) -> None:
    current = client.assignments.filter(ended_at__isnull=True).first()
    if current is None:
        raise ValidationError(_("The person is not registered, so has no advisor to change."))
    if current.advisor_id == advisor.pk:
        raise ValidationError({"advisor": _("This is already the client's advisor.")})
    advisor_bulk_reassign(
        acting_user=acting_user,
        office=client.office,
        client_ids=[client.pk],
        advisor=advisor,
        reason=reason,
    )


@transaction.atomic
def advisor_bulk_reassign(
    *, acting_user: User, office: Office, client_ids: Iterable[int], advisor: User, reason: str
) -> int:
    """Give many clients (thousands) to one advisor in one transaction; answer how many moved.

    Only clients of ``office`` with a current advisor other than ``advisor`` move; each gets
    a journal entry. Three statements whatever the number of clients.
    """
    _check_manager(acting_user, office)
    _check_advisor(advisor, office)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    now = timezone.now()
    moving = list(
        AdvisorAssignment.objects.select_for_update(of=("self",))
        .filter(client_id__in=list(client_ids), client__office=office, ended_at__isnull=True)
        .exclude(advisor=advisor)
        .values_list("pk", "client_id", "advisor__first_name", "advisor__last_name")
    )
    AdvisorAssignment.objects.filter(pk__in=[row[0] for row in moving]).update(ended_at=now)
    AdvisorAssignment.objects.bulk_create(
        AdvisorAssignment(
            client_id=client_id,
            advisor=advisor,
            started_at=now,
            kind=AssignmentKind.REASSIGNMENT,
            reason=reason,
            assigned_by=acting_user,
        )
        for _pk, client_id, _first, _last in moving
    )
    CardEntry.objects.bulk_create(
        CardEntry(
            client_id=client_id,
            kind=EntryKind.SYSTEM,
            author=acting_user,
            created_at=now,
            text=_("Customer advisor changed from %(old)s to %(new)s. Reason: %(reason)s")
            % {"old": f"{first} {last}", "new": advisor, "reason": reason},
        )
        for _pk, client_id, first, last in moving
    )
    advisors_changed.send(
        sender=AdvisorAssignment, client_ids=[row[1] for row in moving], advisor=advisor
    )
    return len(moving)


@transaction.atomic
def substitution_create(
    *,
    acting_user: User,
    absent: User,
    substitute: User,
    starts_on: date,
    ends_on: date,
    reason: str = "",
) -> Substitution:
    """While ``absent`` is away their clients appear on ``substitute``'s desk; on the day after
    ``ends_on`` they are back with ``absent`` without anything to undo."""
    office = absent.office
    if office is None:
        raise ValidationError({"absent": _("Choose an advisor of an office.")})
    _check_manager(acting_user, office)
    _check_advisor(substitute, office)
    if absent.pk == substitute.pk:
        raise ValidationError({"substitute": _("An advisor cannot substitute for themselves.")})
    _check_advisor(absent, office)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    # The office row lock serialises substitutions of one office, so the checks below hold.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    in_dates = Substitution.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if in_dates.filter(absent=absent).exists():
        raise ValidationError(_("This advisor already has a substitute in these dates."))
    if in_dates.filter(absent=substitute).exists():
        raise ValidationError(
            {"substitute": _("The substitute is away in these dates themselves.")}
        )
    if in_dates.filter(substitute=absent).exists():
        raise ValidationError(
            {"absent": _("This advisor substitutes for someone else in these dates.")}
        )
    return Substitution.objects.create(
        office=office,
        absent=absent,
        substitute=substitute,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=acting_user,
    )


@transaction.atomic
def assignment_settings_save(
    *, acting_user: User, office: Office, strategy: str, ranges: list[tuple[User, str, str]]
) -> None:
    """Replace the office's strategy and surname letter ranges (the form checked overlaps)."""
    _check_manager(acting_user, office)
    for advisor, _first, _last in ranges:
        _check_advisor(advisor, office)
    office.assignment_strategy = strategy
    office.save(update_fields=["assignment_strategy"])
    LetterRange.objects.filter(office=office).delete()
    LetterRange.objects.bulk_create(
        LetterRange(office=office, advisor=advisor, first_letter=first, last_letter=last)
        for advisor, first, last in ranges
    )


@transaction.atomic
def card_entry_add(
    *,
    acting_user: User,
    kind: str,
    text: str,
    client: Client | None = None,
    employer: Employer | None = None,
) -> CardEntry:
    owner = client or employer
    if owner is None:
        raise ValueError("an entry belongs to a client or an employer")
    check_office(acting_user, owner.office)
    if kind == EntryKind.SYSTEM:
        raise ValidationError({"kind": _("System entries are written by the application.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    return _journal(
        author=acting_user, client=client, employer=employer, kind=kind, text=text.strip()
    )


EMPLOYER_FIELDS = [
    "name",
    "nip",
    "regon",
    "kind",
    "street",
    "postal_code",
    "city",
    "phone",
    "email",
]


@transaction.atomic
def employer_register(*, acting_user: User, office: Office, data: dict[str, Any]) -> Employer:
    check_office(acting_user, office)
    employer = Employer(office=office, **{k: data[k] for k in EMPLOYER_FIELDS if k in data})
    employer.nip = normalise_nip(employer.nip)
    employer.regon = str(regon_compact(employer.regon or ""))
    employer.full_clean(validate_constraints=False)
    duplicate = ValidationError({"nip": _("An employer with this NIP is already registered.")})
    if Employer.objects.filter(office=office, nip=employer.nip).exists():
        raise duplicate
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        raise duplicate from None  # registered by someone else a moment ago
    advisor, kind = _employer_advisor(employer)
    AdvisorAssignment.objects.create(
        employer=employer, advisor=advisor, kind=kind, assigned_by=acting_user
    )
    _journal(
        author=acting_user,
        employer=employer,
        text=_("Employer registered. Customer advisor: %(advisor)s.") % {"advisor": advisor},
    )
    return employer


def _employer_advisor(employer: Employer) -> tuple[User, str]:
    """Employers follow the office's rule as people do: letter ranges by name, else caseload."""
    Office.objects.select_for_update().filter(pk=employer.office_id).first()
    return choose_advisor(office=employer.office, surname=employer.name)


@transaction.atomic
def employer_contact_add(
    *, acting_user: User, employer: Employer, data: dict[str, Any]
) -> EmployerContact:
    check_office(acting_user, employer.office)
    contact = EmployerContact(employer=employer, **data)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def employer_update(*, acting_user: User, employer: Employer, data: dict[str, Any]) -> Employer:
    check_office(acting_user, employer.office)
    for field in EMPLOYER_FIELDS:
        if field in data:
            setattr(employer, field, data[field])
    employer.nip = normalise_nip(employer.nip)
    employer.regon = str(regon_compact(employer.regon or ""))
    employer.full_clean(validate_constraints=False)
    if (
        Employer.objects.filter(office=employer.office, nip=employer.nip)
        .exclude(pk=employer.pk)
        .exists()
    ):
        raise ValidationError({"nip": _("An employer with this NIP is already registered.")})
    employer.save()
    return employer
