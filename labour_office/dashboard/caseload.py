"""Keeping ``Caseload`` in step with the registrations, advisors and profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

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


def refresh(client_ids: Iterable[int]) -> None:
    """Recompute these clients' rows (two statements whatever their number)."""
    ids = sorted(set(client_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dashboard_caseload WHERE client_id = ANY(%s)", [ids])
        cursor.execute(_INSERT + _SELECT + " AND r.client_id = ANY(%s)", [ids])


def rebuild() -> int:
    """Recompute every row from the sources; answers how many clients are registered."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dashboard_caseload")
        cursor.execute(_INSERT + _SELECT)
        count: int = cursor.rowcount
        return count
