from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from conftest import login_verified
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_api_detail_returns_pupil_and_logs_the_read(member, client_for):
    pupil = PupilFactory(first_name="Api")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    response = client_for(ib).get(f"/api/v1/leerlingen/{pupil.pk}/")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Api" and response.json()["full"] is True
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").count() == 1


def test_api_outsider_gets_problem_json_404(member, client_for):
    pupil = PupilFactory()
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    response = client_for(outsider).get(f"/api/v1/leerlingen/{pupil.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not AccessLogEntry.objects.exists()


def test_api_search_requires_a_name_and_returns_only_visible_pupils(member, client_for):
    mine = PupilFactory(last_name="Apizoek")
    PupilFactory(last_name="Apizoek")
    ib = member(Role.SUPPORT_COORDINATOR, mine.current_school)
    client = client_for(ib)
    bad = client.get("/api/v1/leerlingen/")
    assert bad.status_code == 400 and bad.json()["invalid-params"][0]["name"] == "naam"
    found = client.get("/api/v1/leerlingen/", {"naam": "apizoek"}).json()["results"]
    assert [p["id"] for p in found] == [mine.pk]


def test_api_search_takes_out_hidden_characters_pasted_into_a_name(member, client_for):
    """As the search page: a zero-width space, a soft hyphen or a NUL in the name is taken out
    (a NUL was refused; PostgreSQL cannot take it in a query)."""
    bakker = PupilFactory(last_name="Bakker")
    client = client_for(member(Role.SUPPORT_COORDINATOR, bakker.current_school))
    for query in ("Bak\u200bker", "Bakker\u00ad", "Bak\x00ker"):
        response = client.get("/api/v1/leerlingen/", {"naam": query})
        assert response.status_code == 200, repr(query)
        assert [p["id"] for p in response.json()["results"]] == [bakker.pk], repr(query)


def test_api_search_of_only_hidden_characters_is_a_problem_json_400(member, client_for):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    for query in ("\u200b\u00ad", "\x00"):
        response = client.get("/api/v1/leerlingen/", {"naam": query})
        assert response.status_code == 400, repr(query)
        assert response["Content-Type"] == "application/problem+json"
        [param] = response.json()["invalid-params"]
        assert param["name"] == "naam"
        assert param["reason"].startswith("De naam bestaat alleen uit onzichtbare tekens"), param
    assert not AccessLogEntry.objects.exists()


def test_api_refuses_anonymous_and_unverified_users(member):
    pupil = PupilFactory()
    assert Client().get(f"/api/v1/leerlingen/{pupil.pk}/").status_code == 401
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    half = Client()
    half.force_login(ib)  # password only, no second factor
    assert half.get(f"/api/v1/leerlingen/{pupil.pk}/").status_code == 401


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _problem(response) -> dict:
    """The response's body as a problem: its content type says so and the body is JSON."""
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def test_api_answers_a_browser_with_json_not_the_browsable_api(member, client_for):
    pupil = PupilFactory(first_name="Api")
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    response = client.get(f"/api/v1/leerlingen/{pupil.pk}/", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["first_name"] == "Api"


@pytest.mark.parametrize(
    ("query", "accept"),
    [("", "text/html"), ("?format=api", BROWSER_ACCEPT), ("", "application/xml")],
)
def test_api_refuses_an_accept_without_json_with_406_problem_json(
    member, client_for, query, accept
):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    response = client.get(f"/api/v1/leerlingen/{pupil.pk}/{query}", headers={"Accept": accept})
    assert response.status_code == 406
    assert _problem(response)["status"] == 406
    assert b"Django REST framework" not in response.content


@pytest.mark.parametrize(
    ("method", "accept", "status"),
    [
        ("get", "text/html", 406),
        ("post", "application/vnd.oai.openapi", 405),  # the schema view's own YAML renderer
        ("post", "text/html", 406),
    ],
)
def test_api_errors_are_json_whatever_renderer_the_view_has(method, accept, status):
    response = getattr(Client(), method)("/api/v1/schema/", headers={"Accept": accept})
    assert response.status_code == status
    assert _problem(response)["status"] == status


def test_api_errors_of_signed_out_and_missing_are_json_for_any_accept(member, client_for):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    for accept in ("*/*", BROWSER_ACCEPT, "application/json"):
        headers = {"Accept": accept}
        assert _problem(Client().get(f"/api/v1/leerlingen/{pupil.pk}/", headers=headers))
        assert _problem(client.get(f"/api/v1/leerlingen/{pupil.pk}/", headers=headers))
        assert _problem(client.get("/api/v1/leerlingen/", headers=headers))


def _csrf_client(user, token: str = "") -> Client:
    client = login_verified(Client(enforce_csrf_checks=True), user)
    if token:
        client.cookies["csrftoken"] = token
    return client


@pytest.mark.parametrize(
    ("cookie", "header", "body", "content_type", "status", "title"),
    [
        ("", "", "{}", "application/json", 403, "Het beveiligingstoken ontbreekt of klopt niet."),
        ("a" * 32, "abc", "{}", "application/json", 403, "Het beveiligingstoken ontbreekt"),
        ("a" * 32, "b" * 32, "{}", "application/json", 403, "Het beveiligingstoken ontbreekt"),
        # The API only reads: whatever the body, a write with the token is refused as a method
        # (no body is parsed; lib/api_parsers.py).
        ("a" * 32, "a" * 32, '{"first_name":"X"', "application/json", 405, "Deze methode is hier"),
        ("a" * 32, "a" * 32, "x", "multipart/form-data; boundary=", 405, "Deze methode is hier"),
        ("a" * 32, "a" * 32, "naam=x", "text/plain", 405, "Deze methode is hier niet"),
        ("a" * 32, "a" * 32, "{}", "application/json", 405, "Deze methode is hier niet"),
    ],
)
def test_api_write_errors_are_dutch(member, cookie, header, body, content_type, status, title):
    pupil = PupilFactory()
    client = _csrf_client(member(Role.SUPPORT_COORDINATOR, pupil.current_school), cookie)
    headers = {"X-CSRFToken": header} if header else {}
    for path in ("/api/v1/leerlingen/", f"/api/v1/leerlingen/{pupil.pk}/"):
        response = client.post(path, body, content_type=content_type, headers=headers)
        assert response.status_code == status
        problem = _problem(response)
        assert title in problem["title"]
        assert "CSRF" not in problem["title"] and "parse" not in problem["title"]


def test_api_signed_out_and_406_are_dutch():
    signed_out = Client().get("/api/v1/leerlingen/", {"naam": "a"})
    assert signed_out.status_code == 401
    assert _problem(signed_out)["title"] == "U bent niet ingelogd. Log eerst in."
    refused = Client().get("/api/v1/leerlingen/", headers={"Accept": "text/html"})
    assert _problem(refused)["title"] == (
        "Deze API antwoordt alleen in JSON. Vraag om application/json."
    )


def test_api_during_the_second_step_answers_a_dutch_401_like_signed_out(member):
    pupil = PupilFactory()
    half = Client()
    half.force_login(member(Role.SUPPORT_COORDINATOR, pupil.current_school))  # no second factor
    signed_out = Client().get("/api/v1/leerlingen/", {"naam": "a"})
    response = half.get("/api/v1/leerlingen/", {"naam": "a"}, headers={"Accept": "text/html"})
    assert response.status_code == 401
    problem = _problem(response)
    assert problem["title"] == "Bevestig eerst uw inlog met de tweede stap."
    assert problem.keys() == _problem(signed_out).keys()
    assert response["WWW-Authenticate"] == signed_out["WWW-Authenticate"]


def test_api_schema_answers_the_same_during_the_second_step_as_signed_out(member):
    from schoolzorg.accounts.middleware import SESSION_STARTED_KEY

    half = Client()
    half.force_login(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))  # no second factor
    session = half.session
    session[SESSION_STARTED_KEY] = time.time()  # as signing in with the password sets it
    session.save()
    for query in ({}, {"format": "json"}):
        signed_out = Client().get("/api/v1/schema/", query)
        response = half.get("/api/v1/schema/", query)
        assert response.status_code == signed_out.status_code == 200, query
        assert response["Content-Type"] == signed_out["Content-Type"]
        assert response.content == signed_out.content
    # Only the description: the data still waits for the second step.
    assert half.get("/api/v1/leerlingen/", {"naam": "a"}).status_code == 401
    assert half.get("/api/v1/schemas/").status_code == 401


def test_api_search_says_when_the_list_is_cut_off_like_the_search_page(member, client_for):
    from schoolzorg.pupils.reads import SEARCH_LIMIT

    school = SchoolFactory()
    pupils = PupilFactory.create_batch(SEARCH_LIMIT, current_school=school, last_name="Apiveel")
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    exactly = client.get("/api/v1/leerlingen/", {"naam": "apiveel"}).json()
    assert len(exactly["results"]) == SEARCH_LIMIT
    assert exactly["meer_resultaten"] is False and exactly["melding"] is None
    assert (
        "Maak uw zoekvraag preciezer"
        not in client.get("/leerlingen/", {"q": "apiveel"}).content.decode()
    )

    pupils.append(PupilFactory(current_school=school, last_name="Apiveel"))
    logged = AccessLogEntry.objects.filter(action="search").count()
    more = client.get("/api/v1/leerlingen/", {"naam": "apiveel", "page": 2, "page_size": 500})
    body = more.json()
    assert len(body["results"]) == SEARCH_LIMIT  # no paging: a search is to be narrowed
    assert body["meer_resultaten"] is True
    assert body["melding"] == (
        f"Er zijn meer dan {SEARCH_LIMIT} leerlingen gevonden. Maak uw zoekvraag preciezer."
    )
    searched = AccessLogEntry.objects.filter(action="search").count()
    assert searched - logged == SEARCH_LIMIT  # the pupils shown, not the one read to know
    page = client.get("/leerlingen/", {"q": "apiveel"}).content.decode()
    assert body["melding"] in page


def test_api_reads_are_logged_apart_from_the_pupil_page(member, client_for):
    pupil = PupilFactory(current_group="6")
    ib = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    teacher = client_for(member(Role.TEACHER, pupil.current_school, group="6"))
    assert ib.get(f"/api/v1/leerlingen/{pupil.pk}/").status_code == 200
    assert ib.get(f"/leerlingen/{pupil.pk}/").status_code == 200
    assert teacher.get(f"/api/v1/leerlingen/{pupil.pk}/").json()["full"] is False
    details = AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").order_by("id")
    assert [e.detail for e in details] == ["API: leerling", "leerlingpagina", "API: basisgegevens"]


def _schema() -> dict:
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_api_schema_is_dutch_and_documents_the_problems():
    schema = _schema()
    text = json.dumps(schema, ensure_ascii=False)
    assert "Search pupils" not in text and "OpenApi3 schema" not in text
    search = schema["paths"]["/api/v1/leerlingen/"]["get"]
    detail = schema["paths"]["/api/v1/leerlingen/{id}/"]["get"]
    assert search["description"].startswith("Zoek leerlingen op naam")
    assert "geen pagina's" in search["description"]
    for operation, statuses in ((search, {"400", "401", "406"}), (detail, {"401", "404", "406"})):
        assert statuses <= operation["responses"].keys()
        for status in statuses:
            content = operation["responses"][status]["content"]
            assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "invalid-params"} <= problem["properties"].keys()


def test_api_schema_of_a_pupil_matches_what_a_teacher_and_a_coordinator_get(member, client_for):
    component = _schema()["components"]["schemas"]["PupilDetail"]
    properties, required = component["properties"], set(component["required"])
    for name in ("home_district", "home_municipality", "home_precision"):
        assert name not in required
        assert "volledige dossier" in properties[name]["description"]
    assert properties["home_district"]["nullable"] and properties["school"]["nullable"]

    pupil = PupilFactory(current_group="6")
    ib = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    teacher = client_for(member(Role.TEACHER, pupil.current_school, group="6"))
    for client, full in ((ib, True), (teacher, False)):
        body = client.get(f"/api/v1/leerlingen/{pupil.pk}/").json()
        assert body["full"] is full
        assert required <= body.keys() <= properties.keys()
        assert ("home_district" in body) is full


def test_api_answers_head_like_get(member, client_for):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    for path in (
        f"/api/v1/leerlingen/{pupil.pk}/",
        "/api/v1/leerlingen/?naam=a",
        "/api/v1/schema/",
    ):
        response = client.head(path)
        assert response.status_code == 200, path
        assert "HEAD" in response["Allow"]
    assert client.head("/api/v1/leerlingen/999999999/").status_code == 404
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").count() == 1


def test_api_options_says_nothing_in_english(member, client_for):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    for path in (f"/api/v1/leerlingen/{pupil.pk}/", "/api/v1/leerlingen/", "/api/v1/schema/"):
        response = client.options(path, headers={"Accept": "application/json"})
        assert response.status_code == 200
        body = response.json()
        assert "name" not in body, path
        assert body["description"].startswith("Wat dit adres doet"), path


def test_every_api_answer_about_pupils_is_kept_out_of_caches(member, client_for):
    pupil = PupilFactory(last_name="Apicache")
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    answers = [
        client.get("/api/v1/leerlingen/", {"naam": "a"}),
        client.get("/api/v1/leerlingen/", {"naam": "apicache"}),
        client.get(f"/api/v1/leerlingen/{pupil.pk}/"),
        client.head(f"/api/v1/leerlingen/{pupil.pk}/"),
        client.get("/api/v1/leerlingen/"),  # 400
        client.get(f"/api/v1/leerlingen/{pupil.pk + 1000}/"),  # 404
        client.get("/api/v1/bestaat-niet/"),  # no route
        Client().get(f"/api/v1/leerlingen/{pupil.pk}/"),  # 401
    ]
    for response in answers:
        assert "no-store" in response["Cache-Control"], response.status_code
