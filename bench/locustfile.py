"""Concurrent load on the client page for ``bench.suite``: signed-in advisors opening client
cards one after another without think time, so the figure is the server's throughput.

The suite passes in the environment the session cookie's name, one session per simulated
advisor (``BENCH_SESSION``, comma-separated) and the clients to open (``BENCH_CLIENT_IDS``).
"""

import itertools
import os
import random

from locust import HttpUser, task

COOKIE = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")
SESSIONS = itertools.cycle(os.environ["BENCH_SESSION"].split(","))
CLIENT_IDS = [int(pk) for pk in os.environ["BENCH_CLIENT_IDS"].split(",")]


class Advisor(HttpUser):
    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, next(SESSIONS))
        self.random = random.Random(id(self))

    @task
    def client_page(self) -> None:
        pk = self.random.choice(CLIENT_IDS)
        self.client.get(f"/clients/{pk}/", name="/clients/<pk>/")
