from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = pytest.mark.django_db


def test_support_coordinator_sees_pupil_and_the_read_is_logged(member, client_for):
    pupil = PupilFactory(first_name="Canarie")
    add_guardian(pupil, full_name="Moeder Test")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    response = client_for(ib).get(f"/leerlingen/{pupil.pk}/")
    assert response.status_code == 200
    assert "Moeder Test" in response.content.decode()
    entry = AccessLogEntry.objects.get(pupil_id=pupil.pk)
    assert (entry.user_id, entry.action, entry.role) == (ib.pk, "view", Role.SUPPORT_COORDINATOR)
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    school = pupil.current_school.name
    assert (
        f"U ziet deze leerling als intern begeleider / zorgcoördinator bij {school}. "
        "Dat u deze pagina bekijkt, staat in het logboek." in response.content.decode()
    )


def test_staff_of_another_school_gets_404_and_nothing_is_logged(member, client_for):
    pupil = PupilFactory()
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    assert client_for(outsider).get(f"/leerlingen/{pupil.pk}/").status_code == 404
    assert client_for(outsider).get("/leerlingen/999999/").status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_teacher_sees_only_basic_data_of_own_group(member, client_for):
    pupil = PupilFactory(current_group="6")
    add_guardian(pupil, full_name="Geheime Ouder")
    other = PupilFactory(current_school=pupil.current_school, current_group="7")
    teacher = member(Role.TEACHER, pupil.current_school, group="6")
    client = client_for(teacher)
    page = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert pupil.first_name in page and "Geheime Ouder" not in page
    assert f"U ziet deze leerling als leerkracht bij {pupil.current_school.name}." in page
    assert client.get(f"/leerlingen/{other.pk}/").status_code == 404


def test_search_finds_only_visible_pupils_and_logs_each_result(member, client_for):
    mine = PupilFactory(last_name="Zoekmans")
    PupilFactory(last_name="Zoekmans")  # same name, another school
    ib = member(Role.SUPPORT_COORDINATOR, mine.current_school)
    response = client_for(ib).get("/leerlingen/", {"q": "zoekmans"})
    assert response.context["results"] == [mine]
    assert list(AccessLogEntry.objects.values_list("pupil_id", "action")) == [(mine.pk, "search")]


def test_municipal_analyst_finds_no_pupil(member, client_for):
    pupil = PupilFactory(last_name="Analyseer")
    analyst = member(Role.MUNICIPAL_ANALYST, pupil.current_school.municipality)
    response = client_for(analyst).get("/leerlingen/", {"q": "Analyseer"})
    assert response.context["results"] == []
    assert client_for(analyst).get(f"/leerlingen/{pupil.pk}/").status_code == 404


def test_ended_membership_takes_effect_on_next_request(member, client_for):
    import datetime as dt

    from schoolzorg.accounts.models import Membership

    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    client = client_for(ib)
    assert client.get(f"/leerlingen/{pupil.pk}/").status_code == 200
    Membership.objects.filter(user=ib).update(valid_until=dt.date.today() - dt.timedelta(days=1))
    assert client.get(f"/leerlingen/{pupil.pk}/").status_code == 404


def test_search_is_blind_to_accents_and_case(member, client_for):
    school = SchoolFactory()
    daniel = PupilFactory(first_name="Daniël", last_name="Çelik", current_school=school)
    zoe = PupilFactory(first_name="Zoë", last_name="de Vries", current_school=school)
    PupilFactory(first_name="Daan", last_name="Jansen", current_school=school)
    client = client_for(member(Role.SUPPORT_COORDINATOR, school))
    for query, expected in (
        ("Daniel", [daniel]),
        ("daniël celik", [daniel]),
        ("ÇELIK", [daniel]),
        ("zoe", [zoe]),
        ("Zoë Vries", [zoe]),
        ("Daniëlle", []),
    ):
        found = client.get("/leerlingen/", {"q": query}).context["results"]
        assert found == expected, query


def test_search_takes_out_hidden_characters_pasted_into_a_name(member, client_for):
    """A name pasted from Word or an e-mail can carry a zero-width space or a soft hyphen; the
    search found no one and said "no pupils you may see" (tester finding)."""
    bakker = PupilFactory(first_name="Sanne", last_name="Bakker")
    client = client_for(member(Role.SUPPORT_COORDINATOR, bakker.current_school))
    for query in ("Bak\u200bker", "Bakker\u00ad", "\ufeffSanne Bakker", "Bak\x00ker"):
        response = client.get("/leerlingen/", {"q": query})
        assert response.status_code == 200, repr(query)
        assert response.context["results"] == [bakker], repr(query)
    assert AccessLogEntry.objects.filter(pupil_id=bakker.pk, action="search").count() == 4


def test_a_search_of_only_hidden_characters_says_so_and_lists_no_one(member, client_for):
    pupil = PupilFactory()
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    response = client.get("/leerlingen/", {"q": "\u200b\u00ad"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "De naam bestaat alleen uit onzichtbare tekens" in page
    assert 'class="message message--error error-summary"' in page
    assert "Geen leerlingen gevonden die u mag zien." not in page
    assert response.context["results"] == []
    assert not AccessLogEntry.objects.exists()


def test_a_name_search_without_any_word_matches_no_one():
    """Every caller (the consultation's pupil search, the agenda builder's) lists no one for a
    query that is only hidden characters, rather than everyone."""
    from schoolzorg.pupils.models import Pupil

    PupilFactory(first_name="Sanne", last_name="Bakker")
    assert Pupil.objects.search("bak\u00adker").count() == 1
    assert not Pupil.objects.search("\u200b").exists()
    assert not Pupil.objects.search(" ").exists()


def test_the_address_history_names_postcode_and_house_number(member, client_for):
    import datetime as dt

    from schoolzorg.pupils.models import Residence

    pupil = PupilFactory()
    Residence.objects.create(
        pupil=pupil,
        postcode="3501AB",
        house_number="91",
        moved_in_on=dt.date(2019, 5, 1),
        moved_out_on=dt.date(2021, 9, 30),
    )
    Residence.objects.create(
        pupil=pupil, postcode="3512CD", house_number="", moved_in_on=dt.date(2021, 9, 30)
    )
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "<li>postcode 3501 AB, huisnummer 91, van 1-5-2019 tot 30-9-2021</li>" in page
    assert "<li>postcode 3512 CD, van 30-9-2021 tot nu</li>" in page


def test_a_brother_or_sister_named_on_the_page_is_logged_too(member, client_for):
    """Tester S6: the sibling's name is shown in passing, so the sibling's parents see it in
    "Wie keek er"; a sibling the reader may not see is neither shown nor logged."""
    pupil = PupilFactory(first_name="Emma")
    brother = PupilFactory(
        first_name="Mohamed", family=pupil.family, current_school=pupil.current_school
    )
    elsewhere = PupilFactory(first_name="Zoë", family=pupil.family)  # another school
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "Mohamed" in page and "Zoë" not in page
    entry = AccessLogEntry.objects.get(pupil_id=brother.pk)
    assert (entry.user_id, entry.action, entry.detail) == (ib.pk, "view", "broer of zus")
    assert not AccessLogEntry.objects.filter(pupil_id=elsewhere.pk).exists()


def test_the_read_log_keeps_the_users_address_behind_a_proxy(member, client_for, settings):
    """Tester T13: behind the TLS proxy every entry had the proxy's address. The proxy's own
    entry in X-Forwarded-For counts; what the browser wrote itself further left does not."""
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    client = client_for(ib)
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 145.10.20.30"}
    client.get(f"/leerlingen/{pupil.pk}/", **forwarded)
    settings.PROXY_COUNT = 1
    client.get(f"/leerlingen/{pupil.pk}/", **forwarded)
    addresses = AccessLogEntry.objects.filter(pupil_id=pupil.pk).order_by("pk")
    assert list(addresses.values_list("client_address", flat=True)) == [
        "127.0.0.1",
        "145.10.20.30",
    ]


def test_the_pupil_pages_titles_name_the_child_by_first_name_only(member, client_for):
    """The title ends up in the tab bar, the browser history and a shared screen even when the
    page is not cached: the first name at most, as "Wie keek er naar Adam" (tester W3). The
    heading keeps the full name. Every page of the matrix is checked the same way
    (`audit.matrix._name_in_title`)."""
    import re

    from django.urls import reverse

    pupil = PupilFactory(first_name="Kiki", last_name="Titelloos")
    client = client_for(member(Role.SUPPORT_COORDINATOR, pupil.current_school))
    for url in (
        reverse("pupils:detail", args=[pupil.pk]),
        reverse("pupils:move", args=[pupil.pk]),
        reverse("audit:pupil_log", args=[pupil.pk]),
        reverse("audit:pupil_changes", args=[pupil.pk]),
    ):
        response = client.get(url)
        found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
        assert response.status_code == 200 and found is not None, url
        assert "Kiki" in found.group(1) and "Titelloos" not in found.group(1), url
    assert "<h1>Kiki Titelloos</h1>" in client.get(f"/leerlingen/{pupil.pk}/").content.decode()


def test_an_empty_search_says_what_to_type_and_the_box_is_not_marked_optional(member, client_for):
    """Tester X9: "(niet verplicht)" on the only field, and no answer at all to an empty search."""
    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    first = client.get("/leerlingen/").content.decode()
    assert "niet verplicht" not in first and "Typ (een deel van)" not in first
    empty = client.get("/leerlingen/", {"q": ""}).content.decode()
    assert "Typ (een deel van) de naam van de leerling en kies Zoeken." in empty
    assert "Resultaten" not in empty
