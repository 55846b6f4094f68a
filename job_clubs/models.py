"""Job clubs (Klub Pracy): clubs, their activities and sessions, who enrolled, who came.

domain/job_clubs.md. Capacity is held by a row lock on the activity while enrolling, and a
person is enrolled at most once per activity (a partial unique index).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from job_clubs import rules


class JobClub(models.Model):
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="clubs"
    )
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=300)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("job club leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_page = models.BooleanField(
        _("listed on the public page"),
        default=True,
        help_text=_("The office's public page must be switched on too."),
    )
    completion_share = models.DecimalField(
        _("share of hours needed to complete"),
        max_digits=3,
        decimal_places=2,
        default=rules.DEFAULT_COMPLETION_SHARE,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("job club")
        verbose_name_plural = _("job clubs")
        ordering = ["office", "name"]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    ACTIVATION_CLASSES = rules.ACTIVATION_CLASSES, _("activation classes")
    JOB_SEARCH_TRAINING = rules.JOB_SEARCH_TRAINING, _("training in job-seeking skills")
    OPEN_INFORMATION = rules.OPEN_INFORMATION, _("open access to job information")


class Activity(models.Model):
    club = models.ForeignKey(
        JobClub, verbose_name=_("job club"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=rules.DEFAULT_CAPACITY, validators=[MinValueValidator(1)]
    )
    enrolment_opens_on = models.DateField(_("enrolment opens"))
    enrolment_closes_on = models.DateField(_("enrolment closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-enrolment_opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolment_closes_on__gte=F("enrolment_opens_on")),
                name="activity_enrolment_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("job_clubs:activity", args=[self.pk])


class Session(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")


HOLDS_A_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
LIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.COMPLETED)


class Enrolment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    # The order of the waiting list: the enrolment time, then the id.
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    good_reason = models.BooleanField(_("the client gave a good reason"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    ended_on = models.DateField(_("cancelled or dropped out on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    hours_attended = models.DecimalField(
        _("hours attended"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    plan_action = models.ForeignKey(
        "ipd.PlanAction",
        verbose_name=_("IPD action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "client"],
                condition=Q(status__in=[s.value for s in LIVE]),
                name="enrolment_once_per_activity",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[EnrolmentStatus.CANCELLED, EnrolmentStatus.DROPPED_OUT])
                | ~Q(reason=""),
                name="enrolment_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "enrolled_at"], name="enrolment_queue"),
            models.Index(fields=["client", "status"], name="enrolment_client"),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.activity}"


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(_("attendance"), max_length=10, choices=AttendanceMark.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.session} {self.mark}"
