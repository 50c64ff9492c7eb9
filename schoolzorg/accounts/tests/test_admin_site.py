"""The admin (`/beheer/`) speaks of Schoolzorg, and is a 404 to anyone without admin rights."""

from __future__ import annotations

import pytest
from django.test import Client

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/beheer/", "/beheer/accounts/user/", "/beheer/login/", "/beheer/bestaat-niet/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_professional_without_admin_rights_gets_the_products_404(client_for, member, path):
    client = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet, of u hebt er geen toegang toe." in page
    assert "Django" not in page and 'type="password"' not in page


def test_someone_not_signed_in_signs_in_on_the_products_own_page_and_comes_back() -> None:
    client = Client()
    response = client.get("/beheer/accounts/user/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/?next=/beheer/accounts/user/"
    page = response.content.decode()
    assert "Django" not in page and "Inloggen" in page


def test_the_admin_names_schoolzorg_not_django(client_for, member):
    admin_user = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin_user.is_staff = True
    admin_user.save()
    page = client_for(admin_user).get("/beheer/").content.decode()
    assert "<title>Wat wilt u beheren? | Schoolzorg – beheer</title>" in page
    assert ">Schoolzorg – beheer</a>" in page
    assert "Django" not in page and "Websitebeheer" not in page
    assert client_for(admin_user).get("/beheer/login/")["Location"] == "/beheer/"
