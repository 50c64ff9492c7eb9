"""The functional administrator's part of the Django admin: their own organisations only."""

from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _person(email: str, organisation, role: str, **kw) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(email=email, password="x" * 16, full_name=email)
    Membership.objects.create(
        user=user, organisation=organisation, role=role, valid_from=dt.date(2020, 1, 1), **kw
    )
    return user


@pytest.fixture
def town(client_for):  # type: ignore[no-untyped-def]
    here, elsewhere = MunicipalityFactory(name="Hierstad"), MunicipalityFactory(name="Elders")
    school, far_school = SchoolFactory(municipality=here), SchoolFactory(municipality=elsewhere)
    admin_user = _person("beheer@hier.example", here, Role.FUNCTIONAL_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    return {
        "school": school,
        "far_school": far_school,
        "ib": _person("ib@hier.example", school, Role.SUPPORT_COORDINATOR),
        "far_ib": _person("ib@elders.example", far_school, Role.SUPPORT_COORDINATOR),
        "client": client_for(admin_user),
    }


def test_the_admin_shows_a_functional_administrator_accounts_and_organisations(town) -> None:  # type: ignore[no-untyped-def]
    page = town["client"].get("/beheer/").content.decode()
    assert "/beheer/accounts/user/" in page and "/beheer/accounts/membership/" in page
    assert "/beheer/organisations/school/" in page
    assert "geen rechten" not in page
    assert "/beheer/auditlog/" not in page and "/beheer/axes/" not in page


def test_only_people_of_their_own_organisations_are_listed_and_opened(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    listed = client.get("/beheer/accounts/user/").content.decode()
    assert "ib@hier.example" in listed and "ib@elders.example" not in listed
    assert client.get(f"/beheer/accounts/user/{town['ib'].pk}/change/").status_code == 200
    far = client.get(f"/beheer/accounts/user/{town['far_ib'].pk}/change/")
    assert far.status_code == 302  # Django: "does not exist", back to the index
    memberships = client.get("/beheer/accounts/membership/").content.decode()
    assert "ib@hier.example" in memberships and "ib@elders.example" not in memberships


def test_a_membership_can_be_added_at_their_own_school_only(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    newcomer = User.objects.create_user(email="nieuw@hier.example", password="x" * 16)
    form = {
        "user": newcomer.pk,
        "role": Role.TEACHER,
        "group": "5",
        "valid_from": "2026-01-01",
    }
    refused = client.post(
        "/beheer/accounts/membership/add/", {**form, "organisation": town["far_school"].pk}
    )
    assert refused.status_code == 200  # the form again, with an error
    assert not Membership.objects.filter(user=newcomer).exists()
    done = client.post(
        "/beheer/accounts/membership/add/", {**form, "organisation": town["school"].pk}
    )
    assert done.status_code == 302
    assert Membership.objects.get(user=newcomer).organisation_id == town["school"].pk


def test_nobody_is_made_staff_and_nothing_is_deleted(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    ib = town["ib"]
    page = client.get(f"/beheer/accounts/user/{ib.pk}/change/").content.decode()
    assert 'name="is_staff"' not in page
    membership = ib.memberships.get()
    assert client.post(f"/beheer/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.get(f"/beheer/accounts/user/{ib.pk}/delete/").status_code == 403


def test_organisations_can_be_looked_up_but_only_their_own_changed(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    own = client.get(f"/beheer/organisations/school/{town['school'].pk}/change/")
    far = client.get(f"/beheer/organisations/school/{town['far_school'].pk}/change/")
    assert own.status_code == far.status_code == 200
    assert 'name="name"' in own.content.decode()
    assert 'name="name"' not in far.content.decode()  # shown read-only
    assert client.get("/beheer/organisations/school/add/").status_code == 403


def test_without_the_role_the_admin_holds_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    ib = _person("ib@school.example", school, Role.SUPPORT_COORDINATOR)
    ib.is_staff = True
    ib.save()
    client = client_for(ib)
    assert "geen rechten" in client.get("/beheer/").content.decode()
    assert client.get("/beheer/accounts/user/").status_code == 403


def test_a_new_account_gets_its_first_role_on_its_own_page(town, client_for) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "email": "leerkracht@hier.example",
            "full_name": "Nieuwe Leerkracht",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="leerkracht@hier.example")
    page = client.get(f"/beheer/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="memberships-TOTAL_FORMS"' in page  # the roles can be edited here
    form = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": Role.TEACHER,
        "memberships-0-group": "4",
        "memberships-0-valid_from": "2026-08-01",
    }
    far = {**form, "memberships-0-organisation": town["far_school"].pk}
    assert client.post(f"/beheer/accounts/user/{user.pk}/change/", far).status_code == 200
    assert not user.memberships.exists()
    own = {**form, "memberships-0-organisation": town["school"].pk}
    assert client.post(f"/beheer/accounts/user/{user.pk}/change/", own).status_code == 302
    assert user.memberships.get().organisation_id == town["school"].pk
    # Now the account belongs to this municipality: another's administrator no longer sees it.
    far_admin = _person(
        "beheer@elders.example", town["far_school"].municipality, Role.FUNCTIONAL_ADMIN
    )
    far_admin.is_staff = True
    far_admin.save()
    listed = client_for(far_admin).get("/beheer/accounts/user/").content.decode()
    assert "ib@elders.example" in listed and "leerkracht@hier.example" not in listed


def _admin(town):  # type: ignore[no-untyped-def]
    return User.objects.get(email="beheer@hier.example")


def test_a_functional_administrator_gives_no_role_to_their_own_account(town) -> None:  # type: ignore[no-untyped-def]
    client, me = town["client"], _admin(town)
    form = {"user": me.pk, "organisation": town["school"].pk, "valid_from": "2026-01-01"}
    for role in (Role.SUPPORT_COORDINATOR, Role.TEACHER):
        refused = client.post("/beheer/accounts/membership/add/", {**form, "role": role})
        assert refused.status_code == 200
        assert "U kunt uw eigen rollen niet toevoegen of wijzigen" in refused.content.decode()
    assert list(me.memberships.values_list("role", flat=True)) == [Role.FUNCTIONAL_ADMIN]
    # Nor by moving a colleague's membership to their own account.
    ib_role = town["ib"].memberships.get()
    changed = client.post(
        f"/beheer/accounts/membership/{ib_role.pk}/change/",
        {**form, "role": Role.SUPPORT_COORDINATOR},
    )
    assert changed.status_code == 200
    ib_role.refresh_from_db()
    assert ib_role.user_id == town["ib"].pk


def test_a_functional_administrators_own_roles_are_shown_read_only(town) -> None:  # type: ignore[no-untyped-def]
    client, me = town["client"], _admin(town)
    own = me.memberships.get()
    page = client.get(f"/beheer/accounts/membership/{own.pk}/change/").content.decode()
    assert 'name="role"' not in page
    assert (
        client.post(
            f"/beheer/accounts/membership/{own.pk}/change/",
            {
                "user": me.pk,
                "organisation": own.organisation_id,
                "role": Role.PRIVACY_OFFICER,
                "valid_from": "2020-01-01",
            },
        ).status_code
        == 403
    )
    account = client.get(f"/beheer/accounts/user/{me.pk}/change/").content.decode()
    assert 'name="memberships-0-role"' not in account  # their roles, not editable
    sent = {
        "email": me.email,
        "full_name": me.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-organisation": town["school"].pk,
        "memberships-0-role": Role.SUPPORT_COORDINATOR,
        "memberships-0-valid_from": "2026-01-01",
    }
    client.post(f"/beheer/accounts/user/{me.pk}/change/", sent)
    assert list(me.memberships.values_list("role", flat=True)) == [Role.FUNCTIONAL_ADMIN]


def test_a_functional_administrator_appoints_no_privacy_officer(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    colleague = _person("collega@hier.example", town["school"].municipality, Role.MUNICIPAL_ANALYST)
    form = {
        "user": colleague.pk,
        "organisation": town["school"].municipality.pk,
        "valid_from": "2026-01-01",
    }
    refused = client.post(
        "/beheer/accounts/membership/add/", {**form, "role": Role.PRIVACY_OFFICER}
    )
    assert "Een privacyfunctionaris wordt aangewezen" in refused.content.decode()
    # Only that reason: without a role there is no kind of organisation to refuse.
    assert "hoort niet bij dit soort organisatie" not in refused.content.decode()
    assert not colleague.memberships.filter(role=Role.PRIVACY_OFFICER).exists()
    # Nor by changing an existing role into it, nor by changing a privacy officer's role.
    analyst = colleague.memberships.get()
    client.post(
        f"/beheer/accounts/membership/{analyst.pk}/change/", {**form, "role": Role.PRIVACY_OFFICER}
    )
    analyst.refresh_from_db()
    assert analyst.role == Role.MUNICIPAL_ANALYST
    officer = _person("privacy@hier.example", town["school"].municipality, Role.PRIVACY_OFFICER)
    role = officer.memberships.get()
    assert (
        client.post(
            f"/beheer/accounts/membership/{role.pk}/change/",
            {
                **form,
                "user": officer.pk,
                "role": Role.PRIVACY_OFFICER,
                "valid_until": "2026-01-01",
                "valid_from": "2020-01-01",
            },
        ).status_code
        == 403
    )
    # A colleague may be made functional administrator: ordinary work.
    done = client.post("/beheer/accounts/membership/add/", {**form, "role": Role.FUNCTIONAL_ADMIN})
    assert done.status_code == 302
    assert colleague.memberships.filter(role=Role.FUNCTIONAL_ADMIN).exists()


def test_a_superuser_still_appoints_a_privacy_officer(town, client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@hier.example", password="x" * 16)
    client = client_for(root)
    colleague = _person("collega@hier.example", town["school"].municipality, Role.MUNICIPAL_ANALYST)
    done = client.post(
        "/beheer/accounts/membership/add/",
        {
            "user": colleague.pk,
            "organisation": town["school"].municipality.pk,
            "role": Role.PRIVACY_OFFICER,
            "valid_from": "2026-01-01",
        },
    )
    assert done.status_code == 302
    assert colleague.memberships.filter(role=Role.PRIVACY_OFFICER).exists()


def _sent(client, url: str, **changes):  # type: ignore[no-untyped-def]
    """The change form at `url` as the page fills it in, with `changes`, sent back."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return client.post(url, {**data, **changes})


def test_their_own_organisations_name_changes_but_not_where_it_belongs(town) -> None:  # type: ignore[no-untyped-def]
    client, school = town["client"], town["school"]
    here = school.municipality
    url = f"/beheer/organisations/school/{school.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="name"' in page and 'name="email"' in page
    for field in ("municipality", "kind", "board", "partnership", "district", "location_code"):
        assert f'name="{field}"' not in page, field
    response = _sent(
        client,
        url,
        name="Kindcentrum Nieuw",
        municipality=town["far_school"].municipality.pk,
        kind="partnership",
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Kindcentrum Nieuw"
    assert school.municipality_id == here.pk and school.kind == "school"
    municipality = client.get(f"/beheer/organisations/municipality/{here.pk}/change/")
    assert 'name="cbs_code"' not in municipality.content.decode()
    assert 'name="name"' in municipality.content.decode()


def test_a_team_gets_districts_of_their_own_municipalities_only(town) -> None:  # type: ignore[no-untyped-def]
    from schoolzorg.organisations.models import District, NeighbourhoodTeam

    here, elsewhere = town["school"].municipality, town["far_school"].municipality
    team = NeighbourhoodTeam.objects.create(
        kind="neighbourhood_team", name="Wijkteam", municipality=here
    )
    own = District.objects.create(code="WK000101", name="Centrum", municipality=here)
    far = District.objects.create(code="WK000201", name="Elders-Oost", municipality=elsewhere)
    url = f"/beheer/organisations/neighbourhoodteam/{team.pk}/change/"
    choices = set(town["client"].get(url).context["adminform"].form.fields["districts"].queryset)
    assert own in choices and far not in choices
    _sent(town["client"], url, districts=[far.pk])
    assert not team.districts.exists()
    _sent(town["client"], url, districts=[own.pk])
    assert list(team.districts.all()) == [own]


def test_a_superuser_still_moves_an_organisation(town, client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@hier.example", password="x" * 16)
    school = town["school"]
    url = f"/beheer/organisations/school/{school.pk}/change/"
    elsewhere = town["far_school"].municipality
    assert _sent(client_for(root), url, municipality=elsewhere.pk).status_code == 302
    school.refresh_from_db()
    assert school.municipality_id == elsewhere.pk


def test_a_functional_administrator_cannot_switch_their_own_account_off(town) -> None:  # type: ignore[no-untyped-def]
    client, me = town["client"], _admin(town)
    page = client.get(f"/beheer/accounts/user/{me.pk}/change/").content.decode()
    assert 'name="is_active"' not in page
    sent = {
        "email": me.email,
        "full_name": me.full_name,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }  # "is_active" left out: an unticked box
    client.post(f"/beheer/accounts/user/{me.pk}/change/", sent)
    me.refresh_from_db()
    assert me.is_active
    # A colleague's account can still be switched off.
    colleague = town["ib"]
    page = client.get(f"/beheer/accounts/user/{colleague.pk}/change/").content.decode()
    assert 'name="is_active"' in page


@pytest.mark.parametrize(
    "email, name",
    [
        ("ib@hier.example\u200b", "Nieuwe Leerkracht"),
        ("nieuw@hier.example", "\u202eevil"),
        ("nieuw@hier.example", "Zero\u200bWidth"),
    ],
)
def test_an_account_with_an_invisible_character_is_refused(town, email, name) -> None:  # type: ignore[no-untyped-def]
    response = town["client"].post(
        "/beheer/accounts/user/add/",
        {
            "email": email,
            "full_name": name,
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "onzichtbaar teken" in response.content.decode()
    assert User.objects.count() == 3  # the administrator and the two coordinators, no more


def test_the_autocomplete_offers_only_organisations_a_membership_may_be_given(town) -> None:  # type: ignore[no-untyped-def]
    def offered(field: str, term: str = "") -> set[str]:
        response = town["client"].get(
            "/beheer/autocomplete/",
            {
                "app_label": "accounts",
                "model_name": "membership",
                "field_name": field,
                "term": term,
            },
        )
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    organisations = offered("organisation")
    assert str(town["school"].pk) in organisations
    assert str(town["far_school"].pk) not in organisations
    assert str(town["far_school"].pk) not in offered("organisation", town["far_school"].name[:4])
    people = offered("user")
    assert str(town["ib"].pk) in people and str(town["far_ib"].pk) not in people
    # A school a membership serves is public registry data and not limited.
    assert str(town["far_school"].pk) in offered("school")


def test_a_lost_second_factor_is_reset_for_their_own_people_only(town, client_for) -> None:  # type: ignore[no-untyped-def]
    from auditlog.models import LogEntry
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from schoolzorg.accounts.services import issue_recovery_codes

    ib, far_ib = town["ib"], town["far_ib"]
    ib_session = client_for(ib)  # signed in with the app that is now lost
    issue_recovery_codes(ib)
    officer = _person("privacy@hier.example", town["school"], Role.PRIVACY_OFFICER)
    for user in (far_ib, officer):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    admin_user = User.objects.get(email="beheer@hier.example")

    def reset(*users: User) -> str:
        response = town["client"].post(
            "/beheer/accounts/user/",
            {"action": "reset_second_factor", "_selected_action": [u.pk for u in users]},
        )
        if response.status_code == 200:  # the page that asks to confirm
            page = response.content.decode()
            assert "Weet u het zeker?" in page and "Ja, wis de tweede stap" in page
            response = town["client"].post(
                "/beheer/accounts/user/",
                {
                    "action": "reset_second_factor",
                    "_selected_action": [u.pk for u in users],
                    "post": "ja",
                },
            )
        assert response.status_code == 302
        return town["client"].get(response["Location"]).content.decode()

    page = reset(ib, officer, admin_user)
    assert "De tweede stap is gewist voor 1 account." in page
    assert "privacyfunctionaris" in page
    assert not TOTPDevice.objects.filter(user=ib).exists()
    assert not StaticDevice.objects.filter(user=ib).exists()
    assert TOTPDevice.objects.filter(user=officer).exists()
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    entry = LogEntry.objects.get_for_object(ib).latest("pk")
    assert "second_factor" in entry.changes_dict and entry.actor_id == admin_user.pk
    # The session that passed the step with the lost app is signed out: the password comes
    # first again, before a new app can be set up.
    for path in ("/", "/inloggen/instellen/", "/account/"):
        assert ib_session.get(path)["Location"].startswith("/inloggen/?"), path

    reset(far_ib)  # not theirs: the admin's list does not hold them
    assert TOTPDevice.objects.filter(user=far_ib).exists()


def test_a_reset_first_names_the_accounts_and_asks_to_confirm(town) -> None:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ib = town["ib"]
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    admin_user = User.objects.get(email="beheer@hier.example")
    response = town["client"].post(
        "/beheer/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [ib.pk, admin_user.pk]},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Weet u het zeker?" in page
    assert f"{ib.full_name} ({ib.email})" in page
    assert f'name="_selected_action" value="{ib.pk}"' in page
    # Their own account is named as one that will not be reset, and is not sent along.
    assert "Niet voor dit account" in page and admin_user.email in page
    assert f'name="_selected_action" value="{admin_user.pk}"' not in page
    assert TOTPDevice.objects.filter(user=ib).exists()  # nothing happened yet


def test_a_reset_signs_the_account_out_everywhere_and_the_password_opens_it_again(town) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ib = town["ib"]
    ib.set_password("een-lang-wachtwoord-2026")
    ib.save()
    TOTPDevice.objects.create(user=ib, name="app", confirmed=True)
    old = Client()
    old.post("/inloggen/", {"username": ib.email, "password": "een-lang-wachtwoord-2026"})
    assert old.get("/inloggen/code/").status_code == 200  # halfway: password, not yet the code
    town["client"].post(
        "/beheer/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [ib.pk], "post": "ja"},
    )
    # Not even the half of a sign-in is left to set up a new app with.
    assert old.get("/inloggen/instellen/")["Location"].startswith("/inloggen/?")
    again = Client()
    again.post("/inloggen/", {"username": ib.email, "password": "een-lang-wachtwoord-2026"})
    assert again.get("/inloggen/code/")["Location"] == "/inloggen/instellen/"
    assert again.get("/inloggen/instellen/").status_code == 200


def test_the_account_pages_speak_dutch_where_django_does_not(client_for) -> None:  # type: ignore[no-untyped-def]
    superuser = User.objects.create_superuser(
        email="alles@hier.example", password="x" * 16, full_name="Alle Rechten"
    )
    client = client_for(superuser)
    page = client.get(f"/beheer/accounts/user/{superuser.pk}/password/").content.decode()
    assert "If disabled" not in page and "Zet u dit uit" in page
    listed = client.get("/beheer/accounts/user/").content.decode()
    assert 'alt="True"' not in listed and ">ja<" in listed


def test_a_functional_administrator_reads_staff_access_as_ja_or_nee(town) -> None:  # type: ignore[no-untyped-def]
    page = town["client"].get(f"/beheer/accounts/user/{town['ib'].pk}/change/").content.decode()
    assert page.count('alt="False"') == page.count('alt="True"') == 0
    assert "Toegang tot beheer" in page


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        (
            "nieuw@hier.example",
            "kort",
            "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten.",
        ),
        (
            "janssen.bakker@hier.example",
            "janssen.bakker@hier.example",
            "Het wachtwoord lijkt te veel op het e-mailadres.",
        ),
        (
            "ib@hier.example",
            "een-lang-wachtwoord-2026",
            "Er is al een account met dit e-mailadres.",
        ),
    ],
)
def test_a_new_account_is_refused_in_plain_dutch(town, email, password, message) -> None:  # type: ignore[no-untyped-def]
    page = (
        town["client"]
        .post(
            "/beheer/accounts/user/add/",
            {
                "email": email,
                "full_name": "Nieuwe Collega",
                "password1": password,
                "password2": password,
                "usable_password": "true",
            },
        )
        .content.decode()
    )
    assert message in page
    for wrong in ("too short", "op de e-mailadres", "Gebruiker met eenzelfde"):
        assert wrong not in page


def test_a_password_like_the_name_is_refused_with_its_article(town) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(email="x@hier.example", full_name="Marieke Oosterhuis")
    with pytest.raises(ValidationError) as refused:
        validate_password("oosterhuis", user)
    assert "Het wachtwoord lijkt te veel op de naam." in refused.value.messages


def test_making_a_colleague_functional_administrator_says_who_gives_access_to_the_admin(
    town, client_for
) -> None:  # type: ignore[no-untyped-def]
    ib, here = town["ib"], town["school"].municipality
    page = (
        town["client"]
        .post(
            "/beheer/accounts/membership/add/",
            {
                "user": ib.pk,
                "organisation": here.pk,
                "role": Role.FUNCTIONAL_ADMIN,
                "valid_from": "2026-01-01",
            },
            follow=True,
        )
        .content.decode()
    )
    assert Membership.objects.filter(user=ib, role=Role.FUNCTIONAL_ADMIN).exists()
    assert "heeft nog geen toegang tot beheer" in page
    assert "Alleen een beheerder met alle rechten (superuser) kan die toegang geven" in page
    account = town["client"].get(f"/beheer/accounts/user/{ib.pk}/change/").content.decode()
    assert "alleen een beheerder met alle rechten kan deze toegang geven" in account
    # The menu offers no "Beheer" that would answer 404, until a superuser opens the admin.
    assert 'href="/beheer/"' not in client_for(ib).get("/").content.decode()
    ib.is_staff = True
    ib.save()
    assert 'href="/beheer/"' in client_for(ib).get("/").content.decode()


def test_the_admins_own_password_page_leads_to_mijn_account(town) -> None:  # type: ignore[no-untyped-def]
    """Django's password page in the admin did not count a wrong current password as a failed
    sign-in nor end the other sessions; "Mijn account" does (a helper's finding)."""
    client = town["client"]
    for path in ("/beheer/password_change/", "/beheer/password_change/done/"):
        assert client.get(path)["Location"] == "/account/"
    sent = client.post(
        "/beheer/password_change/",
        {"old_password": "x", "new_password1": "Nieuw-wachtwoord-2027!", "new_password2": "x"},
    )
    assert sent.status_code == 302 and sent["Location"] == "/account/"


def test_a_privacy_officers_account_is_read_only_for_a_functional_administrator(town) -> None:  # type: ignore[no-untyped-def]
    """Switching the account off, or taking over its e-mail or password, would end the privacy
    officer who reviews the administrators' work as surely as ending the role."""
    client = town["client"]
    officer = _person("privacy@hier.example", town["school"].municipality, Role.PRIVACY_OFFICER)
    url = f"/beheer/accounts/user/{officer.pk}/change/"
    page = client.get(url).content.decode()
    assert "Dit is het account van een privacyfunctionaris." in page
    for field in ("email", "full_name", "is_active"):
        assert f'name="{field}"' not in page, field
    assert "../password/" not in page
    assert "Alleen een beheerder met alle rechten (superuser) kan dit wachtwoord instellen." in page
    # The form sent with the fields anyway changes nothing of them.
    client.post(
        url,
        {
            "email": "beheer-tweede@hier.example",
            "full_name": "Overgenomen",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": officer.memberships.get().pk,
            "memberships-0-user": officer.pk,
        },
    )
    officer.refresh_from_db()
    assert (officer.email, officer.full_name, officer.is_active) == (
        "privacy@hier.example",
        "privacy@hier.example",
        True,
    )
    # The password page answers with the account's page and why; nothing is set or switched off.
    password = f"/beheer/accounts/user/{officer.pk}/password/"
    hashed = officer.password
    for response in (
        client.get(password),
        client.post(password, {"usable_password": "false"}),
        client.post(password, {"password1": "Overgenomen-2026!", "password2": "Overgenomen-2026!"}),
    ):
        assert response.status_code == 302 and response["Location"] == url
    officer.refresh_from_db()
    assert officer.password == hashed and officer.has_usable_password()
    assert "Dit is het account van een privacyfunctionaris." in client.get(url).content.decode()
    assert (
        client.post(f"/beheer/accounts/user/{officer.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert User.objects.filter(pk=officer.pk).exists()
    # An officer appointed from a later day is theirs already; one whose role ended is not.
    later = _person("later@hier.example", town["school"].municipality, Role.MUNICIPAL_ANALYST)
    Membership.objects.create(
        user=later,
        organisation=town["school"].municipality,
        role=Role.PRIVACY_OFFICER,
        valid_from=dt.date.today() + dt.timedelta(days=7),
    )
    assert (
        'name="is_active"'
        not in client.get(f"/beheer/accounts/user/{later.pk}/change/").content.decode()
    )
    officer.memberships.update(valid_until=dt.date.today() - dt.timedelta(days=1))
    assert 'name="is_active"' in client.get(url).content.decode()


def test_a_superuser_still_changes_a_privacy_officers_account(town, client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@hier.example", password="x" * 16)
    client = client_for(root)
    officer = _person("privacy@hier.example", town["school"].municipality, Role.PRIVACY_OFFICER)
    page = client.get(f"/beheer/accounts/user/{officer.pk}/change/").content.decode()
    assert 'name="is_active"' in page and 'name="email"' in page
    assert "Dit is het account van een privacyfunctionaris." not in page
    assert client.get(f"/beheer/accounts/user/{officer.pk}/password/").status_code == 200
