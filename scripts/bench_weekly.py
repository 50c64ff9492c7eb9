"""How long does the privacy officer's weekly report take with a national week of reads? (PostgreSQL)

Against the bench database (`DATABASE_URL`, never another): fills last week with synthetic
read-log entries once (`--entries`, default 5 million; marked with detail "bench-weekoverzicht",
so a second run reuses them) by 40,000 users about random pupils of the national data, nine in
ten in the name of the pupil's own school and the rest of any organisation, then ANALYZE. Times `weekly_report` (median of `--repeat` runs after one warm-up)
for one owner of each kind: the municipality with the most schools, a school board, a school, a
partnership and a neighbourhood team, counted now and read from the counts the worker keeps once
the week is over (`store_counts`), and prints a Markdown table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sz_bench SCHOOLZORG_DEBUG=1 \\
        .venv/bin/python scripts/bench_weekly.py [--entries 5000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "bench-weekoverzicht"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if "sz_bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("DATABASE_URL moet naar de benchdatabase (sz_bench) wijzen.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from schoolzorg.audit.anomalies import _bounds, store_counts, weekly_report
    from schoolzorg.audit.models import AccessLogEntry, WeekCounts
    from schoolzorg.audit.partitions import ensure_partitions, month_start
    from schoolzorg.audit.policies import Scope
    from schoolzorg.organisations.models import Organisation, School

    if connection.vendor != "postgresql":
        sys.exit("Alleen PostgreSQL.")
    today = dt.date.today()
    week = today - dt.timedelta(days=today.weekday() + 7)
    start, end = _bounds(week)
    ensure_partitions(start=month_start(week))
    present = AccessLogEntry.objects.filter(at__gte=start, at__lt=end, detail=MARK).count()
    if present < args.entries:
        print(f"[weekly] {args.entries - present:,} entries in de week van {week} schrijven")
        with connection.cursor() as cur:
            cur.execute("SELECT min(id), max(id) FROM organisations_organisation")
            first_org, last_org = cur.fetchone()
            cur.execute("SELECT min(id), max(id) FROM pupils_pupil")
            low, high = cur.fetchone()
            # Nine reads in ten are made by the child's own school, the rest by any organisation.
            cur.execute(
                "INSERT INTO audit_accesslogentry (at, user_id, user_label, role, organisation_id,"
                " organisation_label, pupil_id, action, object_type, object_id, basis, basis_ref,"
                " client_address, request_id, detail)"
                " SELECT %s::timestamptz + random() * (%s::timestamptz - %s::timestamptz),"
                " 1000000 + g %% 40000, 'Meetgebruiker ' || g %% 40000, 'support_coordinator',"
                " CASE WHEN random() < 0.9"
                " THEN (SELECT current_school_id FROM pupils_pupil WHERE id = pupil)"
                " ELSE %s + floor(random() * (%s - %s + 1))::bigint END, 'Meetorganisatie',"
                " pupil, 'view', 'pupils.Pupil', '', 'membership', '', NULL, '', %s"
                " FROM (SELECT g, %s + floor(random() * (%s - %s + 1))::bigint AS pupil"
                " FROM generate_series(1, %s) g) drawn",
                [
                    start,
                    end,
                    start,
                    first_org,
                    last_org,
                    first_org,
                    MARK,
                    low,
                    high,
                    low,
                    args.entries - present,
                ],
            )
            cur.execute("ANALYZE audit_accesslogentry")
    in_week = AccessLogEntry.objects.filter(at__gte=start, at__lt=end).count()

    biggest = (
        School.objects.values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("municipality_id", flat=True)
        .first()
    )
    if biggest is None:
        sys.exit("Geen scholen: seed eerst de landelijke data.")
    owners = [Organisation.objects.get(pk=biggest)] + [
        Organisation.objects.filter(kind=kind).order_by("pk")[5]
        for kind in ("school_board", "school", "partnership")
    ]
    team = Organisation.objects.filter(kind="neighbourhood_team").order_by("pk").first()
    if team is not None:
        owners.append(team)
    print(f"\nWeek van {week}: {in_week:,} entries in de log; mediaan van {args.repeat} keer.\n")
    print("| Owner | kind | entries in scope | counted now ms | counting once ms | kept ms |")
    print("|---|---|---:|---:|---:|---:|")

    def timed(scope: Scope) -> float:
        weekly_report(week, scope)  # warm-up
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            weekly_report(week, scope)
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)

    for owner in owners:
        scope = Scope.of(owner)
        WeekCounts.objects.filter(organisation_id=owner.pk, week_start=week).delete()
        total = weekly_report(week, scope).total
        now = timed(scope)
        began = time.perf_counter()
        store_counts(week, owner)
        once = (time.perf_counter() - began) * 1000
        kept = timed(scope)
        print(f"| {owner.name} | {owner.kind} | {total:,} | {now:.0f} | {once:.0f} | {kept:.0f} |")


if __name__ == "__main__":
    main()
