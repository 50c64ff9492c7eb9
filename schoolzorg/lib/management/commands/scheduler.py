"""`schoolzorg scheduler`: enqueue every registered sweep on its interval; the worker runs them.

A lost database connection does not end it: it logs a warning, waits and tries again
(`schoolzorg.lib.dbretry`); a sweep that could not be enqueued is enqueued at the next attempt.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.lib.dbretry import CONNECTION_ERRORS, Backoff, wait_after
from schoolzorg.lib.periodic import sweeps


class Command(BaseCommand):
    help = "Zet periodieke taken (termijnbewaking, logboekzegel) klaar voor de achtergrondwerker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Alles één keer klaarzetten en stoppen."
        )
        parser.add_argument(
            "--tick", type=float, default=5.0, help="seconden tussen twee rondes (standaard 5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        last_run: dict[str, float] = {}
        backoff = Backoff()
        while True:
            try:
                self.enqueue_due(last_run, once=options["once"], verbosity=options["verbosity"])
            except CONNECTION_ERRORS as error:
                if options["once"]:
                    raise
                wait_after(error, backoff, "scheduler")
                continue
            backoff.reset()
            if options["once"]:
                return
            time.sleep(options["tick"])

    def enqueue_due(self, last_run: dict[str, float], *, once: bool, verbosity: int) -> None:
        now = time.monotonic()
        for sweep in sweeps():
            if once or now - last_run.get(sweep.name, -1e9) >= sweep.every_seconds:
                sweep.task.enqueue()
                last_run[sweep.name] = now
                if verbosity >= 2:
                    self.stdout.write(f"klaargezet: {sweep.name}")
