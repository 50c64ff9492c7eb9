"""`schoolzorg sample-pdfs --out DIR`: a sample integral plan and care-meeting minutes as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = "Maak voorbeeld-pdf's (integraal plan, verslag zorgoverleg) uit de demodata."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="docs/samples", help="Map voor de pdf-bestanden.")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        call_command("seed", "--scale", "demo", stdout=self.stdout)
        call_command("sample_plan_pdf", "--out", str(out), stdout=self.stdout)
        call_command("meeting_sample_pdf", "--out", str(out), stdout=self.stdout)
