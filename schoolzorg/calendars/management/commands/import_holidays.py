"""`manage.py import_holidays --school FILE --public FILE`: load the OpenHolidays files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.management.commands._report import report
from schoolzorg.calendars.services import import_public_holidays, import_school_holidays
from schoolzorg.lib.csvfiles import os_reason


class Command(BaseCommand):
    help = (
        "Lees schoolvakanties en feestdagen (OpenHolidays-formaat). Verdachte vakanties wachten "
        "op controle door de functioneel beheerder (/kalender/controle/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="CSV met schoolvakanties")
        parser.add_argument("--public", help="CSV met feestdagen")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["school"] and not options["public"]:
            raise CommandError("Geef --school en/of --public.")
        try:
            if options["public"]:
                report(self.stdout, import_public_holidays(options["public"]))
            if options["school"]:
                report(self.stdout, import_school_holidays(options["school"]))
        except ImportRefused as exc:
            raise CommandError(
                "Het bestand is geweigerd; er is niets ingelezen.\n" + "\n".join(exc.problems)
            ) from exc
        except OSError as exc:
            raise CommandError(f"Het bestand kan niet worden gelezen: {os_reason(exc)}.") from exc
