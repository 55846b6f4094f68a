from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import get_client_for_user
from labour_office.audit.models import AccessAction
from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices.http import AuthenticatedHttpRequest
from profiling import rules, services
from profiling.documents import information_sheet_pdf
from profiling.forms import DecisionForm, InterviewForm
from profiling.models import (
    Assessment,
    AssessmentStatus,
    Dimension,
    FormOfAssistance,
    Source,
    Trigger,
)
from profiling.rules import EXCLUDED
from profiling.selectors import get_assessment_for_user, version_questions

PROFILES = ("I", "II", "III")


@permission_required("profiling.view_formofassistance", raise_exception=True)
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The forms of assistance, optionally only those a profile may get (in some way)."""
    profile = request.GET.get("profile", "")
    forms = FormOfAssistance.objects.filter(is_active=True).order_by("seed_item", "code")
    if profile in PROFILES:
        forms = forms.exclude(**{f"access_{profile.lower()}": EXCLUDED})
    else:
        profile = ""
    return render(
        request,
        "profiling/catalogue.html",
        {"forms": forms, "profile": profile, "profiles": PROFILES},
    )


@require_POST
@permission_required("profiling.add_assessment", raise_exception=True)
def assessment_start(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    """Start (or resume) profiling the client, then go to the interview."""
    client = get_client_for_user(request.user, client_pk)
    trigger = request.POST.get("trigger", Trigger.INITIAL)
    if trigger not in Trigger.values:
        trigger = Trigger.INITIAL
    try:
        assessment = services.assessment_start(
            acting_user=request.user, client=client, trigger=trigger
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("client_detail", pk=client.pk)
    return redirect("assessment_interview", pk=assessment.pk)


@permission_required("profiling.change_assessment", raise_exception=True)
def assessment_interview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The interview on one page: card answers shown with their source, the questions asked."""
    assessment = get_assessment_for_user(request.user, pk)
    if assessment.status != AssessmentStatus.DRAFT:
        return redirect("assessment_result", pk=assessment.pk)
    questions = version_questions(assessment.version_id)
    interview = [q for q in questions if q.source == Source.INTERVIEW]
    finishing = request.method == "POST" and "finish" in request.POST
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        questions=interview,
        complete=finishing,
        initial=assessment.interview_answers,
    )
    if request.method == "POST" and form.is_valid():
        services.assessment_save(
            acting_user=request.user, assessment=assessment, interview_answers=form.cleaned_data
        )
        if finishing:
            return redirect("assessment_result", pk=assessment.pk)
        messages.success(request, _("The interview was saved; you can continue later."))
        return redirect("assessment_interview", pk=assessment.pk)
    today = timezone.localdate()
    card, missing = rules.card_answers(services.card_facts(assessment.client), today)
    labels = {(q.key, o.key): o.label for q in questions for o in q.options.all()}
    card_rows = [
        {
            "question": q,
            "answer": labels.get((q.key, card.get(q.key, "")), ""),
            "points": next((o.score for o in q.options.all() if o.key == card.get(q.key)), None),
        }
        for q in questions
        if q.source == Source.REGISTRATION
    ]
    groups = [
        (
            _("Distance from the labour market"),
            [form[q.key] for q in interview if q.dimension == Dimension.DISTANCE],
        ),
        (
            _("Readiness to enter the labour market"),
            [form[q.key] for q in interview if q.dimension == Dimension.READINESS],
        ),
    ]
    return render(
        request,
        "profiling/interview.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "form": form,
            "card_rows": card_rows,
            "missing": [services.field_label(f) for f in missing],
            "groups": groups,
        },
    )


@permission_required("profiling.view_assessment", raise_exception=True)
def assessment_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The proposal explained, and the advisor's decision."""
    assessment = get_assessment_for_user(request.user, pk)
    today = timezone.localdate()
    on = assessment.determined_on or today
    try:
        result = services.assessment_result(assessment, on)
    except rules.ProfilingError as error:
        messages.error(request, str(error))
        return redirect("assessment_interview", pk=assessment.pk)
    form = None
    if assessment.status == AssessmentStatus.DRAFT:
        form = DecisionForm(
            request.POST if request.method == "POST" else None,
            initial={"final_profile": result.profile},
        )
        if request.method == "POST":
            if not request.user.has_perm("profiling.change_assessment"):
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.assessment_decide(
                        acting_user=request.user,
                        assessment=assessment,
                        final_profile=form.cleaned_data["final_profile"],
                        justification=form.cleaned_data["justification"],
                        on=today,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The profile was determined."))
                    return redirect("client_detail", pk=assessment.client_id)
    questions = {q.key: q for q in version_questions(assessment.version_id)}
    labels = {(q.key, o.key): o.label for q in questions.values() for o in q.options.all()}

    def explained(dimension: str) -> list[dict[str, Any]]:
        return [
            {
                "question": questions[c.question],
                "answers": [labels[(c.question, key)] for key in c.options],
                "points": c.points,
            }
            for c in result.top(dimension, count=5)
        ]

    return render(
        request,
        "profiling/result.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "result": result,
            "form": form,
            "distance_top": explained(rules.DISTANCE),
            "readiness_top": explained(rules.READINESS),
            "chart": {
                "distance": result.distance_score,
                "readiness": result.readiness_score,
                "distance_threshold": result.distance_threshold,
                "readiness_threshold": result.readiness_threshold,
            },
        },
    )


@permission_required("profiling.view_assessment", raise_exception=True)
def assessment_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client's information sheet as a PDF, in Polish or English (?language=en)."""
    assessment = get_assessment_for_user(request.user, pk)
    if assessment.status != AssessmentStatus.DETERMINED:
        raise Http404
    language = request.GET.get("language", "pl")
    if language not in ("pl", "en"):
        language = "pl"
    access_record(request=request, obj=assessment.client, action=AccessAction.PRINT)
    pdf = information_sheet_pdf(assessment, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="profile-{assessment.pk}-{language}.pdf"'
    return response


@permission_required("clients.reassign_client", raise_exception=True)
def profile_changes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers: per advisor, how many proposed profiles were changed, and why."""
    office_id = request.user.office_id
    if office_id is None:
        raise PermissionDenied
    determined = Assessment.objects.filter(
        client__office_id=office_id, status=AssessmentStatus.DETERMINED
    )
    per_advisor = (
        determined.values("determined_by__first_name", "determined_by__last_name")
        .annotate(
            total=Count("pk"),
            changed=Count("pk", filter=~Q(final_profile=F("proposed_profile"))),
        )
        .order_by("determined_by__last_name", "determined_by__first_name")
    )
    recent = (
        determined.exclude(final_profile=F("proposed_profile"))
        .select_related("client", "determined_by")
        .order_by("-determined_on", "-pk")[:50]
    )
    return render(request, "profiling/changes.html", {"per_advisor": per_advisor, "recent": recent})
