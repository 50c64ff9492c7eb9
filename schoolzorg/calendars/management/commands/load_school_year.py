"""`manage.py load_school_year FILE [--school-year 2031/2032]`: add a new school year's holidays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.management.commands._report import read, refusal, report
from schoolzorg.calendars.services import import_school_holidays
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = (
        "Lees de schoolvakanties van een nieuw schooljaar. Bestaande vakanties blijven staan; "
        "verdachte rijen wachten op controle."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="BESTAND", help="CSV met schoolvakanties (OpenHolidays-formaat)"
        )
        parser.add_argument(
            "--school-year", default="", help="Alleen dit schooljaar, bijvoorbeeld 2031/2032"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            batch = import_school_holidays(
                read(path), file_name=Path(path).name, school_year=options["school_year"]
            )
        except ImportRefused as exc:
            raise CommandError(f"{refusal(path, exc)}\nEr is niets ingelezen.") from exc
        report(self.stdout, batch)
