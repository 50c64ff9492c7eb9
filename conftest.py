"""Shared test fixtures: users with roles, signed-in clients, and a real Chromium for browser tests.

Browser tests live in files named `test_browser_*.py` and use `page` + `axe_check`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is right in production and far too slow for thousands of test logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> None:
    # Each test starts with an empty cache (figures, menus). The menu is cached per user for a
    # minute; tests look at its counts right after a change, so it is not cached in tests.
    from django.core.cache import cache

    from schoolzorg.reports.figures import forget_figures

    cache.clear()
    forget_figures()
    settings.NAVIGATION_CACHE_SECONDS = 0


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    # A task enqueued in a test runs at once (Django's ImmediateBackend), so the e-mails that
    # `notify` enqueues after commit are in `mail.outbox` when the on-commit callbacks ran.
    # `accounts/tests/test_mail_queue.py` puts the database queue back and runs `db_worker`,
    # as production does.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _fresh_school_calendar() -> Iterator[None]:
    # Working days are cached per process; a rolled-back test must not leave its calendar behind.
    from schoolzorg.calendars.workingdays import clear_cache

    clear_cache()
    yield
    clear_cache()


def login_verified(client: Client, user: Any) -> Client:
    """Sign a user in as if they passed password and second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from schoolzorg.accounts.middleware import SESSION_STARTED_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_STARTED_KEY] = __import__("time").time()
    session["sz_reauth_at"] = __import__("time").time()
    session.save()
    return client


def two_digit_date(after: dt.date) -> dt.date:
    """The first day after `after` whose day and month both have two digits: the longest date
    a PDF prints (14-11-2027)."""
    day = after + dt.timedelta(days=1)
    while day.day < 10 or day.month < 10:
        day += dt.timedelta(days=1)
    return day


def weekday(day: dt.date, *, before: bool = False) -> dt.date:
    """`day`, or the Monday after it (`before`: the Friday before it) when it is in a weekend: a
    due day the school side and the team may have (`plans.services.closed_due_day`), on
    whatever day the tests run. Holidays are only in the database of a test that adds them."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=-1 if before else 1)
    return day


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The text of a PDF as poppler's `pdftotext` reads it: with `layout`, each printed line as a
    line, so a word or a date split over two lines shows as two pieces."""
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")  # poppler-utils
    assert pdftotext, "pdftotext (poppler-utils) is needed for this test"
    mode = "-layout" if layout else "-raw"
    return subprocess.run(  # noqa: S603 - a fixed tool on our own PDF
        [pdftotext, mode, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def assert_asks_to_confirm_first(client: Client, url: str) -> None:
    """With the last confirmation of password and code long ago, `url` sends the user to
    confirm them again and back; nothing is logged as read before that."""
    from schoolzorg.audit.models import AccessLogEntry

    session = client.session
    session["sz_reauth_at"] = __import__("time").time() - 3600
    session.save()
    before = AccessLogEntry.objects.count()
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/inloggen/bevestigen/?next="), response["Location"]
    assert AccessLogEntry.objects.count() == before


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        return login_verified(Client(), user)

    return make


@pytest.fixture
def member(db: None) -> Callable[..., Any]:
    """Create a user holding one role: `member(Role.TEACHER, school, group="6")`."""
    from schoolzorg.accounts.models import Membership, User

    counter = {"n": 0}

    def make(
        role: str,
        organisation: Any,
        *,
        school: Any = None,
        group: str = "",
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        user: Any = None,
    ) -> Any:
        counter["n"] += 1
        if user is None:
            user = User.objects.create_user(
                email=f"{role}-{counter['n']}@test.example",
                password="x" * 12,
                full_name=f"Test {role} {counter['n']}",
            )
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            school=school,
            group=group,
            valid_from=valid_from or dt.date(2020, 1, 1),
            valid_until=valid_until,
        )
        return user

    return make


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    executable = os.environ.get("SCHOOLZORG_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        if os.environ.get("SCHOOLZORG_STRICT") == "1":
            pytest.fail(f"Chromium ontbreekt op {executable} en SCHOOLZORG_STRICT=1.")
        pytest.skip(f"Chromium ontbreekt op {executable}.")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_browser: Any, live_server: Any) -> Iterator[Any]:
    context = _browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def axe_check() -> Callable[[Any], None]:
    """Run axe (WCAG 2.2 AA rules) on the current page and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(pg: Any) -> None:
        results = axe.run(pg, options=AXE_OPTIONS)
        if results.violations_count:
            pytest.fail(f"axe op {pg.url}:\n{results.generate_report()}")

    return check


@pytest.fixture
def browser_login() -> Callable[..., None]:
    """Sign in through the real login form and second-factor page."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def do(pg: Any, user: Any, password: str = "x" * 12) -> None:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        pg.goto(pg.base_url + "/inloggen/")
        pg.get_by_label("E-mailadres").fill(user.email)
        pg.get_by_label("Wachtwoord").fill(password)
        pg.get_by_role("button", name="Inloggen").click()
        pg.wait_for_url("**/inloggen/code/")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        pg.get_by_label("Code").fill(f"{totp.token():06d}")
        pg.get_by_role("button", name="Controleren").click()
        pg.wait_for_url(pg.base_url + "/")

    return do
