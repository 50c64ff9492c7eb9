"""Mijn account: a professional changes their own password, with the current one first."""

from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

OLD = "het-oude-wachtwoord-2026"
NEW = "Een-eigen-nieuw-wachtwoord-2027"


@pytest.fixture
def ib(member):  # type: ignore[no-untyped-def]
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    user.set_password(OLD)
    user.save()
    return user


def _change(client, old: str, new: str, again: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/",
        {
            "action": "wachtwoord",
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


def test_the_account_page_offers_to_change_the_password(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(ib).get("/account/").content.decode()
    assert "Wachtwoord wijzigen" in page and "Huidig wachtwoord" in page
    # Tester X11: a password manager needs the account's name in the form to store the new one.
    form = page.split('<h2 id="wachtwoord">', 1)[1].split("</form>", 1)[0]
    assert f'autocomplete="username" value="{ib.email}" hidden' in form


def test_a_new_password_keeps_this_session_and_signs_out_the_others(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    from auditlog.models import LogEntry

    here, elsewhere = client_for(ib), client_for(ib)
    response = _change(here, OLD, NEW)
    assert response.status_code == 302 and response["Location"] == "/account/"
    ib.refresh_from_db()
    assert ib.check_password(NEW)
    assert "Uw wachtwoord is gewijzigd." in here.get("/account/").content.decode()
    assert elsewhere.get("/account/")["Location"].startswith("/inloggen/?")
    entry = LogEntry.objects.get_for_object(ib).latest("pk")
    assert "password" in entry.changes_dict and entry.actor_id == ib.pk


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("fout-wachtwoord-123", NEW, None, "Uw huidige wachtwoord klopt niet."),
        (OLD, "kort", None, "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
        (OLD, NEW, NEW + "x", "De twee nieuwe wachtwoorden zijn niet hetzelfde."),
        (OLD, OLD, None, "Kies een ander wachtwoord dan uw huidige."),
    ],
)
def test_a_refused_new_password_says_why_in_dutch(ib, client_for, old, new, again, message) -> None:  # type: ignore[no-untyped-def]
    response = _change(client_for(ib), old, new, again)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert 'class="message message--error error-summary"' in page
    assert "<title>Fout: " in page
    ib.refresh_from_db()
    assert ib.check_password(OLD)


def test_an_empty_password_form_says_what_to_fill_in(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    """Tester Q3: each field says what is missing, not Django's "Dit veld is vereist."."""
    page = _change(client_for(ib), "", "", "").content.decode()
    for message in [
        "Vul uw huidige wachtwoord in.",
        "Vul een nieuw wachtwoord in.",
        "Vul het nieuwe wachtwoord nog een keer in.",
    ]:
        assert message in page
    assert "vereist" not in page


def test_the_account_page_is_not_kept_by_the_browser(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    """It holds a password form and the recovery codes' state: never from a cache."""
    response = client_for(ib).get("/account/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_wrong_current_passwords_count_as_failed_sign_ins(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    """A session left open elsewhere gives no unlimited guesses at the password: after five
    wrong ones the account is locked as after five failed sign-ins, for this form too."""
    from django.test import Client

    session = client_for(ib)
    for _ in range(4):
        assert "klopt niet" in _change(session, "geraden-wachtwoord-1", NEW).content.decode()
    fifth = _change(session, "geraden-wachtwoord-1", NEW)
    assert fifth.status_code == 429 and "tijdelijk geblokkeerd" in fifth.content.decode()
    assert _change(session, OLD, NEW).status_code == 429  # the right one no longer helps
    ib.refresh_from_db()
    assert ib.check_password(OLD)
    signing_in = Client().post("/inloggen/", {"username": ib.email, "password": OLD})
    assert signing_in.status_code == 429


def test_wrong_passwords_at_the_confirmation_step_count_too(ib, client_for) -> None:  # type: ignore[no-untyped-def]
    session = client_for(ib)
    for _ in range(4):
        refused = session.post("/inloggen/bevestigen/", {"password": "geraden-1", "token": "1"})
        assert "klopt niet" in refused.content.decode()
    assert session.post("/inloggen/bevestigen/", {"password": "x", "token": "1"}).status_code == 429
    assert session.post("/inloggen/bevestigen/", {"password": OLD, "token": "1"}).status_code == 429
