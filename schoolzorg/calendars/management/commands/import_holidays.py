"""`manage.py import_holidays --school FILE --public FILE`: load the OpenHolidays files.

Both files are checked before either is stored: a refused file names itself, and then nothing
is read, not even from the other, good file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from schoolzorg.calendars import importing
from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.management.commands._report import read, refusal, report
from schoolzorg.calendars.models import ImportBatch
from schoolzorg.calendars.services import import_public_holidays, import_school_holidays
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = (
        "Lees schoolvakanties en feestdagen (OpenHolidays-formaat). Verdachte vakanties wachten "
        "op controle door de functioneel beheerder (/kalender/controle/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="CSV met schoolvakanties")
        parser.add_argument("--public", help="CSV met feestdagen")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [
            (path, check, store)
            for path, check, store in (
                (options["public"], importing.parse_public_file, import_public_holidays),
                (options["school"], importing.parse_school_file, import_school_holidays),
            )
            if path
        ]
        if not files:
            raise CommandError("Geef --school en/of --public.")
        contents: dict[str, bytes] = {}
        refused: dict[str, str] = {}  # path → why, in Dutch
        for path, check, _ in files:
            try:
                contents[path] = read(path)
                check(contents[path])
            except ImportRefused as exc:
                refused[path] = refusal(path, exc)
        if refused:
            good = [Path(path).name for path, _, _ in files if path not in refused]
            also = f", ook niet uit {good[0]}" if good else ""
            raise CommandError("\n".join([*refused.values(), f"Er is niets ingelezen{also}."]))
        batches: list[ImportBatch] = []
        with transaction.atomic():
            for path, _, store in files:
                batches.append(store(contents[path], file_name=Path(path).name))
        for batch in batches:
            report(self.stdout, batch)
