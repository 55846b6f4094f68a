"""At most one Celery beat per database.

Two beats would each send every periodic task: the tasks are idempotent, so nothing would be
written twice, but the morning's work would be done twice and the heartbeat would lie. Beat
takes a PostgreSQL advisory lock on a connection of its own when it starts and holds it for
its life; a second beat (another node, a second container, a forgotten terminal) finds the
lock taken and stops with an error. The lock goes with the connection, so a beat that dies
frees it at once and a new one can start (docs/scale-out.md).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# An arbitrary 64-bit key, the same in every process of the installation: "beat" in ASCII.
LOCK_KEY = 0x62656174
_holder: Any = None  # the connection holding the lock, kept open for the life of the process


def acquire() -> bool:
    """Take the beat lock on a new connection of this process's own; answer whether it was
    free. Taking it again in the process that holds it answers True."""
    global _holder
    if _holder is not None:
        return True
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        (taken,) = cursor.fetchone()
    if not taken:
        holder.close()
        return False
    _holder = holder
    return True


def release() -> None:
    """Give the lock back (tests; a beat frees it by ending)."""
    global _holder
    if _holder is not None:
        _holder.close()
        _holder = None
