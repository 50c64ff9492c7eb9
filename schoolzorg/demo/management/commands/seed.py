"""`schoolzorg seed --scale demo|city|national`: deterministic data to try and measure Schoolzorg."""

from __future__ import annotations

import importlib
import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from schoolzorg.demo.base import MUNICIPALITY_CODE, seed_foundation
from schoolzorg.demo.context import SeedContext
from schoolzorg.lib.commands import BaseCommand
from schoolzorg.organisations.models import Municipality

# Each domain app may add its part of the demo in `<app>/demo.py: seed_demo(ctx)`, in layer order.
DEMO_LAYERS = [
    "calendars",
    "consent",
    "careteams",
    "cases",
    "meetings",
    "plans",
    "assessments",
    "referrals",
    "audit",
    "reports",
    "retention",
]


class Command(BaseCommand):
    help = "Vul de database met demo- of testdata (deterministisch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "city", "national"],
            default="demo",
            help="demo: een demodorp; city: Rotterdam; national: alle scholen van Nederland",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Startwaarde voor het toeval.")
        parser.add_argument(
            "--meetdatabase",
            action="store_true",
            help="Ook buiten de demo (SCHOOLZORG_DEMO=0): voor een database om te meten "
            "(make bench), nooit voor een echte.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE and not options["meetdatabase"]:
            # The demo's accounts share a password printed in the README: in a real database
            # they would be open doors, its pupils and notices made-up data among real ones.
            raise CommandError(
                "Demodata alleen in de demo (SCHOOLZORG_DEMO=1): de demo-accounts hebben een "
                "openbaar wachtwoord en horen niet in een echte database. Voor een database om "
                "te meten: --meetdatabase."
            )
        scale = options["scale"]
        started = time.monotonic()
        if scale == "demo":
            self._demo(options["seed"])
        else:
            try:
                real = importlib.import_module("schoolzorg.demo.real")
            except ImportError as exc:  # pragma: no cover - only when the module is missing
                raise CommandError(f"Schaal {scale} is niet beschikbaar: {exc}") from exc
            real.seed(scale, seed=options["seed"], stdout=self.stdout)
        self.stdout.write(f"Klaar in {time.monotonic() - started:.1f} s.")

    def _demo(self, seed: int) -> None:
        if Municipality.objects.filter(cbs_code=MUNICIPALITY_CODE).exists():
            self.stdout.write("De demodata staan er al; er is niets veranderd.")
            return
        ctx = SeedContext(rng=random.Random(seed), today=timezone.localdate())
        with transaction.atomic():
            seed_foundation(ctx)
            for layer in DEMO_LAYERS:
                try:
                    module = importlib.import_module(f"schoolzorg.{layer}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"schoolzorg.{layer}.demo":
                        raise
                    continue
                module.seed_demo(ctx)
        self.stdout.write(
            f"Demodata geladen: {len(ctx.schools)} scholen, {len(ctx.pupils)} leerlingen, "
            f"{len(ctx.users)} demo-rollen."
        )
