"""`schoolzorg retention`: what is past its retention period (counts, no names); with
`--uitvoeren`, destroy it now, as the daily sweep does."""

from __future__ import annotations

from typing import Any

from schoolzorg.lib.commands import BaseCommand
from schoolzorg.retention.models import FileKind
from schoolzorg.retention.services import destroy_expired, due_overview


class Command(BaseCommand):
    help = (
        "Toon wat over de bewaartermijn is (aantallen, geen namen); met --uitvoeren wordt het "
        "nu vernietigd, zoals de dagelijkse taak doet."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--uitvoeren", action="store_true", help="Vernietig wat over de termijn is."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due = due_overview()
        labels = dict(FileKind.choices)
        if not due.pupils:
            self.stdout.write("Niets is over de bewaartermijn.")
            return
        self.stdout.write(f"Over de bewaartermijn: dossiers over {due.pupils} leerling(en).")
        for kind, n in sorted(due.files.items()):
            self.stdout.write(f"  {labels.get(kind, kind)}: {n}")
        self.stdout.write(f"  Stukken: {due.records}")
        if not options["uitvoeren"]:
            self.stdout.write("Er is niets vernietigd. Gebruik --uitvoeren om te vernietigen.")
            return
        written = destroy_expired()
        self.stdout.write(f"Vernietigd. Regels in het vernietigingsregister: {written}.")
