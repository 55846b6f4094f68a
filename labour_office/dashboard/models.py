"""What the dashboard counts, one narrow row per registered client.

``Caseload`` mirrors, for every client with an open registration, the office, the current
customer advisor, the status, the current profile and the registration date (the filters of
the dashboard) and the dates of what is due: one narrow table, so that the numbers of a
50,000-client office are one scan instead of joins over the wide client tables. The rows are
written in the same transaction as the source rows change (``receivers.py`` and
``ipd.deadlines.refresh_due_items``), and ``rebuild()`` (``manage.py rebuild_caseload``)
recomputes them all from the sources in two statements.

``TrendEvent`` does the same for the trends: a row for each client a trend counts in a month
(registered, deregistered, profiled, IPD ended, IPD ended with work) with the office it counts
for, kept by the same ``caseload.refresh``; twelve months of an office are then one index-only
scan instead of joins over registrations, assessments and plans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Caseload(models.Model):
    client = models.OneToOneField(
        "clients.Client",
        verbose_name=_("client"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="caseload",
    )
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer advisor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20)
    profile = models.CharField(_("profile"), max_length=3, blank=True)
    registered_on = models.DateField(_("registration date"))
    # The legal date of each due item (ipd.DueItem) the client has, copied when
    # ipd.deadlines.refresh_due_items writes them: the dashboard's "what is due" numbers.
    prepare_due = models.DateField(_("IPD to prepare by"), null=True)
    contact_due = models.DateField(_("contact due"), null=True)
    max_end_due = models.DateField(_("IPD maximum end"), null=True)
    action_due = models.DateField(_("action outcome due"), null=True)
    reprofile_due = models.DateField(_("re-profiling due"), null=True)

    class Meta:
        verbose_name = _("caseload row")
        verbose_name_plural = _("caseload")
        indexes = [
            # Covering: the numbers of an office are an index-only scan.
            models.Index(
                fields=["office", "advisor", "status", "profile", "registered_on"],
                include=[
                    "client",  # the lists join the clients from the index alone
                    "prepare_due",
                    "contact_due",
                    "max_end_due",
                    "action_due",
                    "reprofile_due",
                ],
                name="caseload_filters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}"


class TrendSeries(models.TextChoices):
    REGISTERED = "registered", _("Registrations")
    DEREGISTERED = "deregistered", _("Deregistrations")
    PROFILED = "profiled", _("Profiles determined")
    PLANS_ENDED = "plans_ended", _("IPDs ended")
    PLANS_WORK = "plans_work", _("IPDs ended with work")


class TrendEvent(models.Model):
    """A client counted by a trend in a month, in the office it counts for: a registration
    period's office for registrations and deregistrations, the client's office for profiles
    and plans (as the dashboard always counted them). One row per client, series, office and
    month however many events the month had, so a month's number is a plain count."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # trend_office_month begins with it
    )
    series = models.CharField(_("series"), max_length=20, choices=TrendSeries.choices)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))

    class Meta:
        verbose_name = _("trend event")
        verbose_name_plural = _("trend events")
        indexes = [
            # Covering: an office's months (and one month's clients) are index-only scans.
            models.Index(
                fields=["office", "month"],
                include=["series", "client"],
                name="trend_office_month",
            ),
            models.Index(fields=["month"], include=["series", "client"], name="trend_month"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.month:%Y-%m} {self.client_id}"
