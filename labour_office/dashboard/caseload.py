"""Keeping ``Caseload`` and ``TrendEvent`` in step with the registrations, advisors, profiles
and plans."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.backends.utils import CursorWrapper

# The current advisor and profile each come from at most one row (ordered, LIMIT 1), so a
# moment with two open assignments inside a transaction never duplicates a client.
_SELECT = """
SELECT c.id, c.office_id,
       (SELECT a.advisor_id FROM clients_advisorassignment a
         WHERE a.client_id = c.id AND a.ended_at IS NULL
         ORDER BY a.started_at DESC, a.id DESC LIMIT 1),
       r.status,
       COALESCE((SELECT s.final_profile FROM profiling_assessment s
                  WHERE s.registration_id = r.id AND s.is_current
                  ORDER BY s.id DESC LIMIT 1), ''),
       r.registered_on,
       (SELECT d.due_on FROM ipd_dueitem d WHERE d.client_id = c.id AND d.kind = 'prepare'),
       (SELECT d.due_on FROM ipd_dueitem d WHERE d.client_id = c.id AND d.kind = 'contact'),
       (SELECT d.due_on FROM ipd_dueitem d WHERE d.client_id = c.id AND d.kind = 'max_end'),
       (SELECT d.due_on FROM ipd_dueitem d WHERE d.client_id = c.id AND d.kind = 'action'),
       (SELECT d.due_on FROM ipd_dueitem d WHERE d.client_id = c.id AND d.kind = 'reprofile')
  FROM clients_registration r
  JOIN clients_client c ON c.id = r.client_id
 WHERE r.deregistered_on IS NULL
"""
_INSERT = (
    "INSERT INTO dashboard_caseload "
    "(client_id, office_id, advisor_id, status, profile, registered_on, "
    "prepare_due, contact_due, max_end_due, action_due, reprofile_due) "
)


# What each trend counts (labour_office.dashboard.selectors.trends); {only} narrows each
# part to some clients.
_TREND_INSERT = "INSERT INTO dashboard_trendevent (client_id, office_id, series, month) "
_TREND_SELECT = """
SELECT DISTINCT client_id, office_id, series, date_trunc('month', day)::date FROM (
SELECT r.client_id, r.office_id, 'registered', r.registered_on
  FROM clients_registration r WHERE true {only_r}
UNION ALL
SELECT r.client_id, r.office_id, 'deregistered', r.deregistered_on
  FROM clients_registration r WHERE r.deregistered_on IS NOT NULL {only_r}
UNION ALL
SELECT a.client_id, c.office_id, 'profiled', a.determined_on
  FROM profiling_assessment a JOIN clients_client c ON c.id = a.client_id
 WHERE a.status = 'determined' AND a.determined_on IS NOT NULL {only_a}
UNION ALL
SELECT p.client_id, c.office_id, 'plans_ended', p.ended_on
  FROM ipd_individualactionplan p JOIN clients_client c ON c.id = p.client_id
 WHERE p.status = 'ended' AND p.ended_on IS NOT NULL {only_p}
UNION ALL
SELECT p.client_id, c.office_id, 'plans_work', p.ended_on
  FROM ipd_individualactionplan p JOIN clients_client c ON c.id = p.client_id
 WHERE p.status = 'ended' AND p.ended_on IS NOT NULL AND p.end_reason = 'work' {only_p}
) AS events (client_id, office_id, series, day)
"""
_EVERYONE = _TREND_SELECT.format(only_r="", only_a="", only_p="")
_SOME = _TREND_SELECT.format(
    only_r="AND r.client_id = ANY(%(ids)s)",
    only_a="AND a.client_id = ANY(%(ids)s)",
    only_p="AND p.client_id = ANY(%(ids)s)",
)


def refresh(client_ids: Iterable[int]) -> None:
    """Recompute these clients' rows (four statements whatever their number)."""
    ids = sorted(set(client_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dashboard_caseload WHERE client_id = ANY(%s)", [ids])
        cursor.execute(_INSERT + _SELECT + " AND r.client_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM dashboard_trendevent WHERE client_id = ANY(%s)", [ids])
        cursor.execute(_TREND_INSERT + _SOME, {"ids": ids})


def rebuild() -> int:
    """Recompute every row from the sources; answers how many clients are registered."""
    with connection.cursor() as cursor:
        count = rebuild_caseload(cursor)
        rebuild_trends(cursor)
        return count


def rebuild_caseload(cursor: CursorWrapper) -> int:
    """Recompute every caseload row (also the migration that adds them)."""
    cursor.execute("DELETE FROM dashboard_caseload")
    cursor.execute(_INSERT + _SELECT)
    count: int = cursor.rowcount
    return count


def rebuild_trends(cursor: CursorWrapper) -> None:
    """Recompute every trend event from the sources (also the migration that adds them)."""
    cursor.execute("DELETE FROM dashboard_trendevent")
    cursor.execute(_TREND_INSERT + _EVERYONE)
