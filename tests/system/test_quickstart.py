"""The quick start cannot break unnoticed: `make run`'s embedded default boots and serves.

Runs `python -m labour_office.run` as `make run` does, with no configuration at all (no
DATABASE_URL, no CELERY_BROKER_URL, no SECRET_KEY) and its var/ in a temporary folder, signs in
as a demo user, then stops it with Ctrl-C (SIGINT) and checks that everything stopped.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from labour_office.offices.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONFIGURATION = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "HTTPS",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback URL
                return
        except OSError:  # refused, reset or timed out while starting
            time.sleep(1)
    raise AssertionError(f"{url} did not answer in {seconds} s\n{log.read_text()}")


def wait_for_log(log: Path, *needles: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not all(needle in log.read_text() for needle in needles):
        assert time.monotonic() < deadline, f"{needles} not in the log\n{log.read_text()}"
        time.sleep(0.5)


def test_quick_start_serves_polish_login_and_demo_user_signs_in(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in CONFIGURATION}
    # A short path: the server's socket lives in its data folder.
    var = Path(f"/tmp/lo-smoke-{port}")  # noqa: S108 - a fresh folder of this test
    env.update(
        {
            "LABOUR_OFFICE_VAR_DIR": str(var),
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "CELERY_CONCURRENCY": "1",
        }
    )
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(
            [sys.executable, "-m", "labour_office.run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health/", run, log, seconds=240)
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(f"{base}/accounts/login/").read().decode()
        assert '<html lang="pl">' in page and "Logowanie" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": "doradca",
                "password": DEMO_PASSWORD,
            }
        ).encode()
        desk = browser.open(f"{base}/accounts/login/", data=form)
        assert desk.geturl() == f"{base}/"
        assert "Dzień dobry, Anna" in desk.read().decode()
        assert "Demo logins" in log.read_text()
        wait_for_log(log, "celery@", "ready.", "beat: Starting", seconds=60)  # worker and beat
    finally:
        run.send_signal(signal.SIGINT)
        try:
            code = run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.kill()
            raise
        finally:
            subprocess.run(  # never leave a server behind, whatever happened above
                [sys.executable, "-m", "labour_office.embedded", "stop"],
                cwd=ROOT,
                env=env,
                check=False,
            )
    assert code == 0, log.read_text()
    assert not (var / "pgdata" / "postmaster.pid").exists()
    assert (var / "broker" / "queue").is_dir()  # the file broker was used
