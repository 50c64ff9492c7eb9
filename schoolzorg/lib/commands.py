"""The base of Schoolzorg's own management commands: their refusals in plain Dutch.

A command refuses with `CommandError("<Nederlandse tekst>")`. On the command line (`schoolzorg
<command>` or `manage.py`) that is printed as `Fout: <tekst>` on stderr with a non-zero exit,
without Django's English `CommandError:` prefix and without a traceback (`--traceback` still
shows one). Called from code (`call_command`, tests) the CommandError is raised as usual.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import base
from django.core.management.base import CommandError, SystemCheckError


class BaseCommand(base.BaseCommand):
    """Use instead of Django's BaseCommand for every command of our own."""

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
