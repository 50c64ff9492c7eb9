"""Reading pupils on behalf of a person: access check and read-log entry in one place.

The HTML views and the API both call these, so a read is checked and logged the same way
whichever door it comes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, Read, record_access, record_accesses
from schoolzorg.lib.prepared import prepared
from schoolzorg.lib.validators import is_blank, without_hidden_characters
from schoolzorg.pupils.access import access_basis, list_bases
from schoolzorg.pupils.models import Pupil

# A search shows at most this many pupils, and says so when more match. Deliberately no paging:
# a search is meant to be narrowed, not paged through.
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Found:
    """The pupils a search shows, and whether more matched than it shows."""

    pupils: list[Pupil]
    cut_off: bool
    limit: int

    @property
    def message(self) -> str:
        """What the search page and the API say when the list is cut off ("" when it is not)."""
        if not self.cut_off:
            return ""
        return f"Er zijn meer dan {self.limit} leerlingen gevonden. Maak uw zoekvraag preciezer."


HIDDEN_ONLY = (
    "De naam bestaat alleen uit onzichtbare tekens (bijvoorbeeld na kopiëren uit een ander "
    "programma). Typ de naam opnieuw."
)


def search_text(text: str) -> str:
    """The name to search for, as the user typed it, without the hidden characters pasted along
    (`lib.validators.without_hidden_characters`, as the importers take them out).

    A name of only such characters raises ValidationError with a message that says so: the
    search would find no one, and "no pupils you may see" would wrongly suggest a lack of
    access. The search page and the API both ask this.
    """
    visible = without_hidden_characters(text)
    if text.strip() and is_blank(visible):
        raise ValidationError(HIDDEN_ONLY, code="hidden_only")
    return visible


def find_pupils(request: HttpRequest, text: str, *, limit: int = SEARCH_LIMIT) -> Found:
    """Pupils the user may see whose names match; each one shown is logged as a search read.

    One more than `limit` is read to know whether the list is cut off; it is not shown or logged.
    """
    results = list(
        Pupil.objects.visible_to(request.user)
        .search(text)
        .select_related("current_school")[: limit + 1]
    )
    shown = results[:limit]
    reads = []
    for pupil in shown:
        found = access_basis(request.user, pupil)
        reads.append(Read(pupil.pk, found[0] if found else None))
    record_accesses(request, reads, action=Action.SEARCH, detail="zoekresultaat")
    return Found(shown, cut_off=len(results) > limit, limit=limit)


def log_named(
    request: HttpRequest,
    shown: Iterable[tuple[Pupil, Any]],
    *,
    detail: str,
    action: str = Action.VIEW,
) -> None:
    """One read-log entry per pupil a page names (with the object it is named for: a case, an
    action), each with the basis of the relationship through which the user sees the pupil, in
    one insert: a fixed number of queries whatever the number of pupils (`access.list_bases`).
    A pupil named twice is logged once, with the first object."""
    rows = list(shown)
    if not rows:
        return
    bases = list_bases(request.user, (pupil for pupil, _ in rows))
    record_accesses(
        request,
        (Read(pupil.pk, bases.get(pupil.pk), obj) for pupil, obj in rows),
        action=action,
        detail=detail,
    )


@prepared
def _pupil(pk: int) -> QuerySet[Pupil]:
    return Pupil.objects.filter(pk=pk).select_related(
        "current_school", "family", "home_district", "home_municipality", "home_neighbourhood"
    )[:1]


# What a read of one pupil is logged as: (with the full file, with the basic fields only). The
# privacy officer tells the pupil page and the API apart by it.
PAGE_READ = ("leerlingpagina", "basisgegevens")
API_READ = ("API: leerling", "API: basisgegevens")


def open_pupil(
    request: HttpRequest,
    pk: int,
    *,
    action: str = Action.VIEW,
    detail: tuple[str, str] = PAGE_READ,
) -> tuple[Pupil, Basis, bool]:
    """The pupil with the user's basis and whether they see the full file; logs the read.

    Missing and forbidden both raise Http404.
    """
    pupil = _pupil.first(pk=pk)
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None:
        raise Http404
    basis, full = found
    record_access(
        request,
        action=action,
        pupil_id=pupil.pk,
        basis=basis,
        obj=pupil,
        detail=detail[0] if full else detail[1],
    )
    return pupil, basis, full
