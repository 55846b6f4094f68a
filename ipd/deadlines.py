"""What is due for each client, and the reminders written from it.

``refresh_due_items`` recomputes one client's due rows from the data (the services call it
after every write that can move a date). ``write_reminders`` and ``send_digests`` are what the
beat tasks run: a fixed number of set-based statements whatever the number of clients, each
reminder written under its unique key, so reruns, late runs and concurrent runs agree.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import Client, Status
from ipd import rules
from ipd.models import (
    ActionStatus,
    ContactStatus,
    Digest,
    DueItem,
    DueKind,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
    Reminder,
    ReminderStage,
    awaiting_reprofiling,
)
from labour_office.offices.models import User
from labour_office.system.services import parameter_value

logger = logging.getLogger(__name__)
REPROFILING_DAYS_DEFAULT = 14  # product convention (APPROXIMATION): parameter ipd.reprofiling_days
CONTACT_KINDS = (DueKind.CONTACT,)
DEADLINE_KINDS = (DueKind.PREPARE, DueKind.MAX_END, DueKind.ACTION, DueKind.REPROFILE)


# --- Due items --------------------------------------------------------------------------------


def compute_due(client: Client) -> dict[str, tuple[IndividualActionPlan | None, date]]:
    """The client's next legal date of each kind, from the data alone (no clock)."""
    registration = client.registrations.filter(deregistered_on__isnull=True).first()
    if registration is None:
        return {}
    plans = list(IndividualActionPlan.objects.filter(registration=registration).order_by("-pk"))
    live = next((p for p in plans if p.status != PlanStatus.ENDED), None)
    due: dict[str, tuple[IndividualActionPlan | None, date]] = {}
    current = registration.assessments.filter(is_current=True).first()
    if registration.status == Status.UNEMPLOYED and current and current.determined_on:
        ended_without_work = awaiting_reprofiling(plans, registration.pk, current.pk)
        if ended_without_work is not None and ended_without_work.ended_on:
            days = parameter_value("ipd.reprofiling_days", REPROFILING_DAYS_DEFAULT)
            due[DueKind.REPROFILE] = (
                ended_without_work,
                ended_without_work.ended_on + timedelta(days=days),
            )
        elif not any(p.assessment_id == current.pk and p.prepared_on for p in plans):
            due[DueKind.PREPARE] = (live, rules.ipd_preparation_deadline(current.determined_on))
    if live is not None and live.status == PlanStatus.ACTIVE:
        start = live.agreed_on or live.prepared_on
        if start is not None:
            held = live.contacts.filter(status=ContactStatus.HELD).aggregate(last=Max("contact_on"))
            last = rules.last_contact(start, [held["last"]] if held["last"] else [])
            due[DueKind.CONTACT] = (live, rules.next_contact_due(last))
        if live.max_end:
            due[DueKind.MAX_END] = (live, live.max_end)
        first_open = PlanAction.objects.filter(
            plan=live, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
        ).aggregate(first=Min("ends_on"))["first"]
        if first_open:
            due[DueKind.ACTION] = (live, first_open)
    return due


@transaction.atomic
def refresh_due_items(client: Client) -> None:
    """Bring the client's due rows in line with the data: a moved date moves the row, a
    satisfied condition deletes it, and open reminders of a date that no longer holds close."""
    # One refresh at a time per client (services, signals and --refresh may meet).
    Client.objects.select_for_update().filter(pk=client.pk).first()
    due = compute_due(client)
    existing = {d.kind: d for d in DueItem.objects.filter(client=client)}
    stale = [
        (kind, item.due_on)
        for kind, item in existing.items()
        if kind not in due or due[kind][1] != item.due_on
    ]
    if stale:
        condition = Q()
        for kind, due_on in stale:
            condition |= Q(kind=kind, due_on=due_on)
        Reminder.objects.filter(condition, client=client, done_at__isnull=True).update(
            done_at=timezone.now(), closed_by_system="satisfied"
        )
        DueItem.objects.filter(client=client, kind__in=[k for k, _d in stale]).exclude(
            kind__in=list(due)
        ).delete()
    for kind, (plan, due_on) in due.items():
        item = existing.get(kind)
        if item is None or item.due_on != due_on:
            # The item (re)appears with this date: reminders once closed as satisfied for the
            # same date apply again (an action set back in progress is again without outcome).
            Reminder.objects.filter(
                client=client, kind=kind, due_on=due_on, closed_by_system="satisfied"
            ).update(done_at=None, closed_by_system="")
        values = {
            "office_id": client.office_id,
            "plan": plan,
            "due_on": due_on,
            "act_by": rules.act_by(due_on),
        }
        if item is None:
            DueItem.objects.create(client=client, kind=kind, **values)
        elif (item.due_on, item.plan_id, item.office_id) != (
            due_on,
            plan.pk if plan else None,
            client.office_id,
        ):
            DueItem.objects.filter(pk=item.pk).update(**values)
    from labour_office.dashboard import caseload

    caseload.refresh([client.pk])  # the dashboard's copy of the dates


def refresh_due_items_for(client_id: int) -> None:
    refresh_due_items(Client.objects.get(pk=client_id))


# --- Reminders --------------------------------------------------------------------------------

# Each stage starts on a day derived from the due row: upcoming a lead (per office) before the
# act-by date, due on the act-by date, overdue the day after the legal date. Every stage whose
# start has come is written, so the set depends only on the data and the day, never on which
# days the task happened to run.
WRITE_SQL = """
WITH staged AS (
    SELECT d.client_id, d.office_id, d.kind, d.due_on, d.act_by, d.plan_id, s.stage,
           s.next_starts_on <= %(day)s AS superseded
    FROM ipd_dueitem d
    JOIN offices_office o ON o.id = d.office_id
    CROSS JOIN LATERAL (VALUES
        ('upcoming', d.act_by - o.reminder_lead_days, d.act_by),
        ('due', d.act_by, d.due_on + 1),
        ('overdue', d.due_on + 1, NULL::date)
    ) AS s(stage, starts_on, next_starts_on)
    WHERE d.kind = ANY(%(kinds)s) AND s.starts_on <= %(day)s
)
INSERT INTO ipd_reminder (
    client_id, office_id, kind, due_on, act_by, stage, advisor_id, plan_id,
    created_on, created_at, done_at, closed_by_system
)
-- A stage whose next one has begun too is written closed: the inbox shows the latest.
SELECT st.client_id, st.office_id, st.kind, st.due_on, st.act_by, st.stage,
       COALESCE(sub.substitute_id, a.advisor_id), st.plan_id, %(day)s, now(),
       CASE WHEN st.superseded THEN now() END,
       CASE WHEN st.superseded THEN 'superseded' ELSE '' END
FROM staged st
LEFT JOIN clients_advisorassignment a
       ON a.client_id = st.client_id AND a.ended_at IS NULL
LEFT JOIN LATERAL (
    SELECT s.substitute_id FROM clients_substitution s
    WHERE s.absent_id = a.advisor_id AND s.starts_on <= %(day)s AND s.ends_on >= %(day)s
    ORDER BY s.starts_on DESC, s.id DESC LIMIT 1
) sub ON TRUE
ON CONFLICT (client_id, kind, due_on, stage) DO NOTHING
"""

# A later stage of the same item replaces an earlier one written on a previous day.
SUPERSEDE_SQL = """
UPDATE ipd_reminder r
SET done_at = now(), closed_by_system = 'superseded'
WHERE r.done_at IS NULL AND r.kind = ANY(%(kinds)s) AND r.stage <> 'overdue'
  AND EXISTS (
    SELECT 1 FROM ipd_reminder later
    WHERE later.client_id = r.client_id AND later.kind = r.kind AND later.due_on = r.due_on
      AND (later.stage = 'overdue' OR (later.stage = 'due' AND r.stage = 'upcoming'))
  )
"""


def write_reminders(day: date, kinds: tuple[str, ...]) -> int:
    """Write every reminder due by ``day`` for the given kinds; answer how many are new."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(WRITE_SQL, {"kinds": list(kinds), "day": day})
        written = int(cursor.rowcount)
        cursor.execute(SUPERSEDE_SQL, {"kinds": list(kinds)})
    return max(written, 0)


def send_digests(day: date) -> int:
    """Once a day, one e-mail per advisor with open reminders: how many of which kind and a
    link to the inbox. Client names stay in the application (e-mail is not a safe channel)."""
    counts = (
        Reminder.objects.filter(done_at__isnull=True, advisor__isnull=False)
        .exclude(advisor__email="")
        .values("advisor_id", "kind", "stage")
        .annotate(n=Count("pk"))
    )
    per_advisor: dict[int, list[tuple[str, str, int]]] = {}
    for row in counts:
        per_advisor.setdefault(row["advisor_id"], []).append((row["kind"], row["stage"], row["n"]))
    Digest.objects.bulk_create(
        [
            Digest(advisor_id=advisor_id, day=day, reminders=sum(n for _k, _s, n in rows))
            for advisor_id, rows in per_advisor.items()
        ],
        ignore_conflicts=True,
    )
    sent = 0
    failed: list[int] = []
    advisors = {u.pk: u for u in User.objects.filter(pk__in=list(per_advisor))}
    while True:
        with transaction.atomic():
            # One digest at a time, locked: two workers never send the same one.
            digest = (
                Digest.objects.select_for_update(skip_locked=True)
                .filter(day=day, sent_at__isnull=True)
                .exclude(pk__in=failed)
                .order_by("pk")
                .first()
            )
            if digest is None:
                break
            advisor = advisors.get(digest.advisor_id) or User.objects.get(pk=digest.advisor_id)
            try:
                _send_digest(advisor, per_advisor.get(advisor.pk, []), day)
            except Exception:
                # One refused address does not stop the others; the next run tries it again.
                logger.exception("Digest for advisor %s not sent", advisor.pk)
                failed.append(digest.pk)
                continue
            digest.sent_at = timezone.now()
            digest.save(update_fields=["sent_at"])
            sent += 1
    return sent


def _send_digest(advisor: User, rows: list[tuple[str, str, int]], day: date) -> None:
    # Staff read the office's language: Polish (the digest has no per-user language yet).
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "advisor": advisor,
            "day": day,
            "rows": [
                (DueKind(kind).label, ReminderStage(stage).label, n)
                for kind, stage, n in sorted(rows)
            ],
            "total": sum(n for _k, _s, n in rows),
            "inbox_url": settings.SITE_URL.rstrip("/") + "/inbox/",
        }
        subject = render_to_string("ipd/digest_subject.txt", context).strip()
        body = render_to_string("ipd/digest.txt", context)
    send_mail(subject, body, None, [advisor.email])
