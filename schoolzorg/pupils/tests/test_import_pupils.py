"""`import-pupils`: one school's pupils from its administration's export, incremental, all or
nothing, naming no child in what it prints (tester T9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

from schoolzorg.organisations.models import PostcodeArea, School
from schoolzorg.organisations.tests.factories import DistrictFactory, SchoolFactory
from schoolzorg.pupils.importers import ImportRefused, import_pupils, parse_date
from schoolzorg.pupils.models import Enrolment, Family, Guardian, GuardianLink, Pupil, Residence
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "leerlingen-regenboog.csv"
TODAY = dt.date(2026, 12, 5)
HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;groep;postcode;huisnummer"
NAMES = ("Daniël", "Berg", "Tess", "Çelik", "Zoë", "Noor", "Dekker", "Sanne", "Visser")


@pytest.fixture
def school() -> School:
    school = SchoolFactory(location_code="99WA00", brin="99WA", name="De Regenboog")
    for postcode in ("3501AA", "3502AB", "3503BA", "3504"):
        PostcodeArea.objects.create(
            postcode=postcode,
            municipality=school.municipality,
            district=DistrictFactory(municipality=school.municipality),
        )
    return school


def _write(tmp_path: Path, lines: list[str], *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "leerlingen.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _numbers(school: School) -> set[str]:
    return set(
        Enrolment.objects.filter(school=school, ended_on__isnull=True).values_list(
            "pupil_number", flat=True
        )
    )


def test_the_sample_file_enrols_pupils_with_addresses_families_and_guardians(
    school: School,
) -> None:
    report = import_pupils(SAMPLE, school="99WA00", today=TODAY)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (4, 0, 0, 0)
    daniel = Pupil.objects.get(first_name="Daniël")
    assert daniel.last_name == "van den Berg"
    assert daniel.date_of_birth == dt.date(2016, 5, 17)
    assert (daniel.current_school, daniel.current_group) == (school, "5")
    assert daniel.home_postcode == "3501AA" and daniel.home_district is not None
    enrolment = daniel.enrolments.get()
    assert (enrolment.pupil_number, enrolment.started_on, enrolment.group) == ("1001", TODAY, "5")
    assert daniel.residences.get().house_number == "1"
    # Brother and sister at one address with the same parents: one family, one row per parent.
    tess = Pupil.objects.get(first_name="Tess")
    assert tess.family == daniel.family
    assert daniel.family.guardians.count() == 2
    mother = Guardian.objects.get(full_name="Sanne van den Berg")
    assert set(mother.pupils.all()) == {daniel, tess}
    assert (mother.email, mother.phone) == ("sanne@gezin.example", "0612345678")
    # A foster parent without authority and a guardian (voogd) with it.
    noor = Pupil.objects.get(first_name="Noor")
    links = {link.relation: link.has_authority for link in noor.guardian_links.all()}
    assert links == {"pleegouder": False, "voogd": True}
    assert Pupil.objects.get(first_name="Zoë").residences.get().house_number == "40-B"
    assert Family.objects.count() == 3


def test_the_summary_counts_and_names_no_child(school: School, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("import_pupils", str(SAMPLE), school="99WA")
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first == (
        "leerlingen-regenboog.csv (leerlingen van De Regenboog, 99WA00): 4 nieuw, "
        "0 gewijzigd, 0 uitgeschreven, 0 ongewijzigd."
    )
    assert "ouders/verzorgers: 7 gekoppeld" in out
    for name in (*NAMES, "1001", "2016"):
        assert name not in out


def test_importing_the_same_file_again_changes_nothing(school: School) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    counts = [m.objects.count() for m in (Pupil, Enrolment, Residence, Guardian, GuardianLink)]
    report = import_pupils(SAMPLE, school="99WA00", today=TODAY + dt.timedelta(days=7))
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (0, 0, 0, 4)
    assert [m.objects.count() for m in (Pupil, Enrolment, Residence, Guardian, GuardianLink)] == (
        counts
    )
    assert report.notes == []


def test_windows_1252_with_semicolons_and_other_column_names_in_another_order(
    school: School, tmp_path: Path
) -> None:
    """ParnasSys-like: `Roepnaam`, `Voorvoegsel`, `Jaargroep`, columns in another order,
    Windows-1252 (ë, ç), dates with slashes."""
    path = _write(
        tmp_path,
        [
            "Jaargroep;ACHTERNAAM;Roepnaam;Voorvoegsel;Leerlingnummer;Geboortedatum;Huisnr;Postcode",
            "5;Berg;Daniël;van den;1001;17/5/2016;1;3501aa",
            "7;Çelik;Zoë;;1003;28.11.2014;40 B;3502 AB",
        ],
        encoding="cp1252",
    )
    report = import_pupils(path, school="99WA00", today=TODAY)
    assert report.inserted == 2
    assert Pupil.objects.filter(first_name="Zoë", last_name="Çelik").exists()
    assert Pupil.objects.get(first_name="Daniël").last_name == "van den Berg"


def test_a_known_number_is_updated_moved_and_the_missing_pupil_leaves(
    school: School, tmp_path: Path
) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    later = TODAY + dt.timedelta(days=30)
    rows = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    changed = [
        rows[0],
        # Daniël: group 6 now, and the family moved to another postcode.
        rows[1].replace(";5;3501 AA;1;", ";6;3503 BA;7;"),
        rows[2],
        # Zoë: her name was misspelt.
        rows[3].replace(";Zoë;", ";Zoey;"),
        # Noor (1004) is not in the file: she left the school.
    ]
    report = import_pupils(_write(tmp_path, changed), school="99WA00", today=later)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (0, 2, 1, 1)
    assert any(note.startswith("verhuisd: 1") for note in report.notes)
    daniel = Pupil.objects.get(first_name="Daniël")
    assert daniel.current_group == "6" and daniel.enrolments.get().group == "6"
    assert daniel.home_postcode == "3503BA"
    history = list(
        daniel.residences.order_by("moved_in_on").values_list("postcode", "moved_out_on")
    )
    assert history == [("3501AA", later), ("3503BA", None)]
    assert Pupil.objects.filter(first_name="Zoey").exists()
    noor = Pupil.objects.get(first_name="Noor")
    assert noor.current_school is None and noor.current_group == ""
    assert noor.enrolments.get().ended_on == later
    assert _numbers(school) == {"1001", "1002", "1003"}


def test_guardians_are_matched_by_name_and_updated(school: School, tmp_path: Path) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    rows = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    # For Noor (1004): the foster parent now has authority and a new e-mail address; the
    # guardian (voogd) is gone, and the name is written in capitals this time.
    rows[4] = (
        "1004;Noor;;Dekker;09-09-2017;4;3503 BA;7;;99WA;MIRJAM VISSER;pleegouder;ja;m@visser.example;;;;;;"
    )
    report = import_pupils(_write(tmp_path, rows), school="99WA00", today=TODAY)
    assert report.updated == 1
    assert "ouders/verzorgers: 0 gekoppeld, 1 gewijzigd, 1 ontkoppeld" in report.notes
    noor = Pupil.objects.get(first_name="Noor")
    link = noor.guardian_links.get()
    assert (link.guardian.full_name, link.has_authority) == ("Mirjam Visser", True)
    assert link.guardian.email == "m@visser.example"
    # The guardian stays in the family's records; only the link to the pupil is gone.
    assert Guardian.objects.filter(full_name="Bureau Jeugdzorg (voogd)").exists()


def test_a_row_without_guardians_keeps_the_pupils_guardians(school: School, tmp_path: Path) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    path = _write(tmp_path, [HEADER, "1001;Daniël;van den;Berg;17-05-2016;5;3501 AA;1"])
    import_pupils(path, school="99WA00", today=TODAY, end_many=True)
    assert Pupil.objects.get(first_name="Daniël").guardian_links.count() == 2


def test_a_sibling_enrolled_later_joins_the_family(school: School, tmp_path: Path) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    rows = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    rows.append(
        rows[1].replace("1001;Daniël;", "1005;Mila;").replace("17-05-2016;5", "01-03-2021;1")
    )
    report = import_pupils(_write(tmp_path, rows), school="99WA00", today=TODAY)
    assert report.inserted == 1
    mila = Pupil.objects.get(first_name="Mila")
    assert mila.family == Pupil.objects.get(first_name="Daniël").family
    assert mila.family.guardians.count() == 2  # linked to the same two parents, not new ones


def test_pupils_entered_before_the_first_import_get_their_number(
    school: School, tmp_path: Path
) -> None:
    pupil = PupilFactory(
        first_name="Daniël",
        last_name="van den Berg",
        date_of_birth=dt.date(2016, 5, 17),
        current_school=school,
    )
    report = import_pupils(SAMPLE, school="99WA00", today=TODAY)
    assert (report.inserted, report.updated) == (3, 1)
    assert pupil.enrolments.get().pupil_number == "1001"
    assert Pupil.objects.filter(first_name="Daniël").count() == 1


def test_a_pupil_who_left_and_comes_back_is_enrolled_again(school: School, tmp_path: Path) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    rows = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    import_pupils(_write(tmp_path, rows[:4]), school="99WA00", today=TODAY)
    report = import_pupils(SAMPLE, school="99WA00", today=TODAY + dt.timedelta(days=40))
    assert "opnieuw ingeschreven: 1" in report.notes
    noor = Pupil.objects.get(first_name="Noor")
    assert noor.current_school == school
    assert noor.enrolments.count() == 2


def test_an_unknown_postcode_is_imported_and_its_lines_named(
    school: School, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        [HEADER, "1;Sem;;Bakker;01-01-2018;3;9999 ZZ;5", "2;Lot;;Bakker;01-01-2019;2;3501 AA;5"],
    )
    report = import_pupils(path, school="99WA00", today=TODAY)
    assert report.inserted == 2
    sem = Pupil.objects.get(first_name="Sem")
    assert sem.home_postcode == "9999ZZ" and sem.home_district is None
    assert any(
        note.startswith("postcode niet in de postcodetabel: 1 (regel 2)") for note in report.notes
    )


def test_bad_rows_refuse_the_whole_file_with_line_numbers_and_no_values(
    school: School, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        [
            HEADER + ";ouder 1 naam;ouder 1 gezag;ouder 1 email",
            "1;Sem;;Bakker;31-02-2018;3;3501 AA;5;;;",
            "2;Lot;;Bakker;01-01-2019;2;3501;5;;;",
            "3;Fay;;Jansen;01-01-2030;4;3501 AA;5;Eva Jansen;misschien;geen-adres",
            "4;Rik;;;01-01-2017;4;3501 AA;;;;",
            "5;Ilse;;de Wit;2017-01-01;4;3501 AA;9;;;",
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        import_pupils(path, school="99WA00", today=TODAY)
    reasons = [str(p) for p in refused.value.problems]
    assert reasons == [
        "regel 2: geboortedatum is geen datum (verwacht dag-maand-jaar, zoals 17-05-2016)",
        "regel 3: postcode is geen volledige postcode (vier cijfers en twee letters)",
        "regel 4: geboortedatum ligt in de toekomst; ouder 1 gezag: vul ja of nee in; "
        "ouder 1 e-mail is geen e-mailadres",
        "regel 5: achternaam is leeg; huisnummer is leeg",
    ]
    text = " ".join(reasons)
    for value in ("Sem", "Bakker", "31-02", "Eva", "geen-adres", "misschien"):
        assert value not in text
    assert Pupil.objects.count() == 0  # nothing imported, not even the good row 6


def test_a_duplicate_number_refers_to_the_first_good_row(school: School, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [HEADER, "7;Sem;;Bakker;01-01-2018;3;3501 AA;5", "7;Lot;;Bakker;01-01-2019;2;3501 AA;5"],
    )
    with pytest.raises(ImportRefused) as refused:
        import_pupils(path, school="99WA00", today=TODAY)
    assert [str(p) for p in refused.value.problems] == [
        "regel 3: dit leerlingnummer staat ook op regel 2"
    ]


def test_a_file_of_another_school_is_refused(school: School, tmp_path: Path) -> None:
    """Its pupils would end every enrolment here (more than a tenth): refused unless asked."""
    PupilFactory.create_batch(12, current_school=school)
    path = _write(tmp_path, [HEADER, "1;Sem;;Bakker;01-01-2018;3;3501 AA;5"])
    with pytest.raises(ImportRefused) as refused:
        import_pupils(path, school="99WA00", today=TODAY)
    assert "Dit bestand zou 12 van de 12 inschrijvingen van deze school beëindigen" in str(
        refused.value.problems[0]
    )
    assert "--schrijf-ontbrekende-uit" in str(refused.value.problems[0])
    assert Pupil.objects.filter(current_school=school).count() == 12
    report = import_pupils(path, school="99WA00", today=TODAY, end_many=True)
    assert (report.inserted, report.closed) == (1, 12)


def test_a_schools_file_leaves_the_pupils_of_other_schools_alone(
    school: School, tmp_path: Path
) -> None:
    elsewhere = PupilFactory(first_name="Daniël", last_name="van den Berg")
    other_school = elsewhere.current_school
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    elsewhere.refresh_from_db()
    assert elsewhere.current_school == other_school
    assert elsewhere.enrolments.get().ended_on is None
    # The same name at another school is another child: a record of its own here.
    assert Pupil.objects.filter(first_name="Daniël").count() == 2


def test_rows_of_another_school_by_their_brin_are_refused(school: School) -> None:
    SchoolFactory(location_code="99XB00", brin="99XB")
    with pytest.raises(ImportRefused) as refused:
        import_pupils(SAMPLE, school="99XB00", today=TODAY)
    assert str(refused.value.problems[0]) == (
        "regel 2: deze leerling is van een andere school (brin 99WA)"
    )


def test_an_empty_file_or_one_with_only_a_header_is_refused(school: School, tmp_path: Path) -> None:
    for lines in ([""], [HEADER]):
        with pytest.raises(ImportRefused):
            import_pupils(_write(tmp_path, lines), school="99WA00", today=TODAY)


def test_the_school_code_must_name_one_open_location(school: School) -> None:
    SchoolFactory(location_code="99WA01", brin="99WA")
    for code, reason in (
        ("99WA", "BRIN 99WA heeft 2 open vestigingen (99WA00, 99WA01)"),
        ("99ZZ00", "er is geen schoolvestiging 99ZZ00; lees eerst"),
        ("abc", "'abc' is geen BRIN"),
    ):
        with pytest.raises(ImportRefused) as refused:
            import_pupils(SAMPLE, school=code, today=TODAY)
        assert str(refused.value.problems[0]).startswith(reason)


def test_the_command_refuses_in_dutch_and_explains_itself(school: School) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("import_pupils", str(SAMPLE), school="99ZZ00")
    assert str(exc.value).startswith(
        "leerlingen-regenboog.csv: het bestand is geweigerd, er is niets ingelezen."
    )
    command = load_command_class("schoolzorg.pupils", "import_pupils")
    text = command.create_parser("schoolzorg", "import_pupils").format_help()
    assert text.startswith("gebruik: schoolzorg import-pupils")
    assert "--schrijf-ontbrekende-uit" in text and "vestigingscode" in text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("17-05-2016", dt.date(2016, 5, 17)),
        ("7-5-2016", dt.date(2016, 5, 7)),
        ("17/05/2016", dt.date(2016, 5, 17)),
        ("17.05.2016", dt.date(2016, 5, 17)),
        ("2016-05-17", dt.date(2016, 5, 17)),
        ("17-05-2016 00:00", dt.date(2016, 5, 17)),
        ("17-05-16", None),
        ("05/17/2016", None),
        ("29-02-2017", None),
        ("", None),
    ],
)
def test_dates_as_the_exports_write_them(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


def _without_columns(rows: list[str], dropped: str) -> list[str]:
    """The rows with every column whose header starts with `dropped` taken out."""
    header = rows[0].split(";")
    keep = [i for i, name in enumerate(header) if not name.startswith(dropped)]
    return [";".join(row.split(";")[i] for i in keep) for row in rows]


def test_a_file_without_the_second_parents_columns_unlinks_no_one(
    school: School, tmp_path: Path
) -> None:
    """A column missing from the file says nothing: an export template without the `Ouder 2 …`
    columns must not unlink every second parent (and so halve whose consent is needed)."""
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    links = GuardianLink.objects.count()
    rows = _without_columns(SAMPLE.read_text(encoding="utf-8-sig").splitlines(), "Ouder 2")
    assert "Ouder 2" not in rows[0]
    report = import_pupils(_write(tmp_path, rows), school="99WA00", today=TODAY)
    assert (report.inserted, report.updated, report.closed, report.unchanged) == (0, 0, 0, 4)
    assert GuardianLink.objects.count() == links
    daniel = Pupil.objects.get(first_name="Daniël")
    assert daniel.guardian_links.count() == 2
    assert any(
        note.startswith("ouders/verzorgers niet in het bestand maar wel gekoppeld gebleven: 3")
        for note in report.notes
    )


def test_a_row_that_has_the_second_parents_columns_but_leaves_them_empty_unlinks(
    school: School, tmp_path: Path
) -> None:
    import_pupils(SAMPLE, school="99WA00", today=TODAY)
    rows = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    rows[1] = rows[1].replace("Joost van den Berg;vader;ja;;", ";;;;")
    report = import_pupils(_write(tmp_path, rows), school="99WA00", today=TODAY)
    assert "ouders/verzorgers: 0 gekoppeld, 0 gewijzigd, 1 ontkoppeld" in report.notes
    assert Pupil.objects.get(first_name="Daniël").guardian_links.count() == 1


def test_magisters_column_names_stamnr_and_tussenv_are_read(school: School, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            "Stamnr;Roepnaam;Tussenv;Achternaam;Geb.datum;Klas;Postcode;Huisnr;Toev",
            "1001;Daniël;van den;Berg;17-05-2016;5;3501 AA;1;",
        ],
    )
    report = import_pupils(path, school="99WA00", today=TODAY)
    assert report.inserted == 1
    assert Pupil.objects.get().last_name == "van den Berg"
    assert not any(note.startswith("kolommen niet gebruikt") for note in report.notes)


def test_the_summary_names_the_columns_it_did_not_read(school: School, tmp_path: Path) -> None:
    """A guardian column under a name the importer does not know is not silently empty, and
    a BSN in the export is pointed out (it is never read)."""
    path = _write(
        tmp_path,
        [
            HEADER + ";BSN;Naam ouder/verzorger 1;Opmerking",
            "1;Sem;;Bakker;01-01-2018;3;3501 AA;5;123456782;Eva Bakker;",
        ],
    )
    report = import_pupils(path, school="99WA00", today=TODAY)
    assert report.inserted == 1
    assert "kolommen niet gebruikt: BSN, Naam ouder/verzorger 1, Opmerking" in report.notes
    assert any(
        note.startswith("een niet gebruikte kolom lijkt over ouders") for note in report.notes
    )
    assert any(note.startswith("het bestand heeft een kolom met het BSN") for note in report.notes)
    assert any(
        note.startswith("nieuwe leerlingen zonder ouder/verzorger: 1") for note in report.notes
    )
    text = " ".join(report.notes)
    for value in ("123456782", "Eva", "Sem"):
        assert value not in text


def test_a_cut_off_file_of_a_small_school_is_refused(school: School, tmp_path: Path) -> None:
    """More than a tenth is refused also when that is fewer than ten pupils; one or two
    leaving always pass (a tiny location would otherwise need the option every time)."""
    rows = [HEADER] + [f"{n};Kind{n};;Bakker;01-01-2018;3;3501 AA;{n}" for n in range(1, 21)]
    import_pupils(_write(tmp_path, rows), school="99WA00", today=TODAY)
    with pytest.raises(ImportRefused) as refused:
        import_pupils(_write(tmp_path, rows[:-3]), school="99WA00", today=TODAY)
    assert "Dit bestand zou 3 van de 20 inschrijvingen" in str(refused.value.problems[0])
    assert len(_numbers(school)) == 20
    report = import_pupils(_write(tmp_path, rows[:-2]), school="99WA00", today=TODAY)
    assert report.closed == 2


def test_the_sample_file_imports_after_the_sample_schools_as_the_readme_says() -> None:
    """README: `import-schools data/samples/schoolvestigingen-waterstede.csv`, then
    `import-pupils --school 99WA00 data/samples/leerlingen-regenboog.csv`, in an empty database."""
    from schoolzorg.organisations.importers.schools import import_schools

    import_schools(SAMPLE.with_name("schoolvestigingen-waterstede.csv"))
    report = import_pupils(SAMPLE, school="99WA00", today=TODAY)
    assert (report.inserted, report.closed) == (4, 0)
