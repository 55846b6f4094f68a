"""Benchmark of the two morning beat tasks on one and on two Celery workers (issue 10).

    python -m bench.workers --clients 100000

Builds (or reuses) a database of its own (``labour_office_bench_workers``), filled by
``bench.deadlines.generate``. Then, ``--repeat`` times, once with one worker process and once
with two (each a real ``celery worker``, prefork, concurrency 1, on the local Redis), it
empties the inbox, sends ``ipd.tasks.check_ipd_deadlines`` and
``ipd.tasks.send_contact_reminders`` for one day as beat would, and measures the wall time from
sending until both have finished (the workers are started and ready before). The reminders of
every run must be identical row for row (a digest over every reminder's key, advisor and
state). Prints a table and the medians, writes ``var/bench/workers.json``.

``Workers`` (start N worker processes on a queue of their own, read their logs) is shared with
``tests/test_scale_out.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
CELERY = str(Path(sys.executable).parent / "celery")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/labour_office_bench_workers"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/8"
DEFAULT_CLIENTS = 100_000
DEFAULT_DAY = date(2025, 6, 16)  # the day of bench.deadlines, so the figures compare
# In the order beat sends them (labour_office/celery.py: 05:00 and 05:10).
BEAT_TASKS = ("ipd.tasks.check_ipd_deadlines", "ipd.tasks.send_contact_reminders")
SUCCEEDED = re.compile(
    r"Task (?P<task>[\w.]+)\[(?P<id>[\w-]+)\] succeeded in (?P<s>[\d.]+)s: (?P<n>-?\d+)"
)
# Every reminder's key, advisor and state, in a fixed order: equal digests, equal inboxes.
DIGEST_SQL = """
SELECT count(*), md5(coalesce(string_agg(
    concat_ws('|', client_id, kind, due_on, stage, advisor_id, office_id, plan_id, act_by,
              created_on, done_at IS NOT NULL, closed_by_system),
    ',' ORDER BY client_id, kind, due_on, stage), ''))
FROM ipd_reminder
"""


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server, another database number."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


class Workers:
    """``count`` ``celery worker`` processes (prefork, ``concurrency`` pool processes each)
    consuming a queue of their own, with one log file each; stopped, pool included, on exit."""

    def __init__(
        self,
        *,
        count: int,
        concurrency: int,
        env: dict[str, str],
        log_dir: Path,
        broker_url: str,
        name: str = "scale-out",
    ) -> None:
        self.count, self.concurrency, self.env = count, concurrency, env
        self.broker_url = broker_url
        self.queue = f"{name}-{uuid.uuid4().hex[:8]}"
        self.logs = [log_dir / f"{self.queue}-{n}.log" for n in range(count)]
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Workers:
        for n, log in enumerate(self.logs):
            with log.open("wb") as out:
                self.processes.append(
                    subprocess.Popen(  # noqa: S603 (our own interpreter's celery, fixed arguments)
                        [
                            CELERY,
                            "-A",
                            "labour_office",
                            "worker",
                            "--pool",
                            "prefork",
                            "--concurrency",
                            str(self.concurrency),
                            "--queues",
                            self.queue,
                            "--loglevel",
                            "INFO",
                            "--without-gossip",
                            "--without-mingle",
                            "--without-heartbeat",
                            "--hostname",
                            f"{self.queue}-{n}@%h",
                        ],
                        cwd=ROOT,
                        env={**self.env, "CELERY_BROKER_URL": self.broker_url},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        self.wait_for(lambda: all(b" ready." in log.read_bytes() for log in self.logs), 90)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        pools = [pid for process in self.processes for pid in _children(process.pid)]
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in pools:  # a pool process orphaned by a killed worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        import redis

        client = redis.Redis.from_url(self.broker_url)
        client.delete(self.queue, *client.keys(f"_kombu.binding*.{self.queue}"))
        client.close()

    def send(self, names: Sequence[str], day: date) -> None:
        """Send the tasks as beat does, with the day as the only argument."""
        from celery import Celery

        # The connection is explicit: Celery prefers CELERY_BROKER_URL from the environment
        # to a broker given to the app.
        sender = Celery("scale-out-sender", set_as_current=False)
        try:
            with sender.connection_for_write(self.broker_url) as connection:
                for name in names:
                    sender.send_task(
                        name, args=[day.isoformat()], queue=self.queue, connection=connection
                    )
        finally:
            sender.close()

    def text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)

    def succeeded(self) -> list[dict[str, Any]]:
        """The finished tasks: which worker, task name, its own seconds and its result."""
        return [
            {
                "worker": n,
                "task": match["task"],
                "seconds": float(match["s"]),
                "result": int(match["n"]),
            }
            for n, log in enumerate(self.logs)
            for match in SUCCEEDED.finditer(log.read_text())
        ]

    def wait_for(self, condition: Callable[[], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            dead = [p.pid for p in self.processes if p.poll() is not None]
            if dead:
                raise RuntimeError(f"worker(s) {dead} stopped\n{self.text()}")
            time.sleep(0.02)
        raise TimeoutError(f"timed out after {seconds} s\n{self.text()}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(FileNotFoundError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


# --- The benchmark -----------------------------------------------------------------------


def _prepare(url: str, clients: int, offices: int, day: date) -> dict[str, Any]:
    """Migrate and fill the benchmark's database unless it already holds this data set."""
    from bench.deadlines import GENERATED_TABLES, _prepare_database, generate

    stamp = f"bench.workers clients={clients} offices={offices} day={day.isoformat()}"
    fill = _prepare_database(url, stamp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    name = connection.settings_dict["NAME"]
    info: dict[str, Any] = {"database": name, "reused": not fill}
    with connection.cursor() as cursor:
        if fill:
            _log(f"{name}: generating {clients:,} clients")
            start = time.perf_counter()
            generate(cursor, clients=clients, day=day, offices=offices, log=_log)
            for table in GENERATED_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            info["generate_seconds"] = round(time.perf_counter() - start, 1)
            cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s", [stamp])
        cursor.execute("SELECT count(*) FROM ipd_dueitem")
        info["due_items"] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        info["postgres"] = cursor.fetchone()[0].split(" on ")[0]
    connection.close()
    # The machine is shared: the load before the runs says how quiet it was.
    info["load_average"] = [round(load, 2) for load in os.getloadavg()]
    return info


def _inbox() -> tuple[int, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(DIGEST_SQL)
        count, digest = cursor.fetchone()
    connection.close()
    return int(count), str(digest)


def _run(*, workers: int, url: str, broker_url: str, day: date, log_dir: Path) -> dict[str, Any]:
    """Both beat tasks, sent at once, from an empty inbox, on ``workers`` worker processes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ipd_reminder, ipd_digest")
    connection.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "labour_office.settings",
        "DATABASE_URL": url,
        "CONN_MAX_AGE": "0",
    }
    with Workers(
        count=workers, concurrency=1, env=env, log_dir=log_dir, broker_url=broker_url
    ) as pool:
        _log(f"{workers} worker(s) ready; sending {', '.join(BEAT_TASKS)}")
        start = time.perf_counter()
        pool.send(BEAT_TASKS, day)
        pool.wait_for(lambda: len(pool.succeeded()) == len(BEAT_TASKS), 1800)
        wall = time.perf_counter() - start
        tasks = pool.succeeded()
    count, digest = _inbox()
    return {
        "workers": workers,
        "wall_seconds": round(wall, 2),
        "tasks": sorted(tasks, key=lambda t: BEAT_TASKS.index(t["task"])),
        "workers_used": len({t["worker"] for t in tasks}),
        "reminders": count,
        "new_reminders": sum(t["result"] for t in tasks),
        "digest": digest,
    }


def _table(runs: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'workers':>7} {'wall s':>7} {'check_ipd_deadlines s':>21} "
        f"{'send_contact_reminders s':>24} {'reminders':>10} {'digest':<32}"
    ]
    for run in runs:
        own = {t["task"].rsplit(".", 1)[1]: t["seconds"] for t in run["tasks"]}
        lines.append(
            f"{run['workers']:>7} {run['wall_seconds']:>7.2f} "
            f"{own['check_ipd_deadlines']:>21.2f} {own['send_contact_reminders']:>24.2f} "
            f"{run['reminders']:>10,} {run['digest']:<32}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__)
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_WORKERS_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the benchmark's own database, dropped and rebuilt when it holds other data",
    )
    parser.add_argument(
        "--broker-url",
        default=with_redis_db(os.environ.get("REDIS_URL", DEFAULT_BROKER_URL), 8),
        help="Redis for the workers (a queue of the run's own; default database 8)",
    )
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (one, two) workers")
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench" / "workers.json")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labour_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    info = _prepare(args.database_url, args.clients, args.offices, args.day)
    log_dir = args.output.parent / "workers-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    runs = [
        _run(
            workers=n,
            url=args.database_url,
            broker_url=args.broker_url,
            day=args.day,
            log_dir=log_dir,
        )
        for _round in range(args.repeat)
        for n in (1, 2)
    ]
    identical = len({(run["reminders"], run["digest"]) for run in runs}) == 1
    median = {
        n: statistics.median(run["wall_seconds"] for run in runs if run["workers"] == n)
        for n in (1, 2)
    }
    report = {
        "benchmark": "bench.workers",
        "clients": args.clients,
        "day": args.day.isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_before": info.pop("load_average"),
        **info,
        "runs": runs,
        "median_wall_seconds": median,
        "identical_reminders": identical,
        "speedup": round(median[1] / median[2], 2),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(_table(runs))
    print(
        f"\nmedian wall: one worker {median[1]:.2f} s, two workers {median[2]:.2f} s; "
        f"speed-up {report['speedup']}x; "
        f"reminders identical: {'yes' if identical else 'NO'}"
    )
    print(f"written to {args.output}")
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
