"""The authorization matrix: every URL × every kind of user, checked against what should happen.

How to add your routes
======================

1. Create `schoolzorg/<app>/tests/matrix.py` with a module-level `ROUTES` dict, keyed by the
   namespaced URL name. A value is one `RouteSpec` or a list of them (one per relationship you
   want to prove, e.g. "pupil with consent" and "pupil without consent")::

       from schoolzorg.audit.matrix import CASE_STAFF, RouteSpec, World

       def _make_case(world: World) -> None:
           world.extra["case"] = CaseFactory(pupil=world.pupil, opened_by=world.users["coordinator"])

       ROUTES = {
           "cases:detail": RouteSpec(
               kwargs=lambda w: {"pk": w.extra["case"].pk},
               allowed=CASE_STAFF,
               setup=_make_case,
           ),
           "cases:close": RouteSpec(
               kwargs=lambda w: {"pk": w.extra["case"].pk},
               allowed={"coordinator"},
               method="POST",
               data=lambda w: {"reason": "klaar"},
               setup=_make_case,
           ),
       }

2. `allowed` names the actors of `World.users` (see `ACTORS`) who may use the route; every other
   actor must get 404 (signed in) or a redirect to the login page (anonymous). Where a 403 is
   the honest answer (e.g. a page whose existence is no secret but needs a role), set
   `deny_status=403` and say why in `label`.
3. `setup(world)` creates your objects in the shared world (one school, a pupil WITH a valid
   care-team consent `world.pupil`, one WITHOUT `world.pupil_without_consent`); keep them in
   `world.extra`. It runs once per spec, on a fresh world, before any request.
4. Run `pytest schoolzorg/audit/tests/test_access_matrix.py`. It fails when a named URL has no
   spec, when an allowed actor is refused, and when anyone else gets through; also when a GET
   that shows child data (it wrote a read-log entry naming a pupil, or names one of the world's
   pupils) is sent without `Cache-Control: no-store` (`@never_cache`): a shared school PC must not
   keep it in its cache or behind the back button; and when the title of a page or PDF (browser
   tab, history, window list) holds a last name of the world's pupils or their families' names:
   a first name at most ("Wie keek er naar Mila", "Casus 7"). Give a page a spec whose setup
   makes it show its child data, not only its empty state.

Only the routes in `EXCLUDED_PREFIXES` are skipped, each with its reason.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# --- Actors ---------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ACTORS: tuple[str, ...] = (
    ANONYMOUS,
    "coordinator",  # support coordinator (IB-er) of the school
    "teacher_own_group",  # teacher of the pupils' group (6)
    "teacher_other_group",  # teacher of group 7 at the same school
    "social_worker",  # SMW serving the school (Membership.school)
    "partnership_contact",  # schoolcontactpersoon serving the school
    "nurse",  # youth health nurse serving the school (care team: consented pupils only)
    "team_worker",  # neighbourhood-team worker present at the school (care team, consent only)
    "outsider",  # support coordinator of ANOTHER school
    "analyst",  # municipal analyst
    "privacy_officer",  # privacy officer of the municipality
    "functional_admin",  # functional administrator of the municipality
    "other_team_worker",  # worker of a neighbourhood team that received nothing
    # service desk coordinator of the municipality: referrals escalated to level 4 only (none of
    # the world's own referrals reach it unless a spec's setup escalates one)
    "service_desk",
)
SIGNED_IN = frozenset(ACTORS) - {ANONYMOUS}
EVERYONE = frozenset(ACTORS)
# Case roles at the school: see every pupil currently enrolled there.
CASE_STAFF = frozenset({"coordinator", "social_worker", "partnership_contact"})
# Care team members from outside the school: only pupils with a valid care-team consent.
CARE_TEAM = frozenset({"nurse", "team_worker"})
# Everyone who may open the full file of the consented pupil.
FULL_WITH_CONSENT = CASE_STAFF | CARE_TEAM
# Everyone who sees the consented pupil at all (the teacher sees basic data).
SEES_PUPIL = FULL_WITH_CONSENT | {"teacher_own_group"}
SEES_PUPIL_WITHOUT_CONSENT = CASE_STAFF | {"teacher_own_group"}
# Everyone without any relationship to the world's pupils.
UNRELATED = frozenset(
    {
        "teacher_other_group",
        "outsider",
        "analyst",
        "privacy_officer",
        "functional_admin",
        "other_team_worker",
    }
)


@dataclass
class World:
    """One school with a consented and a non-consented pupil, and one user per actor."""

    school: Any
    other_school: Any
    municipality: Any
    team: Any
    other_team: Any
    pupil: Any
    pupil_without_consent: Any
    consent: Any
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, actor: str) -> Any:
        return self.users.get(actor)


def build_world() -> World:
    """Create the world in the test database (call inside a django_db test)."""
    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role
    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.organisations.models import OrganisationKind, Partnership, Sector
    from schoolzorg.organisations.tests.factories import (
        NeighbourhoodTeamFactory,
        SchoolFactory,
        ServiceDeskFactory,
        SocialWorkProviderFactory,
        YouthHealthServiceFactory,
    )
    from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

    school = SchoolFactory(name="Matrixschool")
    municipality = school.municipality
    other_school = SchoolFactory(name="Andere school", municipality=municipality)
    partnership = Partnership.objects.create(
        kind=OrganisationKind.PARTNERSHIP,
        name="SWV Matrix",
        code=f"PO{school.pk:04d}"[:10],
        sector=Sector.PRIMARY,
    )
    provider = SocialWorkProviderFactory()
    jgz = YouthHealthServiceFactory()
    team = NeighbourhoodTeamFactory(name="Wijkteam Matrix", municipality=municipality)
    team.districts.set([school.district])
    other_team = NeighbourhoodTeamFactory(name="Wijkteam Elders", municipality=municipality)
    since = dt.date(2020, 1, 1)

    def person(actor: str, org: Any, role: str, **kw: Any) -> Any:
        user = User.objects.create_user(
            email=f"{actor}@matrix.example", password="x" * 12, full_name=f"Matrix {actor}"
        )
        Membership.objects.create(user=user, organisation=org, role=role, valid_from=since, **kw)
        return user

    users: dict[str, Any] = {
        "coordinator": person("coordinator", school, Role.SUPPORT_COORDINATOR),
        "teacher_own_group": person("teacher_own_group", school, Role.TEACHER, group="6"),
        "teacher_other_group": person("teacher_other_group", school, Role.TEACHER, group="7"),
        "social_worker": person(
            "social_worker", provider, Role.SCHOOL_SOCIAL_WORKER, school=school
        ),
        "partnership_contact": person(
            "partnership_contact", partnership, Role.PARTNERSHIP_CONTACT, school=school
        ),
        "nurse": person("nurse", jgz, Role.YOUTH_HEALTH_NURSE, school=school),
        "team_worker": person("team_worker", team, Role.NEIGHBOURHOOD_TEAM_WORKER, school=school),
        "outsider": person("outsider", other_school, Role.SUPPORT_COORDINATOR),
        "analyst": person("analyst", municipality, Role.MUNICIPAL_ANALYST),
        "privacy_officer": person("privacy_officer", municipality, Role.PRIVACY_OFFICER),
        "functional_admin": person("functional_admin", municipality, Role.FUNCTIONAL_ADMIN),
        "other_team_worker": person(
            "other_team_worker", other_team, Role.NEIGHBOURHOOD_TEAM_WORKER
        ),
        "service_desk": person(
            "service_desk",
            ServiceDeskFactory(name="Servicepunt Matrix", municipality=municipality),
            Role.SERVICE_DESK_COORDINATOR,
        ),
    }
    # The functional administrator opens the admin (`/beheer/`), as in the demo.
    User.objects.filter(pk=users["functional_admin"].pk).update(is_staff=True)
    users["functional_admin"].is_staff = True
    # Families named as the pupils: no page's title may hold either (`_name_in_title`).
    pupil = PupilFactory(
        first_name="Mila",
        last_name="Matrixkind",
        family__name="Matrixkind",
        current_school=school,
        current_group="6",
    )
    pupil.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 9, day=1)
    pupil.save(update_fields=["date_of_birth"])
    guardian = add_guardian(pupil, full_name="Moeder Matrixkind")
    other = PupilFactory(
        first_name="Noor",
        last_name="Zonderstemming",
        family__name="Zonderstemming",
        current_school=school,
        current_group="6",
    )
    add_guardian(other, full_name="Vader Zonderstemming")
    consent = Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate() - dt.timedelta(days=30),
        is_complete=True,
        recorded_by=users["coordinator"],
    )
    consent.given_by_guardians.set([guardian])
    return World(
        school=school,
        other_school=other_school,
        municipality=municipality,
        team=team,
        other_team=other_team,
        pupil=pupil,
        pupil_without_consent=other,
        consent=consent,
        users=users,
    )


def signed_in_client(user: Any) -> Client:
    """A test client signed in as if password and second factor were just passed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from schoolzorg.accounts.middleware import SESSION_STARTED_KEY
    from schoolzorg.accounts.views import REAUTH_KEY

    client = Client()
    if user is None:
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SESSION_STARTED_KEY] = time.time()
    session[REAUTH_KEY] = time.time()
    session.save()
    return client


# --- Routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteSpec:
    """Who may use one named route, and how to call it in the world."""

    allowed: frozenset[str] | set[str]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] | None = None
    setup: Callable[[World], None] | None = None
    query: str = ""  # appended as ?query (e.g. "q=Matrixkind")
    deny_status: int = 404  # 403 only where the page's existence is no secret; say why in label
    label: str = ""
    # The route sends everyone to the login page by design (signing out).
    ends_at_login: bool = False
    # A GET route in the canary crawl. Set False for routes with side effects on GET (none should).
    crawl: bool = True


# Named routes that the matrix does not walk, each with the reason.
EXCLUDED_PREFIXES: dict[str, str] = {
    "beheer/": "Django admin: guarded by is_staff and Django's own permissions, holds no child "
    "data (only the models listed in audit/tests/test_admin.py; auditlog's own admin removed).",
    "api/v1/schema/": "OpenAPI schema: describes endpoints, contains no data.",
    "static/": "Static files: no data, served by whitenoise.",
    "passkey/": "WebAuthn ceremonies (django-otp-webauthn): JSON about the signed-in user's own "
    "passkeys, no child data; covered by accounts/tests/test_browser_passkeys.py.",
    "__debug__/": "Debug toolbar, only in development.",
}


@dataclass(frozen=True)
class NamedRoute:
    name: str  # "ns:name" or "name"
    pattern: str  # full pattern text, for messages


def iter_routes() -> Iterator[NamedRoute]:
    """Every URL pattern of the project with its namespaced name (excluded prefixes skipped)."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[NamedRoute]:
        for p in patterns:
            text = prefix + str(p.pattern)
            if any(text.startswith(ex) for ex in EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, text, ns)
            elif isinstance(p, URLPattern):
                name = p.name or ""
                full = f"{namespace}:{name}" if namespace and name else name
                yield NamedRoute(full or f"<naamloos {text}>", text)

    yield from walk(list(get_resolver().url_patterns), "", "")


def load_specs() -> dict[str, list[RouteSpec]]:
    """Collect ROUTES from every `schoolzorg.<app>.tests.matrix` module that exists."""
    found: dict[str, list[RouteSpec]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("schoolzorg."):
            continue
        module_name = f"{config.name}.tests.matrix"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name in (module_name, f"{config.name}.tests"):
                continue
            raise
        for name, spec in getattr(module, "ROUTES", {}).items():
            specs = spec if isinstance(spec, list) else [spec]
            found.setdefault(name, []).extend(specs)
    return found


@dataclass
class Outcome:
    route: str
    actor: str
    status: int
    location: str
    expected_allowed: bool
    ok: bool
    label: str = ""
    problem: str = ""  # what is wrong with an answer that let the actor in as it should

    def describe(self) -> str:
        if self.problem:
            return f"{self.route} [{self.label}] als {self.actor}: {self.problem}"
        want = "toegang" if self.expected_allowed else "geweigerd"
        return (
            f"{self.route} [{self.label}] als {self.actor}: verwacht {want}, "
            f"kreeg {self.status} {self.location}".rstrip()
        )


def is_login_redirect(status: int, location: str) -> bool:
    from urllib.parse import urlsplit

    return status in (301, 302) and urlsplit(location).path == "/inloggen/"


def request_as(world: World, actor: str, name: str, spec: RouteSpec) -> Any:
    from django.urls import reverse

    client = signed_in_client(world.user(actor))
    url = reverse(name, kwargs=spec.kwargs(world) or None)
    if spec.query:
        url = f"{url}?{spec.query}"
    data = spec.data(world) if spec.data else {}
    if spec.method.upper() == "GET":
        return client.get(url, data or None)
    return client.generic(
        spec.method.upper(),
        url,
        data=_encode(data),
        content_type="application/x-www-form-urlencoded",
    )


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def judge(name: str, spec: RouteSpec, actor: str, response: Any) -> Outcome:
    """Decide whether one response matches the spec for one actor."""
    status = response.status_code
    location = response.get("Location", "") or ""
    allowed = actor in spec.allowed
    if allowed:
        refused = status in (403, 404) or (
            is_login_redirect(status, location) and not spec.ends_at_login
        )
        ok = not refused and status < 500
    elif actor == ANONYMOUS:
        # Pages send an anonymous visitor to the login page; the API answers 401.
        ok = is_login_redirect(status, location) or status in (401, spec.deny_status)
    else:
        ok = status == spec.deny_status
    return Outcome(name, actor, status, location, allowed, ok, spec.label)


def check_route(world: World, name: str, spec: RouteSpec) -> list[Outcome]:
    """Call one route as every actor; return every outcome."""
    if spec.setup is not None:
        spec.setup(world)
    outcomes = []
    for actor in ACTORS:
        read_before = _last_read_id()
        response = request_as(world, actor, name, spec)
        outcome = judge(name, spec, actor, response)
        if outcome.ok and outcome.expected_allowed and spec.method.upper() == "GET":
            outcome.problem = _cached_child_data(world, response, read_before) or _name_in_title(
                world, response
            )
            outcome.ok = not outcome.problem
        outcomes.append(outcome)
    return outcomes


def _last_read_id() -> int:
    from schoolzorg.audit.models import AccessLogEntry

    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _cached_child_data(world: World, response: Any, read_before: int) -> str:
    """Why an answer that shows child data may be kept by the browser ("" when it is not kept,
    or shows none). Child data: the request wrote a read-log entry naming a pupil, or the page
    names one of the world's pupils."""
    from schoolzorg.audit.models import AccessLogEntry

    if response.status_code != 200:
        return ""
    cache_control = response.get("Cache-Control", "")
    if "no-store" in cache_control:
        return ""
    read = AccessLogEntry.objects.filter(id__gt=read_before, pupil_id__isnull=False).exists()
    names = (world.pupil.last_name, world.pupil_without_consent.last_name)
    body = b"" if getattr(response, "streaming", False) else response.content
    if not read and not any(n.encode() in body for n in names):
        return ""
    return (
        "toont gegevens van een leerling zonder Cache-Control: no-store (@never_cache), "
        f"kreeg {cache_control or 'geen Cache-Control'}"
    )


def _name_in_title(world: World, response: Any) -> str:
    """Why the answer's title names a child more than by first name ("" when it does not): the
    world's pupils' last names and their families' names. A PDF's title is its template's
    `<title>`, rendered again from the context the view gave it."""
    import re

    from django.template.loader import render_to_string
    from django.test.utils import ContextList

    if response.status_code != 200 or getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if kind.startswith("text/html"):
        html = response.content.decode()
    elif kind.startswith("application/pdf") and getattr(response, "templates", None):
        context = response.context
        first = context[0] if isinstance(context, ContextList) else context
        html = render_to_string(response.templates[0].name, first.flatten())
    else:
        return ""
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    title = found.group(1) if found else ""
    names = {p.last_name for p in (world.pupil, world.pupil_without_consent)} | {
        p.family.name for p in (world.pupil, world.pupil_without_consent) if p.family
    }
    named = sorted(n for n in names if n and n in title)
    return f"de titel noemt {', '.join(named)}: {title.strip()}" if named else ""
