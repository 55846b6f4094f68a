"""The benchmark suite of issue 10: every page an advisor or a manager uses all day, the two
beat tasks, and the client page under concurrent load, at each data size, with each figure
also given as a ratio to floors measured in the same run.

    python -m bench.suite                                  # 10,000, 100,000 and 1,000,000
    python -m bench.suite --sizes 10000,100000 --repeat 50
    make bench                                             # the same, installing locust first

For each size a database of its own (``<BENCH_DATABASE_URL>_<clients>``) is filled by the
large-data generator (``bench.generate``) on the first run and reused afterwards. Then, in a
child process per size (so memory figures are the size's own):

- **pages**: each page is requested ``--repeat`` times after a warm-up through Django's test
  client as its usual user, with every middleware, the session and the access log, rotating
  over a sample of the big office's clients; the server time is the wall time of the request
  inside the process (no network). p50 / p95 and the query count per request.
- **floors**: ``floor`` is a bare view reading one client by primary key through the same stack
  (``bench/urls.py``): a page's ``x floor`` is its p95 over the floor's p95. ``main SQL`` is
  the page's slowest SELECT, captured from a request and run alone on the same connection
  ``--repeat`` times: ``x SQL`` is the page's p95 over that statement's p95, so a page close
  to 1 spends its time in its main query and one far above it spends it in Python.
- **beat**: the bodies of ``ipd.tasks.send_contact_reminders`` and
  ``ipd.tasks.check_ipd_deadlines`` over all active clients: the day before the data's day on
  an empty inbox ("catch-up": the whole backlog), then the day itself ("daily": what one day
  adds), then the same day again ("again": nothing new): seconds, SQL statements, reminders
  written, Python allocation peak and the process's peak RSS.
- **load**: gunicorn (``--workers``, sync) serving the client page to locust from a second
  process on loopback (``--users`` users without think time for ``--load-seconds``):
  requests per second, p50 / p95 and failures.

The table goes to the screen and everything to ``var/bench/suite.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/labour_office_bench"
DEFAULT_SIZES = "10000,100000,1000000"
SAMPLE = 40  # clients (and plans) the page requests rotate over


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _environment(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    # Plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag.
    os.environ["HTTPS"] = "false"


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(int(len(times) * 0.95) - 1, 0)], 2),
    }


# --- The data the pages are asked for -------------------------------------------------------


@dataclass
class Subjects:
    """Who asks for what: the big office, a typical advisor of it, its manager, and samples."""

    office_id: int
    office_clients: int
    advisor: str
    advisor_clients: int
    manager: str
    national: str
    client_ids: list[int]
    pesels: list[str]
    surnames: list[str]
    plan_ids: list[int]
    activity_id: int | None
    activity_enrolments: int


def _subjects() -> Subjects:
    from django.contrib.auth.models import Group
    from django.db import connection

    from clients.search import fold
    from labour_office.offices.models import Role, User

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT office_id, count(*) FROM dashboard_caseload GROUP BY office_id "
            "ORDER BY count(*) DESC, office_id LIMIT 1"
        )
        office_id, office_clients = cursor.fetchone()
        # The advisor whose caseload is the office's median: a typical desk.
        cursor.execute(
            "SELECT u.username, count(*) FROM dashboard_caseload c "
            "JOIN offices_user u ON u.id = c.advisor_id WHERE c.office_id = %s "
            "GROUP BY u.username ORDER BY count(*), u.username",
            [office_id],
        )
        advisors = cursor.fetchall()
        advisor, advisor_clients = advisors[len(advisors) // 2]
        # Clients spread over the office (every n-th by id), with their plans where running.
        cursor.execute(
            "SELECT c.id, c.pesel, c.last_name, p.id FROM ("
            "  SELECT client_id, row_number() OVER (ORDER BY client_id) AS n "
            "  FROM dashboard_caseload WHERE office_id = %s"
            ") s JOIN clients_client c ON c.id = s.client_id "
            "LEFT JOIN clients_registration r ON r.client_id = c.id AND r.deregistered_on IS NULL "
            "LEFT JOIN ipd_individualactionplan p ON p.registration_id = r.id "
            "  AND p.status = 'active' "
            "WHERE mod(s.n, %s) = 0 ORDER BY c.id LIMIT %s",
            [office_id, max(office_clients // SAMPLE, 1), SAMPLE],
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT a.id, count(e.id) FROM job_clubs_activity a "
            "JOIN job_clubs_jobclub j ON j.id = a.club_id "
            "JOIN job_clubs_enrolment e ON e.activity_id = a.id "
            "WHERE j.office_id = %s GROUP BY a.id ORDER BY count(e.id) DESC, a.id LIMIT 1",
            [office_id],
        )
        activity = cursor.fetchone()
    manager = (
        User.objects.filter(office_id=office_id, groups__name=Role.MANAGER)
        .order_by("pk")
        .values_list("username", flat=True)
        .first()
    )
    if manager is None:
        manager = "bench-manager"
        user, _ = User.objects.get_or_create(username=manager, defaults={"office_id": office_id})
        user.groups.set([Group.objects.get(name=Role.MANAGER)])
    national, _ = User.objects.get_or_create(
        username="bench-national", defaults={"is_national_admin": True}
    )
    national.groups.set([Group.objects.get(name=Role.ADMIN)])
    plans = [plan for *_, plan in rows if plan is not None]
    # Searches as typed at the desk: no diacritics, lower case.
    surnames = [fold(last_name) for _, _, last_name, _ in rows]
    return Subjects(
        office_id=office_id,
        office_clients=office_clients,
        advisor=advisor,
        advisor_clients=advisor_clients,
        manager=manager,
        national=national.username,
        client_ids=[pk for pk, *_ in rows],
        pesels=[pesel for _, pesel, *_ in rows if pesel],
        surnames=surnames,
        plan_ids=plans,
        activity_id=activity[0] if activity else None,
        activity_enrolments=activity[1] if activity else 0,
    )


# --- Pages ---------------------------------------------------------------------------------


def _measure_page(
    http: Any, urls: Sequence[str], repeat: int, floor_p95: float | None
) -> dict[str, Any]:
    """p50 / p95 of the server time and queries per request, then the slowest SELECT alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[: min(len(urls), 5)]:  # warm-up: plans, caches, the session
        assert http.get(url).status_code == 200, url
    times = []
    queries = []
    slowest: tuple[float, str] = (-1.0, "")
    for n in range(repeat):
        url = urls[n % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = http.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                slowest = max(slowest, (float(query["time"]), query["sql"]))
    result: dict[str, Any] = _percentiles(times)
    result["queries"] = max(queries)
    if min(queries) != max(queries):
        result["queries_min"] = min(queries)
    result["main_sql"] = _measure_sql(slowest[1], repeat)
    result["x_sql"] = round(result["p95_ms"] / max(result["main_sql"]["p95_ms"], 0.01), 1)
    if floor_p95:
        result["x_floor"] = round(result["p95_ms"] / floor_p95, 2)
    return result


def _measure_sql(sql: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        cursor.execute(sql)  # warm-up
        for _n in range(repeat):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return _percentiles(times) | {"sql": sql[:2000]}


def run_pages(*, clients: int, url: str, day: date, repeat: int) -> dict[str, Any]:
    _environment(url)
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.test import Client as HttpClient
    from django.urls import reverse

    from labour_office.offices.models import User

    call_command("collectstatic", "--noinput", verbosity=0)  # the pages name hashed files
    who = _subjects()
    subjects = {key: value for key, value in who.__dict__.items() if not isinstance(value, list)}
    result: dict[str, Any] = {"clients": clients, "subjects": subjects}
    _log(
        f"{clients:,}: office {who.office_id} ({who.office_clients:,} clients), "
        f"advisor {who.advisor} ({who.advisor_clients:,}), manager {who.manager}"
    )

    def signed_in(username: str) -> Any:
        http = HttpClient(HTTP_HOST="localhost")
        http.force_login(User.objects.get(username=username))
        return http

    advisor = signed_in(who.advisor)
    manager = signed_in(who.manager)
    national = signed_in(who.national)
    desk = reverse("home")
    by_client = [reverse("client_detail", args=[pk]) for pk in who.client_ids]
    pages: list[tuple[str, Any, list[str], int]] = [
        ("floor", advisor, [f"/bench/floor/{pk}/" for pk in who.client_ids], repeat),
        ("desk", advisor, [desk], repeat),
        ("desk, page 10", advisor, [f"{desk}?page=10"], repeat),
        ("search by PESEL", advisor, [f"{desk}?advisor=all&q={p}" for p in who.pesels], repeat),
        ("search by surname", advisor, [f"{desk}?advisor=all&q={n}" for n in who.surnames], repeat),
        ("client page", advisor, by_client, repeat),
        ("IPD page", advisor, [reverse("ipd:plan", args=[pk]) for pk in who.plan_ids], repeat),
        ("dashboard (office)", manager, [reverse("dashboard:dashboard")], repeat),
        ("dashboard list", manager, [reverse("dashboard:list", args=["contact_14"])], repeat),
        ("dashboard (national)", national, [reverse("dashboard:dashboard")], max(repeat // 4, 5)),
    ]
    if who.activity_id:
        activity = reverse("job_clubs:activity", args=[who.activity_id])
        pages.append(("job-club activity", advisor, [activity], repeat))
    measured: dict[str, Any] = {}
    with time_machine.travel(day, tick=True):
        for name, http, urls, times in pages:
            if not urls:
                continue
            _log(f"{clients:,}: {name}")
            floor = measured.get("floor", {}).get("p95_ms")
            measured[name] = _measure_page(http, urls, times, floor)
    result["pages"] = measured
    return result


# --- Beat tasks ----------------------------------------------------------------------------


def run_beat(*, clients: int, url: str, day: date) -> dict[str, Any]:
    _environment(url)
    import django

    django.setup()
    from django.db import connection

    from bench.deadlines import _timed_run
    from ipd import tasks

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ipd_dueitem")
        due_items = cursor.fetchone()[0]
        cursor.execute("TRUNCATE ipd_reminder, ipd_digest")  # every first run: an empty inbox
    tracemalloc.start()
    runs = []
    # The day before on an empty inbox writes the whole backlog (a first deployment, or a
    # long outage); the day itself is then an ordinary day's run; again, a repeated one.
    for run, on in (("catch-up", day - timedelta(days=1)), ("daily", day), ("again", day)):
        for task in (tasks.send_contact_reminders, tasks.check_ipd_deadlines):
            _log(f"{clients:,}: {task.name} ({run}, {on})")
            body: Callable[[str], int] = task
            runs.append({"task": task.name.rsplit(".", 1)[1], "run": run} | _timed_run(body, on))
    tracemalloc.stop()
    return {
        "clients": clients,
        "due_items": due_items,
        "runs": runs,
        "ru_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# --- Concurrent load -----------------------------------------------------------------------


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_load(
    *, clients: int, url: str, workers: int, users: int, seconds: int, output: Path
) -> dict[str, Any]:
    """gunicorn serving the client page, locust loading it from a second process."""
    _environment(url)
    locust = Path(sys.executable).with_name("locust")
    if not locust.exists():
        return {"skipped": "locust is not installed (pip install -e '.[bench]')"}
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client as HttpClient

    from labour_office.offices.models import User

    who = _subjects()
    sessions = []
    for _n in range(users):  # one session per simulated advisor, as at the desks
        http = HttpClient(HTTP_HOST="localhost")
        http.force_login(User.objects.get(username=who.advisor))
        sessions.append(http.cookies[settings.SESSION_COOKIE_NAME].value)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own server, our own arguments)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "labour_office.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        prefix = output.parent / f"locust_{clients}"
        _log(f"{clients:,}: load, {users} users on {workers} gunicorn workers for {seconds} s")
        subprocess.run(  # noqa: S603
            [
                str(locust),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                f"--host=http://localhost:{port}",
                f"--csv={prefix}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=os.environ
            | {
                "BENCH_SESSION": ",".join(sessions),
                "BENCH_SESSION_COOKIE": settings.SESSION_COOKIE_NAME,
                "BENCH_CLIENT_IDS": ",".join(map(str, who.client_ids)),
            },
            check=False,
            stdout=subprocess.DEVNULL,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {
        "workers": workers,
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
    }


# --- All sizes, the table and the JSON -----------------------------------------------------


def _child(part: str, args: argparse.Namespace, clients: int, url: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.suite", "--part", part, "--clients", str(clients)]
    command += ["--database-url", url, "--day", args.day.isoformat(), "--repeat", str(args.repeat)]
    command += ["--workers", str(args.workers), "--users", str(args.users)]
    command += ["--load-seconds", str(args.load_seconds), "--output", str(args.output)]
    child = subprocess.run(  # noqa: S603 (our own module, our own arguments)
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def _table(sizes: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'clients':>9} {'page':<22} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} "
        f"{'x floor':>7} {'SQL p95':>7} {'x SQL':>6}"
    ]
    for size in sizes:
        for name, page in size["pages"]["pages"].items():
            lines.append(
                f"{size['clients']:>9,} {name:<22} {page['p50_ms']:>7.1f} {page['p95_ms']:>7.1f} "
                f"{page['queries']:>7} {page.get('x_floor', 1.0):>7.2f} "
                f"{page['main_sql']['p95_ms']:>7.2f} {page['x_sql']:>6.1f}"
            )
    lines += [
        "",
        f"{'clients':>9} {'due items':>10} {'task':<24} {'run':<6} {'seconds':>8} "
        f"{'queries':>7} {'reminders':>9} {'py peak KiB':>11} {'max RSS MiB':>11}",
    ]
    for size in sizes:
        beat = size["beat"]
        for run in beat["runs"]:
            lines.append(
                f"{size['clients']:>9,} {beat['due_items']:>10,} {run['task']:<24} "
                f"{run['run']:<6} {run['seconds']:>8.2f} {run['queries']:>7} "
                f"{run['reminders']:>9,} {run['python_peak_kib']:>11,} "
                f"{beat['ru_maxrss_mib']:>11}"
            )
    lines += [
        "",
        f"{'clients':>9} {'load':<40} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'failed':>6}",
    ]
    for size in sizes:
        load = size["load"]
        if "skipped" in load:
            lines.append(f"{size['clients']:>9,} {load['skipped']}")
            continue
        what = f"client page, {load['users']} users, {load['workers']} workers"
        lines.append(
            f"{size['clients']:>9,} {what:<40} {load['rps']:>7.1f} {load['p50_ms']:>7.0f} "
            f"{load['p95_ms']:>7.0f} {load['failures']:>6}"
        )
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    """The figures of a ``suite.json`` as the Markdown tables of bench/README.md."""
    sizes = report["sizes"]
    names = list(sizes[0]["pages"]["pages"])
    last = sizes[-1]
    head = " | ".join(f"{size['clients']:,}: p50 / p95 ms" for size in sizes)
    lines = [
        f"| page | {head} | queries | x floor | main SQL p95 | x SQL |",
        "|---|" + "---:|" * (len(sizes) + 4),
    ]
    for name in names:
        cells = []
        for size in sizes:
            page = size["pages"]["pages"].get(name)
            cells.append(f"{page['p50_ms']:.0f} / {page['p95_ms']:.0f}" if page else "-")
        big = last["pages"]["pages"][name]
        cells += [
            str(big["queries"]),
            f"{big.get('x_floor', 1.0):.1f}",
            f"{big['main_sql']['p95_ms']:.1f}",
            f"{big['x_sql']:.1f}",
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| clients | due items | task | run | seconds | queries | reminders | Python peak KiB "
        "| max RSS MiB |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        beat = size["beat"]
        for run in beat["runs"]:
            lines.append(
                f"| {size['clients']:,} | {beat['due_items']:,} | {run['task']} | {run['run']} "
                f"| {run['seconds']:.1f} | {run['queries']} | {run['reminders']:,} "
                f"| {run['python_peak_kib']:,} | {beat['ru_maxrss_mib']} |"
            )
    lines += [
        "",
        "| clients | requests/s | p50 ms | p95 ms | failed |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        load = size["load"]
        lines.append(
            f"| {size['clients']:,} | {load.get('rps', '-')} | {load.get('p50_ms', '-')} "
            f"| {load.get('p95_ms', '-')} | {load.get('failures', '-')} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    from bench.deadlines import DEFAULT_DAY

    parser = argparse.ArgumentParser(prog="python -m bench.suite", description=__doc__)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="prefix of the benchmark's databases: <url>_<clients> (default: %(default)s)",
    )
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench" / "suite.json")
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="SUITE_JSON",
        help="print the figures of an earlier run as Markdown tables, and stop",
    )
    parser.add_argument("--part", choices=["pages", "beat", "load"], help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return
    args.output.parent.mkdir(parents=True, exist_ok=True)

    if args.part:
        clients, url = args.clients, args.database_url
        if args.part == "pages":
            result = run_pages(clients=clients, url=url, day=args.day, repeat=args.repeat)
        elif args.part == "beat":
            result = run_beat(clients=clients, url=url, day=args.day)
        else:
            result = run_load(
                clients=clients,
                url=url,
                workers=args.workers,
                users=args.users,
                seconds=args.load_seconds,
                output=args.output,
            )
        print(json.dumps(result))
        return

    from bench.generate import ensure

    sizes = []
    for clients in (int(size) for size in args.sizes.split(",")):
        url = f"{args.database_url}_{clients}"
        made = ensure(url, clients=clients, day=args.day)
        size = {"clients": clients, "data": made}
        for part in ("pages", "beat", "load"):
            size[part] = _child(part, args, clients, url)
        sizes.append(size)
    report = {
        "benchmark": "bench.suite",
        "day": args.day.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "sizes": sizes,
    }
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(_table(sizes))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
