"""Settings of the benchmark processes: the project's own, plus the floor view's URL.

The floor is measured through exactly the stack the pages use (the same middleware, session,
authentication and database settings), so a page's ratio to it isolates what the page itself
costs.
"""

from labour_office.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
