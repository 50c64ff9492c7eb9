"""`schoolzorg worker`: django-tasks-db's background worker that rides out a lost database.

`manage.py db_worker` ends at the first query that finds the database gone (a PostgreSQL restart,
a failover, a network blip) and stays down. This command runs the same worker loop, with the same
options, and when the connection is lost it logs a warning, closes the connection, waits and
starts the loop again (`schoolzorg.lib.dbretry`). The queue is kept in the database, so nothing
queued meanwhile is lost. It processes every queue unless `--queue-name` says otherwise.
"""

from __future__ import annotations

import os
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.lib.dbretry import CONNECTION_ERRORS, RETRY_SECONDS, Backoff, wait_after

OPTIONS_DUTCH = {
    "queue_name": "de wachtrijen, gescheiden door komma's; '*' is alle (standaard: alle)",
    "exclude_queues": "wachtrijen om over te slaan (alleen met --queue-name '*')",
    "interval": "seconden wachten als er niets te doen is (standaard 1)",
    "batch": "alles doen wat klaarstaat en dan stoppen",
    "reload": "herstarten als de code verandert (niet in productie; standaard: als DEBUG)",
    "backend_name": "de takenbackend (standaard 'default')",
    "startup_delay": "niet even wachten bij het starten",
    "max_tasks": "stoppen na zoveel taken",
    "worker_id": "naam van deze werker, uniek onder alle werkers (standaard: willekeurig)",
}


class ResilientWorker(db_worker.Worker):
    """The library's worker loop, started again after a lost database connection."""

    def run(self) -> None:
        backoff = Backoff()
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks: done
            except CONNECTION_ERRORS as error:
                if time.monotonic() - started > max(RETRY_SECONDS):
                    backoff.reset()  # it ran a while: a new interruption, not the same one
                wait_after(error, backoff, "worker")


class Command(BaseCommand, db_worker.Command):
    help = (
        "Voer de achtergrondtaken uit (e-mail, termijnbewaking, logboekzegel). Overleeft een "
        "verbroken verbinding met de database: wacht en probeert opnieuw."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
        for action in parser._actions:
            action.help = OPTIONS_DUTCH.get(action.dest, action.help)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues kan alleen met --queue-name '*'.")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloader's child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
