"""`manage.py sample_plan_pdf --out DIR`: a sample integral plan PDF from the demo data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.plans.pdf import write_sample_pdfs


class Command(BaseCommand):
    help = "Schrijf een voorbeeld-pdf van een integraal plan uit de demodata."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Map voor de pdf-bestanden.")
        parser.add_argument("--aantal", type=int, default=1, help="Hoeveel pdf's (standaard 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        written = write_sample_pdfs(options["out"], limit=options["aantal"])
        if not written:
            raise CommandError("Er is nog geen integraal plan. Laad eerst de demodata (seed).")
        for path in written:
            self.stdout.write(str(path))
