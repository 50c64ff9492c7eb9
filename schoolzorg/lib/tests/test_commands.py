"""Our commands on the command line: refusals as `Fout: <Dutch>`, no English, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class

pytestmark = pytest.mark.django_db


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    command = load_command_class("schoolzorg.organisations", argv[0])
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["schoolzorg", *argv])
    code = exit_.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def test_a_refusal_is_printed_as_fout_with_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "import_schools", str(tmp_path / "weg.csv"))
    assert code == 1
    assert err.startswith("Fout: weg.csv: het bestand is geweigerd, er is niets ingelezen.\n")
    assert "het bestand bestaat niet" in err
    assert "CommandError" not in err and "Traceback" not in err


def test_called_from_code_the_refusal_is_still_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="het bestand bestaat niet"):
        call_command("import_schools", str(tmp_path / "weg.csv"))


def test_every_command_of_ours_uses_the_dutch_base() -> None:
    from django.core.management import get_commands

    from schoolzorg.lib.commands import BaseCommand

    ours = {name: app for name, app in get_commands().items() if app.startswith("schoolzorg.")}
    assert "import_schools" in ours
    english = [
        name
        for name, app in ours.items()
        if not isinstance(load_command_class(app, name), BaseCommand)
    ]
    assert english == []


def test_a_missing_file_argument_is_asked_for_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "import_schools")
    assert code == 2
    assert err.startswith("Fout: dit ontbreekt nog: BESTAND\ngebruik: schoolzorg import-schools")
    assert "required" not in err and "usage" not in err and "error" not in err


def test_an_unknown_option_is_named_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "import_schools", str(tmp_path / "a.csv"), "--sluit-alles")
    assert code == 2
    assert err.startswith("Fout: dit kent het commando niet: --sluit-alles\n")


def test_the_parser_complains_in_dutch_from_code_too() -> None:
    with pytest.raises(CommandError) as exc:
        call_command("import_schools")
    assert str(exc.value) == "dit ontbreekt nog: BESTAND"


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("argument --scale: expected one argument", "na --scale hoort een waarde"),
        (
            "argument --scale: invalid choice: 'groot' (choose from demo, city, national)",
            "--scale: 'groot' kan niet; kies uit demo, city, national",
        ),
        ("argument --seed: invalid int value: 'veel'", "--seed: 'veel' is geen getal"),
        ("something argparse says one day", "something argparse says one day"),
    ],
)
def test_argparse_messages_in_dutch(english: str, dutch: str) -> None:
    from schoolzorg.lib.commands import dutch_parser_message

    assert dutch_parser_message(english) == dutch


def test_help_of_a_command_is_dutch_django_options_included() -> None:
    command = load_command_class("schoolzorg.organisations", "import_schools")
    text = command.create_parser("schoolzorg", "import_schools").format_help()
    assert text.startswith("gebruik: schoolzorg import-schools")
    for dutch in ("argumenten:", "opties:", "toon deze hulp en stop", "sla de controles"):
        assert dutch in text
    for english in ("usage:", "options:", "show this help", "Verbosity level", "Skip system"):
        assert english not in text


def test_schoolzorg_without_a_command_lists_ours_in_dutch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from schoolzorg import cli

    monkeypatch.setattr("sys.argv", ["schoolzorg"])
    cli.main()
    out = capsys.readouterr().out
    assert out.startswith("Schoolzorg op de opdrachtregel")
    assert "  import-schools               Lees DUO-schoolvestigingen" in out
    assert "  verify-access-log " in out
    assert "auditlogflush" not in out and "Available subcommands" not in out


def test_help_after_help_takes_the_name_with_a_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from schoolzorg import cli

    monkeypatch.setattr("sys.argv", ["schoolzorg", "help", "import-schools"])
    cli.main()
    assert capsys.readouterr().out.startswith("gebruik: schoolzorg import-schools")


def test_every_argument_of_our_commands_is_explained() -> None:
    from django.core.management import get_commands

    from schoolzorg.lib.commands import OPTIONS_DUTCH

    unexplained = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("schoolzorg."):
            continue
        parser = load_command_class(app, name).create_parser("schoolzorg", name)
        unexplained += [
            f"{name} {action.dest}"
            for action in parser._actions
            if action.dest not in OPTIONS_DUTCH and not action.help
        ]
    assert unexplained == []


def test_an_unknown_command_is_said_in_dutch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from schoolzorg import cli

    monkeypatch.setattr("sys.argv", ["schoolzorg", "bestaat-niet"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err == "Fout: het commando 'bestaat-niet' bestaat niet. 'schoolzorg' toont ze alle.\n"


def test_the_overview_keeps_a_first_sentence_whole() -> None:
    from schoolzorg.lib.commands import first_sentence

    assert first_sentence("Lees DUO-schoolvestigingen (02. Alle schoolvestigingen) in.") == (
        "Lees DUO-schoolvestigingen (02. Alle schoolvestigingen) in."
    )
    assert first_sentence("Zet de regio. Gemeenten in twee regio's blijven leeg.") == (
        "Zet de regio."
    )
    assert first_sentence("Lees (OpenHolidays). Verdachte wachten.") == "Lees (OpenHolidays)."
    assert first_sentence("Toon\n  per rol een account") == "Toon per rol een account."
