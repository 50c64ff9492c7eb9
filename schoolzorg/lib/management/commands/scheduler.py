"""`schoolzorg scheduler`: enqueue every registered sweep on its interval; the worker runs them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand
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
        while True:
            now = time.monotonic()
            for sweep in sweeps():
                if options["once"] or now - last_run.get(sweep.name, -1e9) >= sweep.every_seconds:
                    sweep.task.enqueue()
                    last_run[sweep.name] = now
                    if options["verbosity"] >= 2:
                        self.stdout.write(f"klaargezet: {sweep.name}")
            if options["once"]:
                return
            time.sleep(options["tick"])
