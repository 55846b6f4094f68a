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


def celery_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url_of_test_db(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_HEARTBEAT_SECONDS": "1",
        "CONN_MAX_AGE": "0",
    }


def beat_command(pidfile: Path) -> list[str]:
    return [
        CELERY, "-A", "labour_office", "beat", "--loglevel", "INFO",
        "--pidfile", str(pidfile), "--max-interval", "1",
    ]  # fmt: skip


@pytest.fixture
def celery_processes(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = celery_env()
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
            beat_command(tmp_path / "beat.pid"),
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


def wait_for_beats(
    count: int, processes: list[subprocess.Popen[bytes]], log: Path
) -> Heartbeat | None:
    deadline = time.monotonic() + 90
    beat = None
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is not None and beat.count >= count:
            break
        assert all(p.poll() is None for p in processes), log.read_text()
        time.sleep(0.5)
    return beat


def test_beat_schedules_the_heartbeat_and_a_worker_on_redis_runs_it(
    celery_processes: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    beat = wait_for_beats(2, celery_processes, tmp_path / "celery.log")
    assert beat is not None, (tmp_path / "celery.log").read_text()
    assert beat.count >= 2  # scheduled again and again, not a one-off
    assert beat.hostname.startswith("heartbeat-test@")
    # The schedule from code is mirrored into the database, where the admin shows it.
    entry = PeriodicTask.objects.get(name="record-heartbeat")
    assert entry.task == "labour_office.system.tasks.record_heartbeat"
    assert entry.enabled


def test_a_second_beat_stops_while_the_first_one_runs(
    celery_processes: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """Two beats would send every morning task twice: the second one refuses to run."""
    log = tmp_path / "celery.log"
    assert wait_for_beats(1, celery_processes, log) is not None, log.read_text()
    second_log = tmp_path / "second-beat.log"
    with second_log.open("wb") as output:
        second = subprocess.run(
            beat_command(tmp_path / "second-beat.pid"),
            cwd=ROOT,
            env=celery_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=60,
            check=False,
        )
    assert second.returncode != 0
    assert "Another Celery beat is running against this database" in second_log.read_text()
    # The first beat goes on scheduling.
    before = Heartbeat.objects.get(name="beat").count
    beat = wait_for_beats(before + 2, celery_processes, log)
    assert beat is not None and beat.count >= before + 2, log.read_text()
