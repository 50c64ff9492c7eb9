"""No malformed input makes the server answer 500: a crawl of the authorization matrix.

For every route spec of the matrix (`schoolzorg/audit/matrix.py`), on one fresh world per spec,
an allowed actor sends malformed requests; every answer must be below 500, no view may raise, and
every 4xx of the API must be `application/problem+json`. The variants:

- GET with junk query parameters: every name the page's GET forms and links use, the spec's own
  query and `page`, all at once and one at a time, set to empty, text, negative, zero, huge,
  impossible dates, exponents, a NUL byte, markup, 10 000 characters and a repeated key;
- junk path ids: each path argument replaced by 0, a number beyond any id, or text;
- POST, for each POST spec and each `<form method="post">` found on a page: empty body, junk in
  all fields at once and in each field on its own (100 000 characters for text), each field
  missing, stale hidden version tokens, bad and too large uploads, the htmx request, and the
  form filled in as a user would, sent twice (a double click);
- API routes (`/api/v1/`): the same junk, plus a malformed JSON body, a wrong content type and
  an unacceptable `Accept` header.

The matrix skips the admin (`/beheer/`, `matrix.EXCLUDED_PREFIXES`): its routes are Django's,
one set per model. Its forms are where a functional administrator types, so every registered
model's add page (with one row added to each inline, as "Nog een ... toevoegen" does) and the
change page of an object the world holds are crawled the same way, as a superuser and as the
matrix's functional administrator (`test_malformed_admin_input_never_answers_500`).

Two depths. By default (`QUICK`, under two minutes on SQLite) one actor per spec (anonymous
on public pages, else the coordinator where allowed, else the first allowed actor) sends the
junk values most likely to break a view: six of them to all fields at once, text and a number
beyond any id to each field on its own. `SCHOOLZORG_CRAWL=full` (`FULL`, five to seven minutes)
sends every junk value to every parameter and field on its own, leaves each field out, and adds
the quick crawl for every other allowed actor. A form posted from several pages is crawled
once per depth (by its route name).
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from schoolzorg.audit import matrix
from schoolzorg.audit.tests.conftest import MALFORMED_TOTALS

SPECS = matrix.load_specs()
CASES = [(name, i) for name, specs in sorted(SPECS.items()) for i in range(len(specs))]

Value = str | list[str]
HUGE = "99999999999999999999"  # beyond any 64-bit id
LONG_NUMBER = "9" * 5_000  # digits only, beyond what int() reads (4,300 digits)
LONG_QUERY = "x" * 10_000
LONG_TEXT = "Lange tekst " * 8_400  # ~100 000 characters
JUNK: tuple[Value, ...] = (
    "",
    "abc",
    "-1",
    "0",
    HUGE,
    LONG_NUMBER,
    "²",  # a digit to str.isdigit(), not to int()
    "2026-02-30",
    "1e9",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    LONG_QUERY,
    ["1", "abc"],
)
QUICK_JUNK: tuple[Value, ...] = ("abc", HUGE, LONG_NUMBER, "2026-02-30", "a\x00b", ["1", "abc"])
PATH_JUNK = ("0", HUGE, "abc")
TEXT_KINDS = ("text", "textarea", "hidden", "search", "email", "")


@dataclass(frozen=True)
class Depth:
    name: str
    query_all: tuple[Value, ...]  # every parameter at once
    query_each: tuple[Value, ...]  # each parameter on its own (when a page has several)
    form_all: tuple[Value, ...]  # every field at once
    form_each: tuple[Value, ...]  # each field on its own, the others as rendered
    long_text_each: bool  # 100 000 characters in each text field on its own
    missing_each: bool  # each field left out on its own
    all_uploads: bool  # every bad upload, or only the empty and the too large one
    other_actors: bool  # the quick crawl for every other allowed actor too


QUICK = Depth(
    name="snel",
    query_all=QUICK_JUNK,
    query_each=("abc", HUGE),
    form_all=(*QUICK_JUNK, LONG_TEXT),
    form_each=("abc", HUGE),
    long_text_each=False,
    missing_each=False,
    all_uploads=False,
    other_actors=False,
)
FULL = Depth(
    name="volledig",
    query_all=JUNK,
    query_each=JUNK,
    form_all=(*JUNK, LONG_TEXT),
    form_each=JUNK,
    long_text_each=True,
    missing_each=True,
    all_uploads=True,
    other_actors=True,
)
DEPTH = FULL if os.environ.get("SCHOOLZORG_CRAWL") == "full" else QUICK

# Pages in every layout post here; posting would sign the crawler out.
SKIP_ACTIONS = {"accounts:logout"}
API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"

# Routes of the forms found on pages and crawled in this run, per depth (a POST spec's own data
# does not count: the form on the page has the real field names).
_CRAWLED_FORMS: set[tuple[str, str]] = set()


# --- Reading pages ----------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "select-multiple", "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    htmx: bool
    fields: list[FormField] = field(default_factory=list)


class PageParser(HTMLParser):
    """Collect forms with their fields, and the query parameter names of links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.link_queries: list[str] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.selected.append(value)
        elif tag == "a" and "?" in a.get("href", ""):
            self.link_queries.append(a["href"])
        elif tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("hx-post") or a.get("action", ""),
                multipart="multipart" in a.get("enctype", ""),
                htmx=any(k.startswith("hx-") for k in a),
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                kind = "submit"
            self._form.fields.append(
                FormField(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(FormField(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select = FormField(a["name"], "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            # A browser drops the one newline right after <textarea>.
            self._textarea.value += data.removeprefix("\n") if not self._textarea.value else data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def _plausible(name: str, kind: str) -> str:
    """What a user would type into an empty field of this kind (an end after its start)."""
    later = any(word in name for word in ("end", "until", "next"))
    day = dt.date.today() + dt.timedelta(days=30 if later else 0)
    return {
        "date": day.isoformat(),
        "datetime-local": f"{day.isoformat()}T10:00",
        "time": "11:00" if later else "10:00",
        "number": "1",
        "email": "test@example.org",
        "tel": "0612345678",
        "url": "https://example.org/",
        "hidden": "",
    }.get(kind, "Test")


def baseline(form: Form) -> dict[str, list[str]]:
    """What a browser would send once a user filled the form in: the values as rendered, every
    empty field filled with something plausible, the first choice of an unchosen group taken."""
    data: dict[str, list[str]] = {}
    submit_seen = False
    for f in form.fields:
        if f.kind in ("checkbox", "radio"):
            if f.checked:
                data.setdefault(f.name, []).append(f.value or "on")
        elif f.kind == "submit":
            if not submit_seen:
                data.setdefault(f.name, []).append(f.value)
                submit_seen = True
        elif f.kind == "file":
            continue
        elif f.kind in ("select", "select-multiple"):
            chosen = [o for o in f.selected if o] or [o for o in f.options if o][:1]
            if chosen:
                data.setdefault(f.name, []).extend(chosen)
        else:
            data.setdefault(f.name, []).append(f.value or _plausible(f.name, f.kind))
    for f in form.fields:
        if f.kind in ("checkbox", "radio") and f.name not in data:
            data[f.name] = [f.value or "on"]
    return data


def query_names(url: str, page: PageParser) -> set[str]:
    """Parameter names the page itself sends to its own address (GET forms and links)."""
    path = urlsplit(url).path
    names: set[str] = {"page"}
    for form in page.forms:
        if form.method == "get" and urlsplit(form.action).path in ("", path):
            names |= {f.name for f in form.fields}
    for href in page.link_queries:
        parts = urlsplit(href)
        if parts.path in ("", path):
            names |= {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    names |= {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    names.discard("")
    return names


# --- Sending ----------------------------------------------------------------------------------


def _where(exc_info: Any) -> str:
    """The innermost frame in our own code, to say where a view fell over."""
    frames = [
        f
        for f in traceback.extract_tb(exc_info[2])
        if "/schoolzorg/" in f.filename.replace("\\", "/")
    ]
    frame = frames[-1] if frames else traceback.extract_tb(exc_info[2])[-1]
    return f"{exc_info[0].__name__}: {str(exc_info[1])[:160]} @ {frame.filename}:{frame.lineno}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(str(value))} tekens)"


@dataclass
class Crawler:
    world: matrix.World
    name: str
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def client(self, actor: str) -> Client:
        client = matrix.signed_in_client(self.world.user(actor))
        client.raise_request_exception = False
        return client

    def send(
        self,
        client: Client,
        actor: str,
        method: str,
        url: str,
        data: Any = None,
        *,
        label: str,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        self.requests += 1
        kwargs: dict[str, Any] = {"headers": headers} if headers else {}
        if method == "GET":
            response = client.get(url, data, **kwargs)
        elif content_type is None:  # multipart, like a browser form with a file
            response = client.post(url, data or {}, **kwargs)
        else:
            response = client.generic(method, url, data or "", content_type, **kwargs)
        exc_info = getattr(response, "exc_info", None)
        problem = ""
        if exc_info:
            problem = _where(exc_info)
        elif response.status_code >= 500:
            problem = "antwoord 500 zonder uitzondering"
        elif (
            urlsplit(url).path.startswith(API_PREFIX)
            and 400 <= response.status_code < 500
            and not response.get("Content-Type", "").startswith(PROBLEM_JSON)
        ):
            problem = f"API-fout zonder problem+json ({response.get('Content-Type')})"
        if problem:
            self.failures.append(
                f"{self.name}: {method} {urlsplit(url).path} [{label}] als {actor} -> "
                f"{response.status_code}: {problem}"
            )
        return response

    # GET pages -------------------------------------------------------------------------------

    def crawl_query(
        self, client: Client, actor: str, url: str, names: set[str], depth: Depth
    ) -> None:
        parts = urlsplit(url)
        base = dict(parse_qsl(parts.query, keep_blank_values=True))
        for value in depth.query_all:
            query = urlencode({**base, **dict.fromkeys(names, value)}, doseq=True)
            self.send(client, actor, "GET", f"{parts.path}?{query}", label=f"alle={_short(value)}")
        if len(names) < 2:
            return  # one parameter: "all at once" was each on its own
        for name in sorted(names):
            for value in depth.query_each:
                query = urlencode({**base, name: value}, doseq=True)
                label = f"?{name}={_short(value)}"
                self.send(client, actor, "GET", f"{parts.path}?{query}", label=label)

    def crawl_path(self, client: Client, actor: str, url: str, method: str) -> None:
        """Each path argument replaced by junk: an unknown or impossible id answers 4xx."""
        path = urlsplit(url).path
        segments = path.split("/")
        for value in resolve(path).kwargs.values():
            positions = [i for i, s in enumerate(segments) if s == str(value)]
            for junk in PATH_JUNK:
                for i in positions:
                    bad = "/".join([*segments[:i], junk, *segments[i + 1 :]])
                    if method == "GET":
                        self.send(client, actor, "GET", bad, label=f"pad {value}->{junk}")
                    else:
                        self.send(
                            client,
                            actor,
                            method,
                            bad,
                            "",
                            label=f"pad {value}->{junk}",
                            content_type="application/x-www-form-urlencoded",
                        )

    # POST forms ------------------------------------------------------------------------------

    def crawl_form(
        self,
        client: Client,
        actor: str,
        action: str,
        form: Form,
        data: dict[str, list[str]],
        depth: Depth,
    ) -> None:
        """Post junk to one form; `data` is the form as a user would fill it in."""
        kinds = {f.name: f.kind for f in form.fields}
        files = [f.name for f in form.fields if f.kind == "file"]
        names = sorted(
            (set(data) | set(kinds))
            - set(files)
            - {n for n, kind in kinds.items() if kind == "submit"}
            - {"csrfmiddlewaretoken"}
        )

        def post(values: dict[str, Any], label: str, headers: dict[str, str] | None = None) -> Any:
            if form.multipart or files:
                return self.send(
                    client, actor, "POST", action, values, label=label, headers=headers
                )
            return self.send(
                client,
                actor,
                "POST",
                action,
                urlencode(values, doseq=True),
                label=label,
                content_type="application/x-www-form-urlencoded",
                headers=headers,
            )

        post({}, "lege body")
        for value in depth.form_all:
            post({**data, **dict.fromkeys(names, value)}, f"alle={_short(value)}")
        for name in names:
            values = list(depth.form_each)
            if depth.long_text_each and kinds.get(name, "") in TEXT_KINDS:
                values.append(LONG_TEXT)
            for value in values:
                post({**data, name: value}, f"{name}={_short(value)}")
            if depth.missing_each and name in data:
                post({k: v for k, v in data.items() if k != name}, f"zonder {name}")
        for name, stale in stale_tokens(form):
            post({**data, name: stale}, f"verouderd {name}={stale}")
        for name in files:
            for upload, label in uploads(every=depth.all_uploads):
                post({**data, name: upload}, f"bestand {label}")
        if form.htmx:
            hx = {"HX-Request": "true"}
            post({**data, **dict.fromkeys(names, HUGE)}, "htmx alle=groot getal", headers=hx)
            post(data, "htmx", headers=hx)
        # The filled-in form twice: a double click gets a message or the same result, never 500.
        post(data, "zoals getoond")
        post(data, "zoals getoond, dubbelklik")


def stale_tokens(form: Form) -> Iterator[tuple[str, str]]:
    """Other values of hidden version fields, as sent from a stale screen: a version number one
    off, an earlier moment, or another workflow state than the one the screen showed."""
    from schoolzorg.referrals.workflow import State

    for f in form.fields:
        if f.kind != "hidden" or f.name == "csrfmiddlewaretoken" or not f.value:
            continue
        if f.value.lstrip("-").isdigit():
            yield f.name, str(int(f.value) - 1)
            yield f.name, str(int(f.value) + 1)
        elif f.name.endswith("seen_state"):
            yield from ((f.name, state) for state in State.values if state != f.value)
        else:
            try:
                moment = dt.datetime.fromisoformat(f.value)
            except ValueError:
                continue
            yield f.name, (moment - dt.timedelta(hours=1)).isoformat()


def uploads(*, every: bool) -> Iterator[tuple[Any, str]]:
    from django.conf import settings

    pdf = b"%PDF-1.4\n%%EOF\n"
    yield SimpleUploadedFile("verslag.pdf", pdf, "application/pdf"), "goed"
    yield SimpleUploadedFile("leeg.pdf", b"", "application/pdf"), "leeg"
    if every:
        yield SimpleUploadedFile("a\x00b.pdf", pdf, "application/pdf"), "NUL in naam"
        yield SimpleUploadedFile("x" * 300 + ".pdf", pdf, "application/pdf"), "lange naam"
        yield SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream"), "exe"
    too_big = b"%PDF-1.4\n" + b"0" * int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 2**20))
    yield SimpleUploadedFile("groot.pdf", too_big, "application/pdf"), "te groot"


def _action_url(page_url: str, form: Form) -> str:
    return form.action or urlsplit(page_url).path


def _route_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _is_excluded(url: str) -> bool:
    path = urlsplit(url).path.lstrip("/")
    return any(path.startswith(prefix) for prefix in matrix.EXCLUDED_PREFIXES)


# --- The test -------------------------------------------------------------------------------


def _actors(spec: matrix.RouteSpec) -> list[str]:
    """Allowed actors, the one crawled first in front: anonymous on a public page (the visitor
    nobody vetted), else the coordinator (the richest pages), else the first allowed one."""
    allowed = [a for a in matrix.ACTORS if a in spec.allowed]
    for first in (matrix.ANONYMOUS, "coordinator"):
        if first in allowed:
            allowed.remove(first)
            return [first, *allowed]
    return allowed


@pytest.fixture
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.django_db
@pytest.mark.usefixtures("_uploads_in_tmp")
@pytest.mark.parametrize(("name", "index"), CASES)
def test_malformed_input_never_answers_500(name: str, index: int) -> None:
    spec = SPECS[name][index]
    world = matrix.build_world()
    if spec.setup is not None:
        spec.setup(world)
    url = reverse(name, kwargs=spec.kwargs(world) or None)
    if spec.query:
        url = f"{url}?{spec.query}"
    crawler = Crawler(world, name)
    actors = _actors(spec)
    for actor in actors if DEPTH.other_actors else actors[:1]:
        depth = DEPTH if actor == actors[0] else QUICK
        if spec.method.upper() == "GET":
            _crawl_page(crawler, actor, url, depth, first=actor == actors[0])
        else:
            _crawl_post_route(crawler, actor, url, spec, depth, first=actor == actors[0])
    MALFORMED_TOTALS["specs"] += 1
    MALFORMED_TOTALS["requests"] += crawler.requests
    MALFORMED_TOTALS["depth"] = DEPTH.name
    assert not crawler.failures, (
        f"{len(crawler.failures)} van {crawler.requests} verzoeken gaven 500, een uitzondering "
        "of (API) een fout zonder problem+json:\n" + "\n".join(crawler.failures[:40])
    )


def _crawl_page(crawler: Crawler, actor: str, url: str, depth: Depth, *, first: bool) -> None:
    client = crawler.client(actor)
    response = crawler.send(client, actor, "GET", url, label="gewoon")
    page = parse_page(response.content.decode(errors="replace")) if _is_html(response) else None
    names = query_names(url, page) if page else {"page", *dict(parse_qsl(urlsplit(url).query))}
    crawler.crawl_query(client, actor, url, names, depth)
    if first:
        crawler.crawl_path(client, actor, url, "GET")
        if urlsplit(url).path.startswith(API_PREFIX):
            _crawl_api_bodies(crawler, client, actor, url)
    for form in page.forms if page else []:
        action = form.action or urlsplit(url).path
        route = _route_name(action)
        if form.method != "post" or route is None or route in SKIP_ACTIONS:
            continue
        if _is_excluded(action) or (depth.name, route) in _CRAWLED_FORMS:
            continue
        _CRAWLED_FORMS.add((depth.name, route))
        MALFORMED_TOTALS["forms"] += 1
        # A fresh client: a form may end the session or its second factor.
        crawler.crawl_form(crawler.client(actor), actor, action, form, baseline(form), depth)


def _crawl_post_route(
    crawler: Crawler, actor: str, url: str, spec: matrix.RouteSpec, depth: Depth, *, first: bool
) -> None:
    client = crawler.client(actor)
    raw = spec.data(crawler.world) if spec.data else {}
    data = {k: v if isinstance(v, list) else [str(v)] for k, v in raw.items()}
    if first:
        crawler.crawl_path(client, actor, url, spec.method.upper())
        crawler.send(client, actor, "GET", url, {"page": "abc"}, label="GET op POST-route")
    if crawler.name in SKIP_ACTIONS:
        return
    fields = [FormField(k, "text", v[0] if v else "") for k, v in data.items()]
    form = Form(method="post", action=url, multipart=False, htmx=False, fields=fields)
    crawler.crawl_form(client, actor, url, form, data, depth)


def _is_html(response: Any) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, "streaming", False)
        and response.get("Content-Type", "").startswith("text/html")
    )


def _crawl_api_bodies(crawler: Crawler, client: Client, actor: str, url: str) -> None:
    """Bodies an API client may get wrong: all answer problem+json 4xx (405 for a read route)."""
    path = urlsplit(url).path
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        crawler.send(
            client,
            actor,
            method,
            path,
            '{"naam": ',
            label="kapotte JSON",
            content_type="application/json",
        )
        crawler.send(
            client, actor, method, path, "naam=x", label="verkeerd type", content_type="text/plain"
        )
    crawler.send(
        client, actor, "GET", url, label="Accept xml", headers={"Accept": "application/xml"}
    )
    crawler.send(client, actor, "GET", url, label="Accept onzin", headers={"Accept": "x/y;q=abc"})


# --- The admin (`/beheer/`) -------------------------------------------------------------------


def _admin_models() -> list[str]:
    from django.contrib import admin

    return sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)


ADMIN_ACTORS = ("superuser", "functional_admin")


def with_inline_rows(form: Form) -> Form:
    """The form after "Nog een ... toevoegen" on each inline: its empty row (`__prefix__`) added
    after the rows shown, and the inline's TOTAL_FORMS one more."""
    totals = {f.name.removesuffix("-TOTAL_FORMS"): f for f in form.fields}
    fields: list[FormField] = []
    for f in form.fields:
        prefix, sep, rest = f.name.partition("-__prefix__-")
        if not sep:
            fields.append(f)
        elif (total := totals.get(prefix)) is not None and total.value.isdigit():
            fields.append(replace(f, name=f"{prefix}-{total.value}-{rest}"))
    for f in fields:
        if f.name.endswith("-TOTAL_FORMS") and f.value.isdigit():
            prefix = f.name.removesuffix("-TOTAL_FORMS")
            if any(g.name.startswith(f"{prefix}-{f.value}-") for g in fields):
                fields[fields.index(f)] = replace(f, value=str(int(f.value) + 1))
    return replace(form, fields=fields)


def _admin_object(model: Any, actor: str, world: matrix.World) -> Any:
    """An object of the model the actor may change (None when the world holds none)."""
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = world.user(actor)
    queryset = model_admin.get_queryset(request)
    return next((o for o in queryset[:20] if model_admin.has_change_permission(request, o)), None)


@pytest.mark.django_db
@pytest.mark.usefixtures("_uploads_in_tmp")
@pytest.mark.parametrize("actor", ADMIN_ACTORS)
@pytest.mark.parametrize("label", _admin_models())
def test_malformed_admin_input_never_answers_500(label: str, actor: str) -> None:
    from django.apps import apps

    from schoolzorg.accounts.models import User

    world = matrix.build_world()
    world.users["superuser"] = User.objects.create_superuser(
        email="root@matrix.example", password="x" * 16, full_name="Beheerder met alle rechten"
    )
    model = apps.get_model(label)
    base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
    crawler = Crawler(world, f"beheer {label}")
    pages = [f"{base}add/"]
    if (obj := _admin_object(model, actor, world)) is not None:
        pages.append(f"{base}{obj.pk}/change/")
    for url in pages:
        client = crawler.client(actor)
        response = crawler.send(client, actor, "GET", url, label="gewoon")
        if not _is_html(response):
            continue  # not allowed (403), or no such page for this model
        for form in parse_page(response.content.decode(errors="replace")).forms:
            if form.method != "post" or _action_url(url, form) != url:
                continue  # the header's sign-out form
            form = with_inline_rows(form)
            MALFORMED_TOTALS["forms"] += 1
            crawler.crawl_form(crawler.client(actor), actor, url, form, baseline(form), DEPTH)
    MALFORMED_TOTALS["requests"] += crawler.requests
    assert not crawler.failures, (
        f"{len(crawler.failures)} van {crawler.requests} verzoeken gaven 500 of een "
        "uitzondering:\n" + "\n".join(crawler.failures[:40])
    )
