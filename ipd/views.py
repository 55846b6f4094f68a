"""The plan's pages. The actions list answers htmx requests with its own section, so adding,
reordering and completing actions never reloads the page; without JavaScript every form posts
and redirects the ordinary way."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import get_client_for_user
from ipd import conflicts, selectors, services
from ipd.conflicts import EditConflict
from ipd.forms import (
    ActionStatusForm,
    AgreeForm,
    AmendForm,
    ContactForm,
    EndForm,
    OfficeActionForm,
    OwnActionForm,
    PlanForm,
)
from ipd.models import ActionKind, ContactStatus, IndividualActionPlan, PlanAction, PlanStatus
from labour_office.audit.models import AccessAction
from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices.http import AuthenticatedHttpRequest, next_url
from profiling import rules as profiling_rules
from profiling.models import FormOfAssistance
from profiling.selectors import client_situation

LANGUAGES = ("pl", "en", "uk", "be")


def offered_forms(plan: IndividualActionPlan, today: Any) -> list[tuple[FormOfAssistance, str]]:
    """The forms of assistance the action form offers, each with the condition it comes with:
    one read of the client's situation, the catalogue rule applied per form."""
    situation = client_situation(plan.client, today)
    variants = (
        (situation, ""),
        (replace(situation, in_special_programme=True), _("only within a special programme")),
        (replace(situation, completed_pai=True), _("only after the PAI")),
    )
    offered = []
    for form in FormOfAssistance.objects.filter(is_active=True).order_by("seed_item", "code"):
        spec = form.spec()
        for variant, note in variants:
            availability = profiling_rules.form_availability(spec, variant)
            if availability is not None:
                if availability.needs_justification:
                    note = _("only in justified cases")
                offered.append((form, note))
                break
    return offered


def _plan_context(
    request: AuthenticatedHttpRequest,
    plan: IndividualActionPlan,
    *,
    offered: list[tuple[FormOfAssistance, str]] | None = None,
    section_only: bool = False,
    **forms: Any,
) -> dict[str, Any]:
    """What the plan page (or its actions section alone) shows; forms passed in are the
    bound ones of a rejected post, shown with their errors and what the user typed."""
    today = timezone.localdate()
    context: dict[str, Any] = {
        "plan": plan,
        "client": plan.client,
        "page": selectors.plan_page(plan, today),
        "today": today,
        "languages": LANGUAGES,
    }
    if plan.is_editable:
        context["office_form"] = forms.pop("office_form", None) or OfficeActionForm(
            plan=plan,
            offered=offered if offered is not None else offered_forms(plan, today),
            prefix="office",
        )
        context["own_form"] = forms.pop("own_form", None) or OwnActionForm(plan=plan, prefix="own")
    if section_only:
        context.update(forms)
        return context
    if plan.is_editable:
        context["plan_form"] = forms.pop("plan_form", None) or PlanForm(plan=plan)
    if plan.status == PlanStatus.ACTIVE:
        context["contact_form"] = forms.pop("contact_form", None) or ContactForm(
            plan=plan, user=request.user, prefix="contact"
        )
    context.update(forms)
    return context


def _conflict(conflict: EditConflict, form: Form, saved: dict[str, Any]) -> dict[str, Any]:
    """What ipd/_conflict.html shows: the message and the other person's saved values that
    differ from what the user submitted."""
    return {"message": conflict.message, "saved": conflicts.saved_rows(form, saved)}


def _render_plan(
    request: AuthenticatedHttpRequest, plan: IndividualActionPlan, **forms: Any
) -> HttpResponse:
    return render(request, "ipd/plan.html", _plan_context(request, plan, **forms))


def _after_action(
    request: AuthenticatedHttpRequest,
    plan: IndividualActionPlan,
    offered: list[tuple[FormOfAssistance, str]] | None = None,
    just_added: str = "",
    **forms: Any,
) -> HttpResponse:
    """htmx: the actions section alone (the plan re-read, so it shows its new state); else
    the page again with the rejected form, or a redirect after a change."""
    if request.htmx:
        plan = selectors.get_plan_for_user(request.user, plan.pk)
        context = _plan_context(request, plan, offered=offered, section_only=True, **forms)
        context["just_added"] = just_added  # keeps that form open for the next action
        return render(request, "ipd/_actions.html", context)
    if forms:
        return _render_plan(request, plan, offered=offered, **forms)
    return redirect(plan.get_absolute_url() + "#actions")


# --- Preparing ------------------------------------------------------------------------------


@permission_required("ipd.add_individualactionplan", raise_exception=True)
@require_POST
def plan_prepare(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    """Start the client's plan: blank, or from the previous plan (``from``)."""
    client = get_client_for_user(request.user, client_pk)
    from_plan = None
    source = request.POST.get("from", "")
    if source:
        try:
            source_pk = int(source) if source.isascii() else None
        except ValueError:
            source_pk = None
        if source_pk is None:
            raise Http404
        from_plan = get_object_or_404(IndividualActionPlan, pk=source_pk, client=client)
    try:
        plan = services.plan_prepare(
            acting_user=request.user, client=client, on=timezone.localdate(), from_plan=from_plan
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("client_detail", pk=client.pk)
    return redirect(plan)


@permission_required("ipd.view_individualactionplan", raise_exception=True)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    access_record(request=request, obj=plan.client)
    return _render_plan(request, plan)


@permission_required("ipd.change_individualactionplan", raise_exception=True)
@require_POST
def plan_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    form = PlanForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        if form.fields["starts_on"].disabled:
            data["starts_on"] = plan.starts_on
        try:
            services.plan_update(
                acting_user=request.user, plan=plan, data=data, revision=data["revision"]
            )
        except EditConflict as conflict:
            # Their version on the page, the user's input in the form (with the new revision).
            plan = selectors.get_plan_for_user(request.user, pk)
            return _render_plan(
                request,
                plan,
                plan_form=conflicts.with_revision(
                    PlanForm, request.POST, None, plan.revision, plan=plan
                ),
                plan_conflict=_conflict(conflict, form, conflicts.plan_values(plan)),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return _render_plan(request, plan, plan_form=form)


# --- Actions --------------------------------------------------------------------------------


def _action_data(kind: str, data: dict[str, Any]) -> services.ActionData:
    return services.ActionData(
        kind=kind,
        description=data["description"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        form=data.get("form"),
        justification=data.get("justification", ""),
        special_programme=data.get("special_programme", ""),
        completed_pai=data.get("completed_pai", False),
        responsible=data.get("responsible"),
        expected_result=data.get("expected_result", ""),
    )


def _bound_action_form(
    request: AuthenticatedHttpRequest,
    plan: IndividualActionPlan,
    kind: str,
    offered: list[tuple[FormOfAssistance, str]],
    **kwargs: Any,
) -> Form:
    if kind == ActionKind.OFFICE:
        return OfficeActionForm(request.POST, plan=plan, offered=offered, **kwargs)
    return OwnActionForm(request.POST, plan=plan, **kwargs)


@permission_required("ipd.add_planaction", raise_exception=True)
@require_POST
def action_add(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if kind not in ActionKind.values:
        raise Http404
    offered = offered_forms(plan, timezone.localdate())
    form = _bound_action_form(request, plan, kind, offered, prefix=kind)
    if form.is_valid():
        try:
            services.action_add(
                acting_user=request.user,
                plan=plan,
                data=_action_data(kind, form.cleaned_data),
                on=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_action(request, plan, offered, just_added=kind)
    forms: dict[str, Any] = {f"{kind}_form": form}
    return _after_action(request, plan, offered, **forms)


@permission_required("ipd.change_planaction", raise_exception=True)
def action_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct an action while the plan (or an amendment) is prepared."""
    action = selectors.get_action_for_user(request.user, pk)
    plan = selectors.get_plan_for_user(request.user, action.plan_id)
    if not plan.is_editable:
        messages.error(request, _("The plan is agreed: start an amendment to change it."))
        return redirect(plan)
    initial = {
        "form": action.form_id,
        "description": action.description,
        "justification": action.justification,
        "special_programme": action.special_programme,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "responsible": action.responsible_id,
        "expected_result": action.expected_result,
        "revision": action.revision,
    }
    form: Form
    conflict = None
    offered = offered_forms(plan, timezone.localdate()) if action.kind == ActionKind.OFFICE else []
    if request.method == "POST":
        form = _bound_action_form(request, plan, action.kind, offered, prefix="edit", editing=True)
        if form.is_valid():
            try:
                services.action_update(
                    acting_user=request.user,
                    action=action,
                    data=_action_data(action.kind, form.cleaned_data),
                    on=timezone.localdate(),
                    revision=form.cleaned_data["revision"],
                )
            except EditConflict as error:
                action = selectors.get_action_for_user(request.user, pk)
                conflict = _conflict(error, form, conflicts.action_values(action))
                form_class = OfficeActionForm if action.kind == ActionKind.OFFICE else OwnActionForm
                extra = {"offered": offered} if action.kind == ActionKind.OFFICE else {}
                form = conflicts.with_revision(
                    form_class,
                    request.POST,
                    "edit",
                    action.revision,
                    plan=plan,
                    editing=True,
                    **extra,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return _after_action(request, plan, offered)
    elif action.kind == ActionKind.OFFICE:
        form = OfficeActionForm(
            plan=plan, offered=offered, initial=initial, prefix="edit", editing=True
        )
    else:
        form = OwnActionForm(plan=plan, initial=initial, prefix="edit", editing=True)
    if request.method == "GET":
        access_record(request=request, obj=plan.client)
    template = "ipd/_action_edit.html" if request.htmx else "ipd/action_edit.html"
    response = render(
        request,
        template,
        {
            "plan": plan,
            "client": plan.client,
            "action": action,
            "form": form,
            "conflict": conflict,
        },
    )
    if request.htmx and request.method == "POST":
        # The rejected form replaces only its own row, not the whole actions section.
        response["HX-Retarget"] = f"#action-{action.pk}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _revision(request: AuthenticatedHttpRequest) -> int | None:
    """The revision a row's button was shown at (ipd.conflicts), if it sent one."""
    value = request.POST.get("revision", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _simple_action_change(
    request: AuthenticatedHttpRequest, pk: int, change: Any, kept: dict[str, Any] | None = None
) -> HttpResponse:
    action = selectors.get_action_for_user(request.user, pk)
    plan = action.plan
    try:
        change(action)
    except EditConflict as conflict:
        # The section as it is now (their version), the message above it, and what the user
        # typed (the reason an action was not done) kept in that action's row.
        plan = selectors.get_plan_for_user(request.user, plan.pk)
        return _after_action(
            request, plan, action_error=conflict.message, status_kept=kept or {"pk": pk}
        )
    except ValidationError as error:
        if request.htmx:
            return _after_action(request, plan, action_error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    return _after_action(request, plan)


@permission_required("ipd.delete_planaction", raise_exception=True)
@require_POST
def action_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _simple_action_change(
        request,
        pk,
        lambda action: services.action_remove(
            acting_user=request.user, action=action, revision=_revision(request)
        ),
    )


@permission_required("ipd.change_planaction", raise_exception=True)
@require_POST
def action_move(request: AuthenticatedHttpRequest, pk: int, direction: str) -> HttpResponse:
    step = {"up": -1, "down": 1}.get(direction)
    if step is None:
        raise Http404
    return _simple_action_change(
        request,
        pk,
        lambda action: services.action_move(acting_user=request.user, action=action, step=step),
    )


@permission_required("ipd.change_planaction", raise_exception=True)
@require_POST
def action_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        action = selectors.get_action_for_user(request.user, pk)
        if request.htmx:  # the section alone: the message goes with it, not to the next page
            return _after_action(request, action.plan, action_error=_("Choose a status."))
        messages.error(request, _("Choose a status."))
        return _after_action(request, action.plan)

    def change(action: PlanAction) -> None:
        services.action_set_status(
            acting_user=request.user,
            action=action,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["status_reason"],
            on=timezone.localdate(),
            revision=form.cleaned_data["revision"],
        )

    kept = {"pk": pk, "reason": form.cleaned_data["status_reason"]}
    return _simple_action_change(request, pk, change, kept)


# --- Agreement and amendments ---------------------------------------------------------------


@permission_required("ipd.change_individualactionplan", raise_exception=True)
def plan_agree(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if plan.status != PlanStatus.DRAFT:
        return redirect(plan)
    form = AgreeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_agree(
                acting_user=request.user,
                plan=plan,
                prepared_on=data["prepared_on"],
                agreed=data["outcome"] == "agreed",
                refusal_note=data["refusal_note"],
                late_reason=data["late_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan is in force."))
            return redirect(plan)
    if request.method == "GET":
        access_record(request=request, obj=plan.client)
    page = selectors.plan_page(plan, timezone.localdate())
    return render(
        request, "ipd/agree.html", {"plan": plan, "client": plan.client, "page": page, "form": form}
    )


@permission_required("ipd.change_individualactionplan", raise_exception=True)
@require_POST
def plan_amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    try:
        services.plan_amend_start(acting_user=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(
            request,
            _("Change the plan, then record the client's agreement to the amendment."),
        )
    return redirect(plan)


@permission_required("ipd.change_individualactionplan", raise_exception=True)
def plan_amend_agree(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if not plan.amending:
        return redirect(plan)
    form = AmendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_amend_agree(
                acting_user=request.user,
                plan=plan,
                reason=form.cleaned_data["reason"],
                agreed_on=form.cleaned_data["agreed_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Version %(n)d of the plan is in force.") % {"n": version.number}
            )
            return redirect(plan)
    if request.method == "GET":
        access_record(request=request, obj=plan.client)
    page = selectors.plan_page(plan, timezone.localdate())
    return render(
        request, "ipd/amend.html", {"plan": plan, "client": plan.client, "page": page, "form": form}
    )


@permission_required("ipd.view_planversion", raise_exception=True)
def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    """An agreed version as it was, read-only, with what changed since the one before."""
    plan = selectors.get_plan_for_user(request.user, pk)
    rows = selectors.version_rows(list(plan.versions.select_related("created_by")))
    row = next((r for r in rows if r.version.number == number), None)
    if row is None:
        raise Http404
    access_record(request=request, obj=plan.client)
    return render(
        request,
        "ipd/version.html",
        {"plan": plan, "client": plan.client, "row": row, "content": row.version.snapshot},
    )


# --- Contacts -------------------------------------------------------------------------------


@permission_required("ipd.add_contact", raise_exception=True)
@require_POST
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    form = ContactForm(request.POST, plan=plan, user=request.user, prefix="contact")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_add(
                acting_user=request.user,
                plan=plan,
                status=data["status"],
                contact_on=data["contact_on"],
                channel=data["channel"],
                staff=data["staff"],
                outcome=data["outcome"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact was recorded."))
            return redirect(plan.get_absolute_url() + "#contacts")
    return _render_plan(request, plan, contact_form=form)


@permission_required("ipd.change_contact", raise_exception=True)
def contact_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What happened to a planned appointment."""
    contact = selectors.get_contact_for_user(request.user, pk)
    plan = selectors.get_plan_for_user(request.user, contact.plan_id)
    if contact.status != ContactStatus.PLANNED and request.method != "POST":
        return redirect(plan)
    form = ContactForm(
        request.POST if request.method == "POST" else None,
        plan=plan,
        user=request.user,
        planned=True,
        initial={
            "contact_on": contact.contact_on,
            "channel": contact.channel,
            "revision": contact.revision,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_record(
                acting_user=request.user,
                contact=contact,
                status=data["status"],
                contact_on=data["contact_on"],
                channel=data["channel"],
                outcome=data["outcome"],
                note=data["note"],
                revision=data["revision"],
            )
        except EditConflict as error:
            contact = selectors.get_contact_for_user(request.user, pk)
            conflict = _conflict(error, form, conflicts.contact_values(contact))
            form = conflicts.with_revision(
                ContactForm, request.POST, None, contact.revision,
                plan=plan, user=request.user, planned=True,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact was recorded."))
            return redirect(plan.get_absolute_url() + "#contacts")
    if request.method == "GET":
        access_record(request=request, obj=plan.client)
    return render(
        request,
        "ipd/contact_record.html",
        {
            "plan": plan,
            "client": plan.client,
            "contact": contact,
            "form": form,
            "conflict": conflict,
        },
    )


# --- Ending and printing --------------------------------------------------------------------


@permission_required("ipd.change_individualactionplan", raise_exception=True)
def plan_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if plan.status != PlanStatus.ACTIVE and request.method != "POST":
        return redirect(plan)
    form = EndForm(
        request.POST if request.method == "POST" else None, initial={"revision": plan.revision}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.plan_end(
                acting_user=request.user,
                plan=plan,
                ended_on=data["ended_on"],
                reason=data["reason"],
                analysis=data["analysis"],
                revision=data["revision"],
            )
        except EditConflict as error:
            plan = selectors.get_plan_for_user(request.user, pk)
            saved = conflicts.end_values(plan) if plan.status == PlanStatus.ENDED else {}
            conflict = _conflict(error, form, saved)
            form = conflicts.with_revision(EndForm, request.POST, None, plan.revision)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if assessment is not None:
                messages.info(
                    request,
                    _(
                        "The plan ended without work. Determine the client's profile again; "
                        "a new plan is prepared on it."
                    ),
                )
                return redirect("assessment_interview", pk=assessment.pk)
            messages.success(request, _("The plan ended."))
            return redirect(plan)
    if request.method == "GET":
        access_record(request=request, obj=plan.client)
    page = selectors.plan_page(plan, timezone.localdate())
    return render(
        request,
        "ipd/end.html",
        {"plan": plan, "client": plan.client, "page": page, "form": form, "conflict": conflict},
    )


@permission_required("ipd.view_individualactionplan", raise_exception=True)
def plan_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan for the client to sign, in the client's language unless another is asked."""
    from ipd.documents import plan_pdf as render_pdf

    plan = selectors.get_plan_for_user(request.user, pk)
    language = request.GET.get("language") or plan.client.document_language
    if language not in LANGUAGES:
        language = "pl"
    access_record(request=request, obj=plan.client, action=AccessAction.PRINT)
    response = HttpResponse(render_pdf(plan, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ipd-{plan.pk}-{language}.pdf"'
    return response


# --- The inbox ------------------------------------------------------------------------------

INBOX_PAGE_SIZE = 50
STAGE_ORDER = {"overdue": 0, "due": 1, "upcoming": 2}


def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reminders waiting for the user, the most urgent first; managers also see what is
    overdue in the office."""
    from django.core.paginator import Paginator
    from django.db.models import Case, IntegerField, Value, When

    from ipd.inbox import escalated, open_reminders

    today = timezone.localdate()
    urgency = Case(
        *[When(stage=stage, then=Value(rank)) for stage, rank in STAGE_ORDER.items()],
        output_field=IntegerField(),
    )
    mine = (
        open_reminders(request.user, today)
        .select_related("client", "plan")
        .annotate(urgency=urgency)
        .order_by("urgency", "act_by", "pk")
    )
    page = Paginator(mine, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    office = (
        escalated(request.user)
        .exclude(advisor=request.user)
        .select_related("client", "advisor", "plan")
        .order_by("act_by", "pk")
    )
    office_page = Paginator(office, INBOX_PAGE_SIZE).get_page(request.GET.get("office_page"))
    return render(
        request,
        "ipd/inbox.html",
        {"page": page, "office_page": office_page, "today": today},
    )


@require_POST
def reminder_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from ipd.inbox import visible
    from ipd.models import Reminder

    reminder = get_object_or_404(
        visible(request.user, timezone.localdate()), pk=pk, done_at__isnull=True
    )
    Reminder.objects.filter(pk=reminder.pk).update(done_at=timezone.now(), done_by=request.user)
    messages.success(request, _("The reminder is marked done."))
    return redirect(next_url(request, reverse("ipd:inbox")))
