"""Profile one benchmark page in-process: where does its CPU go?

Uses the JSON written by `bench_prepare.py` (sessions and paths) and Django's test client
against the same database and settings as the benchmark, so what it shows is what the
gunicorn workers do minus the HTTP server. Run with the environment `scripts/bench.sh` sets.

Usage: bench_profile.py PREP.json SCENARIO [-n 40] [--sort tottime|cumtime] [--top 40]
                        [--queries]   print the SQL of one request instead of profiling
                        [--plain]     only time the requests, without the profiler
                        [--callers F] who calls the functions matching F (a regex)
                        [--gc]        time spent in the cyclic garbage collector
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import config.wsgi  # noqa: E402, F401 - set up as a gunicorn worker is


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("prep")
    parser.add_argument("scenario")
    parser.add_argument("-n", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--callers", metavar="FUNCTION", help="who calls FUNCTION (a regex)")
    parser.add_argument("--gc", action="store_true", help="time the garbage collector")
    args = parser.parse_args()

    prep = json.loads(Path(args.prep).read_text())
    scenario = next(s for s in prep["scenarios"] if s["key"] == args.scenario)
    if scenario.get("method", "GET") != "GET":
        sys.exit("only GET pages can be profiled repeatedly")
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = prep["sessions"][scenario["user"]]
    paths = scenario["paths"]

    def request(i: int) -> None:
        response = client.get(paths[i % len(paths)])
        if response.status_code != 200:
            sys.exit(f"HTTP {response.status_code} for {paths[i % len(paths)]}")

    for i in range(3):  # warm caches, compiled templates
        request(i)

    if args.queries:
        with CaptureQueriesContext(connection) as ctx:
            request(0)
        for q in ctx.captured_queries:
            print(f"{q['time']:>6} {q['sql'][:400]}\n")
        print(f"{len(ctx.captured_queries)} queries")
        return

    collections: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            collections[info["generation"]].append(time.perf_counter() - started.pop())

    if args.gc:
        gc.callbacks.append(on_gc)

    profile = cProfile.Profile()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if not args.plain:
        profile.enable()
    for i in range(args.n):
        request(i)
    profile.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if args.gc:
        gc.callbacks.remove(on_gc)
        for generation, times in collections.items():
            print(
                f"gc generation {generation}: {len(times)} collections, "
                f"{sum(times) * 1000:.1f} ms in all, longest {max(times, default=0) * 1000:.1f} ms"
            )
        t = time.perf_counter()
        gc.collect()
        print(
            f"a full collection after the run: {(time.perf_counter() - t) * 1000:.1f} ms "
            f"({len(gc.get_objects())} objects walked, {gc.get_freeze_count()} frozen at start)"
        )
    if not args.plain:
        stats = pstats.Stats(profile).sort_stats(args.sort)
        if args.callers:
            stats.print_callers(args.callers)
        else:
            stats.print_stats(args.top)
    print(
        f"{args.scenario}: {args.n} requests, {cpu / args.n * 1000:.1f} ms CPU and "
        f"{wall / args.n * 1000:.1f} ms wall per request"
        + ("" if args.plain else " (under the profiler)")
    )


if __name__ == "__main__":
    main()
