"""The project's own Dutch for texts Django ships untranslated: the compiled file is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.+)"\nmsgstr "(.+)"$', re.MULTILINE)


def _entries(name: str) -> list[tuple[str, str]]:
    return [
        (i.replace('\\"', '"'), s.replace('\\"', '"'))
        for i, s in ENTRY.findall((LOCALE / name).read_text())
    ]


def test_every_text_of_the_po_file_is_in_the_compiled_file() -> None:
    entries = _entries("django.po")
    assert len(entries) >= 5
    with translation.override("nl"):
        for msgid, dutch in entries:
            assert translation.gettext(msgid) == dutch, msgid


@pytest.mark.django_db
def test_the_admin_list_has_no_english_search_or_pagination_heading(client_for, member) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin.is_staff = True
    admin.save()
    page = client_for(admin).get("/beheer/organisations/school/").content.decode()
    assert "Zoeken in scholen" in page and "Pagina's met scholen" in page
    for english in ("Search ", "Pagination ", 'alt="Search"'):
        assert english not in page, english


@pytest.mark.parametrize(("way", "dutch"), [("ahead", "voor"), ("behind", "achter")])
def test_the_admins_time_zone_note_is_dutch(way: str, dutch: str) -> None:
    """Django 6.1 ships the admin's note beside a time field untranslated; ours is compiled."""
    from django.utils.translation.trans_real import DjangoTranslation

    catalog = DjangoTranslation("nl", domain="djangojs", localedirs=[str(LOCALE)])
    note = (
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour{s} " + way + ".)"
    )
    for n in (1, 2):
        text = catalog.ngettext(note.format(s=""), note.format(s="s"), n)
        assert text == (
            "Let op: vul tijden in zoals in de tijdzone %(timezone)s. "
            f"(Uw klok loopt %(offset)s uur {dutch}.)"
        )


def test_the_admins_date_picker_names_its_links_in_dutch() -> None:
    """Django 6.1 ships the date picker's accessible names untranslated ("Today (december 5,
    2026)" beside the visible "Vandaag"); ours are compiled."""
    from django.utils.translation.trans_real import DjangoTranslation

    catalog = DjangoTranslation("nl", domain="djangojs", localedirs=[str(LOCALE)])
    for english, dutch in [
        ("%(month)s %(day)s, %(year)s", "%(day)s %(month)s %(year)s"),
        ("Today (%(date)s)", "Vandaag (%(date)s)"),
        ("Yesterday (%(date)s)", "Gisteren (%(date)s)"),
        ("Tomorrow (%(date)s)", "Morgen (%(date)s)"),
        ("Previous (%(month)s %(year)s)", "Vorige maand (%(month)s %(year)s)"),
        ("Next (%(month)s %(year)s)", "Volgende maand (%(month)s %(year)s)"),
    ]:
        assert catalog.gettext(english) == dutch


@pytest.mark.django_db
def test_the_admins_javascript_catalog_has_the_dutch_date_picker(client_for, member) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin.is_staff = True
    admin.save()
    script = client_for(admin).get("/beheer/jsi18n/").content.decode()
    assert '"Today (%(date)s)": "Vandaag (%(date)s)"' in script
    assert '"%(month)s %(day)s, %(year)s": "%(day)s %(month)s %(year)s"' in script


def test_a_required_field_without_its_own_message_says_what_to_do() -> None:
    """Tester Q3: Django's "Dit veld is vereist." is not plain Dutch and says nothing to do; a
    form sets its own message per field, and a field that has none says this."""
    from django import forms

    with translation.override("nl"), pytest.raises(forms.ValidationError) as exc:
        forms.CharField(label="Iets").clean("")
    assert exc.value.messages == ["Vul dit veld in."]
