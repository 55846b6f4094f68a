"""The individual action plan (Indywidualny Plan Działania, IPD): its actions, its contacts and
the agreed versions of it.

A plan is a draft while the advisor prepares it with the client, in force once agreed (or once
the client's refusal is recorded), and ended with a reason. While in force its content changes
only through an amendment, which the client agrees to and which is kept as a new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from profiling.models import ProfileChoice

if TYPE_CHECKING:
    from labour_office.offices.models import User


class Revised(models.Model):
    """A record edited by several people: its ``revision`` counts the saves, so a form loaded
    at one revision and submitted after someone else's save is recognised as stale (optimistic
    concurrency; the services compare it under the row lock, see ``ipd.services``).

    Every ``save()`` is a new revision, whoever makes it (services, the admin, demo data);
    bulk statements that bypass ``save()`` are not edits of the content a form shows.
    """

    # db_default too: rows written outside the ORM (COPY in bench.generate) start at 0.
    revision = models.PositiveIntegerField(_("revision"), default=0, db_default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.revision += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "revision"}
        super().save(*args, **kwargs)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    ACTIVE = "active", _("in force")
    ENDED = "ended", _("ended")


class EndReason(models.TextChoices):
    WORK = "work", _("employment or own business found")
    DEREGISTRATION = "deregistration", _("the client was deregistered")
    MAXIMUM = "maximum", _("the maximum period was reached")
    OTHER = "other", _("other reason")


class PlanQuerySet(models.QuerySet["IndividualActionPlan"]):
    def visible_to(self, user: User) -> PlanQuerySet:
        if user.sees_all_offices:
            return self
        return self.filter(client__office_id=user.office_id or 0)

    def live(self) -> PlanQuerySet:
        return self.exclude(status=PlanStatus.ENDED)


class IndividualActionPlan(Revised):
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="plans"
    )
    registration = models.ForeignKey(
        "clients.Registration",
        verbose_name=_("registration period"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    # The profile the plan was built for (none for a jobseeker's optional plan).
    assessment = models.ForeignKey(
        "profiling.Assessment",
        verbose_name=_("profiling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    profile = models.CharField(
        _("profile"), max_length=3, choices=ProfileChoice.choices, blank=True
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("prepared from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goals = models.TextField(
        _("occupational goals"),
        help_text=_("The work the client aims at, in their own terms: occupation, place, hours."),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("planned end"))
    # The last day the law allows for the profile (none for a jobseeker): kept with the plan
    # so that the database refuses an end past it and the beat tasks can scan by it.
    max_end = models.DateField(_("maximum end"), null=True, blank=True)
    contact_arrangements = models.TextField(
        _("how we keep in touch"),
        blank=True,
        help_text=_("How and how often the client and the office contact each other."),
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer advisor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialists involved"),
        blank=True,
        related_name="+",
    )
    prepared_on = models.DateField(_("prepared on"), null=True, blank=True)
    late_reason = models.TextField(_("reason for preparing after the deadline"), blank=True)
    agreed_on = models.DateField(_("agreed with the client on"), null=True, blank=True)
    client_refused = models.BooleanField(_("the client refused to agree"), default=False)
    refusal_note = models.TextField(_("the client's refusal"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    amending = models.BooleanField(_("amendment in preparation"), default=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_analysis = models.TextField(_("analysis of the plan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual action plan")
        verbose_name_plural = _("individual action plans")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            # One plan being prepared or in force per registration period (DESIGN rule 3).
            models.UniqueConstraint(
                fields=["registration"],
                condition=~Q(status=PlanStatus.ENDED),
                name="ipd_one_live_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="ipd_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(max_end__isnull=True) | Q(ends_on__lte=F("max_end")),
                name="ipd_end_within_maximum",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ACTIVE)
                | (Q(prepared_on__isnull=False) & Q(version__gte=1)),
                name="ipd_in_force_is_prepared",
            ),
            # The law asks the advisor to record the client's refusal.
            models.CheckConstraint(
                condition=Q(client_refused=False) | ~Q(refusal_note=""),
                name="ipd_refusal_recorded",
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.ENDED, ended_on__isnull=False) & ~Q(end_reason="")
                | (~Q(status=PlanStatus.ENDED) & Q(ended_on__isnull=True) & Q(end_reason="")),
                name="ipd_ended_has_reason",
            ),
            # Ending without work requires the analysis of why (profiles.md, re-profiling).
            models.CheckConstraint(
                condition=Q(end_reason__in=["", EndReason.WORK]) | ~Q(end_analysis=""),
                name="ipd_end_without_work_analysed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["advisor", "ends_on"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="ipd_active_by_advisor",
            ),
            # The dashboard's monthly trend of plans ended.
            models.Index(
                fields=["ended_on"],
                condition=Q(status=PlanStatus.ENDED),
                name="ipd_ended_on",
            ),
            models.Index(fields=["client", "-starts_on"], name="ipd_client"),
        ]

    def __str__(self) -> str:
        return f"IPD {self.client} {self.starts_on}"

    def get_absolute_url(self) -> str:
        return reverse("ipd:plan", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Content changes only while preparing the plan or an amendment of it."""
        return self.status == PlanStatus.DRAFT or (
            self.status == PlanStatus.ACTIVE and self.amending
        )

    @property
    def ended_without_work(self) -> bool:
        return self.status == PlanStatus.ENDED and self.end_reason != EndReason.WORK


def awaiting_reprofiling(
    plans: Iterable[IndividualActionPlan], registration_id: int, assessment_id: int | None
) -> IndividualActionPlan | None:
    """The plan of this registration that ended without work on this (still current) profile:
    until the profile is determined again, no new plan (domain/profiles.md, re-profiling)."""
    if assessment_id is None:
        return None
    return next(
        (
            p
            for p in plans
            if p.registration_id == registration_id
            and p.assessment_id == assessment_id
            and p.end_reason in (EndReason.MAXIMUM, EndReason.OTHER)
        ),
        None,
    )


class ActionKind(models.TextChoices):
    OFFICE = "office", _("the office's action")
    OWN = "own", _("the client's own action")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")


class PlanAction(Revised):
    """One step of the plan: a form of assistance the office gives (only those the catalogue
    allows this client), or something the client undertakes to do."""

    plan = models.ForeignKey(IndividualActionPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=10, choices=ActionKind.choices)
    form = models.ForeignKey(
        "profiling.FormOfAssistance",
        verbose_name=_("form of assistance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("what exactly"))
    justification = models.TextField(_("justification"), blank=True)
    special_programme = models.CharField(_("special programme"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expected_result = models.TextField(_("expected result"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_reason = models.TextField(_("why not done"), blank=True)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ActionKind.OFFICE, form__isnull=False)
                | Q(kind=ActionKind.OWN, form__isnull=True),
                name="ipd_action_form_iff_office",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="ipd_action_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.NOT_DONE) | ~Q(status_reason=""),
                name="ipd_action_not_done_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.form.name if self.form_id and self.form else str(_("own action"))


class ContactChannel(models.TextChoices):
    # domain/deadlines.md: a meeting, a phone call, or an exchange by e-mail, an electronic
    # channel or post (SEED).
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    ELECTRONIC = "electronic", _("electronic channel")
    POST = "post", _("post")


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    MISSED = "missed", _("missed: the client did not come")


class Contact(Revised):
    """A contact with the client while the plan runs: planned (an appointment), held, or
    missed. A missed appointment is not a contact (domain/deadlines.md)."""

    plan = models.ForeignKey(
        IndividualActionPlan, on_delete=models.CASCADE, related_name="contacts"
    )
    status = models.CharField(_("status"), max_length=10, choices=ContactStatus.choices)
    contact_on = models.DateField(_("date"))
    channel = models.CharField(_("form"), max_length=20, choices=ContactChannel.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["contact_on", "pk"]
        indexes = [
            models.Index(
                fields=["plan", "-contact_on"],
                condition=Q(status=ContactStatus.HELD),
                name="ipd_contact_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_on} {self.get_channel_display()} {self.get_status_display()}"


class PlanVersion(models.Model):
    """The plan as the client agreed to it: version 1 at the agreement, one more for every
    amendment. Read-only; the differences between versions are computed from the snapshots."""

    plan = models.ForeignKey(
        IndividualActionPlan, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    agreed_on = models.DateField(_("agreed on"))
    reason = models.TextField(_("reason for the amendment"), blank=True)
    snapshot = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ipd_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


# --- Deadlines and reminders (issue 7) --------------------------------------------------------


class DueKind(models.TextChoices):
    PREPARE = "prepare", _("IPD to prepare")
    CONTACT = "contact", _("contact due")
    MAX_END = "max_end", _("IPD reaches its maximum")
    ACTION = "action", _("plan action without an outcome")
    REPROFILE = "reprofile", _("re-profiling after an IPD without work")
    JOB_CLUB = "job_club", _("a place in a job club came free")


class DueItem(models.Model):
    """What is due next for a client, one row per kind: kept by the services whenever the
    underlying data changes (a moved date moves it, a satisfied condition deletes it), and
    scanned by the beat tasks in set-based queries."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="due_items")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=DueKind.choices)
    plan = models.ForeignKey(
        IndividualActionPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("legal date"))
    act_by = models.DateField(_("act by"))

    class Meta:
        verbose_name = _("due item")
        verbose_name_plural = _("due items")
        constraints = [
            models.UniqueConstraint(fields=["client", "kind"], name="due_item_one_per_kind"),
            models.CheckConstraint(
                condition=Q(act_by__lte=F("due_on")), name="due_item_act_by_not_after_due"
            ),
        ]
        indexes = [models.Index(fields=["kind", "act_by"], name="due_item_kind_act_by")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.kind} {self.due_on}"


class ReminderStage(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    DUE = "due", _("due")
    OVERDUE = "overdue", _("overdue")


class Reminder(models.Model):
    """One reminder of a due item at one stage. Its key (client, kind, legal date, stage) is
    unique, so a task that runs twice, late, or on two workers at once writes it once."""

    # Few indexes: a first run writes hundreds of thousands of rows (bench/README.md). The
    # client is the key's first column; offices are not deleted while they have clients.
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DueKind.choices)
    due_on = models.DateField(_("legal date"))
    act_by = models.DateField(_("act by"))
    stage = models.CharField(_("stage"), max_length=10, choices=ReminderStage.choices)
    # The current advisor, or the substitute on the day the reminder was written.
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    plan = models.ForeignKey(
        IndividualActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_on = models.DateField(_("written on"))
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Why it closed without a person: "satisfied" (the condition cleared), "superseded" (a
    # later stage of the same item was written).
    closed_by_system = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["act_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "due_on", "stage"], name="reminder_key"
            ),
        ]
        indexes = [
            models.Index(fields=["plan"], condition=Q(plan__isnull=False), name="reminder_plan"),
            models.Index(
                fields=["done_by"], condition=Q(done_by__isnull=False), name="reminder_done_by"
            ),
            # The supersede statement: open earlier stages of the same item.
            models.Index(
                fields=["client", "kind", "due_on"],
                condition=Q(done_at__isnull=True) & ~Q(stage="overdue"),
                name="reminder_open_earlier_stage",
            ),
            # An item that comes back reopens its reminders closed as satisfied.
            models.Index(
                fields=["client", "kind", "due_on"],
                condition=Q(closed_by_system="satisfied"),
                name="reminder_satisfied",
            ),
            models.Index(
                fields=["advisor", "act_by"],
                condition=Q(done_at__isnull=True),
                name="reminder_open_by_advisor",
            ),
            models.Index(
                fields=["office", "act_by"],
                condition=Q(done_at__isnull=True, stage="overdue"),
                name="reminder_open_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.kind} {self.due_on} {self.stage}"


class Digest(models.Model):
    """The daily e-mail to an advisor: one row per advisor and day, so a rerun sends none."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    reminders = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail digest")
        verbose_name_plural = _("e-mail digests")
        constraints = [
            models.UniqueConstraint(fields=["advisor", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.advisor_id} {self.day}"
