"""`schoolzorg <command>`: the management commands under one console name.

`schoolzorg seed --scale demo`, `schoolzorg import-schools FILE`, `schoolzorg verify-access-log`;
a dash in the name is the same command as an underscore (`import_schools`). Our own commands
print a refusal as `Fout: <tekst>` with a non-zero exit (`schoolzorg.lib.commands`).
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
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(["schoolzorg", *argv[1:]])


if __name__ == "__main__":
    main()
