"""Sign-in: password, mandatory second factor, lockout, session limits, re-authentication."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.models import User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db
PASSWORD = "juist-wachtwoord-123"


@pytest.fixture
def ib(member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    user.set_password(PASSWORD)
    user.save()
    return user


def _token(device: TOTPDevice) -> str:
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def _password_step(client: Client, email: str, password: str):
    return client.post("/inloggen/", {"username": email, "password": password})


def test_password_alone_does_not_open_any_page(ib):
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    assert _password_step(client, ib.email, PASSWORD)["Location"] == "/inloggen/code/"
    for path in ("/", "/leerlingen/", "/scholen/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/inloggen/code/"


def test_password_and_code_sign_in(ib):
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    response = client.post("/inloggen/code/", {"token": _token(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_second_step_gives_the_session_a_new_key(ib):
    """Tester S7: the session id known after the password alone is worth nothing once the
    owner typed their code (a planted session id would otherwise become a signed-in one)."""
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    half = client.cookies["sessionid"].value
    client.post("/inloggen/code/", {"token": _token(device)})
    assert client.cookies["sessionid"].value != half
    assert client.get("/").status_code == 200
    planted = Client()
    planted.cookies["sessionid"] = half
    assert planted.get("/")["Location"].startswith("/inloggen/")


def test_setting_up_the_app_gives_the_session_a_new_key_too(ib):
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    client.get("/inloggen/instellen/")
    half = client.cookies["sessionid"].value
    device = TOTPDevice.objects.get(user=ib, confirmed=False)
    client.post("/inloggen/instellen/", {"token": _token(device)})
    assert client.cookies["sessionid"].value != half


def test_wrong_code_is_refused_with_a_clear_message(ib):
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    response = client.post("/inloggen/code/", {"token": "000000"})
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/")["Location"] == "/inloggen/code/"


def test_after_wrong_codes_the_right_one_waits_and_the_message_says_so(ib):
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        for _ in range(3):  # ten seconds apart: each wrong code counts
            t.shift(dt.timedelta(seconds=10))
            client.post("/inloggen/code/", {"token": "000000"})
        device.refresh_from_db()
        page = client.post("/inloggen/code/", {"token": _token(device)}).content.decode()
    assert "U hebt te vaak een verkeerde code ingevuld. Wacht een halve minuut" in page
    assert "Deze code klopt niet" not in page
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 1, tzinfo=dt.UTC), tick=False):
        device.refresh_from_db()
        assert client.post("/inloggen/code/", {"token": _token(device)}).status_code == 302


def test_setting_up_after_wrong_codes_says_to_wait(ib):
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    client.get("/inloggen/instellen/")
    device = TOTPDevice.objects.get(user=ib, confirmed=False)
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=dt.UTC), tick=False) as t:
        for _ in range(3):
            t.shift(dt.timedelta(seconds=10))
            client.post("/inloggen/instellen/", {"token": "000000"})
        device.refresh_from_db()
        page = client.post("/inloggen/instellen/", {"token": _token(device)}).content.decode()
    assert "Wacht een halve minuut" in page


def test_user_without_device_must_set_one_up_and_gets_recovery_codes(ib):
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    assert client.get("/inloggen/code/")["Location"] == "/inloggen/instellen/"
    page = client.get("/inloggen/instellen/")
    assert "QR-code" in page.content.decode()
    assert "herstelcode" not in page.content.decode()  # they come after this step
    device = TOTPDevice.objects.get(user=ib, confirmed=False)
    response = client.post("/inloggen/instellen/", {"token": _token(device)})
    assert len(response.context["codes"]) == 10
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "De code heeft 6 cijfers. U typte er 5."),
        ("1234567", "De code heeft 6 cijfers. U typte er 7."),
        ("12345a", "De code heeft 6 cijfers en geen letters of tekens."),
    ],
)
def test_a_set_up_code_of_the_wrong_length_says_so_not_the_phones_clock(ib, typed, message):
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    client.get("/inloggen/instellen/")
    page = client.post("/inloggen/instellen/", {"token": typed}).content.decode()
    assert message in page and "Controleer de tijd" not in page
    device = TOTPDevice.objects.get(user=ib, confirmed=False)
    assert device.throttling_failure_count == 0  # a slip is not a wrong code


def test_recovery_code_works_once(ib):
    from schoolzorg.accounts.services import issue_recovery_codes

    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    code = issue_recovery_codes(ib)[0]
    first = Client()
    _password_step(first, ib.email, PASSWORD)
    assert first.post("/inloggen/code/", {"token": code}).status_code == 302
    second = Client()
    _password_step(second, ib.email, PASSWORD)
    assert (
        "Deze code klopt niet" in second.post("/inloggen/code/", {"token": code}).content.decode()
    )


def test_a_recovery_code_is_accepted_in_capitals_and_with_spaces(ib):
    from schoolzorg.accounts.services import issue_recovery_codes

    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    code = issue_recovery_codes(ib)[0]
    typed = f" {code[:5].upper()} {code[5:].upper()} "
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    assert client.post("/inloggen/code/", {"token": typed}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_login_page_says_whom_to_ask_for_a_forgotten_password() -> None:
    page = Client().get("/inloggen/").content.decode()
    assert "Wachtwoord vergeten" in page and "functioneel beheerder" in page


def test_demo_code_only_works_in_the_demo_for_demo_devices(ib, settings):
    TOTPDevice.objects.create(user=ib, name="demo", confirmed=True)
    settings.DEMO_OTP_CODE = "123456"
    settings.DEMO_MODE = False
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    assert (
        "Deze code klopt niet"
        in client.post("/inloggen/code/", {"token": "123456"}).content.decode()
    )
    settings.DEMO_MODE = True
    assert client.post("/inloggen/code/", {"token": "123456"}).status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_message(ib):
    wrong_password = _password_step(Client(), ib.email, "fout").content.decode()
    unknown = _password_step(Client(), "niemand@test.example", "fout").content.decode()
    assert "Het e-mailadres of wachtwoord klopt niet" in wrong_password
    assert "Het e-mailadres of wachtwoord klopt niet" in unknown


def test_lockout_after_five_failures_even_with_the_right_password(ib):
    for _ in range(5):
        _password_step(Client(), ib.email, "fout")
    response = _password_step(Client(), ib.email, PASSWORD)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    # A locked unknown account looks exactly the same: no enumeration.
    for _ in range(5):
        _password_step(Client(), "niemand@test.example", "fout")
    assert _password_step(Client(), "niemand@test.example", "x").status_code == 429


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(ib):
    """Tester S8: knowing a colleague's address was enough to keep them out for half an hour,
    again and again. Failed sign-ins count per account and address."""
    for _ in range(5):
        _password_step(Client(REMOTE_ADDR="203.0.113.9"), ib.email, "fout")
    assert _password_step(Client(REMOTE_ADDR="203.0.113.9"), ib.email, PASSWORD).status_code == 429
    own = _password_step(Client(REMOTE_ADDR="192.0.2.10"), ib.email, PASSWORD)
    assert own.status_code == 302 and own["Location"] == "/inloggen/code/"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy: the header is anyone's to write
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is not believed
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2"),  # fewer hops than proxies: the connection's address
        (1, "6.6.6.6, <script>", "10.0.0.2"),  # not an address: the connection's
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_behind_a_proxy_is_counted_from_the_right(settings, count, forwarded, expected):
    from django.test import RequestFactory

    from schoolzorg.lib.clients import client_address as client_ip

    settings.PROXY_COUNT = count
    request = RequestFactory().post(
        "/inloggen/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


def test_the_email_address_signs_in_in_any_case(ib):
    assert ib.email == ib.email.lower()
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    response = _password_step(Client(), ib.email.upper(), PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/inloggen/code/"


def test_lockout_counts_every_case_of_an_address_as_one_account(ib):
    for variant in (ib.email, ib.email.upper(), ib.email.title(), ib.email.upper(), ib.email):
        _password_step(Client(), variant, "fout")
    response = _password_step(Client(), ib.email.capitalize(), PASSWORD)
    assert response.status_code == 429


def test_an_address_is_stored_in_lower_case_and_once_in_any_case(ib):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    created = User.objects.create_user(email="Nieuw@School.Example", password="x" * 16)
    assert created.email == "nieuw@school.example"
    twin = User(email=ib.email.upper(), full_name="Tweeling")
    twin.set_password("x" * 16)
    with pytest.raises(ValidationError, match="al een"):
        twin.full_clean()
    twin.email = ib.email.upper()  # saved without the form's cleaning
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_idle_session_ends_after_thirty_minutes(client_for, member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        assert client.get("/")["Location"].startswith("/inloggen/")


def test_session_is_written_again_only_when_its_last_write_is_a_minute_old(client_for, member):
    from django.contrib.sessions.models import Session

    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert client.get("/").status_code == 200
        first = Session.objects.get(session_key=key).expire_date
        clock.shift(dt.timedelta(seconds=30))
        assert client.get("/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first  # no write
        clock.shift(dt.timedelta(seconds=31))
        assert client.get("/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first + dt.timedelta(seconds=61)


def test_active_session_ends_after_twelve_hours(client_for, member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        for _ in range(12 * 3 + 1):
            clock.shift(dt.timedelta(minutes=20))
            response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_reauth_asks_password_and_code_and_returns_to_the_page(ib):
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    client.post("/inloggen/code/", {"token": _token(device)})
    page = client.get("/inloggen/bevestigen/?next=/scholen/")
    assert page.status_code == 200
    refused = client.post(
        "/inloggen/bevestigen/", {"password": "fout", "token": "1", "next": "/scholen/"}
    )
    assert "klopt niet" in refused.content.decode()
    # A code may not be replayed; wait for the next time step.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)):
        ok = client.post(
            "/inloggen/bevestigen/",
            {"password": PASSWORD, "token": _token(device), "next": "/scholen/"},
        )
    assert ok["Location"] == "/scholen/"


def test_next_parameter_cannot_redirect_off_site(ib):
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    client.post(
        "/inloggen/", {"username": ib.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert client.post("/inloggen/code/", {"token": _token(device)})["Location"] == "/"


def test_pupil_page_is_not_cached_and_carries_security_headers(client_for, member):
    pupil = PupilFactory()
    user = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    response = client_for(user).get(f"/leerlingen/{pupil.pk}/")
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "'nonce-" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_inactive_user_cannot_sign_in(ib):
    User.objects.filter(pk=ib.pk).update(is_active=False)
    response = _password_step(Client(), ib.email, PASSWORD)
    assert response.status_code == 400 and "klopt niet" in response.content.decode()


def test_a_deactivated_or_removed_user_is_signed_out_on_the_next_request(client_for, member):
    # The user is read afresh on every request (accounts.backends, a prepared read).
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(user)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/")["Location"].startswith("/inloggen/")

    other = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(other)
    assert client.get("/").status_code == 200
    other.memberships.all().delete()
    User.objects.filter(pk=other.pk).delete()
    assert client.get("/")["Location"].startswith("/inloggen/")


def _past_the_twelve_hours(client_for, member):
    """A signed-in client whose session started more than twelve hours ago."""
    from schoolzorg.accounts.middleware import SESSION_STARTED_KEY

    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    session = client.session
    session[SESSION_STARTED_KEY] = session[SESSION_STARTED_KEY] - 12 * 60 * 60 - 1
    session.save()
    return client


def test_after_twelve_hours_a_page_goes_to_login_and_comes_back_with_a_message(client_for, member):
    client = _past_the_twelve_hours(client_for, member)
    response = client.get("/leerlingen/", {"q": "Jan"})
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/leerlingen/%3Fq%3DJan"
    page = client.get(response["Location"]).content.decode()
    assert "Uw sessie is verlopen. Log opnieuw in." in page
    assert 'value="/leerlingen/?q=Jan"' in page  # the login form sends it on


def test_after_twelve_hours_a_form_comes_back_to_its_address_without_query(client_for, member):
    client = _past_the_twelve_hours(client_for, member)
    response = client.post("/leerlingen/?q=Jan", {"x": "1"})
    assert response["Location"] == "/inloggen/?next=/leerlingen/"


def test_after_twelve_hours_an_htmx_request_comes_back_to_no_part_of_a_page(client_for, member):
    client = _past_the_twelve_hours(client_for, member)
    response = client.get("/leerlingen/", headers={"HX-Request": "true"})
    # A short text for the part of the page, not the login page (htmx would follow a redirect
    # and put the whole login page into that part), with a link to sign in again.
    assert response.status_code == 401
    body = response.content.decode()
    assert "Uw sessie is verlopen" in body and 'href="/inloggen/"' in body and "<h1" not in body


def test_after_twelve_hours_the_api_answers_a_dutch_401(client_for, member):
    client = _past_the_twelve_hours(client_for, member)
    response = client.get("/api/v1/leerlingen/", {"naam": "a"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Session realm="schoolzorg"'
    assert response.json()["title"] == "Uw sessie is verlopen. Log opnieuw in."
    assert client.get("/api/v1/leerlingen/", {"naam": "a"}).status_code == 401  # signed out


@pytest.mark.parametrize(
    ("path", "back"),
    [
        ("//evil.example/", ""),
        ("///evil.example/", ""),
        ("/\\evil.example/", "/%5Cevil.example/"),  # escaped: a path on this site
    ],
)
def test_the_page_to_come_back_to_is_only_a_local_path(rf, path, back):
    from schoolzorg.accounts.middleware import _return_path

    request = rf.get("/")
    request.path = path
    assert _return_path(request) == back


def test_after_an_idle_timeout_the_login_page_says_the_session_ended(client_for, member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/leerlingen/", {"q": "Jan"})
        assert response["Location"] == "/inloggen/?next=/leerlingen/%3Fq%3DJan"
        assert "Uw sessie is verlopen." in client.get(response["Location"]).content.decode()
        assert "Uw sessie is verlopen." not in client.get("/inloggen/").content.decode()  # once


def test_after_an_idle_timeout_the_api_says_the_session_ended(client_for, member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        assert client.get("/api/v1/leerlingen/", {"naam": "Jan"}).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/api/v1/leerlingen/", {"naam": "Jan"})
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Uw sessie is verlopen. Log opnieuw in."
        assert "WWW-Authenticate" in response
        # Said once, as on the pages; then it is an ordinary "not signed in".
        again = client.get("/api/v1/leerlingen/", {"naam": "Jan"})
        assert again.json()["title"] == "U bent niet ingelogd. Log eerst in."


def test_signing_out_or_never_signing_in_says_nothing_about_a_session(client_for, member):
    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    assert client.get("/").status_code == 200
    client.post("/uitloggen/")
    page = client.get(client.get("/leerlingen/")["Location"]).content.decode()
    assert "Uw sessie is verlopen." not in page
    stranger = Client()
    page = stranger.get(stranger.get("/leerlingen/")["Location"]).content.decode()
    assert "Uw sessie is verlopen." not in page


@pytest.mark.parametrize("typed", ["١٢٣٤٥٦", "１２３４５６", "۱۲۳ ۴۵۶"])
def test_a_code_typed_in_other_digits_counts_as_those_digits(ib, settings, typed):
    """An Arabic or full-width keyboard types the same code; the app's code and the demo code
    are read alike (`forms.normal_code`)."""
    TOTPDevice.objects.create(user=ib, name="demo", confirmed=True)
    settings.DEMO_OTP_CODE = "123456"
    settings.DEMO_MODE = True
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    assert client.post("/inloggen/code/", {"token": typed}).status_code == 302
    again = client.post("/inloggen/bevestigen/", {"password": PASSWORD, "token": typed})
    assert again.status_code == 302


def test_a_code_with_a_superscript_is_a_wrong_code_not_a_crash(ib, settings):
    TOTPDevice.objects.create(user=ib, name="demo", confirmed=True)
    settings.DEMO_OTP_CODE = "123456"
    settings.DEMO_MODE = True
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    response = client.post("/inloggen/code/", {"token": "12345²"})
    assert response.status_code == 400  # the form again, with the mistake; not a crash
    assert "Deze code klopt niet" in response.content.decode()
    assert client.post("/inloggen/code/", {"token": "123456"}).status_code == 302
    again = client.post("/inloggen/bevestigen/", {"password": PASSWORD, "token": "12345²"})
    assert again.status_code == 400
    assert "Het wachtwoord of de code klopt niet" in again.content.decode()


UNSAVED = "Wat u net typte of koos, is daarom niet opgeslagen."


def _idle_case_client(client_for, member):  # type: ignore[no-untyped-def]
    """A signed-in coordinator with a case, and the clock to let their session run out."""
    from schoolzorg.cases.tests.factories import CaseFactory

    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    case = CaseFactory(pupil=pupil, raised_by=ib)
    client = client_for(ib)
    assert client.get(f"/casussen/{case.pk}/").status_code == 200
    return client, case


def test_a_note_sent_after_an_idle_timeout_comes_back_to_the_page_it_was_typed_on(
    client_for, member
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client, case = _idle_case_client(client_for, member)
        clock.shift(dt.timedelta(minutes=31))
        response = client.post(
            f"/casussen/{case.pk}/notitie/",
            {"text": "Een lange notitie"},
            headers={"Referer": f"http://testserver/casussen/{case.pk}/?tab=tijdlijn"},
        )
        # Not the form's own address, which takes forms only and would answer 405.
        assert response["Location"] == f"/inloggen/?next=/casussen/{case.pk}/%3Ftab%3Dtijdlijn"
        page = client.get(response["Location"]).content.decode()
        assert UNSAVED in page and "Log opnieuw in" in page


@pytest.mark.parametrize("referer", [None, "https://elders.example/casussen/1/"])
def test_without_a_referer_of_this_site_a_form_comes_back_to_the_page_its_address_belongs_to(
    client_for, member, referer
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client, case = _idle_case_client(client_for, member)
        clock.shift(dt.timedelta(minutes=31))
        headers = {"Referer": referer} if referer else {}
        response = client.post(f"/casussen/{case.pk}/notitie/", {"text": "x"}, headers=headers)
        assert response["Location"] == f"/inloggen/?next=/casussen/{case.pk}/"


def test_after_twelve_hours_a_form_only_address_comes_back_to_its_page(client_for, member):
    client = _past_the_twelve_hours(client_for, member)
    response = client.post("/casussen/7/notitie/", {"text": "x"})
    assert response["Location"] == "/inloggen/?next=/casussen/7/"
    assert UNSAVED in client.get(response["Location"]).content.decode()


def test_signing_in_with_a_form_only_address_as_next_goes_to_its_page(ib):
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    client.post(
        "/inloggen/",
        {"username": ib.email, "password": PASSWORD, "next": "/casussen/6/notitie/"},
    )
    assert client.post("/inloggen/code/", {"token": _token(device)})["Location"] == "/casussen/6/"


def test_a_page_after_an_idle_timeout_does_not_speak_of_unsaved_text(client_for, member):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client, case = _idle_case_client(client_for, member)
        clock.shift(dt.timedelta(minutes=31))
        page = client.get(f"/casussen/{case.pk}/", follow=True).content.decode()
        assert "Uw sessie is verlopen. Log opnieuw in." in page and UNSAVED not in page


def test_staying_signed_in_starts_the_idle_limit_afresh(client_for, member):
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = client_for(user)
        page = client.get("/").content.decode()
        assert 'id="sessie-melding"' in page and 'data-left="1800"' in page
        assert "Blijf ingelogd" in page
        clock.shift(dt.timedelta(minutes=28))
        answer = client.post("/inloggen/verlengen/")
        assert answer.status_code == 200
        assert answer.json() == {
            "ingelogd": True,
            "seconden": 1800,
            "seconden_tot_einde": 12 * 60 * 60 - 28 * 60,
        }
        clock.shift(dt.timedelta(minutes=28))
        assert client.get("/").status_code == 200  # 56 minutes after the last page
        assert client.get("/inloggen/verlengen/").status_code == 405
        clock.shift(dt.timedelta(minutes=31))
        ended = client.post("/inloggen/verlengen/")
        assert ended.status_code == 401 and ended.json() == {"ingelogd": False}


def test_the_warning_before_the_idle_limit_is_only_for_someone_signed_in() -> None:
    page = Client().get("/inloggen/").content.decode()
    assert "sessie-melding" not in page and "session.js" not in page


def _title(response) -> str:
    import re

    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_sign_in_forms_sent_with_mistakes_say_fout_in_the_title(ib):
    """Tester X7: the login, second step and re-authentication forms came back with 200, so
    their tab title lacked the "Fout: " every other form that comes back has."""
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    assert _title(client.get("/inloggen/")) == "Inloggen – Schoolzorg"
    wrong = _password_step(client, ib.email, "fout")
    assert wrong.status_code == 400 and _title(wrong) == "Fout: Inloggen – Schoolzorg"
    _password_step(client, ib.email, PASSWORD)
    code = client.post("/inloggen/code/", {"token": "000000"})
    assert code.status_code == 400 and _title(code).startswith("Fout: Tweede stap")
    assert not _title(client.get("/inloggen/code/")).startswith("Fout")
    again = client.post("/inloggen/bevestigen/", {"password": "", "token": ""})
    assert again.status_code == 400 and _title(again).startswith("Fout: Bevestig")


def test_only_the_password_field_of_the_reauth_form_has_autofocus(ib):
    """Tester X11: password and code both carried autofocus (invalid HTML)."""
    device = TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    client = Client()
    _password_step(client, ib.email, PASSWORD)
    client.post("/inloggen/code/", {"token": _token(device)})
    page = client.get("/inloggen/bevestigen/").content.decode()
    form = page.split("<main", 1)[1].split("</form>", 1)[0]
    assert form.count("autofocus") == 1
    assert 'autocomplete="current-password" autofocus' in page
    # The second step keeps its own autofocus on the code.
    from schoolzorg.accounts.forms import TokenForm

    assert TokenForm().fields["token"].widget.attrs["autofocus"] is True
