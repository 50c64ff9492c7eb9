"""Riding out a lost database connection in the long-running processes (scheduler and worker).

A PostgreSQL restart, a failover or a network blip makes the next query raise `OperationalError`
or `InterfaceError`. A web request simply fails; the scheduler and the background worker would
end for good, and with them the escalations, the read-log seals and the retention runs. Both
catch these errors around their work instead: they log a warning (the kind of error only, never
a query or its values), close the broken connection so the next query opens a new one, wait
(1, 2, 5, 10, 30 and then every 60 seconds) and try again. A supervisor (systemd
`Restart=always`, README "In production") still restarts a process that ends for another reason.
"""

from __future__ import annotations

import logging
import time

from django.db import connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

# The errors of a lost or refused connection. Other database errors (a constraint, a bug) are
# not waited out: they would come back at every attempt.
CONNECTION_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Seconds to wait before the next attempt; the last one repeats.
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


def close_connections() -> None:
    """Close every database connection, broken or not; the next query connects again."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            # Closing a connection that is already gone may fail as well; it is dropped anyway.
            conn.connection = None


class Backoff:
    """How long to wait after the n-th failure in a row; `reset()` after a success."""

    def __init__(self, seconds: tuple[float, ...] = RETRY_SECONDS) -> None:
        self.seconds = seconds
        self.failures = 0

    def next_delay(self) -> float:
        delay = self.seconds[min(self.failures, len(self.seconds) - 1)]
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


def wait_after(error: Exception, backoff: Backoff, process: str) -> None:
    """Log a lost connection of `process`, close the connections and wait before the next try."""
    delay = backoff.next_delay()
    log.warning(
        "%s: geen verbinding met de database (%s, poging %d); opnieuw over %g s.",
        process,
        type(error).__name__,
        backoff.failures,
        delay,
    )
    close_connections()
    time.sleep(delay)
