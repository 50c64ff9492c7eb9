"""Every HTML page reached through the authorization matrix passes axe (WCAG 2.2 AA) in Chromium.

The world is built once and every spec's setup runs once on it (as in test_canary.py). Then each
GET route with `crawl=True` is opened in one browser page as ONE allowed actor: the first
signed-in actor of `matrix.ACTORS` in `spec.allowed`, or anonymous for routes only anonymous may
see. Two additions, so that pages are not hidden behind a redirect:

- when the first actor is sent elsewhere (e.g. the review page of a safety assessment sends its
  own author back to the read-only page), the next allowed actors are tried until one stays;
- routes anonymous may see as well (login page, privacy statement) are also opened as
  anonymous, since they look different without the menu.

A few pages outside the matrix are opened too (`EXTRA`): the 404 page, the second-factor
setup page of a user without an authenticator app, and the admin's start page, a list with
filters and the membership form with autocomplete boxes (as the functional administrator).

Each page is checked at desktop width and at 320 CSS pixels wide (reflow, WCAG 1.4.10), and
there it may be no wider than the window.
Responses that are not full HTML pages (CSV, PDF, ICS, JSON, htmx fragments) are skipped and
listed. A 5xx answer fails the test. All axe violations are collected over the whole crawl and
reported together at the end, so one run shows everything. Run with `-s` to see which pages
were checked and which were skipped.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import AXE_OPTIONS
from schoolzorg.audit import matrix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page is checked as a desktop shows it and at 320 CSS pixels wide (WCAG 1.4.10, reflow:
# a phone, or a desktop zoomed to 400 %), where wide tables start to scroll sideways.
VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 320, "height": 640})
# Two animation frames: the page is laid out again at the new width before axe looks.
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
RUN_AXE = "options => axe.run(document, options)"
# Reflow, which axe does not check: the page itself is no wider than the window (a wide table
# scrolls in its own box).
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
NEW_USER = "new_user"  # signed in with a password, no authenticator app yet (EXTRA only)


@dataclass(frozen=True)
class Visit:
    route: str
    label: str
    actors: tuple[str, ...]  # tried in order; the first that is not redirected elsewhere wins
    path: str  # path plus query
    status: int = 200  # the expected answer


ExtraAfter = dict[int, dict[str, Any]]


def _new_user_client(world: matrix.World) -> Client:
    from schoolzorg.accounts.models import User

    user = User.objects.create_user(
        email="nieuw@matrix.example", password="x" * 12, full_name="Matrix nieuw"
    )
    client = Client()
    client.force_login(user)
    return client


# Pages the matrix does not reach as full pages, with who sees them.
EXTRA: list[tuple[str, str, Callable[[matrix.World], str], int]] = [
    ("404-pagina", "coordinator", lambda w: "/leerlingen/999999/", 404),
    ("accounts:setup", NEW_USER, lambda w: reverse("accounts:setup"), 200),
    # The service desk's own views of shared routes (the matrix crawls them as the first
    # allowed actor, a school or team member); `referrals/tests/matrix.py` escalates one
    # referral to level 4, so both show content.
    ("home (servicepunt)", "service_desk", lambda w: reverse("home"), 200),
    ("referrals:inbox (servicepunt)", "service_desk", lambda w: reverse("referrals:inbox"), 200),
    # The analyst's "Mijn werk": roles and the pointer to the figures.
    ("home (analist)", "analyst", lambda w: reverse("home"), 200),
    # The admin (`/beheer/`), outside the matrix, as the functional administrator: its start
    # page, a list with filters, and the form with autocomplete boxes.
    ("admin:index", "functional_admin", lambda w: reverse("admin:index"), 200),
    (
        "admin:accounts_membership_changelist",
        "functional_admin",
        lambda w: reverse("admin:accounts_membership_changelist"),
        200,
    ),
    (
        "admin:accounts_membership_add",
        "functional_admin",
        lambda w: reverse("admin:accounts_membership_add"),
        200,
    ),
    # An account with its memberships, each with autocomplete boxes.
    (
        "admin:accounts_user_change",
        "functional_admin",
        lambda w: reverse("admin:accounts_user_change", args=[w.user("coordinator").pk]),
        200,
    ),
]


def _path(name: str, spec: matrix.RouteSpec, world: matrix.World) -> str | None:
    try:
        url = reverse(name, kwargs=spec.kwargs(world) or None)
    except NoReverseMatch:
        return None  # a spec for a route that does not exist: the matrix test flags it
    parts = [spec.query] if spec.query else []
    if spec.data is not None and spec.data(world):
        parts.append(urlencode(spec.data(world), doseq=True))
    return f"{url}?{'&'.join(parts)}" if parts else url


def _plan_visits(
    world: matrix.World,
    specs: dict[str, list[matrix.RouteSpec]],
    extra_after: dict[int, dict[str, Any]],
) -> list[Visit]:
    visits: list[Visit] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for name, spec_list in sorted(specs.items()):
        for spec in spec_list:
            if spec.method.upper() != "GET" or not spec.crawl:
                continue
            own = dataclasses.replace(world, extra=extra_after.get(id(spec.setup), world.extra))
            path = _path(name, spec, own)
            if path is None:
                continue
            signed_in = tuple(
                a for a in matrix.ACTORS if a != matrix.ANONYMOUS and a in spec.allowed
            )
            groups = [signed_in] if signed_in else []
            if matrix.ANONYMOUS in spec.allowed:
                groups.append((matrix.ANONYMOUS,))
            for actors in groups:
                if (path, actors) not in seen:  # the same URL from another spec of the route
                    seen.add((path, actors))
                    visits.append(Visit(name, spec.label, actors, path))
    for name, actor, path, status in EXTRA:
        visits.append(Visit(name, "buiten de matrix", (actor,), path(world), status))
    return visits


def _final_path(response: Any) -> str:
    query = response.request.get("QUERY_STRING", "")
    return response.request["PATH_INFO"] + (f"?{query}" if query else "")


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _describe(violation: dict[str, Any]) -> str:
    targets = [", ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
    shown = "; ".join(targets[:5]) + (f"; ... (+{len(targets) - 5})" if len(targets) > 5 else "")
    return f"    {violation['id']} ({violation.get('impact')}): {violation['help']}\n      {shown}"


def crawl_world() -> tuple[matrix.World, dict[str, list[matrix.RouteSpec]], ExtraAfter]:
    """One world in which every spec's setup has run once, with the figures computed.

    Setups of different apps use the same keys in `world.extra` ("draft", "case"), so each spec's
    URL is built from `extra` as it was right after its own setup ran (the third value, keyed by
    the setup's id).
    """
    from schoolzorg.reports.services import refresh_figures

    # A transactional test starts from a flushed database when another one ran before it: load
    # the shipped instrument definitions again, as the data migration did.
    call_command("load_instruments", stdout=StringIO())
    world = matrix.build_world()
    specs = matrix.load_specs()
    extra_after: ExtraAfter = {}
    for spec_list in specs.values():
        for spec in spec_list:
            if spec.setup is not None and id(spec.setup) not in extra_after:
                spec.setup(world)
                extra_after[id(spec.setup)] = dict(world.extra)
    refresh_figures()  # the figures page with numbers in its tables, not "not computed yet"
    return world, specs, extra_after


def client_pool(world: matrix.World) -> Callable[[str], Client]:
    """A signed-in test client per actor, made once on first use."""
    clients: dict[str, Client] = {}

    def client(actor: str) -> Client:
        if actor not in clients:
            clients[actor] = (
                _new_user_client(world)
                if actor == NEW_USER
                else matrix.signed_in_client(world.user(actor))
            )
        return clients[actor]

    return client


def test_every_page_passes_axe(page: Any, live_server: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    started = time.monotonic()
    world, specs, extra_after = crawl_world()
    client = client_pool(world)

    axe_script = Axe().axe_script
    base_url = live_server.url
    in_browser: str | None = None  # whose session cookie the browser holds
    checked: list[str] = []
    skipped: list[str] = []
    server_errors: list[str] = []
    violations: list[str] = []
    checked_pages: dict[tuple[str, str], str] = {}  # (path, actor) -> route first checked there

    for visit in _plan_visits(world, specs, extra_after):
        # Look first with the test client: a download would abort page.goto(), and a redirect
        # means the next allowed actor may see the page itself.
        actor, response = visit.actors[0], None
        for candidate in visit.actors:
            try:
                probe = client(candidate).get(visit.path, follow=True)
            except Exception as exc:  # a crash is a 500: note it and go on with the crawl
                server_errors.append(f"{visit.route} als {candidate}: {visit.path}: {exc!r:.300}")
                break
            stays = not probe.redirect_chain and probe.status_code < 400
            if response is None or stays:
                actor, response = candidate, probe
            if stays:
                break
        if response is None:
            continue
        who = f"{visit.route} [{visit.label}] als {actor}: {visit.path}"
        final_path = _final_path(response)
        status = response.status_code
        content_type = response.get("Content-Type", "")
        if status >= 500:
            server_errors.append(f"{who} -> {status}")
            continue
        if "text/html" not in content_type:
            skipped.append(f"{who}: geen HTML ({content_type or 'geen content-type'})")
            continue
        if b"<html" not in _body(response).lower():
            skipped.append(f"{who}: HTML-fragment zonder <html> (htmx)")
            continue
        if status != visit.status:
            skipped.append(f"{who}: antwoordde {status} (de matrixtest bewaakt de toegang)")
            continue
        redirected = f" (doorgestuurd naar {final_path})" if final_path != visit.path else ""
        key = (final_path, actor)
        if key in checked_pages:
            skipped.append(f"{who}{redirected}: al gecontroleerd bij {checked_pages[key]}")
            continue
        checked_pages[key] = visit.route

        if actor != in_browser:
            page.context.clear_cookies()
            if actor != matrix.ANONYMOUS:
                cookie = client(actor).cookies[settings.SESSION_COOKIE_NAME]
                page.context.add_cookies(
                    [{"name": cookie.key, "value": cookie.value, "url": base_url}]
                )
            in_browser = actor
        if page.viewport_size != VIEWPORTS[0]:
            page.set_viewport_size(VIEWPORTS[0])
        page_response = page.goto(base_url + visit.path)
        if page_response is not None and page_response.status >= 500:
            server_errors.append(f"{who} -> {page_response.status} (in de browser)")
            continue
        checked.append(f"{who}{redirected}")
        page.evaluate(axe_script)  # once per page, for both widths
        for viewport in VIEWPORTS:
            if viewport != page.viewport_size:
                page.set_viewport_size(viewport)
                page.evaluate(NEXT_FRAME)
            found = page.evaluate(RUN_AXE, AXE_OPTIONS).get("violations", [])
            width = f" ({viewport['width']} px breed)"
            if found:
                violations.append(
                    f"{who}{redirected}{width}\n" + "\n".join(_describe(v) for v in found)
                )
            if (scrolls := page.evaluate(PAGE_WIDTH)) > viewport["width"]:
                violations.append(f"{who}{redirected}{width}\n  de pagina is {scrolls} px breed")

    seconds = time.monotonic() - started
    print(f"\naxe-crawl: {len(checked)} pagina's gecontroleerd in {seconds:.0f}s")
    for line in checked:
        print(f"  gecontroleerd: {line}")
    print(f"axe-crawl: {len(skipped)} overgeslagen")
    for line in skipped:
        print(f"  overgeslagen: {line}")

    assert checked, "no page was checked"
    problems = []
    if server_errors:
        problems.append("Serverfouten:\n" + "\n".join(f"  {e}" for e in server_errors))
    if violations:
        problems.append(
            f"axe-overtredingen op {len(violations)} pagina's:\n" + "\n".join(violations)
        )
    assert not problems, "\n\n".join(problems)
