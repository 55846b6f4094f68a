"""Writes to the questionnaire: a published version never changes; a new one is a copy."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import CardEntry, Client, EntryKind, Registration, Status
from clients.services import check_office, day_text
from labour_office.offices.models import User
from profiling import rules
from profiling.models import (
    AnswerOption,
    Assessment,
    AssessmentStatus,
    Question,
    QuestionnaireVersion,
    Source,
    Trigger,
)
from profiling.signals import profile_determined


def _check_admin(acting_user: User) -> None:
    if not acting_user.has_perm("profiling.change_questionnaireversion"):
        raise PermissionDenied


@transaction.atomic
def questionnaire_version_copy(
    *, acting_user: User, version: QuestionnaireVersion, code: str
) -> QuestionnaireVersion:
    """A draft copy of ``version`` that an administrator edits before publishing it."""
    _check_admin(acting_user)
    if QuestionnaireVersion.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A version with this code exists.")})
    draft = QuestionnaireVersion.objects.create(
        code=code,
        regime=version.regime,
        legal_basis=version.legal_basis,
        distance_high_at_or_above=version.distance_high_at_or_above,
        readiness_low_at_or_above=version.readiness_low_at_or_above,
        matrix=version.matrix,
    )
    for question in version.questions.prefetch_related("options"):
        options = list(question.options.all())
        question.pk = None
        question.version = draft
        question.save()
        AnswerOption.objects.bulk_create(
            AnswerOption(
                question=question,
                key=o.key,
                label_pl=o.label_pl,
                label_en=o.label_en,
                score=o.score,
                exclusive=o.exclusive,
                order=o.order,
            )
            for o in options
        )
    return draft


@transaction.atomic
def questionnaire_version_publish(
    *, acting_user: User, version: QuestionnaireVersion
) -> QuestionnaireVersion:
    """Publish a draft: from now on new assessments use it. Checked for consistency first."""
    _check_admin(acting_user)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    questions = list(Question.objects.filter(version=version).prefetch_related("options"))
    if not questions:
        raise ValidationError(_("A version needs questions."))
    for question in questions:
        if not question.options.all():
            raise ValidationError(_("Question %(key)s has no answers.") % {"key": question.key})
    cells = {f"{d}_distance_{r}_readiness" for d in ("low", "high") for r in ("low", "high")}
    if set(version.matrix) != cells or not set(version.matrix.values()) <= {"I", "II", "III"}:
        raise ValidationError(
            _("The profile matrix must map all four combinations to I, II or III.")
        )
    version.is_published = True
    version.published_at = timezone.now()
    version.save(update_fields=["is_published", "published_at"])
    return version


def current_version() -> QuestionnaireVersion:
    """The newest published version: the one new assessments use."""
    return (
        QuestionnaireVersion.objects.filter(is_published=True)
        .prefetch_related("questions__options")
        .order_by("-published_at", "-pk")
        .first()
        or _no_version()
    )


def _no_version() -> QuestionnaireVersion:
    raise ValidationError(_("No questionnaire version is published."))


def version_spec(version: QuestionnaireVersion) -> rules.VersionSpec:
    return version.spec()


# --- Assessments ------------------------------------------------------------------------------


def card_facts(client: Client) -> rules.CardFacts:
    return rules.CardFacts(
        birth_date=client.birth_date,
        sex=client.sex,
        education_level=client.education_level,
        work_experience_months=client.work_experience_months,
        language_level=client.language_level,
        disability_degree=client.disability_degree,
        last_work_ended_on=client.last_work_ended_on,
        has_licences=bool(client.driving_licences or client.licences.strip()),
        licences_relevant=client.licences_relevant,
    )


def _open_unemployed_registration(client: Client) -> Registration:
    registration = client.registrations.filter(deregistered_on__isnull=True).first()
    if registration is None:
        raise ValidationError(
            _("A profile is determined only during a registration; this person is not registered.")
        )
    if registration.status != Status.UNEMPLOYED:
        raise ValidationError(
            _("Only an unemployed person is profiled; a jobseeker has no profile.")
        )
    return registration


@transaction.atomic
def assessment_start(
    *, acting_user: User, client: Client, trigger: str = Trigger.INITIAL
) -> Assessment:
    """The draft interview of the client's open registration: resumed if one exists."""
    check_office(acting_user, client.office)
    registration = _open_unemployed_registration(client)
    draft = Assessment.objects.filter(
        registration=registration, status=AssessmentStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    if registration.assessments.filter(is_current=True).exists() and trigger == Trigger.INITIAL:
        trigger = Trigger.SITUATION_CHANGED
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                client=client,
                registration=registration,
                version=current_version(),
                trigger=trigger,
                created_by=acting_user,
            )
    except IntegrityError:
        # Another advisor opened the interview at the same moment: continue theirs.
        return Assessment.objects.get(registration=registration, status=AssessmentStatus.DRAFT)


def _interview_keys(version: QuestionnaireVersion) -> set[str]:
    return {q.key for q in version.questions.all() if q.source == Source.INTERVIEW}


@transaction.atomic
def assessment_save(
    *, acting_user: User, assessment: Assessment, interview_answers: dict[str, Any]
) -> Assessment:
    """Keep the interview so far (a draft can be left and resumed)."""
    check_office(acting_user, assessment.client.office)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This assessment is already decided."))
    allowed = _interview_keys(assessment.version)
    assessment.interview_answers = {
        k: v for k, v in interview_answers.items() if k in allowed and v
    }
    assessment.save(update_fields=["interview_answers", "updated_at"])
    return assessment


def assessment_answers(assessment: Assessment, on: date) -> tuple[dict[str, Any], list[str]]:
    """Card answers (as the card is now, or as frozen at the decision) plus the interview."""
    if assessment.answers is not None:
        return dict(assessment.answers), []
    card, missing = rules.card_answers(card_facts(assessment.client), on)
    return {**card, **assessment.interview_answers}, missing


def field_label(name: str) -> str:
    return str(getattr(Client._meta.get_field(name), "verbose_name", name))


def assessment_result(assessment: Assessment, on: date) -> rules.ProfileResult:
    answers, missing = assessment_answers(assessment, on)
    if missing:
        raise rules.ProfilingError(
            _("Complete the registration card first: %(fields)s.")
            % {"fields": ", ".join(field_label(f) for f in missing)}
        )
    return rules.determine_profile(answers, assessment.version.spec())


@transaction.atomic
def assessment_decide(
    *, acting_user: User, assessment: Assessment, final_profile: str, justification: str, on: date
) -> Assessment:
    """Determine the profile: the proposal, the advisor's final profile (a change needs a
    written justification), the date from which the IPD preparation term runs."""
    check_office(acting_user, assessment.client.office)
    # The registration row lock serialises two decisions for the same period.
    registration = Registration.objects.select_for_update().get(pk=assessment.registration_id)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This assessment is already decided."))
    if not registration.is_open:
        raise ValidationError(_("The registration has ended; the profile cannot be set."))
    try:
        result = assessment_result(assessment, on)
    except rules.ProfilingError as error:
        raise ValidationError(str(error)) from None
    if final_profile not in ("I", "II", "III"):
        raise ValidationError({"final_profile": _("Choose profile I, II or III.")})
    justification = justification.strip()
    if final_profile != result.profile and not justification:
        raise ValidationError(
            {
                "justification": _(
                    "Write why the profile differs from the proposed one; "
                    "the client may ask about it."
                )
            }
        )
    answers, _missing = assessment_answers(assessment, on)
    Assessment.objects.filter(registration=registration, is_current=True).update(is_current=False)
    assessment.answers = answers
    assessment.proposed_profile = result.profile
    assessment.final_profile = final_profile
    assessment.distance_score = result.distance_score
    assessment.readiness_score = result.readiness_score
    assessment.justification = justification if final_profile != result.profile else ""
    assessment.determined_on = on
    assessment.determined_by = acting_user
    assessment.status = AssessmentStatus.DETERMINED
    assessment.is_current = True
    assessment.save()
    text = _(
        "Profile %(profile)s determined on %(date)s (proposed %(proposed)s: distance "
        "%(distance)d, readiness %(readiness)d; questionnaire %(version)s)."
    ) % {
        "profile": final_profile,
        "date": day_text(on),
        "proposed": result.profile,
        "distance": result.distance_score,
        "readiness": result.readiness_score,
        "version": assessment.version.code,
    }
    if assessment.justification:
        text += " " + _("Changed by the advisor: %(reason)s") % {"reason": justification}
    CardEntry.objects.create(
        client=assessment.client, kind=EntryKind.SYSTEM, text=text, author=acting_user
    )
    profile_determined.send(sender=Assessment, assessment=assessment)
    return assessment


def current_profile(registration: Registration) -> Assessment | None:
    return registration.assessments.filter(is_current=True).first()
