"""What the crawl cannot reach passes axe (WCAG 2.2 AA) in Chromium: errors and answers to a POST.

test_browser_axe_crawl.py opens every page reached by GET through the authorization matrix. This
module opens the states that only appear when something goes wrong, or after a form was sent:

- the error pages 400, 403, 404, 405 and 500, through the project's own handlers (error_urls.py adds
  views that fail on purpose), and the page for a missing CSRF token; each as an anonymous
  visitor and as a signed-in user, since the header differs;
- the login page after a wrong password and after an empty form, the second step after a wrong
  code, and the page of django-axes after too many wrong passwords;
- every form on a page the crawl reaches: a `<form method="post">` with at least one field a
  person fills in (sign-out and one-button forms are left out), emptied and sent in the browser.
  Each form target is sent once, by the first of the page's allowed actors who sees it;
- an instrument with texts over the maximum length;
- the integral plan changed by a colleague while being edited (409), minutes changed by a
  colleague while being typed (409), a referral's draft changed by a colleague in the section
  being typed in (the autosave's note, then 409), and a decision sent twice.

Every resulting page is checked with axe at desktop width and at 320 CSS pixels. A page that
shows form errors is also checked by hand (`ERROR_MARKUP`): the error summary at the top has
keyboard focus, each invalid field is marked aria-invalid="true" and points at its own message
with aria-describedby (itself or through its fieldset), every field marked invalid points at a
message, and no id appears twice. Run with `-s` to see each state that was checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import AXE_OPTIONS, weekday
from schoolzorg.audit import matrix
from schoolzorg.audit.tests.test_browser_axe_crawl import (
    NEXT_FRAME,
    RUN_AXE,
    VIEWPORTS,
    _describe,
    _plan_visits,
    client_pool,
    crawl_world,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGOUT_PATH = "/uitloggen/"

# Which forms count: sent with POST, not signing out, with at least one field to fill in.
# The same rule in Python (`_FormCounter`) picks the pages to open.
CANDIDATE_FORMS = """
() => [...document.forms].filter(form =>
  form.method === "post"
  && new URL(form.action, location.href).pathname !== "/uitloggen/"
  && [...form.elements].some(el => el.matches(
    "textarea, select, input:not([type=hidden]):not([type=submit]):not([type=button])"
    + ":not([type=reset]):not([type=image])")))
"""


def _with_forms(function: str) -> str:
    """A function for page.evaluate that can call `candidateForms()`."""
    return (
        f"arg => {{ const candidateForms = {CANDIDATE_FORMS.strip()};\n"
        f"return ({function.strip()})(arg); }}"
    )


# Empty every field a person fills in of form `index`; hidden fields (the CSRF token, a version
# number) stay.
EMPTY_FORM = _with_forms("""
index => {
  for (const el of candidateForms()[index].elements) {
    if (el.disabled || ["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    if (el.tagName === "SELECT") {
      for (const option of el.options) option.selected = false;
      el.selectedIndex = -1;
    } else if (el.type === "checkbox" || el.type === "radio") {
      el.checked = false;
    } else {
      el.value = "";
    }
  }
}
""")

# Fill in every text, date and select of form `index` with something that looks valid.
FILL_FORM = _with_forms("""
([index, text, date]) => {
  for (const el of candidateForms()[index].elements) {
    if (el.disabled || ["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    if (el.tagName === "SELECT") {
      const option = [...el.options].find(o => o.value);
      if (option) el.value = option.value;
    } else if (el.type === "date") {
      el.value = date;
    } else if (!["checkbox", "radio", "file"].includes(el.type)) {
      el.value = text;
    }
  }
}
""")

# Send form `index` with the browser's own checks off, by its submit button of value `action`,
# or by its last one (the main action where a form has two). Returns what was sent, for the
# report. `SETTLED` says when the answer is in: a new document, or htmx's swap.
SEND_FORM = _with_forms("""
([index, action]) => {
  const form = candidateForms()[index];
  window.__szBefore = true;
  document.addEventListener("htmx:afterSettle", () => { window.__szSettled = true; });
  document.addEventListener("htmx:afterRequest", e => {
    if (!e.detail.successful) window.__szSettled = true;  // htmx swaps no error answer
  });
  form.noValidate = true;
  const buttons = [...form.elements].filter(el => el.type === "submit");
  const submitter = action === null
    ? buttons[buttons.length - 1] : buttons.find(el => el.value === action);
  form.requestSubmit(submitter);
  const name = submitter ? (submitter.textContent || submitter.value).trim() : "";
  return `${form.getAttribute("action") || "(zelfde adres)"} met "${name.replace(/\\s+/g, " ")}"`;
}
""")
SETTLED = "() => window.__szBefore === undefined || window.__szSettled === true"

# The same form sent twice, as a double click without JavaScript would (no htmx header). The
# redirects are not followed, so the messages wait in the session for the next page.
SEND_TWICE = _with_forms("""
async index => {
  const form = candidateForms()[index];
  const data = new FormData(form);
  for (const _ of [1, 2]) await fetch(form.action, {method: "POST", body: data, redirect: "manual"});
}
""")

# The path a form `index` is sent to.
FORM_ACTION = _with_forms("index => new URL(candidateForms()[index].action).pathname")
COUNT_FORMS = _with_forms("() => candidateForms().length")

# Checks by hand what axe cannot judge about a page with form errors. Returns null when the page
# shows no form errors, otherwise the list of problems (empty when all is well).
ERROR_MARKUP = """
() => {
  const invalid = [...document.querySelectorAll(".form-field--invalid")];
  const summaries = [...document.querySelectorAll(".error-summary")];
  if (!invalid.length && !summaries.length) return null;
  const problems = [];
  const name = el => !el ? "niets" : el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
  const label = el => (el.labels && el.labels.length) ? el.labels[0].textContent.trim() : name(el);
  const ids = el => (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
  // A control is described by its own aria-describedby and by that of its group's fieldset.
  const described = el => {
    const group = el.closest("fieldset[aria-describedby]");
    return new Set([...ids(el), ...(group ? ids(group) : [])]);
  };
  if (!summaries.length) problems.push("foutmeldingen zonder samenvatting bovenaan het formulier");
  for (const summary of summaries) {
    if (summary.getAttribute("tabindex") !== "-1") problems.push("samenvatting kan geen focus krijgen");
    if (!summary.textContent.trim()) problems.push("lege samenvatting");
  }
  if (summaries.length && document.activeElement !== summaries[0])
    problems.push("focus staat op " + name(document.activeElement) + ", niet op de samenvatting");
  const controls = "input:not([type=hidden]), select, textarea";
  for (const field of invalid) {
    const messages = [...field.querySelectorAll(".error")];
    if (!messages.length) { problems.push(name(field) + ": gemarkeerd als fout, zonder melding"); continue; }
    for (const message of messages) {
      if (!message.id) { problems.push(name(field) + ": foutmelding zonder id"); continue; }
      const tied = [...field.querySelectorAll(controls)].filter(
        el => el.getAttribute("aria-invalid") === "true" && described(el).has(message.id));
      if (!tied.length) problems.push(`${name(field)}: geen veld met aria-invalid="true" `
        + `en aria-describedby naar "${message.id}"`);
    }
  }
  // A message is ours (.error) or, in the admin, Django's own list of a field's errors.
  const isMessage = m => m && (m.classList.contains("error") || m.classList.contains("errorlist"));
  for (const el of document.querySelectorAll("[aria-invalid=true]")) {
    const messages = [...described(el)].map(id => document.getElementById(id))
      .filter(m => isMessage(m) && m.textContent.trim());
    if (!messages.length) problems.push(`${label(el)}: aria-invalid zonder foutmelding in aria-describedby`);
  }
  const unique = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (unique.has(el.id)) problems.push(`id "${el.id}" komt twee keer voor`);
    unique.add(el.id);
  }
  return [...new Set(problems)];
}
"""


@dataclasses.dataclass
class Report:
    """What the browser saw, collected over one test and reported together at its end."""

    page: Any
    base_url: str
    axe_script: str
    checked: list[str] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    with_errors: int = 0

    def goto(self, path: str) -> Any:
        if self.page.viewport_size != VIEWPORTS[0]:
            self.page.set_viewport_size(VIEWPORTS[0])
        return self.page.goto(self.base_url + path)

    def check(self, who: str, *, form_errors: bool | None = None) -> None:
        """Axe at both widths; the error markup by hand (`form_errors`: whether there must be some)."""
        page = self.page
        page.evaluate(NEXT_FRAME)
        markup = page.evaluate(ERROR_MARKUP)
        if markup is not None:
            self.with_errors += 1
            self.problems.extend(f"{who}: {problem}" for problem in markup)
        if form_errors is True and markup is None:
            self.problems.append(f"{who}: toont geen foutmeldingen bij de velden")
        if form_errors is False and markup is not None:
            self.problems.append(f"{who}: toont onverwacht foutmeldingen")
        self.checked.append(who + (" (met foutmeldingen)" if markup is not None else ""))
        page.evaluate(self.axe_script)
        for viewport in VIEWPORTS:
            if viewport != page.viewport_size:
                page.set_viewport_size(viewport)
                page.evaluate(NEXT_FRAME)
            found = page.evaluate(RUN_AXE, AXE_OPTIONS).get("violations", [])
            if found:
                self.problems.append(
                    f"{who} ({viewport['width']} px breed)\n" + "\n".join(map(_describe, found))
                )
        page.set_viewport_size(VIEWPORTS[0])

    def sign_in_browser(self, client: Client | None) -> None:
        self.page.context.clear_cookies()
        if client is not None:
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            self.page.context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
            )

    def finish(self, title: str, started: float) -> None:
        print(
            f"\n{title}: {len(self.checked)} toestanden × {len(VIEWPORTS)} breedtes "
            f"gecontroleerd in {time.monotonic() - started:.0f}s "
            f"({self.with_errors} met foutmeldingen)"
        )
        for line in self.checked:
            print(f"  gecontroleerd: {line}")
        for line in self.skipped:
            print(f"  overgeslagen: {line}")
        assert self.checked, "no state was checked"
        assert not self.problems, f"{len(self.problems)} problemen:\n" + "\n".join(self.problems)


@pytest.fixture
def report(page: Any, live_server: Any) -> Iterator[Report]:
    from axe_playwright_python.sync_playwright import Axe

    yield Report(page, live_server.url, Axe().axe_script)


def _wait_until_settled(page: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            settled = page.evaluate(SETTLED)
        except Exception:  # the old document went away mid-evaluation: a new one is loading
            settled = False
        if settled:
            break
        page.wait_for_timeout(50)
    else:
        raise TimeoutError("het formulier kreeg geen antwoord")
    page.wait_for_load_state("load")


def _send(page: Any, index: int, action: str | None = None) -> str:
    """Send form `index` as it is now and wait for the answer; say what was sent."""
    sent: str = page.evaluate(SEND_FORM, [index, action])
    _wait_until_settled(page)
    return sent


def _submit_empty(page: Any, index: int) -> str:
    page.evaluate(EMPTY_FORM, index)
    return _send(page, index)


# --- Error pages and signing in ---------------------------------------------------------


def _user_with_role() -> Any:
    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    user = User.objects.create_user(
        email="fouten@test.example", password="x" * 12, full_name="Fien Fouten"
    )
    Membership.objects.create(
        user=user,
        organisation=SchoolFactory(name="Foutenschool"),
        role=Role.SUPPORT_COORDINATOR,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


# A form without a CSRF token, sent from the browser: what a page open past its session, or a
# form from another site, would send.
POST_WITHOUT_TOKEN = """
path => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = path;
  document.body.append(form);
  form.submit();
}
"""


def test_error_pages_pass_axe(report: Report, settings: Any) -> None:
    settings.ROOT_URLCONF = "schoolzorg.audit.tests.error_urls"
    started = time.monotonic()
    user = _user_with_role()
    page = report.page
    for who, client in (("anoniem", None), ("ingelogd", matrix.signed_in_client(user))):
        report.sign_in_browser(client)
        for path, status in (
            ("/testfout/400/", 400),
            ("/testfout/403/", 403),
            ("/bestaat-niet/", 404),
            ("/uitloggen/", 405),
            ("/testfout/500/", 500),
        ):
            response = report.goto(path)
            if response is None or response.status != status:
                got = response.status if response is not None else "geen antwoord"
                report.problems.append(f"{path} als {who}: verwacht {status}, kreeg {got}")
                continue
            report.check(f"{status}-pagina als {who}: {path}", form_errors=False)
        report.goto("/privacy/")
        with page.expect_navigation():
            page.evaluate(POST_WITHOUT_TOKEN, "/inloggen/" if client is None else "/account/")
        body = page.locator("body").inner_text()
        if "niet verstuurd" not in body:
            report.problems.append(
                f"CSRF-pagina als {who}: niet de Nederlandse pagina: {body:.200}"
            )
        report.check(f"CSRF-foutpagina als {who}", form_errors=False)
    report.finish("axe-foutpagina's", started)


def test_login_states_pass_axe(report: Report) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    started = time.monotonic()
    user = _user_with_role()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page = report.page

    report.goto("/inloggen/")
    _submit_empty(page, 0)
    report.check("inloggen, leeg verstuurd", form_errors=True)

    def sign_in(password: str) -> None:
        report.goto("/inloggen/")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state("load")

    sign_in("verkeerd-wachtwoord")
    report.check("inloggen, verkeerd wachtwoord", form_errors=True)

    sign_in("x" * 12)
    page.wait_for_url("**/inloggen/code/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("load")
    report.check("tweede stap, verkeerde code", form_errors=True)
    _submit_empty(page, 0)
    report.check("tweede stap, leeg verstuurd", form_errors=True)

    report.sign_in_browser(None)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in("nog-steeds-verkeerd")
        if "geblokkeerd" in page.title().lower():
            break
    else:
        report.problems.append("na te veel verkeerde wachtwoorden geen blokkadepagina")
    report.check("inloggen geblokkeerd (django-axes)", form_errors=False)
    report.finish("axe-inloggen", started)


# --- Forms sent empty -----------------------------------------------------------------------


class _FormCounter(HTMLParser):
    """Count the forms `CANDIDATE_FORMS` picks in a page's HTML, with their action."""

    FIELD_INPUTS = frozenset({"hidden", "submit", "button", "reset", "image"})

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, bool]] = []  # (action, has a field to fill in)
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._open = values.get("method", "get").lower() == "post"
            if self._open:
                self.forms.append((values.get("action", ""), False))
        elif self._open and (
            tag in ("select", "textarea")
            or (tag == "input" and values.get("type", "text").lower() not in self.FIELD_INPUTS)
        ):
            self.forms[-1] = (self.forms[-1][0], True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False

    def candidates(self, page_path: str) -> list[str]:
        """The target path of each form the browser will send, in document order."""
        found = []
        for action, has_field in self.forms:
            target = urlsplit(action).path or urlsplit(page_path).path
            if has_field and target != LOGOUT_PATH:
                found.append(target)
        return found


def _route_of(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


@dataclasses.dataclass(frozen=True)
class FormVisit:
    page_route: str
    page_path: str
    actor: str
    index: int  # among the page's candidate forms
    target_route: str


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return bytes(response.content).decode()


def _form_visits(
    world: matrix.World,
    specs: dict[str, list[matrix.RouteSpec]],
    extra_after: dict[int, dict[str, Any]],
    client: Any,
) -> list[FormVisit]:
    """Each form target once, from the pages the crawl opens, as the first actor who sees it.

    Every allowed actor of a page is asked, since a page shows each actor their own forms (the
    referral's moves of the school differ from those of the neighbourhood team). Targets count
    as the same when only their numbers differ.
    """
    visits: list[FormVisit] = []
    seen_targets: set[str] = set()
    seen_pages: set[tuple[str, str]] = set()
    for visit in _plan_visits(world, specs, extra_after):
        for actor in visit.actors:
            response = client(actor).get(visit.path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if (visit.path, actor) in seen_pages:
                continue
            seen_pages.add((visit.path, actor))
            counter = _FormCounter()
            counter.feed(_body(response))
            for index, target in enumerate(counter.candidates(visit.path)):
                shape = re.sub(r"/\d+/", "/<n>/", target)
                if shape in seen_targets:
                    continue
                seen_targets.add(shape)
                visits.append(FormVisit(visit.route, visit.path, actor, index, _route_of(target)))
    return visits


def test_forms_sent_empty_pass_axe(report: Report) -> None:
    started = time.monotonic()
    world, specs, extra_after = crawl_world()
    client = client_pool(world)

    discovery = time.monotonic()
    visits = _form_visits(world, specs, extra_after, client)
    print(f"\n{len(visits)} formulieren gevonden in {time.monotonic() - discovery:.0f}s")
    page = report.page
    in_browser: str | None = None
    statuses: dict[str, int] = {}
    page.on(
        "response",
        lambda r: statuses.__setitem__("post", r.status) if r.request.method == "POST" else None,
    )
    for visit in visits:
        who = (
            f"{visit.target_route} als {visit.actor} "
            f"(formulier {visit.index + 1} op {visit.page_path})"
        )
        if visit.actor != in_browser:
            report.sign_in_browser(client(visit.actor) if visit.actor != matrix.ANONYMOUS else None)
            in_browser = visit.actor
        response = report.goto(visit.page_path)
        if response is None or response.status != 200:
            status = response.status if response is not None else "geen antwoord"
            report.skipped.append(f"{who}: pagina antwoordde {status} (eerder formulier?)")
            continue
        count = page.evaluate(COUNT_FORMS)
        if visit.index >= count:
            report.problems.append(f"{who}: de browser vindt maar {count} formulieren")
            continue
        statuses.clear()
        try:
            described = _submit_empty(page, visit.index)
        except TimeoutError as exc:
            report.problems.append(f"{who}: {exc}")
            continue
        status = statuses.get("post", 0)
        if status >= 500:
            report.problems.append(f"{who}: serverfout {status}")
            continue
        landed = urlsplit(page.url).path
        report.check(f"{who}: {described} -> {status} {landed}")

    _after_a_post(report, world, visits, client)
    report.finish("axe-formulieren", started)


def _after_a_post(
    report: Report, world: matrix.World, visits: list[FormVisit], client: Any
) -> None:
    """States that need more than an empty form: a colleague's change, a form sent twice."""
    from schoolzorg.meetings import services as meeting_services
    from schoolzorg.meetings.models import AgendaItem
    from schoolzorg.plans import services as plan_services
    from schoolzorg.plans.models import IntegralPlan
    from schoolzorg.referrals import services as referral_services
    from schoolzorg.referrals.models import Referral

    page = report.page
    colleague = world.users["social_worker"]
    form_of: dict[str, FormVisit] = {}
    for visit in visits:
        form_of.setdefault(visit.target_route, visit)

    def open_form(route: str) -> FormVisit | None:
        visit = form_of.get(route)
        if visit is None:
            report.problems.append(f"{route}: geen formulier gevonden voor deze toestand")
            return None
        report.sign_in_browser(client(visit.actor))
        response = report.goto(visit.page_path)
        if response is None or response.status != 200:
            report.problems.append(f"{route}: {visit.page_path} gaf geen pagina")
            return None
        return visit

    # The plan, saved by a colleague while the coordinator was editing it: 409.
    if (visit := open_form("plans:edit")) is not None:
        pk = resolve(visit.page_path).kwargs["pk"]
        plan = IntegralPlan.objects.get(pk=pk)
        plan_services.update_plan(
            plan,
            expected_version=plan.version,
            by=colleague,
            family={"concerns": "Aangepast door een collega."},
            parts={},
        )
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Plan opslaan").click()
        page.wait_for_load_state("load")
        report.check(
            f"plan tegelijk gewijzigd -> {answer.value.status} {visit.page_path}",
            form_errors=True,
        )
        if answer.value.status != 409:
            report.problems.append(f"plan tegelijk gewijzigd: {answer.value.status}, niet 409")

    # The minutes of an item, saved by a colleague while the coordinator was typing (htmx): 409
    # in words inside the item.
    if (visit := open_form("meetings:minutes")) is not None:
        item = AgendaItem.objects.get(
            pk=resolve(page.evaluate(FORM_ACTION, visit.index)).kwargs["pk"]
        )
        page.evaluate(FILL_FORM, [visit.index, "Mijn aanvulling op het verslag.", ""])
        meeting_services.save_minutes(
            item,
            text="Verslag van een collega.",
            expected_version=item.minutes_version,
            by=world.users["nurse"],
        )
        _send(page, visit.index)
        if "Iemand anders heeft het verslag" not in page.locator("main").inner_text():
            report.problems.append("verslag tegelijk gewijzigd: de melding ontbreekt")
        report.check(f"verslag tegelijk gewijzigd (htmx) op {visit.page_path}")

    # A referral's draft, changed by a colleague in the section the user is typing in: the
    # autosave shows what is stored under the section, the button answers 409 with both texts.
    if (visit := open_form("referrals:edit")) is not None:
        referral = Referral.objects.get(pk=resolve(visit.page_path).kwargs["pk"])
        referral_services.save_draft(
            referral, {"concerns": "Zorgen van een collega."}, by=colleague
        )
        page.get_by_label("Zorgen", exact=True).fill("Mijn eigen zorgen.")
        page.locator("#current-concerns .message").wait_for()
        report.check(
            f"toeleiding tegelijk gewijzigd (autosave) op {visit.page_path}", form_errors=False
        )
        with page.expect_response(
            lambda r: r.request.method == "POST" and urlsplit(r.url).path == visit.page_path
        ) as answer:
            page.get_by_role("button", name="Concept opslaan").click()
        page.wait_for_load_state("load")
        report.check(
            f"toeleiding tegelijk gewijzigd -> {answer.value.status} {visit.page_path}",
            form_errors=True,
        )
        if answer.value.status != 409:
            report.problems.append(
                f"toeleiding tegelijk gewijzigd: {answer.value.status}, niet 409"
            )

    # A decision sent twice (a double click without JavaScript): saved once, and said so.
    if (visit := open_form("meetings:decide")) is not None:
        due_on = weekday(dt.date.today() + dt.timedelta(days=14)).isoformat()
        page.evaluate(FILL_FORM, [visit.index, "Moeder belt de huisarts.", due_on])
        page.evaluate(SEND_TWICE, visit.index)
        report.goto(visit.page_path)
        shown = page.locator("main").inner_text()
        if "niets dubbel gemaakt" not in shown:
            report.problems.append(
                f"besluit twee keer verstuurd: de melding ontbreekt: {shown:.300}"
            )
        report.check(f"besluit twee keer verstuurd, daarna {visit.page_path}", form_errors=False)

    # An instrument with texts over the maximum length: every row keeps its text, with a message.
    if (visit := open_form("assessments:fill")) is not None:
        page.evaluate(FILL_FORM, [visit.index, "te lang " * 1000, ""])
        _send(page, visit.index, "save")
        report.check(f"instrument met te lange teksten op {visit.page_path}", form_errors=True)
