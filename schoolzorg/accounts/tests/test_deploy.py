"""Production settings pass Django's deployment checks with zero warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
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
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_gives_no_warnings():
    result = _check_deploy({"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode()})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_encryption_keys():
    result = _check_deploy({})
    assert result.returncode != 0
    assert "schoolzorg.E001" in result.stdout + result.stderr
