"""Faults of the real servers around the application (issue 11).

- Redis stopped while advisors save forms: the web app (gunicorn, as deployed) answers every
  form and saves it, because no request path uses the broker (views never enqueue Celery
  tasks: the beat tasks derive what is due from the database). When Redis is back, a worker
  running the periodic reminder tasks writes the reminders of what was saved during the outage.
- PostgreSQL connection dropped under a persistent connection (CONN_MAX_AGE > 0): with
  CONN_HEALTH_CHECKS the next request reconnects and answers; a connection that dies in the
  middle of a request gives that request the 500 page at once (no hang), and the next works.
- A Celery worker killed mid-task loses and duplicates no reminder:
  tests/system/test_deadline_worker.py proves it (SIGKILL of the pool process mid-INSERT).

Servers run as subprocesses against the test database (committed data: transaction=True).
"""

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from celery import Celery
from django.conf import settings
from django.db import connection, connections
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import Client
from ipd import rules
from ipd.models import Contact, ContactStatus, DueItem, DueKind, IndividualActionPlan, Reminder
from labour_office.offices.models import Office, User
from tests.clients_web.conftest import make_pesel
from tests.ipd.conftest import prepared_plan, unemployed
from tests.system.test_beat_worker import database_url_of_test_db
from tests.system.test_deadline_worker import wait_for
from tests.system.test_quickstart import free_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# A request that waited on a dead broker would take kombu's retries (seconds); ours take less.
QUICK = 5.0


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Servers ----------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port: stopped and started again by the test."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def ping(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(self.ping, "redis-server", self.log, 20)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
        assert not self.ping()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    yield server
    if server.process is not None:
        stop(server.process)


def server_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_test_db(),
        "HTTPS": "false",
        "DEBUG": "false",
        **extra,
    }


@contextlib.contextmanager
def web_server(log: Path, **env: str) -> Iterator[str]:
    """gunicorn serving the application (one sync worker: one database connection)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "labour_office.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60", "--graceful-timeout", "5"],
            cwd=ROOT,
            env=server_env(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert process.poll() is None, log.read_text()
        with contextlib.suppress(requests.RequestException):  # refused or slow while booting
            return requests.get(f"{base}/health/", timeout=10).status_code == 200
        return False

    try:
        wait_for(up, "gunicorn", log, 60)
        yield base
    finally:
        stop(process)


def browser(user: User) -> requests.Session:
    """An HTTP session signed in as ``user`` (the session row is in the test database)."""
    http = HttpClient()
    http.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, http.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


class FormFields(HTMLParser):
    """The fields of each POST form on a page, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        if tag == "form":
            self.forms.append({})
        if not self.forms or "disabled" in attrs:
            return
        fields = self.forms[-1]
        name = attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            fields.setdefault(self._select, []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += (
                data.lstrip("\n") if not self.forms[-1][self._textarea] else data
            )


def form_on(html: str, field: str) -> dict[str, Any]:
    parser = FormFields()
    parser.feed(html)
    return next(f for f in parser.forms if field in f)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None, html[:2000]
    return found.group(1)


def timed_post(session: requests.Session, url: str, data: dict[str, Any]) -> requests.Response:
    started = time.monotonic()
    response = session.post(url, data=data, allow_redirects=False, timeout=30)
    assert time.monotonic() - started < QUICK, f"{url} took {time.monotonic() - started:.1f} s"
    return response


# --- Redis stopped ------------------------------------------------------------------------------


@pytest.fixture
def plan(advisor: User, office: Office) -> IndividualActionPlan:
    """An IPD in force (agreed 3 November 2026) of a client of ``office``."""
    return prepared_plan(advisor, unemployed(advisor, office, "I", serial=41))


def test_redis_stopped_forms_still_save_and_reminders_catch_up_when_it_returns(
    advisor: User, plan: IndividualActionPlan, private_redis: RedisServer, tmp_path: Path
) -> None:
    client = plan.client
    today = timezone.localdate()
    web_log = tmp_path / "web.log"
    with web_server(web_log, CELERY_BROKER_URL=private_redis.url) as base:
        http = browser(advisor)
        assert http.get(f"{base}/", timeout=10).status_code == 200

        private_redis.stop()  # the broker goes away while the office works

        # 1. Register a client.
        pesel = make_pesel(date(1985, 7, 19), 12, True)
        url = f"{base}/clients/new/?pesel={pesel}"
        page = http.get(url, timeout=10)
        assert page.status_code == 200
        response = timed_post(
            http,
            url,
            {
                "csrfmiddlewaretoken": csrf_token(page.text),
                "status": "unemployed",
                "registered_on": today.isoformat(),
                "first_name": "Maria",
                "last_name": "Wiśniewska",
                "city": "Piaseczno",
                "education_level": "higher",
                "citizenship": "polskie",
                "work_experience_months": "24",
                "language_level": "none",
                "has_phone": "on",
            },
        )
        assert response.status_code == 302, response.text
        registered = Client.objects.get(pesel=pesel)
        assert registered.assignments.get(ended_at__isnull=True).advisor == advisor

        # 2. Record a contact of the plan.
        page = http.get(f"{base}/ipd/{plan.pk}/", timeout=10)
        assert page.status_code == 200
        response = timed_post(
            http,
            f"{base}/ipd/{plan.pk}/contacts/",
            {
                "csrfmiddlewaretoken": csrf_token(page.text),
                "contact-status": "held",
                "contact-contact_on": today.isoformat(),
                "contact-channel": "phone",
                "contact-staff": str(advisor.pk),
                "contact-outcome": "Dwie oferty pracy",
            },
        )
        assert response.status_code == 302, response.text
        assert Contact.objects.filter(
            plan=plan, status=ContactStatus.HELD, contact_on=today, outcome="Dwie oferty pracy"
        ).exists()

        # 3. Edit the registration card (every field as shown, one changed).
        url = f"{base}/clients/{client.pk}/edit/"
        page = http.get(url, timeout=10)
        assert page.status_code == 200
        fields = form_on(page.text, "last_name")
        fields["city"] = "Konstancin-Jeziorna"
        response = timed_post(http, url, fields)
        assert response.status_code == 302, response.text
        client.refresh_from_db()
        assert client.city == "Konstancin-Jeziorna"

        # Reading pages goes on as well.
        assert http.get(f"{base}/clients/{registered.pk}/", timeout=10).status_code == 200
    assert "Traceback" not in web_log.read_text(), web_log.read_text()

    # The contact moved the next contact's date; reminders of it wait for the next beat run.
    due = DueItem.objects.get(client=client, kind=DueKind.CONTACT)
    assert due.due_on == rules.next_contact_due(today)
    assert not Reminder.objects.filter(client=client, kind=DueKind.CONTACT).exists()

    # Redis returns; a worker runs the periodic tasks as beat sends them (here: the morning
    # the reminder is due). They derive everything from the database: nothing was lost.
    private_redis.start()
    worker_log = tmp_path / "worker.log"
    with worker_log.open("wb") as out:
        worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "labour_office", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle",
             "--hostname", f"faults-{private_redis.port}@%h"],
            cwd=ROOT,
            env=server_env(CELERY_BROKER_URL=private_redis.url, CONN_MAX_AGE="0"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(lambda: b" ready." in worker_log.read_bytes(), "the worker", worker_log, 60)
        sender = Celery("faults-test", set_as_current=False)
        try:
            with sender.connection_for_write(private_redis.url) as broker:
                for task in ("ipd.tasks.check_ipd_deadlines", "ipd.tasks.send_contact_reminders"):
                    sender.send_task(task, args=[due.act_by.isoformat()], connection=broker)
        finally:
            sender.close()
        wait_for(
            lambda: worker_log.read_text().count("succeeded in") >= 2,
            "both tasks",
            worker_log,
            60,
        )
    finally:
        stop(worker)
    reminders = Reminder.objects.filter(client=client, kind=DueKind.CONTACT)
    # Exactly the date the outage's contact set (not the one from the agreement): upcoming
    # (superseded) and due, the latter open in the advisor's inbox.
    assert {(r.due_on, r.stage) for r in reminders} == {
        (due.due_on, "upcoming"),
        (due.due_on, "due"),
    }
    open_one = reminders.get(done_at__isnull=True)
    assert (open_one.stage, open_one.advisor_id) == ("due", advisor.pk)


# --- PostgreSQL connection dropped ----------------------------------------------------------


def web_backends() -> list[int]:
    """Server processes of PostgreSQL serving other sessions on the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)


def test_a_dropped_database_connection_is_replaced_and_a_dying_one_gives_a_500_not_a_hang(
    advisor: User, plan: IndividualActionPlan, tmp_path: Path
) -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    log = tmp_path / "web.log"
    with web_server(log, CONN_MAX_AGE="60") as base:
        http = browser(advisor)
        page = f"{base}/ipd/{plan.pk}/"
        assert http.get(page, timeout=10).status_code == 200
        (first,) = web_backends()
        assert http.get(page, timeout=10).status_code == 200
        assert web_backends() == [first]  # persistent: the same connection serves both

        # The connection dies between requests (a database restart, a failover, a firewall).
        terminate(first)
        response = http.get(page, timeout=10)
        assert response.status_code == 200, log.read_text()
        (second,) = web_backends()
        assert second != first

        # The connection dies in the middle of a request: the request waits on a lock held by
        # another session, and its server process is terminated meanwhile.
        blocker = connections.create_connection("default")
        outcome: dict[str, Any] = {}

        def load() -> None:
            started = time.monotonic()
            outcome["status"] = http.get(page, timeout=30).status_code
            outcome["seconds"] = time.monotonic() - started

        try:
            blocker.set_autocommit(False)
            with blocker.cursor() as cursor:
                cursor.execute("LOCK TABLE ipd_individualactionplan IN ACCESS EXCLUSIVE MODE")
            request = threading.Thread(target=load)
            request.start()

            def waiting() -> bool:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT 1 FROM pg_stat_activity "
                        "WHERE pid = %s AND wait_event_type = 'Lock'",
                        [second],
                    )
                    return cursor.fetchone() is not None

            wait_for(waiting, "the request to wait on the lock", log, 20)
            terminate(second)
            request.join(timeout=20)
            assert not request.is_alive(), "the request hangs"
        finally:
            blocker.rollback()
            blocker.close()
        assert outcome["status"] == 500, log.read_text()
        assert outcome["seconds"] < 10

        # And the next request works on a new connection.
        assert http.get(page, timeout=10).status_code == 200, log.read_text()
        assert first not in web_backends() and second not in web_backends()
    assert "terminating connection due to administrator command" in log.read_text()


def test_a_worker_killed_mid_task_is_covered_by_the_deadline_worker_test() -> None:
    """No lost or duplicate reminders after SIGKILL mid-task: see
    tests/system/test_deadline_worker.py (acks_late + reject_on_worker_lost, rerun writes
    exactly the expected set). Here: the settings that make it so stay on."""
    from ipd import tasks

    for task in (tasks.check_ipd_deadlines, tasks.send_contact_reminders):
        assert task.acks_late and task.reject_on_worker_lost
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
