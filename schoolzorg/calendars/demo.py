"""The demo's calendar: the real Dutch holidays, and a study day at the first school.

Loaded first, so every later layer (deadlines, meetings) counts school days over real holidays.
The two suspect spring holidays in the real file wait on the review page for the demo's
functional administrator.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from schoolzorg.calendars.services import (
    add_closure,
    import_municipality_regions,
    import_public_holidays,
    import_school_holidays,
)
from schoolzorg.calendars.workingdays import is_school_day
from schoolzorg.demo.context import SeedContext

DATA = settings.BASE_DIR / "data" / "registries" / "vakanties"


def load_real_calendar() -> str:
    """Import the shipped holiday files and municipality regions; idempotent. One summary line."""
    public = import_public_holidays(DATA / "nl-feestdagen.csv", file_name="nl-feestdagen.csv")
    school = import_school_holidays(
        DATA / "nl-schoolvakanties.csv", file_name="nl-schoolvakanties.csv"
    )
    regions = import_municipality_regions(
        DATA / "nl-vakantieregio-indeling.csv", file_name="nl-vakantieregio-indeling.csv"
    )
    return (
        f"Kalender: {public.created} feestdagen en {school.created} schoolvakanties nieuw, "
        f"{school.flagged} te controleren; vakantieregio van {regions.batch.updated} gemeenten gezet."
    )


def seed_demo(ctx: SeedContext) -> None:
    import_public_holidays(DATA / "nl-feestdagen.csv", file_name="nl-feestdagen.csv")
    import_school_holidays(DATA / "nl-schoolvakanties.csv", file_name="nl-schoolvakanties.csv")
    if not ctx.schools:
        return
    school = ctx.schools[0]
    region = school.effective_holiday_region
    day = ctx.today + dt.timedelta(days=14)
    while not is_school_day(day, region=region):
        day += dt.timedelta(days=1)
    add_closure(school, on=day, reason="Studiedag team", by=None, today=ctx.today)
