"""The base of Schoolzorg's own management commands: their refusals in plain Dutch.

A command refuses with `CommandError("<Nederlandse tekst>")`. On the command line (`schoolzorg
<command>` or `manage.py`) that is printed as `Fout: <tekst>` on stderr with a non-zero exit,
without Django's English `CommandError:` prefix and without a traceback (`--traceback` still
shows one). Called from code (`call_command`, tests) the CommandError is raised as usual.

The argument parser's own complaints (a missing file, an unknown option) are in Dutch too, as
`Fout: ...` with the usage line after it, and so is `--help` (Django's own options included).
`schoolzorg` without a command lists our commands (`overview`).
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

from django.core.management import base
from django.core.management.base import CommandError, CommandParser, SystemCheckError

# argparse's messages (Python 3.12 to 3.14) and what we say instead; `{0}`... are its values.
ARGPARSE_DUTCH = [
    (r"the following arguments are required: (.+)", "dit ontbreekt nog: {0}"),
    (r"unrecognized arguments: (.+)", "dit kent het commando niet: {0}"),
    (r"argument (\S+): expected one argument", "na {0} hoort een waarde"),
    (r"argument (\S+): expected at least one argument", "na {0} hoort minstens één waarde"),
    (r"argument (\S+): expected at most one argument", "na {0} hoort hoogstens één waarde"),
    (
        r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)",
        "{0}: {1} kan niet; kies uit {2}",
    ),
    (r"argument (\S+): invalid (?:int|float) value: (.+)", "{0}: {1} is geen getal"),
    (r"argument (\S+): invalid \S+ value: (.+)", "{0}: {1} kan niet"),
    (r"argument (\S+): ignored explicit argument (.+)", "{0} heeft geen waarde nodig ({1})"),
    (r"argument (\S+): not allowed with argument (.+)", "{0} kan niet samen met {1}"),
    (r"ambiguous option: (\S+) could match (.+)", "{0} kan meer dan één optie zijn: {1}"),
    (r"one of the arguments (.+) is required", "geef een van deze: {0}"),
]
_ARGPARSE_DUTCH = [(re.compile(f"^{english}$"), dutch) for english, dutch in ARGPARSE_DUTCH]


def dutch_parser_message(message: str) -> str:
    """argparse's English complaint in Dutch; one we do not know stays as it is."""
    for english, dutch in _ARGPARSE_DUTCH:
        if found := english.match(message):
            return dutch.format(*found.groups())
    return message


# The options Django gives every command (and argparse's --help), for `--help` in Dutch.
OPTIONS_DUTCH = {
    "help": "toon deze hulp en stop",
    "version": "toon het versienummer en stop",
    "verbosity": "hoeveel het commando vertelt: 0 weinig, 1 gewoon, 2 en 3 meer",
    "settings": "de Python-module met de instellingen (anders DJANGO_SETTINGS_MODULE)",
    "pythonpath": "een map om aan het Python-pad toe te voegen",
    "traceback": "toon bij een fout ook de traceback",
    "no_color": "uitvoer zonder kleuren",
    "force_color": "uitvoer altijd in kleur",
    "skip_checks": "sla de controles van de instellingen over",
}


class DutchCommandParser(CommandParser):
    """Django's parser in Dutch: `Fout: dit ontbreekt nog: BESTAND`, and its `--help`."""

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "gebruik: ", 1)

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(
            self.usage, self._actions, self._mutually_exclusive_groups, prefix="gebruik: "
        )
        return formatter.format_help()

    def error(self, message: str) -> NoReturn:
        text = dutch_parser_message(message)
        if not self.called_from_command_line:
            raise CommandError(text)
        self.exit(2, f"Fout: {text}\n{self.format_usage()}")


class BaseCommand(base.BaseCommand):
    """Use instead of Django's BaseCommand for every command of our own."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Named as the README writes it: `schoolzorg import-schools`.
        parser = super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs)
        # Django builds its CommandParser itself; ours only changes what it says.
        parser.__class__ = DutchCommandParser
        parser._positionals.title = "argumenten"
        parser._optionals.title = "opties"
        for action in parser._actions:
            action.help = OPTIONS_DUTCH.get(action.dest, action.help)
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            result: str | None = super().execute(*args, **options)
        except SystemCheckError:
            raise  # Django words and prints these itself
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"Fout: {exc}")
            sys.exit(exc.returncode)
        return result


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence: not "(02. Alle ...)"."""
    words = " ".join(text.split())
    found = re.search(r"(?<=[^\W\d]|\))\. (?=[A-Z])", words)
    return (words[: found.start()] if found else words.rstrip(".")) + "."


def unknown_command(name: str) -> str | None:
    """The Dutch refusal of a command that does not exist, or None if it does."""
    from django.core.management import get_commands

    if name in get_commands():
        return None
    return (
        f"Fout: het commando '{name.replace('_', '-')}' bestaat niet. 'schoolzorg' toont ze alle."
    )


def overview() -> str:
    """What `schoolzorg` without a command prints: our own commands, each with its first line."""
    from django.core.management import get_commands, load_command_class

    lines = [
        "Schoolzorg op de opdrachtregel: schoolzorg <commando> [opties]",
        "Een streepje en een laag streepje zijn hetzelfde: import-schools is import_schools.",
        "Meer over één commando: schoolzorg <commando> --help",
        "",
        "Commando's:",
    ]
    for name, app in sorted(get_commands().items()):
        if not app.startswith("schoolzorg."):
            continue
        command = load_command_class(app, name)
        if isinstance(command, BaseCommand):
            lines.append(f"  {name.replace('_', '-'):<28} {first_sentence(str(command.help))}")
    lines += [
        "",
        "Django's eigen commando's (zoals migrate en createsuperuser) werken ook;",
        "schoolzorg help --commands noemt ze alle.",
    ]
    return "\n".join(lines) + "\n"
