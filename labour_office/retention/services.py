"""The retention policy applied: who is past the period, and their anonymisation.

A client is anonymised when every registration period has closed and the last one closed
before the cutoff of the policy (``rules.retention_cutoff``). Anonymisation removes what
identifies the person and keeps what the statistics count:

- the client row: names, PESEL, identity document, birth place, address, phone, e-mail and
  the free-text fields of the card go; the birth date is reduced to its year; sex, education,
  experience, the commune and poviat (TERYT), the flags of the situation stay;
- free text that may name the person (the journal of the card, the reasons of advisor changes,
  the justifications of profiles, the IPD's goals, actions, contacts and agreed versions,
  job-club enrolment reasons) is replaced by a dash; the rows, their dates, statuses and
  profiles stay, so registrations, profiles, plans, contacts, attendance, the caseload and the
  trends count the same;
- the history: the change history (django-auditlog) of the client and of every row above keeps
  who changed what and when, without the values; the access log and the admin's log keep who
  opened which record, without the name.

Each batch is one transaction of set-based statements (a fixed number per batch, whatever
its size); the client rows are locked and eligibility is checked again under the lock, so a
client registered again a moment ago is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Case, CharField, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.expressions import Func, RawSQL
from django.db.models.functions import Cast, Concat, ExtractYear
from django.utils import timezone

from clients.models import AdvisorAssignment, CardEntry, Client, DocumentType, Registration
from ipd.models import Contact, IndividualActionPlan, PlanAction, PlanVersion
from job_clubs.models import Attendance, Enrolment
from labour_office.audit.models import AccessLog
from labour_office.retention import rules
from labour_office.retention.models import Mode, RetentionPolicy, RetentionRun, RetentionRunItem
from profiling.models import Assessment

BATCH_SIZE = 500


def eligible(cutoff: date) -> QuerySet[Any, Any]:
    """Clients not anonymised whose registrations are all closed, the last one before
    ``cutoff``: one grouped scan of the registrations, ordered by client. Rows of
    ``client_id``, ``client__office_id``, ``closed_on``."""
    return (
        Registration.objects.filter(client__anonymised_on__isnull=True)
        .values("client_id", "client__office_id")
        .annotate(
            closed_on=Max("deregistered_on"),
            open_periods=Count("pk", filter=Q(deregistered_on__isnull=True)),
        )
        .filter(open_periods=0, closed_on__lt=cutoff)
        .order_by("client_id")
    )


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _add_items(record: RetentionRun, rows: Iterable[dict[str, Any]]) -> int:
    items = [
        RetentionRunItem(
            run=record,
            client_id=row["client_id"],
            office_id=row["client__office_id"],
            closed_on=row["closed_on"],
        )
        for row in rows
    ]
    RetentionRunItem.objects.bulk_create(items, batch_size=1000)
    return len(items)


def apply_policy(*, today: date | None = None) -> RetentionRun | None:
    """What the nightly task does: nothing when the policy is off, else a run in its mode."""
    policy = RetentionPolicy.load()
    if policy.mode == Mode.OFF:
        return None
    return run(mode=policy.mode, years=policy.years_after_closure, today=today)


def run(
    *, mode: str, years: int | None = None, today: date | None = None, batch_size: int = BATCH_SIZE
) -> RetentionRun:
    """A dry run (the report, nothing changed) or an anonymising run, recorded.

    A dry run of a day replaces that day's earlier dry run, so a repeated task leaves one
    report. An anonymising run records each batch's clients as the batch commits.
    """
    if mode not in (Mode.DRY_RUN, Mode.ANONYMISE):
        raise ValueError(f"a retention run is a dry run or anonymises, not {mode!r}")
    today = today or timezone.localdate()
    if years is None:
        years = RetentionPolicy.load().years_after_closure
    cutoff = rules.retention_cutoff(today, years)
    found = list(eligible(cutoff))
    if mode == Mode.DRY_RUN:
        with transaction.atomic():
            RetentionRun.objects.filter(mode=Mode.DRY_RUN, run_on=today).delete()
            record = RetentionRun.objects.create(
                run_on=today,
                mode=mode,
                years_after_closure=years,
                cutoff=cutoff,
                clients_count=len(found),
                finished=True,
                finished_at=timezone.now(),
            )
            _add_items(record, found)
            return record
    record = RetentionRun.objects.create(
        run_on=today, mode=mode, years_after_closure=years, cutoff=cutoff
    )
    for batch in _batches(found, batch_size):
        with transaction.atomic():
            anonymised = anonymise_batch([row["client_id"] for row in batch], cutoff, today)
            added = _add_items(record, (row for row in batch if row["client_id"] in anonymised))
            RetentionRun.objects.filter(pk=record.pk).update(
                clients_count=F("clients_count") + added
            )
    RetentionRun.objects.filter(pk=record.pk).update(finished=True, finished_at=timezone.now())
    record.refresh_from_db()
    return record


@transaction.atomic
def anonymise_batch(client_ids: Sequence[int], cutoff: date, today: date) -> set[int]:
    """Anonymise those of ``client_ids`` still past the retention period; answers which."""
    locked = list(
        Client.objects.select_for_update()
        .filter(pk__in=client_ids, anonymised_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = sorted(
        row["client_id"] for row in eligible(cutoff).filter(client_id__in=locked).order_by()
    )
    if not ids:
        return set()
    _scrub_history(ids)
    _scrub_related(ids)
    _scrub_clients(ids, today)
    _record_anonymisation(ids, today)
    return set(ids)


def _redacted(field: str) -> Case:
    """Free text replaced by a dash; empty text stays empty (the constraints that require a
    text where there was one still hold)."""
    return Case(
        When(**{field: ""}, then=Value("")),
        default=Value(rules.REDACTED_TEXT),
        output_field=models.TextField(),
    )


def _redact(queryset: QuerySet[Any], *fields: str) -> None:
    queryset.update(**{field: _redacted(field) for field in fields})


def _pk_text(field: str = "pk") -> Cast:
    return Cast(field, output_field=CharField())


def _scrub_clients(ids: list[int], today: date) -> None:
    Client.objects.filter(pk__in=ids).update(
        first_name=rules.ANONYMISED_FIRST_NAME,
        second_name="",
        last_name=Concat(Value(rules.ANONYMISED_SURNAME_PREFIX), _pk_text()),
        family_name="",
        pesel=None,
        # Without a PESEL the constraints want an identity document: a reference to nothing.
        document_type=DocumentType.OTHER,
        document_number=Concat(Value(rules.ANONYMISED_DOCUMENT_PREFIX), _pk_text()),
        document_country=rules.ANONYMISED_DOCUMENT_COUNTRY,
        birth_date=Func(
            Cast(ExtractYear("birth_date"), output_field=IntegerField()),
            Value(rules.BIRTH_MONTH),
            Value(rules.BIRTH_DAY),
            function="make_date",
            output_field=models.DateField(),
        ),
        birth_place="",
        phone="",
        email="",
        street="",
        postal_code="",
        city="",
        occupations="",
        languages="",
        licences="",
        skills="",
        search_text="",
        anonymised_on=today,
        updated_at=timezone.now(),
    )


def _scrub_related(ids: list[int]) -> None:
    """Free text that may name the person, on the rows the statistics keep."""
    _redact(CardEntry.objects.filter(client_id__in=ids), "text")
    _redact(AdvisorAssignment.objects.filter(client_id__in=ids), "reason")
    _redact(Assessment.objects.filter(client_id__in=ids), "justification")
    _redact(
        IndividualActionPlan.objects.filter(client_id__in=ids),
        "goals",
        "contact_arrangements",
        "late_reason",
        "refusal_note",
        "end_analysis",
    )
    _redact(
        PlanAction.objects.filter(plan__client_id__in=ids),
        "description",
        "justification",
        "expected_result",
        "status_reason",
    )
    _redact(Contact.objects.filter(plan__client_id__in=ids), "outcome", "note")
    _redact(Enrolment.objects.filter(client_id__in=ids), "reason")
    _scrub_plan_versions(ids)


def _json_text(source: str, key: str) -> str:
    """SQL: the JSON text ``source->key`` redacted (kept when empty or absent)."""
    return (
        f"CASE WHEN coalesce({source}->>'{key}', '') = '' THEN coalesce({source}->'{key}', "
        f"'\"\"'::jsonb) ELSE to_jsonb(%(redacted)s::text) END"
    )


def _scrub_plan_versions(ids: list[int]) -> None:
    """The agreed versions keep the plan's content as JSON: its texts redacted in place."""
    versions = PlanVersion._meta.db_table
    plans = IndividualActionPlan._meta.db_table
    actions = ", ".join(
        f"'{key}', {_json_text('a', key)}"
        for key in ("description", "justification", "expected_result")
    )
    plan_texts = ", ".join(
        f"'{key}', {_json_text('v.snapshot', key)}" for key in ("goals", "contact_arrangements")
    )
    sql = f"""
        UPDATE {versions} AS v
        SET reason = CASE WHEN v.reason = '' THEN '' ELSE %(redacted)s END,
            snapshot = v.snapshot || jsonb_build_object({plan_texts}, 'actions', coalesce(
                (SELECT jsonb_agg(a || jsonb_build_object({actions}) ORDER BY n)
                 FROM jsonb_array_elements(
                     CASE WHEN jsonb_typeof(v.snapshot->'actions') = 'array'
                     THEN v.snapshot->'actions' ELSE '[]'::jsonb END
                 ) WITH ORDINALITY AS t(a, n)),
                '[]'::jsonb))
        FROM {plans} AS p
        WHERE v.plan_id = p.id AND p.client_id = ANY(%(ids)s)
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"redacted": rules.REDACTED_TEXT, "ids": list(ids)})


def _history_targets(ids: list[int]) -> list[tuple[type[models.Model], QuerySet[Any, Any]]]:
    """Every kind of row whose history may hold the person's data, with the ids of the
    client's rows (as subqueries)."""
    return [
        (Client, Client.objects.filter(pk__in=ids)),
        (Registration, Registration.objects.filter(client_id__in=ids)),
        (AdvisorAssignment, AdvisorAssignment.objects.filter(client_id__in=ids)),
        (CardEntry, CardEntry.objects.filter(client_id__in=ids)),
        (Assessment, Assessment.objects.filter(client_id__in=ids)),
        (IndividualActionPlan, IndividualActionPlan.objects.filter(client_id__in=ids)),
        (PlanAction, PlanAction.objects.filter(plan__client_id__in=ids)),
        (Contact, Contact.objects.filter(plan__client_id__in=ids)),
        (PlanVersion, PlanVersion.objects.filter(plan__client_id__in=ids)),
        (Enrolment, Enrolment.objects.filter(client_id__in=ids)),
        (Attendance, Attendance.objects.filter(enrolment__client_id__in=ids)),
    ]


# Every changed field of an auditlog entry keeps its name; both values become a dash.
REDACTED_CHANGES = """
    CASE WHEN jsonb_typeof(changes) = 'object' THEN coalesce(
        (SELECT jsonb_object_agg(key, jsonb_build_array(%s::text, %s::text))
         FROM jsonb_each(changes)),
        '{}'::jsonb)
    END
"""


def _scrub_history(ids: list[int]) -> None:
    content_types = ContentType.objects.get_for_models(
        *(model for model, _rows in _history_targets(ids))
    )
    client_type = content_types[Client]
    for model, rows in _history_targets(ids):
        content_type = content_types[model]
        if model is Client:
            repr_ = Concat(
                Value(f"{rules.ANONYMISED_FIRST_NAME} {rules.ANONYMISED_SURNAME_PREFIX}"),
                F("object_pk"),
            )
        else:
            repr_ = Concat(Value("#"), F("object_pk"))
        _redact_history(
            LogEntry.objects.filter(content_type=content_type, object_id__in=rows.values("pk")),
            repr_,
        )
        AdminLogEntry.objects.filter(
            content_type=content_type,
            object_id__in=rows.annotate(pk_text=_pk_text()).values("pk_text"),
        ).update(object_repr=Concat(Value("#"), F("object_id")), change_message="")
    # Actions and contacts removed from the client's plans exist only in their history: found
    # by the plan their creation or removal names (as the personal-data report finds them).
    plans = [
        str(pk)
        for pk in IndividualActionPlan.objects.filter(client_id__in=ids).values_list(
            "pk", flat=True
        )
    ]
    if plans:
        for model in (PlanAction, Contact):
            entries = LogEntry.objects.filter(content_type=content_types[model])
            removed = entries.filter(
                Q(changes__plan__0__in=plans) | Q(changes__plan__1__in=plans)
            ).values("object_id")
            _redact_history(
                entries.filter(object_id__in=removed), Concat(Value("#"), F("object_pk"))
            )
    AccessLog.objects.filter(
        content_type=client_type,
        object_id__in=[str(pk) for pk in ids],
    ).update(
        object_repr=Concat(
            Value(f"{rules.ANONYMISED_FIRST_NAME} {rules.ANONYMISED_SURNAME_PREFIX}"),
            F("object_id"),
        )
    )


def _redact_history(entries: QuerySet[LogEntry], repr_: Any) -> None:
    """Every value of the entries becomes a dash; the fields changed, who and when remain."""
    entries.update(
        object_repr=repr_,
        changes_text="",
        # A constant statement; the dash is a parameter.
        changes=RawSQL(REDACTED_CHANGES, (rules.REDACTED_TEXT, rules.REDACTED_TEXT)),  # noqa: S611
        serialized_data=None,
        additional_data=None,
    )


def _record_anonymisation(ids: list[int], today: date) -> None:
    """One entry in each client's change history: when the data were anonymised."""
    client_type = ContentType.objects.get_for_model(Client)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=client_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=f"{rules.ANONYMISED_FIRST_NAME} {rules.anonymised_surname(pk)}",
                action=LogEntry.Action.UPDATE,
                changes={"anonymised_on": ["None", today.isoformat()]},
                changes_text="",
                additional_data={"retention": "anonymised"},
            )
            for pk in ids
        ]
    )
