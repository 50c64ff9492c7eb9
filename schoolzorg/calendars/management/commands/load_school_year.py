"""`manage.py load_school_year FILE [--school-year 2031/2032]`: add a new school year's holidays."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.management.commands._report import report
from schoolzorg.calendars.services import import_school_holidays
from schoolzorg.lib.csvfiles import os_reason


class Command(BaseCommand):
    help = (
        "Lees de schoolvakanties van een nieuw schooljaar. Bestaande vakanties blijven staan; "
        "verdachte rijen wachten op controle."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV met schoolvakanties (OpenHolidays-formaat)")
        parser.add_argument(
            "--school-year", default="", help="Alleen dit schooljaar, bijvoorbeeld 2031/2032"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            batch = import_school_holidays(options["file"], school_year=options["school_year"])
        except ImportRefused as exc:
            raise CommandError(
                "Het bestand is geweigerd; er is niets ingelezen.\n" + "\n".join(exc.problems)
            ) from exc
        except OSError as exc:
            raise CommandError(f"Het bestand kan niet worden gelezen: {os_reason(exc)}.") from exc
        report(self.stdout, batch)
