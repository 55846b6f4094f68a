"""A worker killed in the middle of a deadline check loses nothing and duplicates nothing.

Fills the test database with tens of thousands of clients (bench/deadlines.py's set-based
generator), starts a real `celery worker` (prefork, one pool process) on Redis, sends
`ipd.tasks.check_ipd_deadlines` for a fixed day, and kills the pool process with SIGKILL while
its INSERT INTO ipd_reminder is running. With `acks_late` and `reject_on_worker_lost` the
message goes back to the queue at once and the new pool process runs the task again; the
reminders in the end are exactly those a query over the due items expects. Without
`acks_late` the message is gone with the process and the test fails.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection, connections

from bench.deadlines import generate
from ipd.deadlines import DEADLINE_KINDS
from ipd.models import Reminder
from tests.system.test_beat_worker import database_url_of_test_db

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
DAY = date(2025, 6, 16)
# Enough clients that the task's INSERT runs for about a second or more on a 2-core machine.
CLIENTS = 40_000
# A Redis database of its own and a queue of its own: no other worker (the heartbeat test's,
# another checkout's) can take the message, and nothing else is disturbed.
REDIS_DB = 7

EXPECTED_SQL = """
SELECT d.client_id, d.kind, d.due_on, 'upcoming' FROM ipd_dueitem d
JOIN offices_office o ON o.id = d.office_id
WHERE d.kind = ANY(%(kinds)s) AND d.act_by - o.reminder_lead_days <= %(day)s
UNION ALL
SELECT d.client_id, d.kind, d.due_on, 'due' FROM ipd_dueitem d
WHERE d.kind = ANY(%(kinds)s) AND d.act_by <= %(day)s
UNION ALL
SELECT d.client_id, d.kind, d.due_on, 'overdue' FROM ipd_dueitem d
WHERE d.kind = ANY(%(kinds)s) AND d.due_on < %(day)s
"""


def broker_url() -> str:
    parts = urlsplit(str(settings.CELERY_BROKER_URL))
    return urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def wait_for(condition: Callable[[], bool], what: str, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}\n{log.read_text()}")


@pytest.fixture
def queue() -> Iterator[str]:
    name = f"deadline-kill-test-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(broker_url())
    client.delete(name, *client.keys(f"_kombu.binding*.{name}"))
    client.close()


@pytest.fixture
def worker(queue: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_test_db(),
        "CELERY_BROKER_URL": broker_url(),
        "CONN_MAX_AGE": "0",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "labour_office",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--queues",
                queue,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    pool = []
    try:
        yield process, log
    finally:
        if process.poll() is None:
            pool = children_of(process.pid)
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in pool:  # a pool process orphaned by a killed worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def running_insert() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE %s",
            ["%INSERT INTO ipd_reminder%"],
        )
        return cursor.fetchone() is not None


def test_a_pool_process_killed_mid_check_leaves_the_rerun_to_write_exactly_the_due_reminders(
    worker: tuple[subprocess.Popen[bytes], Path], queue: str
) -> None:
    process, log = worker
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with connection.cursor() as cursor:
        generate(cursor, clients=CLIENTS, day=DAY, offices=20)
        cursor.execute("ANALYZE")
        cursor.execute(EXPECTED_SQL, {"kinds": list(DEADLINE_KINDS), "day": DAY})
        expected = set(cursor.fetchall())
    assert len(expected) > 10_000  # every kind and every stage is represented
    assert {stage for *_key, stage in expected} == {"upcoming", "due", "overdue"}

    wait_for(lambda: b" ready." in log.read_bytes(), "the worker to start", log, 60)
    # Another session holds the reminders table, so the task's INSERT is certainly under way
    # (waiting inside its transaction) when the pool process is killed, however fast it is.
    blocker = connections.create_connection("default")  # a second session, same database
    try:
        blocker.set_autocommit(False)
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE ipd_reminder IN EXCLUSIVE MODE")
        # The connection is given explicitly: Celery prefers a CELERY_BROKER_URL in the
        # environment (the test settings set one) to any broker passed to the app.
        sender = Celery("deadline-kill-test", set_as_current=False)
        try:
            with sender.connection_for_write(broker_url()) as connection_:
                sender.send_task(
                    "ipd.tasks.check_ipd_deadlines",
                    args=[DAY.isoformat()],
                    queue=queue,
                    connection=connection_,
                )
        finally:
            sender.close()
        wait_for(running_insert, "the task's INSERT", log, 30)
        (pool_process,) = children_of(process.pid)
        os.kill(pool_process, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
    # Killed before its transaction committed: the first run wrote nothing.
    assert Reminder.objects.count() == 0

    wait_for(lambda: b"succeeded in" in log.read_bytes(), "the rerun to succeed", log, 40)
    text = log.read_text()
    assert "signal 9 (SIGKILL)" in text, text
    assert text.count("] received") == 2, text  # delivered again after the kill
    assert process.poll() is None, text
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_id, kind, due_on, stage FROM ipd_reminder")
        written = cursor.fetchall()
    assert len(written) == len(expected)
    assert set(written) == expected
