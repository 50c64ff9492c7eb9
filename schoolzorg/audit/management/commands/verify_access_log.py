"""`schoolzorg verify-access-log`: recompute the read log's hash chain; non-zero exit on tampering."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from schoolzorg.audit.sealing import verify_chain
from schoolzorg.lib.commands import BaseCommand


class Command(BaseCommand):
    help = "Controleer of het logboek (NEN 7513) onveranderd is: herbereken de zegelketen."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"{_count(result.seals, 'zegel', 'zegels')}, "
            f"{_count(result.sealed_entries, 'verzegelde regel', 'verzegelde regels')}; "
            f"{_count(result.unsealed_entries, 'regel', 'regels')} nog niet verzegeld."
        )
        if not result.ok:
            raise CommandError(
                "Het logboek is aangetast: "
                f"{_count(len(result.problems), 'probleem', 'problemen')} gevonden."
            )
        self.stdout.write("Het logboek is in orde.")


def _count(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"
