"""Production settings pass Django's deployment checks with zero warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
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
            "SCHOOLZORG_BASE_URL": "https://schoolzorg.example.nl",
            "SCHOOLZORG_WEBAUTHN_RP_ID": "schoolzorg.example.nl",
            "SCHOOLZORG_WEBAUTHN_ORIGINS": "https://schoolzorg.example.nl",
            "SCHOOLZORG_FROM_EMAIL": "Schoolzorg <noreply@schoolzorg.example.nl>",
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
    keys = {"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode()}
    static = _production(["manage.py", "collectstatic", "--noinput", "-v0"], keys)
    assert static.returncode == 0, static.stderr
    result = _check_deploy(keys)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_before_collectstatic(tmp_path: Path) -> None:
    """Without `collectstatic` every page answers 500 (no manifest); `check --deploy` says so."""
    result = _check_deploy(
        {
            "SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode(),
            "SCHOOLZORG_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "schoolzorg.E003" in result.stdout + result.stderr


def test_production_does_not_start_without_encryption_keys():
    result = _check_deploy({})
    assert result.returncode != 0
    assert "SCHOOLZORG_FIELD_KEYS ontbreekt." in result.stderr


def test_production_does_not_start_with_a_mistyped_encryption_key():
    """Tester T7: `abc` passed the deploy check, and every page with child-safety material
    answered 500."""
    key = Fernet.generate_key().decode()
    for keys in ("abc", f"{key},{key[:-2]}"):
        result = _check_deploy({"SCHOOLZORG_FIELD_KEYS": keys})
        assert result.returncode != 0
        assert "is geen geldige sleutel" in result.stderr, keys


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"SCHOOLZORG_BASE_URL": "http://localhost:8000"}, "schoolzorg.E005"),  # the default
        ({"SCHOOLZORG_BASE_URL": "http://schoolzorg.example.nl"}, "schoolzorg.E005"),
        ({"SCHOOLZORG_BASE_URL": "https://elders.example.nl"}, "schoolzorg.E006"),
        ({"SCHOOLZORG_WEBAUTHN_RP_ID": "localhost"}, "schoolzorg.E007"),
        ({"SCHOOLZORG_WEBAUTHN_ORIGINS": "http://localhost:8000"}, "schoolzorg.E007"),
        ({"SCHOOLZORG_FROM_EMAIL": "Schoolzorg <noreply@schoolzorg.example>"}, "schoolzorg.E008"),
    ],
)
def test_check_deploy_wants_the_public_address_for_links_and_passkeys(extra, error):
    """Tester T10: with the defaults every e-mail linked to http://localhost:8000 and no
    passkey could be used."""
    result = _check_deploy({"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode(), **extra})
    assert result.returncode != 0
    assert error in result.stdout + result.stderr


def test_check_deploy_fails_in_the_demo():
    result = _check_deploy(
        {"SCHOOLZORG_FIELD_KEYS": Fernet.generate_key().decode(), "SCHOOLZORG_DEMO": "1"}
    )
    assert result.returncode != 0
    assert "schoolzorg.E002" in result.stdout + result.stderr


def test_the_demo_as_make_run_starts_it_shows_the_dutch_error_pages():
    """`make run` (scripts/run.sh) runs the demo with DEBUG off: a wrong address gets the Dutch
    page (the API its problem+json), never Django's English debug page with every route."""
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert 'SCHOOLZORG_DEMO="${SCHOOLZORG_DEMO:-1}"' in run_sh
    assert 'SCHOOLZORG_DEBUG="${SCHOOLZORG_DEBUG:-0}"' in run_sh
    demo = {
        "SCHOOLZORG_DEMO": "1",
        "SCHOOLZORG_ALLOWED_HOSTS": "testserver",
    }
    static = _production(["manage.py", "collectstatic", "--noinput", "-v0"], demo)
    assert static.returncode == 0, static.stderr
    probe = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup(); from django.test import Client; c = Client();"
        "page = c.get('/bestaat-niet/'); api = c.get('/api/v1/leerlingen/abc/');"
        "print(page.status_code, 'Deze pagina bestaat niet' in page.content.decode(),"
        " 'Page not found' in page.content.decode(), api.status_code, api['Content-Type'])"
    )
    result = _production(["-c", probe], demo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "True", "False", "404", "application/problem+json"]


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


def test_gunicorns_access_log_names_no_searched_name(tmp_path: Path) -> None:
    """Tester T15: a search is `/leerlingen/?naam=…`; the access log wrote the whole request line
    and the referring page, so a child's name ended up in a log outside the read log."""
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "access.log"
    demo = {"SCHOOLZORG_DEMO": "1", "SCHOOLZORG_ALLOWED_HOSTS": "127.0.0.1"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOLZORG_")}
    env.update({"SCHOOLZORG_DEBUG": "0", "SCHOOLZORG_DATA_DIR": str(tmp_path), **demo})
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/bestaat-niet/?naam=Daniel"
        request = urllib.request.Request(url, headers={"Referer": url})
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=5)  # noqa: S310
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert '"GET /bestaat-niet/ HTTP/1.1" 404' in written
    assert "Daniel" not in written and "naam" not in written
