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

    argv = list(sys.argv)
    if argv[1:] in ([], ["help"], ["-h"], ["--help"]):
        import django

        from schoolzorg.lib.commands import overview

        django.setup()
        sys.stdout.write(overview())
        return
    # The command's name, also after `help`: `schoolzorg help import-schools`.
    for i in (1, 2) if argv[1] == "help" else (1,):
        if len(argv) > i and not argv[i].startswith("-"):
            argv[i] = argv[i].replace("-", "_")
    execute_from_command_line(["schoolzorg", *argv[1:]])


if __name__ == "__main__":
    main()
