"""Reads of the managers' dashboards and exports from a PostgreSQL read replica (issue 10).

Off by default: the settings add the ``replica`` alias, this router and the middleware below
only when ``DATABASE_REPLICA_URL`` is set (docs/scale-out.md). Nothing is routed by model:
the same ``Client`` is read from the primary on the desk and from the replica on the
dashboard. A view opts in with ``@reads_from_replica``, and even then the router keeps on the
primary

- every write (the export's access-log rows included), whatever the view;
- every read inside a transaction on the primary, which must see its own writes and locks;
- every read of a session that wrote something in the last ``DATABASE_REPLICA_PIN_SECONDS``,
  so a manager who has just moved clients sees them moved, whatever the replica's lag.

Sessions, the signed-in user and the lockouts are read by middleware before the view runs, so
they always come from the primary. Migrations run on the primary only; a streaming replica
receives them with the rest of the WAL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Session key: until when (epoch seconds) this session reads from the primary only.
PINNED_UNTIL = "db_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)

P = ParamSpec("P")
R = TypeVar("R", bound=HttpRequest)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may come from the replica (if one is configured); writes and
    transactions still go to the primary."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def reads_from_replica(
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[R, P], HttpResponse]:
    """Mark a view whose reads may lag the primary by a moment: the dashboards and their
    exports, never a page an advisor acts on. A session that wrote recently is not marked."""

    @wraps(view)
    def wrapped(request: R, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.session.get(PINNED_UNTIL, 0) > time.time():
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class PrimaryAfterWriteMiddleware:
    """After a request that may have written (any unsafe method) a signed-in session reads
    from the primary for ``DATABASE_REPLICA_PIN_SECONDS``: read-your-writes on every node,
    since the session lives in the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            request.session[PINNED_UNTIL] = time.time() + settings.DATABASE_REPLICA_PIN_SECONDS
        return response


class ReplicaRouter:
    """The replica for reads marked by ``replica_reads`` outside a transaction; the primary
    for everything else. Answers explicitly every time: Django's fallback would send the save
    of an object read from the replica to the replica."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_allowed.get()
            and REPLICA in connections.settings
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica is a copy of the primary: an object read there may be linked to one
        # read here.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS
