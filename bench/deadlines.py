"""Benchmark of the daily deadline checks (issue 7): both beat tasks over N active clients.

    python -m bench.deadlines --clients 1000000

Builds (or reuses) a database of its own, fills it with set-based SQL (``generate``), runs the
bodies of ``ipd.tasks.send_contact_reminders`` and ``ipd.tasks.check_ipd_deadlines`` for one
day, runs them again the same day (nothing new: each reminder's key is unique), repeats it all
with ten times fewer clients in a second database (``<name>_small``), prints a table and writes
``var/bench/deadlines.json``. Each size runs in a child process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/labour_office_h7_bench"
DEFAULT_CLIENTS = 1_000_000
DEFAULT_DAY = date(2025, 6, 16)  # a Monday; a fixed day keeps runs comparable
OFFICE_PREFIX = "PUP benchmark "

FIRST_NAMES = [
    "Anna", "Piotr", "Małgorzata", "Krzysztof", "Agnieszka", "Tomasz", "Katarzyna",
    "Paweł", "Joanna", "Łukasz", "Ewa", "Michał", "Zofia",
]  # fmt: skip
LAST_NAMES = [
    "Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur", "Krawczyk", "Kaczmarek", "Zając",
    "Król", "Wieczorek", "Jabłońska", "Wróbel", "Dudek", "Stępień", "Pawlak", "Sikora", "Żółć",
]  # fmt: skip


# --- Data ----------------------------------------------------------------------------------

# Clients take their ids from the table's own sequence, so every later statement can derive
# the office and the advisor from the id alone: client id -> office slot id % offices, advisor
# slot (id / offices) % advisors per office.
CLIENTS_SQL = """
INSERT INTO clients_client (
    id, office_id, first_name, second_name, last_name, family_name, pesel, birth_date, sex,
    birth_place, document_type, document_number, document_country, citizenship, phone, email,
    street, postal_code, city, commune, powiat, teryt_terc, education_level, occupations,
    work_experience_months, languages, driving_licences, licences, licences_relevant, skills,
    disability_degree, cares_for_child_under_6, cares_for_dependant, receives_social_assistance,
    has_phone, has_email, has_internet, consents_to_electronic_contact, language_level,
    document_language, search_text, created_at, updated_at
)
SELECT c.id, (%(offices)s::bigint[])[1 + mod(c.id, %(n_offices)s)],
       (%(first)s::text[])[1 + mod(c.id, 13)], '', (%(last)s::text[])[1 + mod(c.id / 13, 17)], '',
       -- Not valid PESELs (no checksum): nothing here runs the validator.
       lpad(c.id::text, 11, '0'), %(day)s::date - (6570 + mod(c.id * 13, 14600))::int,
       CASE WHEN mod(c.id, 2) = 0 THEN 'F' ELSE 'M' END,
       '', '', '', '', 'polskie', '', '', '', '', 'Benchmark', '', '', '', 'general_secondary',
       '', 0, '', '{}', '', false, '', '', false, false, false, true, false, false, false, 'none',
       'pl', (%(first_folded)s::text[])[1 + mod(c.id, 13)] || ' '
             || (%(last_folded)s::text[])[1 + mod(c.id / 13, 17)],
       now(), now()
FROM (
    SELECT nextval(pg_get_serial_sequence('clients_client', 'id')) AS id
    FROM generate_series(1, %(clients)s)
) AS c
"""

# Each client an open registration and a current advisor of its office.
REGISTRATIONS_SQL = """
WITH c AS (
    SELECT id, office_id, %(day)s::date - (30 + mod(id * 37, 700))::int AS registered_on,
           (%(advisors)s::bigint[])[1 + mod(id, %(n_offices)s) * %(per_office)s
                                      + mod(id / %(n_offices)s, %(per_office)s)] AS advisor_id
    FROM clients_client WHERE id > %(after)s
), registration AS (
    INSERT INTO clients_registration (client_id, office_id, status, registered_on,
                                      deregistration_decision, created_by_id)
    SELECT id, office_id, 'unemployed', registered_on, '', advisor_id FROM c
)
INSERT INTO clients_advisorassignment (client_id, advisor_id, kind, reason, started_at,
                                       assigned_by_id)
SELECT id, advisor_id, 'caseload', '', registered_on::timestamptz, advisor_id FROM c
"""

# One row per client and kind, legal dates spread around the day: 2 in 10 clients await their
# IPD, 7 in 10 have one running (next contact, maximum end, and for a third of them an action
# without an outcome), 1 in 10 await re-profiling. The act-by date skips back over weekends
# only (holidays are left to the real data: the tasks read act_by, they do not compute it).
DUE_ITEMS_SQL = """
INSERT INTO ipd_dueitem (client_id, office_id, kind, plan_id, due_on, act_by)
SELECT c.id, c.office_id, k.kind, NULL, k.due_on,
       k.due_on - CASE extract(isodow FROM k.due_on) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END
FROM clients_client c
CROSS JOIN LATERAL (VALUES
    ('prepare', mod(c.id, 10) < 2, %(day)s::date + (mod(c.id * 7919, 90) - 30)::int),
    ('contact', mod(c.id, 10) BETWEEN 2 AND 8, %(day)s::date + (mod(c.id * 7919, 75) - 15)::int),
    ('max_end', mod(c.id, 10) BETWEEN 2 AND 8,
     %(day)s::date + (mod(c.id * 104729, 720) - 30)::int),
    ('action', mod(c.id, 10) BETWEEN 2 AND 8 AND mod(c.id, 3) = 0,
     %(day)s::date + (mod(c.id * 31, 120) - 40)::int),
    ('reprofile', mod(c.id, 10) = 9, %(day)s::date + (mod(c.id * 7919, 28) - 14)::int)
) AS k(kind, present, due_on)
WHERE c.id > %(after)s AND k.present
"""

# In one office in ten the first advisor is away around the day and the second stands in.
SUBSTITUTIONS_SQL = """
INSERT INTO clients_substitution (office_id, absent_id, substitute_id, starts_on, ends_on,
                                  reason, created_by_id)
SELECT o.id, (%(advisors)s::bigint[])[1 + (o.slot - 1) * %(per_office)s],
       (%(advisors)s::bigint[])[2 + (o.slot - 1) * %(per_office)s],
       %(day)s::date - 3, %(day)s::date + 3, 'urlop', (%(advisors)s::bigint[])[1]
FROM unnest(%(offices)s::bigint[]) WITH ORDINALITY AS o(id, slot)
WHERE mod(o.slot - 1, 10) = 0 AND %(per_office)s > 1
"""

GENERATED_TABLES = (
    "offices_office",
    "offices_user",
    "clients_client",
    "clients_registration",
    "clients_advisorassignment",
    "clients_substitution",
    "ipd_dueitem",
)


def generate(
    cursor: Any,
    *,
    clients: int,
    day: date,
    offices: int = 100,
    advisors_per_office: int = 5,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Add ``clients`` active clients (open registration, current advisor, due items of every
    kind) in ``offices`` new offices, with a handful of statements whatever the size. Takes a
    DB-API cursor in autocommit or inside a transaction; answers what it made."""
    from clients.search import fold

    cursor.execute(
        """
        INSERT INTO offices_office (name, teryt_powiat, street, postal_code, city, phone, email,
                                    is_active, assignment_strategy, reminder_lead_days)
        SELECT %(prefix)s || o, lpad(o::text, 4, '0'), '', '', 'Benchmark', '', '', true,
               'caseload', 7
        FROM generate_series(1, %(n)s) AS o
        RETURNING id
        """,
        {"prefix": OFFICE_PREFIX, "n": offices},
    )
    office_ids = sorted(row[0] for row in cursor.fetchall())
    cursor.execute(
        """
        INSERT INTO offices_user (password, is_superuser, username, first_name, last_name,
                                  email, is_staff, is_active, date_joined, post,
                                  is_customer_advisor, is_national_admin, must_change_password,
                                  office_id)
        SELECT '!', false, 'bench.' || o.id || '.' || s, 'Doradca', 'Benchmark ' || s,
               'bench.' || o.id || '.' || s || '@example.invalid', false, true, now(),
               'placement', true, false, false, o.id
        FROM unnest(%(offices)s::bigint[]) WITH ORDINALITY AS o(id, slot)
        CROSS JOIN generate_series(1, %(per_office)s) AS s
        ORDER BY o.slot, s
        RETURNING id, office_id, username
        """,
        {"offices": office_ids, "per_office": advisors_per_office},
    )
    slot = {office_id: n for n, office_id in enumerate(office_ids)}
    users = sorted(cursor.fetchall(), key=lambda row: (slot[row[1]], int(row[2].rsplit(".", 1)[1])))
    cursor.execute("SELECT coalesce(max(id), 0) FROM clients_client")
    after = cursor.fetchone()[0]
    params = {
        "clients": clients,
        "day": day,
        "after": after,
        "offices": office_ids,
        "n_offices": offices,
        "advisors": [row[0] for row in users],
        "per_office": advisors_per_office,
        "first": FIRST_NAMES,
        "last": LAST_NAMES,
        "first_folded": [fold(name) for name in FIRST_NAMES],
        "last_folded": [fold(name) for name in LAST_NAMES],
    }
    made = {"offices": offices, "advisors": len(users)}
    for name, sql in (
        ("clients", CLIENTS_SQL),
        ("registrations_and_advisors", REGISTRATIONS_SQL),
        ("due_items", DUE_ITEMS_SQL),
        ("substitutions", SUBSTITUTIONS_SQL),
    ):
        start = time.perf_counter()
        cursor.execute(sql, params)
        made[name] = cursor.rowcount
        log(f"  {name}: {made[name]:,} rows in {time.perf_counter() - start:.1f} s")
    return made


# --- One size, in a process of its own ------------------------------------------------------


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _prepare_database(url: str, stamp: str) -> bool:
    """Create the database, or recreate it unless its comment says it holds this data set.
    Answers whether it must be filled."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    with psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == stamp:
            return False
        if row is not None:
            _log(f"dropping {name} (it holds another data set)")
            admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def _timed_run(task: Callable[[str], int], day: date) -> dict[str, Any]:
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    tracemalloc.reset_peak()
    start = time.perf_counter()
    with connection.execute_wrapper(count):
        written = task(day.isoformat())
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "queries": queries,
        "reminders": written,
        "python_peak_kib": tracemalloc.get_traced_memory()[1] // 1024,
    }


def _explain(day: date) -> None:
    """EXPLAIN ANALYZE of both statements for both kinds of task, rolled back."""
    from django.db import connection, transaction

    from ipd import deadlines

    class Rollback(Exception):
        pass

    for kinds in (deadlines.CONTACT_KINDS, deadlines.DEADLINE_KINDS):
        params: dict[str, Any] = {"kinds": list(kinds), "day": day}
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for name, statement in (
                    ("WRITE_SQL", deadlines.WRITE_SQL),
                    ("SUPERSEDE_SQL", deadlines.SUPERSEDE_SQL),
                ):
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    _log(f"--- {name} {list(kinds)}\n{plan}")
                raise Rollback
        except Rollback:
            pass


def run_size(*, clients: int, url: str, day: date, offices: int, explain: bool) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labour_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    stamp = f"bench.deadlines clients={clients} offices={offices} day={day.isoformat()}"
    fill = _prepare_database(url, stamp)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ipd import tasks

    call_command("migrate", verbosity=0)
    name = connection.settings_dict["NAME"]
    result: dict[str, Any] = {"clients": clients, "database": name, "reused": not fill}
    with connection.cursor() as cursor:
        if fill:
            _log(f"{name}: generating {clients:,} clients")
            start = time.perf_counter()
            result["made"] = generate(cursor, clients=clients, day=day, offices=offices, log=_log)
            for table in GENERATED_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            result["generate_seconds"] = round(time.perf_counter() - start, 1)
            cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s", [stamp])
            _log(f"{name}: generated in {result['generate_seconds']} s")
        cursor.execute("SELECT count(*) FROM ipd_dueitem")
        result["due_items"] = cursor.fetchone()[0]
        # Every measured first run starts from an empty inbox.
        cursor.execute("TRUNCATE ipd_reminder, ipd_digest")
    if explain:
        _explain(day)
    tracemalloc.start()
    runs = []
    for run in ("first", "again"):
        for task in (tasks.send_contact_reminders, tasks.check_ipd_deadlines):
            _log(f"{name}: {task.name} ({run})")
            runs.append({"task": task.name.rsplit(".", 1)[1], "run": run} | _timed_run(task, day))
    tracemalloc.stop()
    result["runs"] = runs
    result["ru_maxrss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ipd_reminder")
        result["reminders_total"] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        result["postgres"] = cursor.fetchone()[0].split(" on ")[0]
    return result


# --- Both sizes, the table and the JSON ----------------------------------------------------


def _small_url(url: str) -> str:
    head, _, name = url.rpartition("/")
    name, query_sep, query = name.partition("?")
    return f"{head}/{name}_small{query_sep}{query}"


def _table(sizes: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'clients':>10} {'due items':>10} {'task':<24} {'run':<6} {'seconds':>8} "
        f"{'queries':>7} {'new reminders':>13} {'py peak KiB':>11} {'max RSS MiB':>11}"
    ]
    for size in sizes:
        for run in size["runs"]:
            lines.append(
                f"{size['clients']:>10,} {size['due_items']:>10,} {run['task']:<24} "
                f"{run['run']:<6} {run['seconds']:>8.2f} {run['queries']:>7} "
                f"{run['reminders']:>13,} {run['python_peak_kib']:>11,} "
                f"{size['ru_maxrss_mib']:>11}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.deadlines", description=__doc__)
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the benchmark's own database, dropped and rebuilt when it holds other data; "
        "the smaller run uses <name>_small (default: $BENCH_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE first")
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench" / "deadlines.json")
    parser.add_argument("--one-size", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one_size:
        result = run_size(
            clients=args.clients,
            url=args.database_url,
            day=args.day,
            offices=args.offices,
            explain=args.explain,
        )
        print(json.dumps(result))
        return

    sizes = []
    for clients, url in (
        (max(args.clients // 10, 1), _small_url(args.database_url)),
        (args.clients, args.database_url),
    ):
        command = [sys.executable, "-m", "bench.deadlines", "--one-size"]
        command += ["--clients", str(clients), "--database-url", url]
        command += ["--day", args.day.isoformat(), "--offices", str(args.offices)]
        command += ["--explain"] if args.explain else []
        child = subprocess.run(  # noqa: S603 (our own module, our own arguments)
            command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        )
        sizes.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report = {
        "benchmark": "bench.deadlines",
        "day": args.day.isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "postgres": sizes[-1]["postgres"],
        "sizes": sizes,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(_table(sizes))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
