"""Ids in URLs: at most 18 digits, so a longer number is "Niet gevonden", never a crash."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse

from schoolzorg.audit.matrix import build_world, signed_in_client

HUGE = "99999999999999999999"


def test_an_id_resolves_to_an_integer() -> None:
    assert resolve("/scholen/123/").kwargs == {"pk": 123}
    assert reverse("organisations:school_detail", kwargs={"pk": 123}) == "/scholen/123/"


def test_an_id_too_long_for_the_database_matches_no_route() -> None:
    with pytest.raises(Resolver404):
        resolve(f"/scholen/{HUGE}/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/scholen/{HUGE}/",  # a school's key points to its organisation: SQLite overflowed
        f"/zorgteams/school/{HUGE}/",
        f"/kalender/school/{HUGE}/",
        f"/leerlingen/{HUGE}/",
    ],
)
def test_a_signed_in_user_gets_404_for_an_id_beyond_any_id(path: str) -> None:
    world = build_world()
    client = signed_in_client(world.users["coordinator"])
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        (HUGE, None),
        ("", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),
        ("1 ", None),
        ("1e3", None),
    ],
)
def test_parse_id_takes_only_ids_that_fit_the_database(raw: str, expected: int | None) -> None:
    from schoolzorg.lib.converters import parse_id

    assert parse_id(raw) == expected
