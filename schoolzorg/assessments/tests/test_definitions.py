from __future__ import annotations

import copy
import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import definitions, services
from schoolzorg.assessments.models import InstrumentDefinition
from schoolzorg.assessments.tests.factories import SEVERITY_ANSWERS, completed_severity, shipped
from schoolzorg.pupils.tests.factories import PupilFactory


def _severity_data() -> dict:
    """The current shipped severity instrument (the last version loaded is the one offered)."""
    return definitions.read_file(definitions.SHIPPED_DIR / "severity-2026.2.yaml")


def test_every_shipped_definition_fits_the_schema():
    files = definitions.shipped_files()
    assert {definitions.read_file(f)["code"] for f in files} == {
        "severity",
        "child_safety",
        "reporting_code",
    }


def test_shipped_definitions_hold_no_weights_or_scores():
    for path in definitions.shipped_files():
        text = path.read_text(encoding="utf-8").lower()
        assert "score" not in text and "weight" not in text and "punten" not in text


def test_a_broken_definition_is_refused_with_the_path_of_the_error():
    data = _severity_data()
    del data["sections"][1]["items"][0]["options"]
    data["sections"][2]["items"][1]["type"] = "slider"
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.validate(data)
    paths = {p.path for p in exc.value.problems}
    assert "sections[1].items[0]" in paths
    assert "sections[2].items[1].type" in paths


def test_duplicate_row_keys_are_refused_with_their_path():
    data = _severity_data()
    data["sections"][1]["items"][0]["key"] = data["sections"][0]["items"][0]["key"]
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.validate(data)
    assert [p.path for p in exc.value.problems] == ["sections[1].items[0].key"]


def test_a_child_safety_definition_without_review_is_refused():
    data = definitions.read_file(definitions.SHIPPED_DIR / "child-safety-2026.1.yaml")
    data["review"]["required"] = False
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.validate(data)
    assert exc.value.problems[0].path == "review.required"


def test_yaml_syntax_errors_name_the_line():
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.parse_text("code: x\n  bad: [\n")
    [problem] = exc.value.problems
    assert problem.message == "Het bestand is geen geldige YAML: regel 2, kolom 6."


def _broken(change: object) -> list[str]:
    data = _severity_data()
    assert callable(change)
    change(data)
    with pytest.raises(definitions.DefinitionError) as exc:
        definitions.validate(data)
    return [str(p) for p in exc.value.problems]


ENGLISH = (
    "is not of type",
    "is a required property",
    "Additional properties",
    "is not one of",
    "is too short",
    "does not match",
    "should be non-empty",
    "is too long",
    "None is not",
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(version=12), "version: Moet een tekst zijn, maar is het getal 12."),
        (lambda d: d.update(onbekend_veld=1), "(document): Onbekend veld: onbekend_veld."),
        (lambda d: d.pop("title"), "(document): Het veld title ontbreekt."),
        (lambda d: d.update(title=""), "title: Mag niet leeg zijn."),
        (lambda d: d.update(version="2026 1"), "version: '2026 1' heeft niet de goede vorm"),
        (
            lambda d: d["sections"][0]["items"][0].update(type="vrij"),
            "sections[0].items[0].type: Moet een van deze waarden zijn",
        ),
        (lambda d: d["judgements"][0].update(choices=[]), "judgements[0].choices: Moet minstens"),
    ],
)
def test_schema_errors_are_dutch_by_kind_with_the_field_path(change: object, expected: str) -> None:
    problems = _broken(change)
    assert any(p.startswith(expected) for p in problems), problems
    assert not any(english in p for p in problems for english in ENGLISH), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "(document): Het bestand is leeg"),
        ("- 1\n- 2\n", "(document): Moet een groep velden (naam: waarde) zijn, maar is een lijst."),
        ("code: x\n  bad: [\n", "(bestand): Het bestand is geen geldige YAML: regel 2, kolom 6."),
        (
            "{}",
            "(document): De velden code, version, title, source_label, sections, judgements ontbreken.",
        ),
    ],
)
@pytest.mark.django_db
def test_load_instrument_prints_dutch_for_empty_list_and_broken_yaml(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "instrument.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_instrument", str(path))
    lines = [line.strip().removeprefix("- ") for line in str(exc.value).splitlines()[1:]]
    assert lines == [expected] or lines[0].startswith(expected), lines


@pytest.mark.django_db
def test_load_instrument_refuses_yaml_nested_too_deep_in_dutch(tmp_path: Path):
    path = tmp_path / "diep.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError, match="Geen geldige YAML: er staan te veel haakjes"):
        call_command("load_instrument", str(path))


@pytest.mark.django_db
def test_load_instrument_command_refuses_a_broken_file_and_loads_nothing(tmp_path: Path):
    data = _severity_data()
    data["version"] = "2027.1"
    data["judgements"][0]["choices"] = [{"value": "only_one", "label": "Eén"}]
    path = tmp_path / "kapot.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = InstrumentDefinition.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load_instrument", str(path))
    assert "judgements[0].choices" in str(exc.value)
    assert InstrumentDefinition.objects.count() == before


@pytest.mark.django_db
def test_a_licensed_version_is_a_new_version_and_old_assessments_stay_pinned(
    member, tmp_path: Path
):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    old = completed_severity(pupil, ib)
    draft = services.start_assessment(pupil, "severity", by=ib)
    services.save_answers(draft, SEVERITY_ANSWERS, by=ib)
    old_definition = old.definition
    assert old_definition == shipped("severity")

    licensed = copy.deepcopy(_severity_data())
    licensed.update(
        version="L-3.0",
        title="Ernsttaxatie (licentie gemeente)",
        source_label="Gelicentieerde versie, geladen door de school",
        is_licensed=True,
    )
    licensed["sections"][0]["items"][0]["label"] = "Ontwikkeling (gelicentieerde tekst)"
    path = tmp_path / "licentie.yaml"
    path.write_text(yaml.safe_dump(licensed, allow_unicode=True), encoding="utf-8")
    out = StringIO()
    call_command("load_instrument", str(path), organisation=pupil.current_school.pk, stdout=out)
    assert "Geladen" in out.getvalue()

    new = InstrumentDefinition.objects.get(version="L-3.0")
    assert new.is_licensed and new.organisation_id == pupil.current_school.pk
    assert new.pk != old_definition.pk
    # Existing assessments, completed or draft, keep their version and its texts.
    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.definition_id == old_definition.pk and draft.definition_id == old_definition.pk
    assert old.chosen_rows()[0]["label"] == "Ontwikkeling en leren"
    # New assessments at this school use the licensed version; elsewhere the shipped one.
    fresh = services.start_assessment(pupil, "severity", by=ib)
    assert fresh.definition_id == new.pk
    elsewhere = PupilFactory()
    other_ib = member(Role.SUPPORT_COORDINATOR, elsewhere.current_school)
    assert services.start_assessment(elsewhere, "severity", by=other_ib).definition_id == (
        old_definition.pk
    )


@pytest.mark.django_db
def test_the_same_version_with_other_content_is_refused():
    data = _severity_data()
    same, created = services.load_definition(data)
    assert not created and same == shipped("severity")
    data["title"] = "Andere titel"
    with pytest.raises(definitions.DefinitionError) as exc:
        services.load_definition(data)
    assert exc.value.problems[0].path == "version"


@pytest.mark.django_db
def test_load_instruments_command_is_idempotent():
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert out.getvalue().count("Stond er al") == len(definitions.shipped_files())


@pytest.mark.django_db
def test_the_offered_instruments_say_u_not_je():
    """The product addresses its reader as "u"; an instrument's texts are read in the same UI."""
    for path in definitions.shipped_files():
        data = definitions.read_file(path)
        if services.load_definition(data)[0] != shipped(data["code"]):
            continue  # an older version, kept for the assessments made with it
        words = re.findall(r"[\w']+", json.dumps(data, ensure_ascii=False).lower())
        assert not {"je", "jij", "jouw", "jou"} & set(words), path.name


@pytest.mark.django_db
def test_load_instrument_for_an_unknown_organisation_is_refused():
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command(
            "load_instrument",
            str(definitions.SHIPPED_DIR / "severity-2026.1.yaml"),
            organisation=999999,
        )


_SEVERITY = _severity_data()
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@given(
    raw=st.dictionaries(
        st.sampled_from(["child_development", "burden", "strengths", "x"]),
        st.dictionaries(st.sampled_from(["value", "note", "date", "who"]), _ANY, max_size=4) | _ANY,
        max_size=4,
    )
)
@settings(deadline=None, max_examples=60)
def test_any_input_gives_answers_or_dutch_messages_never_an_exception(raw):
    data = _SEVERITY
    cleaned, errors = definitions.clean_answers(data, raw)
    assert set(cleaned) | set(errors) <= {"child_development", "burden", "strengths"}
    definitions.describe_answers(data, cleaned)
    definitions.missing_required(data, cleaned)


@given(judgement=_ANY, rationale=_ANY)
@settings(deadline=None, max_examples=60)
def test_any_judgement_input_is_checked_without_an_exception(judgement, rationale):
    data = _SEVERITY
    if not isinstance(judgement, (str, dict)) or not isinstance(rationale, (str, dict)):
        return
    recorded, _errors = definitions.clean_judgements(data, judgement, rationale)
    assert len(recorded) == 1
