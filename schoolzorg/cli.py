"""`schoolzorg <command>`: the management commands under one console name.

`schoolzorg seed --scale demo`, `schoolzorg import-schools FILE`, `schoolzorg verify-access-log`;
a dash in the name is the same command as an underscore (`import_schools`). Our own commands
print a refusal as `Fout: <tekst>` with a non-zero exit (`schoolzorg.lib.commands`); without a
command it lists them.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reads the settings: a missing key is said in Dutch)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Fout: {exc}\n")
        sys.exit(2)

    args = sys.argv[1:]
    # The command's name: a dash is an underscore, also after `help` (`help import-schools`).
    named = [i for i in ((0, 1) if args[:1] == ["help"] else (0,)) if i < len(args)]
    for i in named:
        if not args[i].startswith("-"):
            args[i] = args[i].replace("-", "_")
    asks_overview = args in ([], ["help"], ["-h"], ["--help"])
    name = args[named[-1]] if named else ""
    if asks_overview or (name and not name.startswith("-")):
        import django

        from schoolzorg.lib.commands import overview, unknown_command

        django.setup()
        if asks_overview:
            sys.stdout.write(overview())
            return
        if refusal := unknown_command(name):
            sys.stderr.write(refusal + "\n")
            sys.exit(2)
    execute_from_command_line(["schoolzorg", *args])


if __name__ == "__main__":
    main()
