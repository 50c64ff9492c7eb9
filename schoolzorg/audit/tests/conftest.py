"""Collect the authorization-matrix and malformed-input counts; print them at the end of the run."""

from __future__ import annotations

from typing import Any

MATRIX_TOTALS: dict[str, Any] = {
    "routes": set(),
    "specs": 0,
    "checks": 0,
    "allowed": 0,
    "denied": 0,
    "unexpected": 0,
}

MALFORMED_TOTALS: dict[str, Any] = {"specs": 0, "requests": 0, "forms": 0, "depth": ""}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if MALFORMED_TOTALS["specs"]:
        terminalreporter.write_line(
            f"Onzin-invoer ({MALFORMED_TOTALS['depth']}): {MALFORMED_TOTALS['specs']} "
            f"route×relatie-specs, {MALFORMED_TOTALS['forms']} formulieren van pagina's, "
            f"{MALFORMED_TOTALS['requests']} verzoeken"
        )
    if not MATRIX_TOTALS["specs"]:
        return
    from schoolzorg.audit.matrix import ACTORS

    terminalreporter.write_line(
        f"Autorisatiematrix: {len(MATRIX_TOTALS['routes'])} routes, "
        f"{MATRIX_TOTALS['specs']} route×relatie-specs × {len(ACTORS)} actoren = "
        f"{MATRIX_TOTALS['checks']} controles ({MATRIX_TOTALS['allowed']} toegestaan, "
        f"{MATRIX_TOTALS['denied']} geweigerd), onverwacht: {MATRIX_TOTALS['unexpected']}"
    )
