"""`schoolzorg load-instrument FILE [--organisation ID]`: load one version of an instrument.

An organisation that holds a licence (e.g. for LIRIK or the severity model) loads its own version
this way. A file that does not fit the schema is refused with the place of every problem, and
nothing is loaded. Assessments already made stay with the version they were made with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from schoolzorg.assessments.definitions import DefinitionError
from schoolzorg.assessments.services import load_definition_file
from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.models import Organisation


class Command(BaseCommand):
    help = "Laad een versie van een instrument (YAML) uit een bestand."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="BESTAND", type=Path, help="YAML-bestand met het instrument"
        )
        parser.add_argument(
            "--organisation",
            type=int,
            default=None,
            help="Id van de organisatie die de licentie heeft; zonder: een algemene versie.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Organisatie {options['organisation']} bestaat niet.")
        try:
            definition, created = load_definition_file(options["file"], organisation=organisation)
        except DefinitionError as exc:
            lines = "\n".join(f"  - {p}" for p in exc.problems)
            raise CommandError(
                f"{options['file']} is niet geladen. Gevonden problemen:\n{lines}"
            ) from exc
        owner = f" voor {organisation}" if organisation else ""
        if created:
            self.stdout.write(f"Geladen: {definition}{owner}.")
        else:
            self.stdout.write(f"Deze versie stond er al: {definition}{owner}. Niets veranderd.")
