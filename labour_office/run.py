"""``make run``: prepare the database and serve the app with a Celery worker and beat.

Without ``DATABASE_URL`` it starts the embedded PostgreSQL (var/pgdata) and stops it on exit;
without ``CELERY_BROKER_URL`` the settings use the file broker under var/broker. Ctrl-C (or
SIGTERM) stops the web server, the worker, beat and the embedded database. If any of the three
processes dies, the others are stopped too, so a half-running system never looks healthy.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from labour_office import embedded

PYTHON = sys.executable
BIN = Path(PYTHON).parent


def _manage(*args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [PYTHON, str(embedded.BASE_DIR / "manage.py"), *args], check=True
    )


def _prepare_environment() -> bool:
    """Fill in the quick start's defaults; answer whether the embedded database is ours."""
    var = embedded.var_dir()
    var.mkdir(parents=True, exist_ok=True)
    secret_file = var / "secret_key"
    if "SECRET_KEY" not in os.environ and not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    # The quick start serves plain HTTP on loopback: no HTTPS redirect, no Secure cookies.
    os.environ.setdefault("HTTPS", "false")
    if os.environ.get("DATABASE_URL"):
        return False
    print("Starting the embedded PostgreSQL in", embedded.pgdata(), flush=True)
    os.environ["DATABASE_URL"] = embedded.start()
    return True


def _spawn(host: str, port: str) -> dict[str, subprocess.Popen[bytes]]:
    celery = str(BIN / "celery")
    commands = {
        "web": [
            str(BIN / "gunicorn"),
            "labour_office.wsgi",
            "--bind",
            f"{host}:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            "-",
        ],
        "worker": [
            celery,
            "-A",
            "labour_office",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("CELERY_CONCURRENCY", "2"),
        ],
        "beat": [
            celery,
            "-A",
            "labour_office",
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile",
            str(embedded.var_dir() / "run" / "celerybeat.pid"),
        ],
    }
    (embedded.var_dir() / "run").mkdir(parents=True, exist_ok=True)
    return {
        name: subprocess.Popen(command, cwd=embedded.BASE_DIR)  # noqa: S603
        for name, command in commands.items()
    }


def _stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    own_database = _prepare_environment()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        _manage("migrate", "--noinput")
        _manage("collectstatic", "--noinput", "--verbosity", "0")
        _manage("seed_demo")
        # Today's reminders at once, so the demo desk shows them before beat's morning run.
        _manage("run_deadline_checks", "--no-mail")
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        processes = _spawn(host, port)
        print(
            f"\nServing on http://{host}:{port}/ with a Celery worker and beat. "
            "Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stopping:
            dead = [name for name, p in processes.items() if p.poll() is not None]
            if dead:
                print(f"{', '.join(dead)} stopped unexpectedly; stopping the rest.", flush=True)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        _stop(processes)
        if own_database:
            embedded.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
