"""A beat-scheduled task really runs through a Celery worker on Redis.

Starts `celery beat` (django-celery-beat's DatabaseScheduler) and `celery worker` as
subprocesses against the test database and the Redis broker, and waits for the heartbeat that
the schedule in labour_office/celery.py sends.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import PeriodicTask

from labour_office.system.models import Heartbeat

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def database_url_of_test_db() -> str:
    db = connection.settings_dict
    host = db["HOST"] or ""
    netloc = quote(host, safe="") if host.startswith("/") else host
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    if host.startswith("/"):
        return f"postgres://{credentials}@/{netloc}/{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{netloc}{port}/{db['NAME']}"


@pytest.fixture
def celery_processes(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_test_db(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_HEARTBEAT_SECONDS": "1",
        "CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "celery.log").open("wb")
    processes = [
        subprocess.Popen(
            [
                CELERY,
                "-A",
                "labour_office",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                "heartbeat-test@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                CELERY,
                "-A",
                "labour_office",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile",
                str(tmp_path / "beat.pid"),
                "--max-interval",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    yield processes
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()


def test_beat_schedules_the_heartbeat_and_a_worker_on_redis_runs_it(
    celery_processes: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    deadline = time.monotonic() + 90
    beat = None
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is not None and beat.count >= 2:
            break
        assert all(p.poll() is None for p in celery_processes), (
            tmp_path / "celery.log"
        ).read_text()
        time.sleep(0.5)
    assert beat is not None, (tmp_path / "celery.log").read_text()
    assert beat.count >= 2  # scheduled again and again, not a one-off
    assert beat.hostname.startswith("heartbeat-test@")
    # The schedule from code is mirrored into the database, where the admin shows it.
    entry = PeriodicTask.objects.get(name="record-heartbeat")
    assert entry.task == "labour_office.system.tasks.record_heartbeat"
    assert entry.enabled
