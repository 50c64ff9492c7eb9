"""What cases contribute to lower layers: a pupil relationship, menu items, panels, sections."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.audit.services import Basis
from schoolzorg.pupils.access import Relationship, register_relationship


def _coordinator_q(user: Any) -> Q | None:
    from schoolzorg.cases.models import Case

    if not getattr(user, "is_authenticated", False):
        return None
    return Q(pk__in=Case.objects.open().filter(coordinator=user).values("pupil_id"))


def _coordinator_basis(user: Any, pupil: Any) -> Basis | None:
    from schoolzorg.cases.models import Case

    case = Case.objects.open().filter(coordinator=user, pupil=pupil).only("pk").first()
    if case is None:
        return None
    return Basis("case", "regisseur", None, "", str(case.pk))


# Being named coordinator (regisseur) of an open case gives access to that pupil's full file.
register_relationship(Relationship("case", _coordinator_q, _coordinator_basis))
