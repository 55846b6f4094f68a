"""The questionnaire as versioned data and the catalogue of forms of assistance.

Both come from domain/ (questionnaire.yaml, catalogue.yaml) through data migrations; the
numbers are APPROXIMATION or RECONSTRUCTION there, so administrators can change them: a new
questionnaire version is published alongside the old one, and every assessment keeps its own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labour_office.languages import in_language
from profiling import rules


class QuestionnaireVersion(models.Model):
    code = models.SlugField(_("version"), max_length=50, unique=True)
    regime = models.CharField(_("legal regime"), max_length=50)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    distance_high_at_or_above = models.PositiveSmallIntegerField(
        _("distance is high from (points)")
    )
    readiness_low_at_or_above = models.PositiveSmallIntegerField(
        _("readiness is low from (points)")
    )
    matrix = models.JSONField(_("profile for each combination"))

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    def spec(self) -> rules.VersionSpec:
        """The version as the pure rules take it (questions and options prefetched)."""
        return rules.VersionSpec(
            code=self.code,
            questions=[
                rules.QuestionSpec(
                    key=q.key,
                    dimension=q.dimension,
                    multiple=q.multiple,
                    max_score=q.max_score,
                    options={
                        o.key: rules.OptionSpec(o.key, o.score, o.exclusive)
                        for o in q.options.all()
                    },
                )
                for q in self.questions.prefetch_related("options").order_by("number")
            ],
            distance_high_at_or_above=self.distance_high_at_or_above,
            readiness_low_at_or_above=self.readiness_low_at_or_above,
            matrix=self.matrix,
        )


class Source(models.TextChoices):
    REGISTRATION = "registration", _("registration card")
    INTERVIEW = "interview", _("interview")


class Dimension(models.TextChoices):
    DISTANCE = rules.DISTANCE, _("distance from the labour market")
    READINESS = rules.READINESS, _("readiness to enter the labour market")


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=50)
    number = models.PositiveSmallIntegerField(_("number"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    factor = models.CharField(_("factor of the regulation"), max_length=300, blank=True)
    card_field = models.CharField(_("from the card"), max_length=300, blank=True)
    text_pl = models.TextField(_("question (Polish)"))
    text_en = models.TextField(_("question (English)"))
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    max_score = models.PositiveSmallIntegerField(_("maximum points"), default=8)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_per_version"),
            models.UniqueConstraint(
                fields=["version", "number"], name="question_number_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return in_language(self.text_pl, self.text_en)


class AnswerOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("key"), max_length=50)
    label_pl = models.CharField(_("answer (Polish)"), max_length=300)
    label_en = models.CharField(_("answer (English)"), max_length=300)
    score = models.PositiveSmallIntegerField(_("points"))
    exclusive = models.BooleanField(_("excludes other answers"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_per_question"),
            models.CheckConstraint(condition=Q(score__lte=8), name="option_score_0_to_8"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_pl, self.label_en)


class Access(models.TextChoices):
    AVAILABLE = rules.AVAILABLE, _("available")
    JUSTIFIED = rules.JUSTIFIED, _("only in justified cases")
    SPECIAL_PROGRAMME = rules.SPECIAL_PROGRAMME, _("only within a special programme")
    AFTER_PAI = rules.AFTER_PAI, _("only after the Activation and Integration Programme")
    EXCLUDED = rules.EXCLUDED, _("not available")


class FormOfAssistance(models.Model):
    """A form of assistance (forma pomocy) and the profiles it is open to."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    seed_item = models.PositiveSmallIntegerField(
        _("item of the ministry's table"), null=True, blank=True
    )
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=300, blank=True)
    name_be = models.CharField(_("name (Belarusian)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    access_i = models.CharField(_("profile I"), max_length=20, choices=Access.choices)
    access_ii = models.CharField(_("profile II"), max_length=20, choices=Access.choices)
    access_iii = models.CharField(_("profile III"), max_length=20, choices=Access.choices)
    requires = ArrayField(
        models.CharField(max_length=40), verbose_name=_("requires"), default=list, blank=True
    )
    open_to_jobseekers = models.BooleanField(_("open to jobseekers"), default=False)
    mark = models.CharField(_("source"), max_length=20)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("form of assistance")
        verbose_name_plural = _("forms of assistance")
        ordering = ["seed_item", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_pl, self.name_en)

    def name_in(self, language: str) -> str:
        """The name in a client's language ("pl", "en", "uk", "be") for printed documents;
        Polish for any other code or where the translation is empty."""
        translated = {"en": self.name_en, "uk": self.name_uk, "be": self.name_be}.get(language)
        return translated or self.name_pl

    def spec(self) -> rules.FormSpec:
        return rules.FormSpec(
            code=self.code,
            access={"I": self.access_i, "II": self.access_ii, "III": self.access_iii},
            requires=tuple(self.requires),
            open_to_jobseekers=self.open_to_jobseekers,
        )


class Trigger(models.TextChoices):
    INITIAL = "initial", _("first profile in this registration")
    SITUATION_CHANGED = "situation_changed", _("the client's situation changed")
    IPD_ENDED = "ipd_ended_without_work", _("the IPD ended without work")
    AFTER_PAI = "after_pai", _("after the Activation and Integration Programme")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("interview in progress")
    DETERMINED = "determined", _("profile determined")


PROFILE_MEANING = {
    # domain/profiles.yaml (LAW: art. 33 ust. 2b-2c of the 2004 Act, 2014 wording)
    "I": _("active persons, ready to take up work at once"),
    "II": _("persons who need intensive support from the office to find work"),
    "III": _(
        "persons distant from the labour market who need special support from the office "
        "and other institutions"
    ),
}


class ProfileChoice(models.TextChoices):
    I = "I", _("profile I")  # noqa: E741 - the profile's legal name
    II = "II", _("profile II")
    III = "III", _("profile III")


class Assessment(models.Model):
    """One profiling of a client: the interview (a draft until decided), the proposal the
    questionnaire version gives, and the advisor's decision with its justification."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="assessments"
    )
    registration = models.ForeignKey(
        "clients.Registration", on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(
        _("reason for profiling"), max_length=30, choices=Trigger.choices, default=Trigger.INITIAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    interview_answers = models.JSONField(_("interview answers"), default=dict, blank=True)
    # Frozen at the decision: every answer (card ones included) the result was computed from.
    answers = models.JSONField(_("answers"), null=True, blank=True)
    proposed_profile = models.CharField(
        _("proposed profile"), max_length=3, choices=ProfileChoice.choices, blank=True
    )
    final_profile = models.CharField(
        _("profile"), max_length=3, choices=ProfileChoice.choices, blank=True
    )
    distance_score = models.PositiveSmallIntegerField(_("distance score"), null=True, blank=True)
    readiness_score = models.PositiveSmallIntegerField(_("readiness score"), null=True, blank=True)
    justification = models.TextField(_("justification of the change"), blank=True)
    determined_on = models.DateField(_("date of the profile"), null=True, blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_current = models.BooleanField(_("current"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(is_current=True),
                name="assessment_one_current_per_registration",
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status=AssessmentStatus.DRAFT),
                name="assessment_one_draft_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT, is_current=False)
                | (
                    Q(status=AssessmentStatus.DETERMINED)
                    & ~Q(final_profile="")
                    & ~Q(proposed_profile="")
                    & Q(determined_on__isnull=False)
                    & Q(answers__isnull=False)
                ),
                name="assessment_determined_is_complete",
            ),
            # Changing the proposed profile needs a written reason (profiles.yaml).
            models.CheckConstraint(
                condition=Q(final_profile=models.F("proposed_profile")) | ~Q(justification=""),
                name="assessment_change_is_justified",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-created_at"]),
            # The dashboard's monthly trend of profiles determined.
            models.Index(
                fields=["determined_on"],
                condition=Q(status="determined"),
                name="assessment_determined_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.final_profile or self.get_status_display()}"

    @property
    def changed_by_advisor(self) -> bool:
        return bool(self.final_profile) and self.final_profile != self.proposed_profile
