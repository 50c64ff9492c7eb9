"""Production settings pass Django's deployment checks with zero warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _production(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean production environment: none of the developer's or the test run's switches.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SCHOOLZORG_")
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update(
        {
            "SCHOOLZORG_DEBUG": "0",
            "SCHOOLZORG_SECRET_KEY": "k" * 20 + Fernet.generate_key().decode() + "q" * 20,
            "SCHOOLZORG_ALLOWED_HOSTS": "schoolzorg.example.nl",
            "SCHOOLZORG_DATA_DIR": str(ROOT / "var" / "deploycheck"),
            **extra_env,
        }
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], extra_env)


def test_check_deploy_with_production_settings_gives_no_warnings():
    result = _check_deploy({"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode()})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_encryption_keys():
    result = _check_deploy({})
    assert result.returncode != 0
    assert "schoolzorg.E001" in result.stdout + result.stderr


def test_wsgi_application_hides_what_it_loaded_from_the_garbage_collector():
    # gunicorn imports config.wsgi in every worker; what is loaded then lives as long as the
    # worker and must not be walked by every full collection (a ~100 ms pause per worker).
    probe = (
        "import gc, config.wsgi, schoolzorg.pupils.views as views\n"
        "collected = gc.get_objects()  # what a full collection walks; frozen objects are not in it\n"
        "print(gc.get_freeze_count(), any(o is views.__dict__ for o in collected), len(collected))"
    )
    result = _production(["-c", probe], {"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode()})
    assert result.returncode == 0, result.stderr
    frozen, views_collected, collected = result.stdout.split()
    assert views_collected == "False"  # the view modules were loaded before the freeze
    assert int(frozen) > 10 * int(collected)


def test_the_embedded_database_keeps_its_connections_between_requests():
    # A new SQLite connection per request ran the pragmas every time, and closing the last one
    # checkpointed and removed the WAL file (stalls of up to a second under load).
    probe = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['ENGINE'].rsplit('.', 1)[-1], db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])"
    )
    env = {"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode()}
    result = _production(["-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite3", "600", "True"]
    result = _production(["-c", probe], {**env, "SCHOOLZORG_CONN_MAX_AGE": "30"})
    assert result.stdout.split() == ["sqlite3", "30", "True"]
