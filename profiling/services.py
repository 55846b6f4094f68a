"""Writes to the questionnaire: a published version never changes; a new one is a copy."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labour_office.offices.models import User
from profiling import rules
from profiling.models import AnswerOption, Question, QuestionnaireVersion


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
