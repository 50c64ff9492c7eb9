from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from schoolzorg.calendars.importing import ImportRefused, normalise_name
from schoolzorg.calendars.models import (
    HolidayStatus,
    ImportFinding,
    PublicHoliday,
    SchoolHoliday,
)
from schoolzorg.calendars.services import (
    import_municipality_regions,
    import_public_holidays,
    import_school_holidays,
)
from schoolzorg.calendars.workingdays import add_school_days, is_school_day
from schoolzorg.organisations.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "data" / "registries" / "vakanties"
SCHOOL_FILE = DATA / "nl-schoolvakanties.csv"
PUBLIC_FILE = DATA / "nl-feestdagen.csv"
REGION_FILE = DATA / "nl-vakantieregio-indeling.csv"
HEADER = "Id;Country;StartDate;EndDate;Type;RegionalScope;Name;Groups\n"


def crafted(*rows: str, bom: bool = False) -> bytes:
    text = HEADER + "".join(r + "\n" for r in rows)
    return ("\ufeff" if bom else "").encode() + text.encode()


@pytest.fixture
def real_calendar() -> None:
    import_public_holidays(PUBLIC_FILE)
    import_school_holidays(SCHOOL_FILE)


def test_real_school_file_gives_one_row_per_region(real_calendar: None) -> None:
    assert SchoolHoliday.objects.values("source_id").distinct().count() == 97
    per_region = {
        r: SchoolHoliday.objects.filter(region=r).count() for r in ("noord", "midden", "zuid")
    }
    # Ten full school years of five holidays, and 2019/2020 from Christmas on (four).
    assert per_region == {"noord": 54, "midden": 54, "zuid": 54}
    assert PublicHoliday.objects.count() == 121


def test_the_two_long_south_spring_holidays_wait_for_review(real_calendar: None) -> None:
    pending = SchoolHoliday.objects.pending()
    assert sorted((h.region, h.start_on, h.end_on) for h in pending) == [
        ("zuid", dt.date(2027, 2, 13), dt.date(2027, 3, 21)),
        ("zuid", dt.date(2029, 2, 10), dt.date(2029, 3, 18)),
    ]
    assert all("37 dagen" in h.flag_reason for h in pending)
    # Not used until approved: the second week of March 2027 is an ordinary school week.
    assert is_school_day(dt.date(2027, 3, 10), region="zuid")


def test_first_school_year_without_autumn_holiday_is_reported_for_information(
    real_calendar: None,
) -> None:
    findings = ImportFinding.objects.filter(message__contains="2019/2020")
    assert findings.count() == 3
    assert all(f.severity == ImportFinding.Severity.INFO for f in findings)
    assert "herfstvakantie" in findings[0].message
    assert not ImportFinding.objects.filter(message__contains="2030/2031").exists()


def test_reimport_changes_nothing(real_calendar: None) -> None:
    before = list(SchoolHoliday.objects.order_by("pk").values())
    batch = import_school_holidays(SCHOOL_FILE)
    public = import_public_holidays(PUBLIC_FILE)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 162)
    assert (public.created, public.updated, public.unchanged) == (0, 0, 121)
    assert list(SchoolHoliday.objects.order_by("pk").values()) == before


def test_goede_vrijdag_and_bevrijdingsdag_arrive_as_school_days(real_calendar: None) -> None:
    assert not PublicHoliday.objects.get(date=dt.date(2025, 4, 18)).is_school_day_off
    assert is_school_day(dt.date(2025, 4, 18), region="midden")
    assert PublicHoliday.objects.get(name="Tweede paasdag", date__year=2025).is_school_day_off


def test_rotterdam_across_autumn_holiday(real_calendar: None) -> None:
    assert add_school_days(dt.date(2024, 10, 25), 1, region="midden") == dt.date(2024, 11, 4)


def test_across_christmas_and_the_year_end(real_calendar: None) -> None:
    assert add_school_days(dt.date(2024, 12, 20), 1, region="midden") == dt.date(2025, 1, 6)
    assert add_school_days(dt.date(2024, 12, 19), 3, region="") == dt.date(2024, 12, 24)
    # Without a region only the feestdagen count: 25, 26 December and 1 January.
    assert add_school_days(dt.date(2024, 12, 24), 2, region="") == dt.date(2024, 12, 30)
    assert add_school_days(dt.date(2024, 12, 30), 2, region="") == dt.date(2025, 1, 2)


def test_across_kings_day_outside_the_may_holiday(real_calendar: None) -> None:
    # Koningsdag 2023 (Thursday 27 April) fell before the meivakantie of region noord (29 April).
    assert not is_school_day(dt.date(2023, 4, 27), region="noord")
    assert add_school_days(dt.date(2023, 4, 26), 1, region="noord") == dt.date(2023, 4, 28)


def test_crafted_anomalies_are_flagged_and_not_used() -> None:
    batch = import_school_holidays(
        crafted(
            "a1;NL;2024-11-10;2024-11-03;School;Regional;NL Herfstvakantie,EN Autumn;MI",
            "a2;NL;2024-10-26;2024-11-03;School;Regional;NL Herfstvakantie;XX,NO",
            bom=True,
        )
    )
    assert batch.flagged == 2
    backwards = SchoolHoliday.objects.get(source_id="a1")
    assert backwards.status == HolidayStatus.PENDING
    assert "eindigt vóór" in backwards.flag_reason
    unknown = SchoolHoliday.objects.get(source_id="a2", source_region="XX")
    assert unknown.region == "" and "onbekende regio 'XX'" in unknown.flag_reason
    assert SchoolHoliday.objects.get(source_id="a2", source_region="NO").status == "approved"
    assert is_school_day(dt.date(2024, 11, 4), region="midden")


def test_a_holiday_no_one_may_confirm_is_flagged_as_impossible() -> None:
    import_school_holidays(
        crafted("d1;NL;2024-10-26;9999-12-31;School;Regional;NL Herfstvakantie;MI", bom=True)
    )
    holiday = SchoolHoliday.objects.get(source_id="d1")
    assert holiday.status == HolidayStatus.PENDING
    assert "meer dan negen weken kan niet kloppen" in holiday.flag_reason


def test_a_holiday_running_into_the_next_school_year_waits_for_review() -> None:
    import_school_holidays(
        crafted(
            "m1;NL;2029-07-21;2029-08-05;School;Regional;NL Meivakantie;MI",
            "z1;NL;2029-07-21;2029-09-02;School;Regional;NL Zomervakantie;MI",
        )
    )
    late = SchoolHoliday.objects.get(source_id="m1")
    assert late.status == HolidayStatus.PENDING
    assert "loopt door na 31 juli, in het volgende schooljaar" in late.flag_reason
    assert SchoolHoliday.objects.get(source_id="z1").status == HolidayStatus.APPROVED


def test_a_holiday_file_that_cannot_be_opened_is_refused_in_dutch(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("import_holidays", "--school", str(tmp_path / "weg.csv"))
    assert "kan niet worden gelezen: het bestand bestaat niet" in str(exc.value)
    assert "Errno" not in str(exc.value)


def test_groups_in_any_order_give_the_same_rows() -> None:
    import_school_holidays(
        crafted("b1;NL;2028-10-14;2028-10-22;School;Regional;NL Herfstvakantie;ZU,MI")
    )
    assert set(SchoolHoliday.objects.values_list("region", flat=True)) == {"zuid", "midden"}


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("c1;NL;2024-13-01;2024-10-27;School;Regional;NL Herfstvakantie;MI", "regel 3"),
        ("c1;NL;2024-10-26;2024-10-27;School;Regional;DE Herbstferien;MI", "Nederlandse naam"),
        ("c1;NL;2024-10-26;2024-10-27;School;Regional;NL Herfstvakantie", "velden"),
        ("c1;NL;2024-10-26;2024-10-27;School;Regional;NL Herfstvakantie;", "Groups is leeg"),
    ],
)
def test_malformed_file_is_refused_with_line_numbers_and_imports_nothing(
    row: str, fragment: str
) -> None:
    good = "ok;NL;2024-12-21;2025-01-05;School;Regional;NL Kerstvakantie;MI"
    with pytest.raises(ImportRefused) as refused:
        import_school_holidays(crafted(good, row))
    assert any(fragment in p for p in refused.value.problems)
    assert any(p.startswith("regel 3") for p in refused.value.problems)
    assert not SchoolHoliday.objects.exists()


def test_a_column_named_twice_is_refused_not_the_last_one_read() -> None:
    data = (
        b"Id;StartDate;EndDate;Name;Groups;Name\n"
        b"x;2024-12-21;2025-01-05;NL Kerstvakantie;MI;NL Zomervakantie\n"
    )
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(data)
    assert exc.value.problems == ["regel 1: kolom Name staat twee keer in de kopregel"]
    assert not SchoolHoliday.objects.exists()


def test_missing_column_is_refused() -> None:
    with pytest.raises(ImportRefused, match="ontbreken: Groups"):
        import_school_holidays(b"Id;StartDate;EndDate;Name\nx;2024-01-01;2024-01-02;NL X\n")


def test_command_refuses_a_bad_file_in_dutch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(crafted("x;NL;gisteren;2024-01-01;School;Regional;NL Kerstvakantie;MI"))
    with pytest.raises(CommandError, match="regel 2"):
        call_command("import_holidays", "--school", str(bad))
    assert not SchoolHoliday.objects.exists()


def test_command_imports_both_files() -> None:
    call_command("import_holidays", "--school", str(SCHOOL_FILE), "--public", str(PUBLIC_FILE))
    assert SchoolHoliday.objects.count() == 162


def test_command_checks_both_files_before_it_stores_either(tmp_path: Path) -> None:
    bad = tmp_path / "schoolvakanties-kapot.csv"
    bad.write_bytes(crafted("x;NL;gisteren;2024-01-01;School;Regional;NL Kerstvakantie;MI"))
    with pytest.raises(CommandError) as exc:
        call_command("import_holidays", "--public", str(PUBLIC_FILE), "--school", str(bad))
    assert str(exc.value).splitlines() == [
        "schoolvakanties-kapot.csv: het bestand is geweigerd.",
        "  regel 2: StartDate 'gisteren' is geen datum (JJJJ-MM-DD)",
        "Er is niets ingelezen, ook niet uit nl-feestdagen.csv.",
    ]
    assert not PublicHoliday.objects.exists()
    assert not SchoolHoliday.objects.exists()


def test_command_names_every_refused_file(tmp_path: Path) -> None:
    bad = tmp_path / "schoolvakanties-kapot.csv"
    bad.write_bytes(crafted("x;NL;gisteren;2024-01-01;School;Regional;NL Kerstvakantie;MI"))
    with pytest.raises(CommandError) as exc:
        call_command("import_holidays", "--public", str(tmp_path / "weg.csv"), "--school", str(bad))
    assert str(exc.value).splitlines() == [
        "weg.csv: het bestand is geweigerd.",
        "  het bestand kan niet worden gelezen: het bestand bestaat niet; controleer de naam en "
        "de map",
        "schoolvakanties-kapot.csv: het bestand is geweigerd.",
        "  regel 2: StartDate 'gisteren' is geen datum (JJJJ-MM-DD)",
        "Er is niets ingelezen.",
    ]


def test_load_school_year_takes_only_that_year() -> None:
    call_command("load_school_year", str(SCHOOL_FILE), "--school-year", "2025/2026")
    assert set(SchoolHoliday.objects.values_list("school_year", flat=True)) == {"2025/2026"}
    assert SchoolHoliday.objects.count() == 15


def test_names_are_normalised() -> None:
    assert normalise_name("'s-Gravenhage") == normalise_name("S GRAVENHAGE") == "s gravenhage"
    assert normalise_name("Súdwest-Fryslân") == "sudwest fryslan"
    assert normalise_name("Dantumadeel") == normalise_name("Dantumadiel")


def test_municipality_regions_by_normalised_name() -> None:
    hague = MunicipalityFactory(name="'s-Gravenhage", holiday_region="")
    bergen_nh = MunicipalityFactory(name="Bergen (NH.)", holiday_region="")
    bergen_l = MunicipalityFactory(name="Bergen (L.)", holiday_region="")
    fryske = MunicipalityFactory(name="De Fryske Marren", holiday_region="")
    altena = MunicipalityFactory(name="Altena", holiday_region="")
    MunicipalityFactory(name="Nergensveen", holiday_region="")
    result = import_municipality_regions(REGION_FILE)
    for m in (hague, bergen_nh, bergen_l, fryske, altena):
        m.refresh_from_db()
    assert hague.holiday_region == "midden"
    assert (bergen_nh.holiday_region, bergen_l.holiday_region) == ("noord", "zuid")
    assert fryske.holiday_region == "noord"
    assert altena.holiday_region == "" and "Altena" in result.split
    assert result.matched == 5
    assert "Rotterdam" in result.unmatched  # not in this database


def test_every_real_municipality_is_matched() -> None:
    registry = Path(__file__).resolve().parents[3] / "data" / "registries" / "gemeenten-2024.csv"
    for line in registry.read_text(encoding="utf-8").splitlines()[1:]:
        code, _, _, name = line.split(";")
        MunicipalityFactory(name=name, cbs_code=code, holiday_region="")
    result = import_municipality_regions(REGION_FILE)
    assert result.unmatched == []
    assert result.matched == 342


def test_correction_survives_reimport_of_the_same_file(real_calendar: None) -> None:
    from schoolzorg.accounts.models import User
    from schoolzorg.calendars.services import correct_holiday

    admin = User.objects.create_user(email="beheer@test.example", full_name="Beheer")
    holiday = SchoolHoliday.objects.get(region="zuid", start_on=dt.date(2027, 2, 13))
    correct_holiday(
        holiday,
        by=admin,
        start_on=dt.date(2027, 2, 13),
        end_on=dt.date(2027, 2, 21),
        region="zuid",
        note="Typefout",
    )
    batch = import_school_holidays(SCHOOL_FILE)
    assert batch.updated == 0
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on) == ("approved", dt.date(2027, 2, 21))


def test_a_pending_row_changed_at_the_source_is_judged_again() -> None:
    row = "d1;NL;2031-10-18;2031-11-30;School;Regional;NL Herfstvakantie;NO"
    import_school_holidays(crafted(row))
    batch = import_school_holidays(crafted(row.replace("2031-11-30", "2031-10-26")))
    assert (batch.created, batch.updated, batch.flagged) == (0, 1, 0)
    holiday = SchoolHoliday.objects.get(source_id="d1")
    assert (holiday.status, holiday.end_on) == ("approved", dt.date(2031, 10, 26))
    assert holiday.proposed_start_on is None


CHRISTMAS_2026 = "k26;NL;2026-12-19;2027-01-03;School;Regional;NL Kerstvakantie;NO,MI,ZU"


def test_a_changed_row_leaves_the_approved_dates_in_force_until_reviewed() -> None:
    from schoolzorg.accounts.models import User
    from schoolzorg.calendars.services import (
        CalendarError,
        approve_holiday,
        correct_holiday,
        reject_holiday,
    )

    import_school_holidays(crafted(CHRISTMAS_2026))
    assert not is_school_day(dt.date(2026, 12, 28), region="zuid")
    # A year typo in the next file: 2027-01-03 became 2026-01-03.
    batch = import_school_holidays(crafted(CHRISTMAS_2026.replace("2027-01-03", "2026-01-03")))
    assert (batch.updated, batch.flagged) == (3, 3)
    holiday = SchoolHoliday.objects.get(source_id="k26", region="zuid")
    assert (holiday.status, holiday.start_on, holiday.end_on) == (
        "approved",
        dt.date(2026, 12, 19),
        dt.date(2027, 1, 3),
    )
    assert (holiday.proposed_start_on, holiday.proposed_end_on) == (
        dt.date(2026, 12, 19),
        dt.date(2026, 1, 3),
    )
    assert "19-12-2026 t/m 3-1-2027" in holiday.flag_reason
    assert SchoolHoliday.objects.pending().count() == 3
    assert not is_school_day(dt.date(2026, 12, 28), region="zuid")  # still Christmas
    # The same file again changes nothing and keeps the question open.
    again = import_school_holidays(crafted(CHRISTMAS_2026.replace("2027-01-03", "2026-01-03")))
    assert (again.updated, again.unchanged) == (0, 3)

    admin = User.objects.create_user(email="beheer@test.example", full_name="Beheer")
    with pytest.raises(CalendarError, match="corrigeer eerst"):
        approve_holiday(holiday, by=admin)
    reject_holiday(holiday, by=admin, note="Typefout in het bestand")
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on, holiday.proposed_end_on) == (
        "approved",
        dt.date(2027, 1, 3),
        None,
    )
    north = SchoolHoliday.objects.get(source_id="k26", region="noord")
    correct_holiday(
        north,
        by=admin,
        start_on=dt.date(2026, 12, 19),
        end_on=dt.date(2027, 1, 3),
        region="noord",
        note="Typefout",
    )
    north.refresh_from_db()
    assert (north.status, north.end_on, north.proposed_end_on) == (
        "approved",
        dt.date(2027, 1, 3),
        None,
    )
    assert SchoolHoliday.objects.pending().count() == 1


def test_confirming_a_changed_row_uses_its_new_dates() -> None:
    from schoolzorg.accounts.models import User
    from schoolzorg.calendars.services import approve_holiday

    import_school_holidays(crafted(CHRISTMAS_2026))
    import_school_holidays(crafted(CHRISTMAS_2026.replace("2027-01-03", "2027-01-10")))
    holiday = SchoolHoliday.objects.get(source_id="k26", region="midden")
    assert holiday.end_on == dt.date(2027, 1, 3)
    assert is_school_day(dt.date(2027, 1, 6), region="midden")
    admin = User.objects.create_user(email="beheer@test.example", full_name="Beheer")
    approve_holiday(holiday, by=admin)
    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on, holiday.proposed_end_on) == (
        "approved",
        dt.date(2027, 1, 10),
        None,
    )
    assert not is_school_day(dt.date(2027, 1, 6), region="midden")
    # A file back at the approved dates closes an open question without a decision.
    import_school_holidays(crafted(CHRISTMAS_2026.replace("2027-01-03", "2027-01-10")))
    import_school_holidays(crafted(CHRISTMAS_2026))
    import_school_holidays(crafted(CHRISTMAS_2026.replace("2027-01-03", "2027-01-10")))
    holiday.refresh_from_db()
    assert holiday.proposed_end_on is None and holiday.flag_reason == ""


def test_a_new_school_year_missing_holidays_is_a_warning() -> None:
    batch = import_school_holidays(
        crafted(
            "e1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO,MI,ZU",
            "e2;NL;2031-12-20;2032-01-04;School;Regional;NL Kerstvakantie;NO,MI,ZU",
        )
    )
    warnings = batch.findings.filter(severity=ImportFinding.Severity.WARNING)
    assert warnings.count() == 3
    assert "voorjaarsvakantie, meivakantie, zomervakantie" in warnings.first().message  # type: ignore[union-attr]
    assert SchoolHoliday.objects.approved().count() == 6


def test_public_holiday_with_an_end_date_is_refused() -> None:
    data = (
        b"Id;Country;StartDate;EndDate;Type;RegionalScope;Name\n"
        b"p1;NL;2031-01-01;2031-01-02;Public;National;NL Nieuwjaarsdag\n"
    )
    with pytest.raises(ImportRefused, match="regel 2"):
        import_public_holidays(data)
    assert not PublicHoliday.objects.exists()


def test_region_command_reports_what_it_could_not_match(capsys: pytest.CaptureFixture[str]) -> None:
    MunicipalityFactory(name="Rotterdam", holiday_region="")
    call_command("import_holiday_regions", str(REGION_FILE))
    out = capsys.readouterr().out
    assert "1 gemeenten gevonden" in out
    assert "Niet gevonden (341)" in out


KERST = "k1;NL;2024-12-21;2025-01-05;School;Regional;NL Kerstvakantie;NO"


@pytest.mark.parametrize(
    ("again", "how"),
    [
        ("k1;NL;2024-12-28;2025-01-12;School;Regional;NL Kerstvakantie;NO", "andere gegevens"),
        (KERST, "dezelfde regel staat twee keer"),
    ],
)
def test_an_id_on_two_rows_is_refused_naming_both_lines(again: str, how: str) -> None:
    with pytest.raises(ImportRefused) as exc:
        import_school_holidays(
            crafted(
                KERST, "v1;NL;2025-02-15;2025-02-23;School;Regional;NL Voorjaarsvakantie;NO", again
            )
        )
    [problem] = exc.value.problems
    assert problem.startswith("regel 4: Id k1 staat ook op regel 2") and how in problem
    assert not SchoolHoliday.objects.exists()


PUBLIC_HEADER = "Id;Country;StartDate;EndDate;Type;RegionalScope;Name\n"


def test_a_public_holiday_moved_at_the_source_moves_here() -> None:
    kings_day = "kd27;NL;2027-04-27;;Public;National;NL Koningsdag"
    import_public_holidays((PUBLIC_HEADER + kings_day + "\n").encode())
    batch = import_public_holidays(
        (PUBLIC_HEADER + kings_day.replace("04-27", "04-26") + "\n").encode()
    )
    assert (batch.created, batch.updated) == (0, 1)
    assert list(PublicHoliday.objects.values_list("date", "source_id")) == [
        (dt.date(2027, 4, 26), "kd27")
    ]
    assert is_school_day(dt.date(2027, 4, 27), region="midden")
    assert not is_school_day(dt.date(2027, 4, 26), region="midden")


def test_a_public_holiday_without_id_is_matched_on_its_date() -> None:
    import_public_holidays((PUBLIC_HEADER + ";NL;2027-12-25;;Public;National;NL Kerst\n").encode())
    batch = import_public_holidays(
        (PUBLIC_HEADER + "k1;NL;2027-12-25;;Public;National;NL Eerste Kerstdag\n").encode()
    )
    assert (batch.created, batch.updated) == (0, 1)
    assert list(PublicHoliday.objects.values_list("name", "source_id")) == [
        ("Eerste Kerstdag", "k1")
    ]


def test_a_public_holiday_moving_onto_a_freed_date_is_no_clash() -> None:
    import_public_holidays(
        (
            PUBLIC_HEADER
            + "a;NL;2027-05-05;;Public;National;NL Bevrijdingsdag\n"
            + "b;NL;2027-05-06;;Public;National;NL Hemelvaartsdag\n"
        ).encode()
    )
    import_public_holidays(
        (
            PUBLIC_HEADER
            + "b;NL;2027-05-05;;Public;National;NL Hemelvaartsdag\n"
            + "a;NL;2027-05-04;;Public;National;NL Bevrijdingsdag\n"
        ).encode()
    )
    assert list(PublicHoliday.objects.values_list("source_id", "date")) == [
        ("a", dt.date(2027, 5, 4)),
        ("b", dt.date(2027, 5, 5)),
    ]


def test_a_school_file_for_another_country_is_refused_naming_it() -> None:
    data = crafted(
        "be1;BE;2031-10-25;2031-11-02;School;Regional;NL Herfstvakantie,FR Congé;NO",
    )
    with pytest.raises(ImportRefused, match=r"regel 2: .*ander land \(Country BE\)"):
        import_school_holidays(data)
    assert not SchoolHoliday.objects.exists()


def test_a_public_file_for_another_country_is_refused_naming_it() -> None:
    data = (
        b"id;country;startdate;enddate;type;regionalscope;name\n"
        b"n1;NL;2031-01-01;;Public;National;NL Nieuwjaarsdag\n"
        b"b1;be;2031-07-21;;Public;National;NL Nationale feestdag\n"
    )
    with pytest.raises(ImportRefused, match=r"regel 3: .*ander land \(Country BE\)"):
        import_public_holidays(data)
    assert not PublicHoliday.objects.exists()


def test_a_file_without_a_country_column_is_still_read() -> None:
    data = b"Id;StartDate;EndDate;Name\nn1;2031-01-01;;NL Nieuwjaarsdag\n"
    assert import_public_holidays(data).created == 1


def test_a_holiday_file_with_mac_line_endings_is_read() -> None:
    data = crafted(
        "m1;NL;2031-10-18;2031-10-26;School;Regional;NL Herfstvakantie;NO,MI,ZU",
        "m2;NL;2031-12-20;2032-01-04;School;Regional;NL Kerstvakantie;NO,MI,ZU",
    ).replace(b"\n", b"\r")
    assert import_school_holidays(data).created == 6
    public = b"Id;Country;StartDate;EndDate;Name\rp1;NL;2031-01-01;;NL Nieuwjaarsdag\r"
    assert import_public_holidays(public).created == 1


def test_a_regenerated_file_with_new_ids_stores_no_holiday_twice() -> None:
    """Same kind of file, new Ids: the holiday is known by region, school year and name; a
    corrected date waits for review instead of a second, approved copy next to the old one."""
    import_school_holidays(crafted(CHRISTMAS_2026))
    new_ids = CHRISTMAS_2026.replace("k26;", "x-99;")
    same = import_school_holidays(crafted(new_ids))
    assert (same.created, same.updated, same.unchanged) == (0, 0, 3)
    assert SchoolHoliday.objects.count() == 3
    assert sum("onder een ander Id" in f.message for f in same.findings.all()) == 3
    shorter = import_school_holidays(crafted(new_ids.replace("2027-01-03", "2026-12-31")))
    assert (shorter.created, shorter.updated, shorter.flagged) == (0, 3, 3)
    assert SchoolHoliday.objects.count() == 3
    holiday = SchoolHoliday.objects.get(region="zuid")
    assert (holiday.status, holiday.end_on, holiday.proposed_end_on) == (
        "approved",
        dt.date(2027, 1, 3),
        dt.date(2026, 12, 31),
    )
    assert SchoolHoliday.objects.pending().count() == 3


def test_an_unknown_region_code_refuses_the_region_file_naming_its_line() -> None:
    lines = REGION_FILE.read_text(encoding="utf-8-sig").splitlines()
    assert "NL De Wolden" in lines[6]
    lines[6] = lines[6].replace(";NO;DR", ";WE;DR")
    wolden = MunicipalityFactory(name="De Wolden", holiday_region="")
    with pytest.raises(ImportRefused) as refused:
        import_municipality_regions("\n".join(lines).encode())
    assert refused.value.problems == ["regel 7: onbekende regio 'WE' (verwacht NO, MI of ZU)"]
    wolden.refresh_from_db()
    assert wolden.holiday_region == ""


def test_an_empty_groups_cell_takes_the_provinces_region_or_is_reported_as_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = REGION_FILE.read_text(encoding="utf-8-sig").splitlines()
    # Drenthe's municipalities lose their Groups; Utrecht's lose them and so does the province.
    emptied = [
        line.replace(";NO;DR", ";;DR").replace(";MI;UT", ";;UT").replace(";MI,NO;", ";;")
        for line in lines
    ]
    assen = MunicipalityFactory(name="Assen", holiday_region="")
    utrecht = MunicipalityFactory(name="Utrecht", holiday_region="zuid")
    MunicipalityFactory(name="Nergensveen", holiday_region="")
    result = import_municipality_regions("\n".join(emptied).encode())
    assen.refresh_from_db()
    utrecht.refresh_from_db()
    assert assen.holiday_region == "noord"  # from Drenthe's row
    assert utrecht.holiday_region == "zuid"  # no region anywhere: left as it was
    assert result.split == [] and result.no_region == ["Utrecht"]
    assert result.from_province == 1
    assert result.not_in_file == ["Nergensveen"]
