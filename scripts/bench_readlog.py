"""Does writing a read-log entry stay as fast with ~50 million entries as with none? (PostgreSQL)

1. Makes a scratch database (default `sz_bench_readlog`) with the schema of the bench database
   (`pg_dump --schema-only`, so triggers, indexes and partitions are whatever the code has now).
2. Times N real `record_access` calls, each in its own transaction as in a view: empty table.
3. Fills the table with INSERT ... SELECT generate_series in batches (entries spread evenly, in id
   order, over the previous 12 months and the whole current month, 50,000 pupils, 5,000 users),
   then ANALYZE. On a partitioned log the monthly partitions for those months are created first
   (`ensure_partitions`). The current month is filled as on its last day: the partition the
   timed inserts go to is as full as it ever gets (the worst case), like the twelve before it.
4. Times N calls again; writes the section "Read log at national volume" of docs/benchmarks.md.

    bench_readlog.py [--rows 50000000] [--samples 2000] [--pg postgres://postgres@127.0.0.1:5432]
                     [--database sz_bench] [--scratch sz_bench_readlog] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def log(msg: str) -> None:
    print(f"[readlog] {msg}", file=sys.stderr, flush=True)


# --- inside Django (subprocess with DATABASE_URL set) -------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def measure(samples: int) -> dict[str, Any]:
    _django()
    from django.db import connection, transaction
    from django.test import RequestFactory

    from schoolzorg.audit.models import Action
    from schoolzorg.audit.services import Basis, record_access

    class BenchUser:
        pk = 424242
        is_authenticated = True

        def __str__(self) -> str:
            return "Bench meter"

    request = RequestFactory().get("/leerlingen/1/", REMOTE_ADDR="127.0.0.1")
    request.user = BenchUser()  # type: ignore[assignment]
    basis = Basis("membership", "support_coordinator", 1, "Benchschool", "1")
    timings: list[float] = []
    for i in range(samples + 50):
        t0 = time.perf_counter()
        with transaction.atomic():
            record_access(request, action=Action.VIEW, pupil_id=1 + i % 50000, basis=basis)
        if i >= 50:  # the first ones warm the connection and the plan cache
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    with connection.cursor() as cur:
        # Leaves only: since PostgreSQL 14 a partitioned parent has its own reltuples (the total).
        cur.execute(
            "SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint "
            "FROM pg_partition_tree('audit_accesslogentry') t JOIN pg_class c ON c.oid = t.relid "
            "WHERE t.isleaf"
        )
        rows = int(cur.fetchone()[0])
        cur.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
            "ON c.oid = p.partrelid WHERE c.relname = 'audit_accesslogentry')"
        )
        partitioned = bool(cur.fetchone()[0])
        # A partitioned table has no storage of its own: add up its partitions.
        cur.execute(
            "SELECT pg_size_pretty(SUM(pg_total_relation_size(relid))), COUNT(*) FILTER "
            "(WHERE isleaf) FROM pg_partition_tree('audit_accesslogentry')"
        )
        size, leaves = cur.fetchone()
        cur.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint FROM audit_accesslogentry e "
            "JOIN pg_class c ON c.oid = e.tableoid ORDER BY e.id DESC LIMIT 1"
        )
        current, current_rows = cur.fetchone()
    return {
        "rows": rows,
        "partitioned": partitioned,
        "size": size,
        "partitions": int(leaves) if partitioned else 0,
        "current_partition": current,
        "current_partition_rows": int(current_rows),
        "samples": len(timings),
        "mean": statistics.fmean(timings),
        "p50": timings[len(timings) // 2],
        "p95": timings[int(len(timings) * 0.95)],
        "p99": timings[int(len(timings) * 0.99)],
        "load": os.getloadavg()[0],
    }


def fill(rows: int, batch: int) -> dict[str, Any]:
    _django()
    import datetime as dt

    from django.db import connection, models
    from django.utils import timezone

    from schoolzorg.audit.models import AccessLogEntry
    from schoolzorg.audit.partitions import add_months, ensure_partitions, month_start

    this_month = month_start(timezone.now().astimezone(dt.UTC).date())
    first_month, next_month = add_months(this_month, -12), add_months(this_month, 1)
    start = dt.datetime(first_month.year, first_month.month, 1, tzinfo=dt.UTC)
    end = dt.datetime(next_month.year, next_month.month, 1, tzinfo=dt.UTC)
    created = ensure_partitions(start=first_month)  # nothing on an unpartitioned table
    log(f"{len(created)} monthly partitions created for the fill")

    exprs: list[str] = []
    columns: list[str] = []
    for f in AccessLogEntry._meta.concrete_fields:
        if f.primary_key:
            continue
        name = f.column
        if name == "at":
            # Evenly from the first day of the month a year ago to the end of this month, rising
            # with the id as in real life: thirteen full monthly partitions.
            expr = (
                f"'{start.isoformat()}'::timestamptz + ((g - 1)::double precision / {rows}) "
                f"* ('{end.isoformat()}'::timestamptz - '{start.isoformat()}'::timestamptz)"
            )
        elif name == "pupil_id":
            expr = "1 + (g %% 50000)"
        elif name == "user_id":
            expr = "1 + (g %% 5000)"
        elif name == "organisation_id":
            expr = "1 + (g %% 700)"
        elif name == "action":
            expr = "'view'"
        elif f.null:
            expr = "NULL"
        elif isinstance(f, models.GenericIPAddressField):
            expr = "'127.0.0.1'"
        elif isinstance(f, models.BooleanField):
            expr = "false"
        elif isinstance(f, models.DateTimeField):
            expr = "now()"
        elif isinstance(f, models.DateField):
            expr = "current_date"
        elif isinstance(f, models.IntegerField | models.BigIntegerField | models.FloatField):
            expr = "0"
        elif isinstance(f, models.JSONField):
            expr = "'{}'::jsonb"
        elif name in {"user_label", "organisation_label"}:
            expr = "'Medewerker ' || (g %% 5000)"
        elif name == "basis":
            expr = "'membership'"
        elif name == "object_type":
            expr = "'pupils.Pupil'"
        elif name == "object_id":
            expr = "(1 + g %% 50000)::text"
        else:
            expr = "''"
        columns.append(f'"{name}"')
        exprs.append(expr)
    table = AccessLogEntry._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608 - names from the model
        f"SELECT {', '.join(exprs)} FROM generate_series(%s, %s) AS g"
    )
    started = time.monotonic()
    done = 0
    with connection.cursor() as cur:
        # Secondary indexes are dropped during the bulk load and rebuilt after it (a sorted
        # build is many times faster than 50 million random index inserts); the primary key
        # and indexes behind constraints stay. The measurement afterwards sees all of them.
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute("SET synchronous_commit = off")
        while done < rows:
            n = min(batch, rows - done)
            cur.execute(sql, [done + 1, done + n])
            done += n
            log(f"{done:,} rows ({time.monotonic() - started:.0f} s)")
        cur.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            log(f"rebuilding {name}")
            # A partitioned index is reported as "ON ONLY table": build it on every partition.
            cur.execute(definition.replace(" ON ONLY ", " ON ", 1))
        cur.execute(f'ANALYZE "{table}"')
    return {"rows": done, "seconds": time.monotonic() - started, "indexes": len(indexes)}


# --- orchestration ------------------------------------------------------------------------------


def run_inside(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    out.check_returncode()
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inside", choices=["measure", "fill"])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--batch", type=int, default=2_500_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sz_bench", help="where the schema comes from")
    parser.add_argument("--scratch", default="sz_bench_readlog")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    if args.inside == "measure":
        print(json.dumps(measure(args.samples)))
        return
    if args.inside == "fill":
        print(json.dumps(fill(args.rows, args.batch)))
        return

    admin = f"{args.pg}/postgres"

    def psql(url: str, sql: str) -> None:
        subprocess.run(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)

    psql(admin, f"DROP DATABASE IF EXISTS {args.scratch}")
    psql(admin, f"CREATE DATABASE {args.scratch}")
    schema = subprocess.run(
        ["pg_dump", "--schema-only", "--no-owner", f"{args.pg}/{args.database}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run(
        ["psql", f"{args.pg}/{args.scratch}", "-q", "-v", "ON_ERROR_STOP=1"],
        input=schema,
        check=True,
        text=True,
        stdout=subprocess.DEVNULL,
    )
    env = dict(os.environ, DATABASE_URL=f"{args.pg}/{args.scratch}")
    env.setdefault("SCHOOLZORG_DEBUG", "0")
    env.pop("SCHOOLZORG_BENCH_NO_READ_LOG", None)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    log("measuring on an empty table")
    empty = run_inside(env, "--inside", "measure", "--samples", str(args.samples))
    log(f"empty: {empty}")
    log(f"filling {args.rows:,} rows")
    filled = run_inside(
        env, "--inside", "fill", "--rows", str(args.rows), "--batch", str(args.batch)
    )
    log("measuring on the full table")
    full = run_inside(env, "--inside", "measure", "--samples", str(args.samples))
    log(f"full: {full}")
    if not args.keep:
        psql(admin, f"DROP DATABASE IF EXISTS {args.scratch}")

    def nl(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    def row(label: str, m: dict[str, Any]) -> str:
        return (
            f"| {label} | {nl(m['rows'])} | {m['size']} | {m['mean']:.2f} | {m['p50']:.2f} | "
            f"{m['p95']:.2f} | {m['p99']:.2f} | {m['load']:.1f} |"
        )

    ratio = full["p50"] / empty["p50"] if empty["p50"] else 0
    body = "\n".join(
        [
            f"Run {started} UTC. {args.samples} calls of the real `record_access`, each in its own "
            "transaction (as in a view, `synchronous_commit` on), after 50 warm-up calls. "
            f"Table partitioned by month: {'yes' if full['partitioned'] else 'no'}. "
            + (
                f"{full['partitions']} partitions (incl. the default one); the timed inserts go "
                f"to `{full['current_partition']}`, which held "
                f"{nl(full['current_partition_rows'])} rows in the full-table run. "
                if full["partitioned"]
                else ""
            )
            + f"Filling {nl(filled['rows'])} rows took {filled['seconds']:.0f} s "
            "(secondary indexes rebuilt after the load).",
            "",
            "| Table | rows | size | mean ms | p50 ms | p95 ms | p99 ms | load avg |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            row("empty", empty),
            row("national volume", full),
            "",
            f"Median insert time full/empty: {ratio:.2f}×. Reproduce: "
            "`scripts/bench.sh --readlog` or `scripts/bench_readlog.py`.",
        ]
    )
    print(body)
    if not args.no_doc:
        from bench import write_section

        write_section("Read log at national volume", body)


if __name__ == "__main__":
    main()
