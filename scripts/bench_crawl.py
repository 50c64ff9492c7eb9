"""Crawl the site as every role on the bench database: which pages are slow with national data?

`make bench` measures seven pages under load. This walks every page a user of each role can
reach by following links from the start page (GET only, at most `--per-route` pages per URL
pattern), in-process with Django's test client, and lists per page the wall time, CPU time and
number of queries. Pages whose cost grows with the amount of data show up at the top.

`make bench` runs it after the load runs. By hand: with the environment `scripts/bench.sh` sets,
after `bench_prepare.py` (it reuses the bench school, its cases, referrals and meeting):

    scripts/bench_crawl.py [--per-route 2] [--top 15] [--json OUT] [--write-doc]

The users it signs in (`bench-crawl-<role>@bench.example`) hold their role at the largest
organisations of the bench municipality: its biggest school board, partnership and school, the
municipality itself, and the bench school for the school roles (it has the cases). The
biggest school gets a care meeting of its own, so that its agenda builder is crawled too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_prepare as prep  # noqa: E402 - sets Django up
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

import config.wsgi  # noqa: E402, F401 - set up as a gunicorn worker is
from schoolzorg.accounts.roles import Role  # noqa: E402
from schoolzorg.audit.anomalies import store_last_week  # noqa: E402
from schoolzorg.organisations.models import (  # noqa: E402
    Municipality,
    NeighbourhoodTeam,
    OrganisationKind,
    Partnership,
    School,
    SchoolBoard,
    ServiceDesk,
    SocialWorkProvider,
    YouthHealthService,
)

HREF = re.compile(r'href="([^"#][^"]*)"')
SKIP = ("/static/", "/uitloggen/", "/beheer/", "/api/")


def _own(model: Any, municipality: Municipality, name: str) -> Any:
    """An organisation of a kind the national data has none of, in the bench municipality."""
    found = model.objects.filter(municipality=municipality, name=name).first()
    if found is None:
        kind = {
            SocialWorkProvider: OrganisationKind.SOCIAL_WORK_PROVIDER,
            YouthHealthService: OrganisationKind.YOUTH_HEALTH_SERVICE,
            ServiceDesk: OrganisationKind.SERVICE_DESK,
        }[model]
        found = model.objects.create(kind=kind, name=name, municipality=municipality)
    return found


def actors() -> dict[str, str]:
    """Role label → session key, one user per role at the largest organisations."""
    municipality = prep.pick_municipality()
    bench = prep.bench_school(municipality)
    schools = School.objects.filter(municipality=municipality).exclude(
        location_code__startswith="BENCH"
    )
    biggest = schools.annotate(n=Count("current_pupils")).order_by("-n").first()
    board = (
        SchoolBoard.objects.filter(schools__municipality=municipality)
        .annotate(n=Count("schools"))
        .order_by("-n")
        .first()
    )
    partnership = (
        Partnership.objects.filter(schools__municipality=municipality)
        .annotate(n=Count("schools"))
        .order_by("-n")
        .first()
    )
    team = NeighbourhoodTeam.objects.filter(name="Wijkteam Meetstad").first()
    smw = _own(SocialWorkProvider, municipality, "SMW Meetstad")
    jgz = _own(YouthHealthService, municipality, "JGZ Meetstad")
    desk = _own(ServiceDesk, municipality, "Servicepunt Meetstad")
    wanted: list[tuple[str, str, Any, Any]] = [
        ("coordinator", Role.SUPPORT_COORDINATOR, bench, None),
        ("coordinator-biggest-school", Role.SUPPORT_COORDINATOR, biggest, None),
        ("teacher", Role.TEACHER, bench, None),
        ("director", Role.SCHOOL_DIRECTOR, bench, None),
        ("partnership-contact", Role.PARTNERSHIP_CONTACT, partnership, biggest),
        ("social-worker", Role.SCHOOL_SOCIAL_WORKER, smw, bench),
        ("team-worker", Role.NEIGHBOURHOOD_TEAM_WORKER, team, None),
        ("team-leader", Role.TEAM_LEADER, team, None),
        ("nurse", Role.YOUTH_HEALTH_NURSE, jgz, bench),
        ("service-desk", Role.SERVICE_DESK_COORDINATOR, desk, None),
        ("analyst", Role.MUNICIPAL_ANALYST, municipality, None),
        ("privacy-municipality", Role.PRIVACY_OFFICER, municipality, None),
        ("privacy-partnership", Role.PRIVACY_OFFICER, partnership, None),
        ("privacy-board", Role.PRIVACY_OFFICER, board, None),
        ("admin-municipality", Role.FUNCTIONAL_ADMIN, municipality, None),
        ("admin-partnership", Role.FUNCTIONAL_ADMIN, partnership, None),
        ("admin-board", Role.FUNCTIONAL_ADMIN, board, None),
    ]
    sessions = {}
    for key, role, organisation, school in wanted:
        if organisation is None:
            print(f"[crawl] {key}: no organisation found, skipped", file=sys.stderr)
            continue
        user = prep.bench_user(f"crawl-{key}", role, organisation, school)
        sessions[f"{key} ({organisation.name})"] = prep.session_for(user)
        if key == "coordinator-biggest-school":
            # A care meeting at a real school of national size: its agenda builder shows what
            # the bench school (50 pupils) cannot.
            prep.ensure_meeting(organisation, [], user)
    return sessions


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _timed(client: Client, path: str) -> tuple[Any, dict[str, Any]]:
    with CaptureQueriesContext(connection) as ctx:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        body = response.content
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return response, {
        "path": path,
        "route": route_of(path),
        "status": response.status_code,
        "wall_ms": wall * 1000,
        "cpu_ms": cpu * 1000,
        "queries": len(ctx.captured_queries),
        "bytes": len(body),
    }


def crawl(session: str, per_route: int, limit: int) -> list[dict[str, Any]]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    seen: set[str] = set()
    per: Counter[str] = Counter()
    queue = deque([("/", "")])
    visits = []
    while queue and len(visits) < limit:
        path, source = queue.popleft()
        route = route_of(path)
        if path in seen or route is None or per[route] >= per_route:
            continue
        seen.add(path)
        per[route] += 1
        first = _timed(client, path)
        # Then the quicker of two more visits, as a user's next visit finds it (without the
        # odd garbage-collector pause, which the load runs' p99 shows).
        response, visit = min(
            (_timed(client, path) for _ in range(2)), key=lambda timed: timed[1]["wall_ms"]
        )
        visits.append({**visit, "first_ms": first[1]["wall_ms"], "from": source})
        if response.status_code >= 500:
            print(f"[crawl] {response.status_code} {path}", file=sys.stderr)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode("utf-8", "replace")):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith("/") and not href.startswith(SKIP) and href not in seen:
                queue.append((href, path))
    return visits


def report(results: list[dict[str, Any]], top: int, seconds: float) -> str:
    errors = [v for v in results if v["status"] >= 500]
    dead = [v for v in results if v["status"] == 404]
    actors = sorted({v["actor"] for v in results})
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds:.0f} s; "
        f"`scripts/bench_crawl.py` (run by `make bench`): {len(results)} pages reached by "
        f"following links from the start page as {len(actors)} users of every role, at most "
        "two pages per URL pattern, in-process (Django's test client, production settings) on "
        'the bench database. Each page is opened three times: "first" is the first visit (a '
        "new user: nothing prepared for their access rules yet), the rest the quicker of the "
        "next two.",
        "",
        f"Server errors: {len(errors)}. Links that lead to a 404: {len(dead)}.",
        "",
        "Slowest pages:",
        "",
        "| ms wall | ms CPU | first ms | queries | user | page |",
        "|---:|---:|---:|---:|---|---|",
    ]
    for v in sorted(results, key=lambda v: -v["wall_ms"])[:top]:
        lines.append(
            f"| {v['wall_ms']:.0f} | {v['cpu_ms']:.0f} | {v['first_ms']:.0f} | {v['queries']} "
            f"| {v['actor']} | `{v['path']}` |"
        )
    queries: dict[str, int] = {}
    for v in results:
        queries[v["route"]] = max(queries.get(v["route"], 0), v["queries"])
    most = sorted(queries.items(), key=lambda item: -item[1])[:6]
    lines += ["", "Most queries per page: " + ", ".join(f"`{r}` {n}" for r, n in most) + "."]
    lines += [f"- {v['status']} for {v['actor']}: `{v['path']}` on `{v['from']}`" for v in errors]
    lines += [f"- 404 for {v['actor']}: `{v['path']}` linked on `{v['from']}`" for v in dead]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-route", type=int, default=2)
    parser.add_argument("--limit", type=int, default=400, help="pages per role at most")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", help="write every visit to this file")
    parser.add_argument("--write-doc", action="store_true", help="into docs/benchmarks.md")
    args = parser.parse_args()

    started = time.perf_counter()
    sessions = actors()
    # What the worker does every hour: last week's read counts for each privacy officer's
    # organisation, so that the weekly report of a closed week is read, not counted.
    store_last_week()
    results = []
    for label, session in sessions.items():
        results += [{"actor": label, **v} for v in crawl(session, args.per_route, args.limit)]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    text = report(results, args.top, time.perf_counter() - started)
    print(text)
    if args.write_doc:
        from bench import write_section

        write_section("Crawl as every role (national data)", text)
    if any(v["status"] >= 500 for v in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
