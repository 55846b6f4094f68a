"""Beyond one machine (issue 10, docs/scale-out.md): the read replica and tasks that are safe
on any number of workers.

The replica. Django reads ``DATABASES`` once and does not support changing it in a running
test, so the settings block is checked where it runs, in a fresh interpreter
(``settings_with``): without ``DATABASE_REPLICA_URL`` nothing is added; with it, the
``replica`` alias (a test mirror of ``default``), the router and the middleware. The
in-process tests then apply exactly that configuration: the alias goes into the connection
handler as Django's test runner would set up a mirror (for this module, and out again), the
router and the middleware through ``settings`` for each test (both are read at call time).
The replica's session refuses writes, as a hot standby does, so a write sent there fails the
test. The tests are transactional: a replica sees only committed rows, and the router keeps
every read inside a transaction on the primary.
"""

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.deadlines import generate
from bench.workers import DIGEST_SQL, Workers, with_redis_db
from clients.models import Client
from ipd import deadlines
from labour_office.audit.models import AccessAction, AccessLog
from labour_office.db_router import REPLICA, replica_reads
from labour_office.offices.models import Office, Role, User
from tests.clients_web.conftest import make_pesel, register
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.system.test_beat_worker import database_url_of_test_db

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_PROBE = """
import json
from labour_office import settings as s
print(json.dumps({
    "databases": sorted(s.DATABASES),
    "replica": s.DATABASES.get("replica"),
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE,
}, default=str))
"""


def settings_with(**environment: str) -> dict[str, Any]:
    """What ``labour_office/settings.py`` makes of the environment, read in a fresh
    interpreter (settings are computed once, at start)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env.update({"SECRET_KEY": "x", "DATABASE_URL": database_url_of_test_db(), **environment})
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.fixture(scope="module")
def production_replica_settings(django_db_setup: None) -> dict[str, Any]:
    return settings_with(DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5432/labour_office")


@pytest.fixture(scope="module")
def replica_alias(production_replica_settings: dict[str, Any]) -> Iterator[None]:
    """The replica of the settings block as a mirror of the test database, on a session that
    refuses writes. Module-wide: pytest-django checks a test's databases exist before any
    fixture of the test runs."""
    mirror = copy.deepcopy(production_replica_settings["replica"])
    assert mirror["TEST"] == {"MIRROR": DEFAULT_DB_ALIAS}
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    # What Django's test runner does for a mirror: the primary's test database and login.
    mirror.update({key: primary[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")})
    mirror["OPTIONS"] = {"options": "-c default_transaction_read_only=on"}
    connections.settings[REPLICA] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: primary, REPLICA: mirror}
    )[REPLICA]
    yield
    del connections.settings[REPLICA]


@pytest.fixture
def replica(
    replica_alias: None, settings: Any, production_replica_settings: dict[str, Any]
) -> Iterator[BaseDatabaseWrapper]:
    """The router and the middleware of the settings block, for one test."""
    settings.DATABASE_ROUTERS = production_replica_settings["routers"]
    settings.MIDDLEWARE = production_replica_settings["middleware"]
    yield connections[REPLICA]
    connections[REPLICA].close()


on_replica = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def tables(queries: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


@pytest.fixture
def world(office: Office, advisor: User, manager: User) -> list[Client]:
    """Three registered clients of the advisor, committed (the replica sees them)."""
    return [
        register(advisor, office, "Jan", f"Nowak{n}", make_pesel(date(1985, 3, n + 1), n, False))
        for n in range(3)
    ]


# --- The settings block ----------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_replica_url_the_settings_add_nothing(
    production_replica_settings: dict[str, Any],
) -> None:
    plain = settings_with()
    assert plain["databases"] == ["default"]
    assert plain["routers"] == []
    with_replica = production_replica_settings
    assert with_replica["databases"] == ["default", "replica"]
    assert with_replica["routers"] == ["labour_office.db_router.ReplicaRouter"]
    assert with_replica["replica"]["NAME"] == "labour_office"
    assert with_replica["replica"]["USER"] == "reader"
    added = [m for m in with_replica["middleware"] if m not in plain["middleware"]]
    assert added == ["labour_office.db_router.PrimaryAfterWriteMiddleware"]


@pytest.mark.django_db
def test_without_a_replica_the_dashboard_reads_the_primary(
    world: list[Client], manager: User
) -> None:
    assert settings.DATABASE_ROUTERS == []
    with CaptureQueriesContext(connection) as primary:
        response = signed_in(manager).get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    assert {str(m.key): n for m, n, _link in response.context["cards"]}["registered"] == 3
    assert "dashboard_caseload" in tables(primary)


# --- Reads on the replica ---------------------------------------------------------------------


@on_replica
def test_the_dashboard_reads_the_replica(
    replica: BaseDatabaseWrapper, world: list[Client], manager: User
) -> None:
    http = signed_in(manager)
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(replica) as standby:
        response = http.get(reverse("dashboard:dashboard"))
        listed = http.get(reverse("dashboard:list", args=["registered"]))
    assert response.status_code == listed.status_code == 200
    assert {str(m.key): n for m, n, _link in response.context["cards"]}["registered"] == 3
    assert listed.context["page"].paginator.count == 3
    assert "dashboard_caseload" in tables(standby)
    # Only reads (a server-side cursor is a read too); the session would refuse a write.
    assert all(q["sql"].startswith(("SELECT", "DECLARE")) for q in standby.captured_queries)
    # The primary serves the session and the signed-in user only.
    assert "dashboard_caseload" not in tables(primary)
    assert "clients_client" not in tables(primary)


@on_replica
def test_an_export_reads_the_replica_and_logs_on_the_primary(
    replica: BaseDatabaseWrapper, world: list[Client], manager: User
) -> None:
    http = signed_in(manager)
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(replica) as standby:
        response = http.get(reverse("dashboard:export", args=["registered", "csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("Nowak") == 3
    assert "dashboard_caseload" in tables(standby)
    assert "INSERT" not in tables(standby)
    assert 'INSERT INTO "audit_accesslog"' in tables(primary)
    logged = AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT)
    assert sorted(int(pk) for pk in logged.values_list("object_id", flat=True)) == sorted(
        client.pk for client in world
    )


@on_replica
def test_other_pages_never_touch_the_replica(
    replica: BaseDatabaseWrapper, world: list[Client], advisor: User, manager: User
) -> None:
    with CaptureQueriesContext(replica) as standby:
        for user in (advisor, manager):
            http = signed_in(user)
            assert http.get(reverse("home")).status_code == 200
            assert http.get(reverse("client_detail", args=[world[0].pk])).status_code == 200
    assert standby.captured_queries == []


@on_replica
def test_reads_in_a_transaction_stay_on_the_primary(
    replica: BaseDatabaseWrapper, world: list[Client]
) -> None:
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(replica) as standby:
        with replica_reads():
            assert Client.objects.count() == 3
            with transaction.atomic():
                assert Client.objects.count() == 3
                client = Client.objects.get(pk=world[0].pk)
        assert Client.objects.count() == 3
    selects = [q for q in primary.captured_queries if q["sql"].startswith("SELECT")]
    assert len(standby.captured_queries) == 1
    assert len(selects) == 3  # the two in the transaction and the one after the block
    assert router.allow_migrate_model(DEFAULT_DB_ALIAS, Client)
    assert not router.allow_migrate_model(REPLICA, Client)
    assert client._state.db == DEFAULT_DB_ALIAS


@on_replica
def test_after_moving_clients_the_manager_reads_the_primary_for_a_while(
    replica: BaseDatabaseWrapper, world: list[Client], office: Office, manager: User
) -> None:
    """Read-your-writes: the list right after the move comes from the primary, whatever the
    replica's lag; once the pin has lapsed the list reads the replica again."""
    colleague = UserFactory(username="kolega", office=office, role=Role.ADVISOR)
    http = signed_in(manager)
    url = reverse("dashboard:list", args=["registered"])
    with CaptureQueriesContext(replica) as standby:
        response = http.post(
            reverse("clients_bulk_reassign"),
            {
                "move-clients": [client.pk for client in world],
                "move-advisor": colleague.pk,
                "move-reason": "Zmiana rejonu",
                "next": url,
            },
            follow=True,
        )
    assert response.redirect_chain == [(url, 302)]
    assert {c.current_advisor_id for c in response.context["page"].object_list} == {colleague.pk}
    assert standby.captured_queries == []
    later = datetime.now().astimezone() + timedelta(seconds=6)
    with time_machine.travel(later), CaptureQueriesContext(replica) as standby:
        assert http.get(url).status_code == 200
    assert "dashboard_caseload" in tables(standby)


# --- Beat tasks on two workers at once --------------------------------------------------------

DAY = date(2025, 6, 16)
CLIENTS = 20_000


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_both_beat_tasks_twice_at_once_on_two_workers_write_exactly_one_runs_reminders(
    tmp_path: Path,
) -> None:
    """Two real worker processes (two pool processes each) take both morning tasks twice,
    all four inserts released together; the inbox is then exactly what one run of each task
    writes, row for row. (tests/ipd covers threads on a small world; tests/system the
    worker killed mid-run.)"""
    with connection.cursor() as cursor:
        generate(cursor, clients=CLIENTS, day=DAY, offices=20)
        cursor.execute("ANALYZE")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_test_db(),
        "CONN_MAX_AGE": "0",
    }
    broker = with_redis_db(str(settings.CELERY_BROKER_URL), 7)
    tasks = ["ipd.tasks.check_ipd_deadlines", "ipd.tasks.send_contact_reminders"] * 2
    with Workers(count=2, concurrency=2, env=env, log_dir=tmp_path, broker_url=broker) as pool:
        # A session holding the reminders table makes every task's INSERT wait, so all four
        # run at once when it lets go.
        blocker = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            blocker.set_autocommit(False)
            with blocker.cursor() as cursor:
                cursor.execute("LOCK TABLE ipd_reminder IN EXCLUSIVE MODE")
            pool.send(tasks, DAY)
            pool.wait_for(lambda: waiting_inserts() == 4, 60)
        finally:
            blocker.rollback()
            blocker.close()
        pool.wait_for(lambda: len(pool.succeeded()) == 4, 120)
        finished = pool.succeeded()
    assert sorted(t["worker"] for t in finished) == [0, 0, 1, 1], pool.text()
    concurrent = reminders()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ipd_reminder")
    once = deadlines.write_reminders(DAY, deadlines.DEADLINE_KINDS) + deadlines.write_reminders(
        DAY, deadlines.CONTACT_KINDS
    )
    assert once > 10_000  # every kind and stage, upcoming, due and overdue
    assert concurrent == reminders()
    assert sum(t["result"] for t in finished) == once  # each reminder written by one run


def waiting_inserts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE %s",
            ["%INSERT INTO ipd_reminder%"],
        )
        count: int = cursor.fetchone()[0]
    return count


def reminders() -> tuple[int, str]:
    """How many reminders and a digest of every one's key, advisor and state."""
    with connection.cursor() as cursor:
        cursor.execute(DIGEST_SQL)
        count, digest = cursor.fetchone()
    return count, digest
