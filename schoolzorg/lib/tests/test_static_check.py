"""`check --deploy` says when the static files were not collected (every page a 500)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schoolzorg.lib.checks import static_files_collected


@pytest.fixture
def manifest_storage(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return tmp_path


def test_no_manifest_is_an_error(manifest_storage: Path) -> None:
    (error,) = static_files_collected(None)
    assert error.id == "schoolzorg.E003"
    assert "staticfiles.json ontbreekt" in error.msg and "500" in error.msg
    assert "collectstatic" in error.hint


def test_a_manifest_without_a_file_that_was_added_since_is_an_error(
    manifest_storage: Path,
) -> None:
    paths = {"css/app.css": "css/app.0123456789ab.css"}
    (manifest_storage / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )
    (error,) = static_files_collected(None)
    assert error.id == "schoolzorg.E004"
    assert "favicon.svg" not in paths and "staticfiles.json" in error.msg
    assert "herstart gunicorn" in error.hint


def test_development_storage_needs_no_manifest(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert static_files_collected(None) == []


def test_an_unreadable_manifest_is_an_error(manifest_storage: Path) -> None:
    (manifest_storage / "staticfiles.json").write_text("{half")
    (error,) = static_files_collected(None)
    assert error.id == "schoolzorg.E003"
