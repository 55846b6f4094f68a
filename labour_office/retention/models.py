"""The retention policy (one row, set by an administrator) and the record of each run."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labour_office.retention.rules import DEFAULT_YEARS_AFTER_CLOSURE

POLICY_PK = 1


class Mode(models.TextChoices):
    OFF = "off", _("off: nothing is done")
    DRY_RUN = "dry_run", _("dry run: report who would be anonymised, change nothing")
    ANONYMISE = "anonymise", _("anonymise")


class RetentionPolicy(models.Model):
    """How long the office keeps the personal data of clients whose registrations all closed,
    and whether the nightly task only reports or anonymises. A single row (``load()``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=POLICY_PK, editable=False)
    mode = models.CharField(
        _("mode"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.OFF,
        help_text=_(
            "Anonymisation cannot be undone. Set the dry run first, read its report under "
            "retention runs, then switch to anonymise."
        ),
    )
    years_after_closure = models.PositiveSmallIntegerField(
        _("years after the last registration closed"),
        default=DEFAULT_YEARS_AFTER_CLOSURE,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "From the office's archival schedule (JRWA), counted in full calendar years from "
            "1 January of the year after the last registration closed. The default of 10 "
            "years is an approximation: set the period of your office."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")
        constraints = [
            models.CheckConstraint(condition=Q(id=POLICY_PK), name="retention_policy_single_row"),
            models.CheckConstraint(
                condition=Q(years_after_closure__gte=1), name="retention_policy_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Retention policy"))

    @classmethod
    def load(cls) -> RetentionPolicy:
        policy, _created = cls.objects.get_or_create(pk=POLICY_PK)
        return policy

    def clean(self) -> None:
        """Anonymisation only after a dry run with the same period has been reported."""
        if self.mode == Mode.ANONYMISE and not (
            RetentionRun.objects.filter(
                mode=Mode.DRY_RUN, years_after_closure=self.years_after_closure, finished=True
            ).exists()
        ):
            raise ValidationError(
                {
                    "mode": _(
                        "Run a dry run with this period first and read its report: "
                        "set the mode to dry run and wait for the night, or run "
                        "“manage.py retention --dry-run”."
                    )
                }
            )


class RetentionRun(models.Model):
    """One run of the policy: who was (or in a dry run, would be) anonymised, one
    ``RetentionRunItem`` per client. An anonymising run adds each batch's clients as the batch
    commits, so a run that stopped halfway (``finished`` false) still says whom it
    anonymised."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    run_on = models.DateField(_("day"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    years_after_closure = models.PositiveSmallIntegerField(
        _("years after the last registration closed")
    )
    cutoff = models.DateField(
        _("registrations closed before"),
        help_text=_("Clients whose last registration closed before this day."),
    )
    clients_count = models.PositiveIntegerField(_("clients"), default=0)
    finished = models.BooleanField(_("finished"), default=False)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["mode", "run_on"], name="retention_run_mode_day")]

    def __str__(self) -> str:
        return f"{self.run_on} {self.get_mode_display()}: {self.clients_count}"


class RetentionRunItem(models.Model):
    """A client of a run's report: the id (a pseudonymous reference once the record is
    anonymised), the office then responsible, and the day the last registration closed."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="entries")
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    closed_on = models.DateField(_("last registration closed on"))

    class Meta:
        verbose_name = _("client of a retention run")
        verbose_name_plural = _("clients of retention runs")
        ordering = ["run", "client"]
        constraints = [
            models.UniqueConstraint(fields=["run", "client"], name="retention_item_once_per_run"),
        ]
        indexes = [
            # A report for one office's administrator: the run's rows of the office, by client.
            models.Index(fields=["run", "office", "client"], name="retention_item_office"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.client_id} {self.closed_on}"
