"""Benchmark of the managers' dashboard (issue 9): server time of the page for one office of
50,000 registered clients, alone and among 1,000,000 clients in 20 offices, and of the
national view over all of them.

    python -m bench.dashboard                    # both sizes
    python -m bench.dashboard --sizes 50000:1    # clients:offices, comma-separated

Each size gets a database of its own (``<name>_<clients>``), filled once by the deadline
benchmark's set-based generator (open registrations, current advisors and due items of every
kind) and reused while its comment says it holds that data set. The page is requested through
Django's test client as a signed-in manager (all middleware included), ``--repeat`` times
after a warm-up; the table gives p50 and p95 of the server time and the query count; the
figures go to ``var/bench/dashboard.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench.deadlines import DEFAULT_DAY, GENERATED_TABLES, ROOT, _log, _prepare_database, generate

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/labour_office_bench_dashboard"
DEFAULT_SIZES = "50000:1,1000000:20"


def _measure(http: Any, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http.get(url, secure=True)  # warm-up: caches, plans, the session
    times = []
    queries = 0
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = http.get(url, secure=True)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
        "queries": queries,
    }


def run_size(*, clients: int, offices: int, url: str, day: date, repeat: int) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labour_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    stamp = f"bench.dashboard clients={clients} offices={offices} day={day.isoformat()}"
    fill = _prepare_database(url, stamp)

    import django

    django.setup()
    import time_machine
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient
    from django.urls import reverse

    from labour_office.offices.models import Office, Role, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages name hashed files
    name = connection.settings_dict["NAME"]
    result: dict[str, Any] = {"clients": clients, "offices": offices, "reused": not fill}
    if fill:
        with connection.cursor() as cursor:
            _log(f"{name}: generating {clients:,} clients in {offices} offices")
            start = time.perf_counter()
            generate(cursor, clients=clients, day=day, offices=offices, log=_log)
            from labour_office.dashboard.caseload import rebuild

            rebuild()
            for table in (*GENERATED_TABLES, "dashboard_caseload"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            result["generate_seconds"] = round(time.perf_counter() - start, 1)
            cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS %s", [stamp])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) dashboard_caseload")  # index-only scans need it
    office = Office.objects.filter(clients__isnull=False).order_by("pk").first()
    assert office is not None
    result["office_clients"] = office.clients.count()
    manager, _ = User.objects.get_or_create(
        username="bench-manager", defaults={"office": office, "first_name": "Bench"}
    )

    manager.groups.set([Group.objects.get(name=Role.MANAGER)])
    national, _ = User.objects.get_or_create(
        username="bench-national", defaults={"is_national_admin": True}
    )
    national.groups.set([Group.objects.get(name=Role.ADMIN)])
    with time_machine.travel(day, tick=True):
        http = HttpClient(HTTP_HOST="localhost")
        http.force_login(manager)
        dashboard = reverse("dashboard:dashboard")
        result["office_dashboard"] = _measure(http, dashboard, repeat)
        result["office_list"] = _measure(
            http, reverse("dashboard:list", args=["contact_14"]), repeat
        )
        everyone = HttpClient(HTTP_HOST="localhost")
        everyone.force_login(national)
        result["national_dashboard"] = _measure(everyone, dashboard, max(repeat // 4, 3))
    return result


def _table(sizes: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'clients':>10} {'offices':>7} {'office clients':>14} {'page':<20} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'queries':>7}"
    ]
    for size in sizes:
        for page in ("office_dashboard", "office_list", "national_dashboard"):
            figures = size[page]
            lines.append(
                f"{size['clients']:>10,} {size['offices']:>7} {size['office_clients']:>14,} "
                f"{page:<20} {figures['p50_ms']:>8} {figures['p95_ms']:>8} "
                f"{figures['queries']:>7}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DASHBOARD_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "bench" / "dashboard.json")
    parser.add_argument("--one-size", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--offices", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one_size:
        print(
            json.dumps(
                run_size(
                    clients=args.clients,
                    offices=args.offices,
                    url=args.database_url,
                    day=args.day,
                    repeat=args.repeat,
                )
            )
        )
        return
    sizes = []
    for spec in args.sizes.split(","):
        clients, offices = (int(part) for part in spec.split(":"))
        url = f"{args.database_url}_{clients}"
        command = [sys.executable, "-m", "bench.dashboard", "--one-size", "--database-url", url]
        command += ["--clients", str(clients), "--offices", str(offices)]
        command += ["--day", args.day.isoformat(), "--repeat", str(args.repeat)]
        child = subprocess.run(  # noqa: S603 (our own module, our own arguments)
            command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
        )
        sizes.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report = {
        "benchmark": "bench.dashboard",
        "day": args.day.isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "sizes": sizes,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(_table(sizes))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
