"""`schoolzorg refresh-figures`: rebuild the roll-up tables now (the worker does it every 10 min)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.reports.services import DEFAULT_MONTHS, refresh_figures


class Command(BaseCommand):
    help = "Ververs de cijfers voor het gemeentelijk overzicht (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            help=f"hoeveel maanden terug (standaard {DEFAULT_MONTHS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["months"] < 1:
            raise CommandError(
                f"--months {options['months']} kan niet: geef 1 of meer maanden op "
                f"(standaard {DEFAULT_MONTHS})."
            )
        r = refresh_figures(months=options["months"])
        self.stdout.write(
            f"Cijfers ververst in {r.seconds:.1f} s: {r.school_rows} school-maanden, "
            f"{r.team_rows} wijkteam-maanden, {r.lead_time_rows} doorlooptijden, "
            f"{r.escalation_rows} escalatieregels."
        )
