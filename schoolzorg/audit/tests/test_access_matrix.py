"""Every named URL × every actor: allowed actors get in, everyone else gets 404 (or the login page).

See `schoolzorg/audit/matrix.py` for how an app adds its routes.
"""

from __future__ import annotations

import pytest

from schoolzorg.audit import matrix
from schoolzorg.audit.tests.conftest import MATRIX_TOTALS

SPECS = matrix.load_specs()


def test_every_named_route_has_a_matrix_spec() -> None:
    missing = sorted({r.name for r in matrix.iter_routes()} - set(SPECS))
    assert not missing, (
        "Deze routes staan niet in de autorisatiematrix; voeg ze toe in "
        f"schoolzorg/<app>/tests/matrix.py: {missing}"
    )


def test_every_spec_names_an_existing_route_and_known_actors() -> None:
    names = {r.name for r in matrix.iter_routes()}
    assert not sorted(set(SPECS) - names), "Specs voor routes die niet (meer) bestaan."
    for name, specs in SPECS.items():
        for spec in specs:
            unknown = set(spec.allowed) - set(matrix.ACTORS)
            assert not unknown, f"{name}: onbekende actoren {unknown}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "index"),
    [(name, i) for name, specs in sorted(SPECS.items()) for i in range(len(specs))],
)
def test_route_answers_each_actor_as_specified(name: str, index: int) -> None:
    spec = SPECS[name][index]
    world = matrix.build_world()
    outcomes = matrix.check_route(world, name, spec)
    unexpected = [o for o in outcomes if not o.ok]
    MATRIX_TOTALS["routes"].add(name)
    MATRIX_TOTALS["specs"] += 1
    MATRIX_TOTALS["checks"] += len(outcomes)
    MATRIX_TOTALS["allowed"] += sum(o.expected_allowed for o in outcomes)
    MATRIX_TOTALS["denied"] += sum(not o.expected_allowed for o in outcomes)
    MATRIX_TOTALS["unexpected"] += len(unexpected)
    assert not unexpected, "\n".join(o.describe() for o in unexpected)
