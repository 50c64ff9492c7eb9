"""What plans contribute to lower layers: a pupil relationship, panels, the pupil section."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.audit.services import Basis
from schoolzorg.pupils.access import Relationship, register_relationship


def _action_owner_q(user: Any) -> Q | None:
    from schoolzorg.plans.models import Action

    if not getattr(user, "is_authenticated", False):
        return None
    return Q(pk__in=Action.objects.open().filter(owner=user).values("part__pupil_id"))


def _action_owner_basis(user: Any, pupil: Any) -> Basis | None:
    from schoolzorg.plans.models import Action

    action = Action.objects.open().filter(owner=user, part__pupil=pupil).only("pk").first()
    if action is None:
        return None
    return Basis("plan", "actiehouder", None, "", str(action.part_id))


# Owning an open action in a child's plan gives access to that child's full file.
register_relationship(Relationship("plan", _action_owner_q, _action_owner_basis))
