from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, modelformset_factory
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients import selectors, services
from clients.forms import (
    AssignmentStrategyForm,
    BaseLetterRangeFormSet,
    BulkReassignForm,
    CardEntryForm,
    ClientCardForm,
    DeregistrationForm,
    DeskFilterForm,
    EmployerContactForm,
    EmployerForm,
    LetterRangeForm,
    PeselLookupForm,
    ReassignForm,
    RegistrationForm,
    ReregistrationForm,
    SubstitutionForm,
    TakeoverForm,
)
from clients.models import Client, Employer, LetterRange, Registration, Substitution
from clients.search import fold
from ipd.selectors import client_plans
from job_clubs.selectors import client_enrolments
from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices.http import AuthenticatedHttpRequest, next_url
from labour_office.offices.models import Office, Role
from profiling.selectors import assessment_history

DESK_PAGE_SIZE = 25


def _own_office(request: AuthenticatedHttpRequest) -> Office:
    office = request.user.office
    if office is None:
        # A national administrator works through an office's staff, not at a desk.
        raise PermissionDenied
    return office


@permission_required("clients.view_client", raise_exception=True)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The advisor's desk: my clients (and those I substitute for), searchable and filterable."""
    user = request.user
    today = timezone.localdate()
    advisors = list(selectors.desk_advisors(user.office_id))
    data = request.GET.copy()
    if "advisor" not in data:
        data["advisor"] = "me" if user.is_customer_advisor else "all"
    form = DeskFilterForm(data, advisors=advisors)
    filters = selectors.DeskFilters(substituted=selectors.substituted_advisors(user, today))
    form.is_valid()  # a bad value shows its error; the other filters still apply
    valid = form.cleaned_data
    filters.query = valid.get("q", "")
    filters.status = valid.get("status", "")
    filters.advisor = valid.get("advisor") or ("me" if user.is_customer_advisor else "all")
    filters.registered_since = valid.get("registered_since")
    filters.sort = valid.get("sort") or "name"
    clients = selectors.desk_clients(user, filters)
    counts = selectors.desk_counts(clients)
    paginator = Paginator(clients, DESK_PAGE_SIZE)
    paginator.__dict__["count"] = counts["total"]  # already counted with the states
    page = paginator.get_page(request.GET.get("page"))
    query_string = data.copy()
    query_string.pop("page", None)
    can_reassign = user.has_role(Role.MANAGER, Role.ADMIN)
    return render(
        request,
        "clients/desk.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "substituted": filters.substituted,
            "query_string": query_string.urlencode(),
            "can_reassign": can_reassign,
            "reassign_form": ReassignForm(
                advisors=selectors.office_advisors(user.office_id), prefix="move"
            )
            if can_reassign
            else None,
        },
    )


@permission_required("clients.add_client", raise_exception=True)
def client_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a person in one flow: PESEL first (an existing person is opened), then the
    card with the status; birth date and sex come from the PESEL."""
    user = request.user
    office = _own_office(request)
    lookup = PeselLookupForm(request.GET or None)
    if not lookup.is_bound or not lookup.is_valid():
        return render(request, "clients/register_lookup.html", {"lookup": lookup})
    pesel = lookup.cleaned_data["pesel"] or None
    if pesel and (existing := Client.objects.filter(pesel=pesel).first()):
        if existing.office_id == office.pk or user.sees_all_offices:
            messages.info(request, _("This person is already in the register: here is the card."))
            return redirect("client_detail", pk=existing.pk)
        return _register_from_another_office(request, existing, office)
    form = RegistrationForm(request.POST if request.method == "POST" else None, pesel=pesel)
    duplicates: list[Client] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not pesel:
            duplicates = services.possible_duplicates(
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
            )
        if duplicates and not data["confirm_not_duplicate"]:
            form.add_error(
                "confirm_not_duplicate",
                _(
                    "People with the same name and date of birth are already registered. Open "
                    "theirs if it is the same person, or confirm that it is someone else."
                ),
            )
        else:
            try:
                client = services.client_register(
                    acting_user=user,
                    office=office,
                    card=data,
                    pesel=pesel,
                    birth_date=data.get("birth_date"),
                    sex=data.get("sex"),
                    status=data["status"],
                    jobseeker_category=data["jobseeker_category"],
                    registered_on=data["registered_on"],
                )
            except services.ClientExists as exists:
                messages.info(
                    request, _("This person was registered a moment ago: here is the card.")
                )
                return redirect("client_detail", pk=exists.client.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s registered. Customer advisor: %(advisor)s.")
                    % {
                        "name": client,
                        "advisor": client.assignments.get(ended_at__isnull=True).advisor,
                    },
                )
                return redirect("client_detail", pk=client.pk)
    derived = None
    if pesel:
        from clients.pesel import pesel_birth_date, pesel_sex

        derived = {"birth_date": pesel_birth_date(pesel), "sex": pesel_sex(pesel)}
    return render(
        request,
        "clients/register_form.html",
        {
            "form": form,
            "pesel": pesel,
            "derived": derived,
            "duplicates": duplicates,
            "lookup_query": request.GET.urlencode(),
        },
    )


def _register_from_another_office(
    request: AuthenticatedHttpRequest, existing: Client, office: Office
) -> HttpResponse:
    """A person known to another office: register them here without showing that office's
    card (only the office's name, never personal data)."""
    open_period = (
        existing.registrations.filter(deregistered_on__isnull=True).select_related("office").first()
    )
    if open_period is not None:
        return render(
            request,
            "clients/register_elsewhere.html",
            {"other_office": open_period.office, "form": None},
        )
    form = TakeoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if fold(form.cleaned_data["last_name"]) != fold(existing.last_name):
            form.add_error("last_name", _("The surname does not match the person with this PESEL."))
            return render(
                request,
                "clients/register_elsewhere.html",
                {"other_office": existing.office, "form": form},
            )
        try:
            services.registration_open(
                acting_user=request.user,
                client=existing,
                office=office,
                status=form.cleaned_data["status"],
                jobseeker_category=form.cleaned_data["jobseeker_category"],
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Registered in this office; the card was moved here. Check and update it."),
            )
            return redirect("client_edit", pk=existing.pk)
    return render(
        request, "clients/register_elsewhere.html", {"other_office": existing.office, "form": form}
    )


@permission_required("clients.view_client", raise_exception=True)
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    access_record(request=request, obj=client)
    today = timezone.localdate()
    page = selectors.client_page(client, today)
    status = page.open_registration.status if page.open_registration else ""
    return render(
        request,
        "clients/client_detail.html",
        {
            "page": page,
            "client": client,
            "entry_form": CardEntryForm(),
            "deregistration_form": DeregistrationForm(status=status) if status else None,
            "reregistration_form": None if page.open_registration else ReregistrationForm(),
            "profile_history": assessment_history(page.assessments),
            "can_reassign": request.user.has_role(Role.MANAGER, Role.ADMIN),
            "plans": client_plans(client, page.open_registration, today),
            "enrolments": client_enrolments(client),
            "today": today,
        },
    )


@permission_required("clients.change_client", raise_exception=True)
def client_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    if client.anonymised_on is not None:
        messages.error(request, _("This client's data were anonymised: the card cannot be edited."))
        return redirect("client_detail", pk=client.pk)
    if request.method == "GET":
        access_record(request=request, obj=client)
    form = ClientCardForm(
        request.POST if request.method == "POST" else None, instance=client, pesel=client.pesel
    )
    pesel_form = PeselLookupForm(
        request.POST if request.method == "POST" else None,
        initial={"pesel": client.pesel, "no_pesel": not client.pesel},
        prefix="id",
    )
    if request.method == "POST" and form.is_valid() and pesel_form.is_valid():
        data = form.cleaned_data
        try:
            services.client_update(
                acting_user=request.user,
                client=client,
                card=data,
                pesel=pesel_form.cleaned_data["pesel"] or None,
                birth_date=data.get("birth_date"),
                sex=data.get("sex"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registration card was saved."))
            return redirect("client_detail", pk=client.pk)
    return render(
        request,
        "clients/client_edit.html",
        {"form": form, "pesel_form": pesel_form, "client": client},
    )


def _action_form(
    request: AuthenticatedHttpRequest,
    owner: Client | Employer,
    form: BaseForm,
    title: str,
    url_name: str,
    *,
    danger: bool = False,
) -> HttpResponse:
    """A small form about one client or employer, shown again with its errors."""
    return render(
        request,
        "clients/action_form.html",
        {
            "client": owner,
            "form": form,
            "title": title,
            "action": reverse(url_name, args=[owner.pk]),
            "danger": danger,
        },
    )


def _open_registration(client: Client) -> Registration:
    return get_object_or_404(Registration, client=client, deregistered_on__isnull=True)


@require_POST
@permission_required("clients.change_registration", raise_exception=True)
def client_deregister(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    registration = _open_registration(client)
    form = DeregistrationForm(request.POST, status=registration.status)
    if form.is_valid():
        try:
            services.registration_close(
                acting_user=request.user,
                registration=registration,
                deregistered_on=form.cleaned_data["deregistered_on"],
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was deregistered.") % {"name": client})
            return redirect("client_detail", pk=client.pk)
    return _action_form(request, client, form, _("Deregister"), "client_deregister", danger=True)


@require_POST
@permission_required("clients.add_registration", raise_exception=True)
def client_reregister(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A returning person: a new period on the same card, with the previous advisor."""
    client = selectors.get_client_for_user(request.user, pk)
    form = ReregistrationForm(request.POST)
    if form.is_valid():
        try:
            services.registration_open(
                acting_user=request.user,
                client=client,
                office=_own_office(request),
                status=form.cleaned_data["status"],
                jobseeker_category=form.cleaned_data["jobseeker_category"],
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s registered again.") % {"name": client})
            return redirect("client_detail", pk=client.pk)
    return _action_form(request, client, form, _("Register again"), "client_reregister")


@permission_required("clients.view_cardentry", raise_exception=True)
def client_journal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole journal, page by page (the client page shows the latest entries)."""
    client = selectors.get_client_for_user(request.user, pk)
    access_record(request=request, obj=client)
    entries = client.entries.select_related("author").order_by("-created_at", "-pk")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "clients/journal.html", {"client": client, "page": page})


@require_POST
@permission_required("clients.add_cardentry", raise_exception=True)
def client_entry_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    return _entry_add(request, client, CardEntryForm(request.POST), "client_entry_add")


@permission_required("clients.reassign_client", raise_exception=True)
def client_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    form = ReassignForm(
        request.POST if request.method == "POST" else None,
        advisors=selectors.office_advisors(client.office_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.advisor_reassign(
                acting_user=request.user,
                client=client,
                advisor=form.cleaned_data["advisor"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Customer advisor changed."))
            return redirect("client_detail", pk=client.pk)
    return _action_form(request, client, form, _("Change the customer advisor"), "client_reassign")


@require_POST
@permission_required("clients.reassign_client", raise_exception=True)
def clients_bulk_reassign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Give the clients ticked on the desk to another advisor, in one transaction."""
    office = _own_office(request)
    form = BulkReassignForm(
        request.POST,
        advisors=selectors.office_advisors(office.pk),
        clients=Client.objects.visible_to(request.user),
        prefix="move",
    )
    if form.is_valid():
        try:
            moved = services.advisor_bulk_reassign(
                acting_user=request.user,
                office=office,
                client_ids=[c.pk for c in form.cleaned_data["clients"]],
                advisor=form.cleaned_data["advisor"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(count)d clients moved to %(advisor)s.")
                % {"count": moved, "advisor": form.cleaned_data["advisor"]},
            )
    else:
        messages.error(request, _("Tick the clients, choose the advisor and give the reason."))
    return redirect(next_url(request, reverse("home")))


@permission_required("clients.view_substitution", raise_exception=True)
def substitution_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = _own_office(request)
    advisors = selectors.office_advisors(office.pk)
    can_manage = request.user.has_perm("clients.add_substitution")
    form = SubstitutionForm(request.POST if request.method == "POST" else None, advisors=advisors)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.substitution_create(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The substitution was saved."))
                return redirect("substitution_list")
    today = timezone.localdate()
    substitutions = (
        Substitution.objects.filter(office=office, ends_on__gte=today)
        .select_related("absent", "substitute")
        .order_by("starts_on", "pk")
    )
    return render(
        request,
        "clients/substitutions.html",
        {
            "form": form if can_manage else None,
            "substitutions": substitutions,
            "today": today,
        },
    )


@permission_required("clients.view_employer", raise_exception=True)
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(selectors.employers_list(request.user, query), DESK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "clients/employer_list.html", {"page": page, "query": query})


@permission_required("clients.add_employer", raise_exception=True)
def employer_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = _own_office(request)
    form = EmployerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_register(
                acting_user=request.user, office=office, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Employer registered."))
            return redirect("employer_detail", pk=employer.pk)
    return render(request, "clients/employer_form.html", {"form": form})


@permission_required("clients.view_employer", raise_exception=True)
def employer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, pk)
    assignments = list(employer.assignments.all())
    return render(
        request,
        "clients/employer_detail.html",
        {
            "employer": employer,
            "assignments": assignments,
            "current": next((a for a in assignments if a.ended_at is None), None),
            "entries": employer.entries.select_related("author")[:50],
            "entry_form": CardEntryForm(for_employer=True),
            "contact_form": EmployerContactForm(),
        },
    )


@permission_required("clients.change_employer", raise_exception=True)
def employer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, pk)
    form = EmployerForm(request.POST if request.method == "POST" else None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(
                acting_user=request.user, employer=employer, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("employer_detail", pk=employer.pk)
    return render(request, "clients/employer_form.html", {"form": form, "employer": employer})


@require_POST
@permission_required("clients.change_employer", raise_exception=True)
def employer_contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, pk)
    form = EmployerContactForm(request.POST)
    if form.is_valid():
        try:
            services.employer_contact_add(
                acting_user=request.user, employer=employer, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact person added."))
            return redirect("employer_detail", pk=employer.pk)
    return _action_form(request, employer, form, _("New contact person"), "employer_contact_add")


@require_POST
@permission_required("clients.add_cardentry", raise_exception=True)
def employer_entry_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employer = selectors.get_employer_for_user(request.user, pk)
    form = CardEntryForm(request.POST, for_employer=True)
    return _entry_add(request, employer, form, "employer_entry_add")


def _entry_add(
    request: AuthenticatedHttpRequest,
    owner: Client | Employer,
    form: CardEntryForm,
    url_name: str,
) -> HttpResponse:
    """Add a journal entry to a client's or an employer's card, then back to the card."""
    if form.is_valid():
        try:
            services.card_entry_add(
                acting_user=request.user,
                client=owner if isinstance(owner, Client) else None,
                employer=owner if isinstance(owner, Employer) else None,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry was added to the journal."))
            return redirect(owner.get_absolute_url() + "#journal")
    return _action_form(request, owner, form, _("New journal entry"), url_name)


@permission_required("clients.change_letterrange", raise_exception=True)
def assignment_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How the office gives new clients an advisor: the strategy and the surname ranges."""
    office = _own_office(request)
    advisors = selectors.office_advisors(office.pk)
    advisor_choices = [("", "—"), *((a.pk, a.get_full_name() or a.username) for a in advisors)]
    formset_class = modelformset_factory(
        LetterRange,
        form=LetterRangeForm,
        formset=BaseLetterRangeFormSet,
        extra=3,
        can_delete=True,
    )
    data = request.POST if request.method == "POST" else None
    strategy_form = AssignmentStrategyForm(data, instance=office)
    formset = formset_class(
        data,
        queryset=LetterRange.objects.filter(office=office)
        .select_related("advisor")
        .order_by("first_letter", "pk"),
        form_kwargs={"advisors": advisors, "advisor_choices": advisor_choices},
    )
    if request.method == "POST" and strategy_form.is_valid() and formset.is_valid():
        services.assignment_settings_save(
            acting_user=request.user,
            office=office,
            strategy=strategy_form.cleaned_data["assignment_strategy"],
            ranges=[
                (
                    f.cleaned_data["advisor"],
                    f.cleaned_data["first_letter"],
                    f.cleaned_data["last_letter"],
                )
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ],
        )
        messages.success(request, _("The assignment settings were saved."))
        return redirect("assignment_settings")
    return render(
        request,
        "clients/assignment_settings.html",
        {"strategy_form": strategy_form, "formset": formset},
    )
