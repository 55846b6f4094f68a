"""`manage.py check --deploy` with a production-like environment prints no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_is_clean_with_production_settings() -> None:
    # The browser tests allow async-unsafe calls in this process; production never does.
    dropped = ("DJANGO_SETTINGS_MODULE", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "labour_office.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "pup.example.gov.pl",
            "DATABASE_URL": "postgres://pup:secret@db.internal:5432/pup",
            "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
            "EMAIL_URL": "smtp+tls://pup:secret@smtp.example.gov.pl:587",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
