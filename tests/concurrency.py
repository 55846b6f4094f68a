"""Helpers for tests of what concurrent requests must not break (DESIGN.md rule 3).

The tests using them are transactional (``django_db(transaction=True)``): each thread has its
own connection and the locks are the real ones.
"""

import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.db import connection


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls at once in threads (each with its own connection), released together by
    a barrier; answer each one's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as error:  # the test inspects what each thread got
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs: a deadlock?"
    return results


def pause_after(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
    """Make ``module.<name>`` linger before returning, inside the caller's transaction, so the
    other thread reaches the same check while the first still holds what it read."""
    original = getattr(module, name)

    def lingering(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(module, name, lingering)
