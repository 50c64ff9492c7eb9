"""Seal the read log into a hash chain, and verify the chain.

Writing an entry takes no lock: a periodic task seals finished entries in id order into `LogSeal`
rows. Each seal's hash covers the previous seal's hash and every entry in its range, so a changed,
removed or inserted entry breaks the chain from that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from schoolzorg.audit.models import CANONICAL_FIELDS, AccessLogEntry, LogSeal, canonical_entry

GENESIS = "0" * 64
BATCH = 5000
# Entries younger than this are left for the next run: a slow request's transaction may commit
# an entry with a lower id after a higher one, and a sealed range must never get a late arrival.
SETTLE = dt.timedelta(minutes=2)


def _rows(first_id: int, last_id: int | None = None) -> Iterator[dict[str, object]]:
    qs = AccessLogEntry.objects.filter(id__gte=first_id)
    if last_id is not None:
        qs = qs.filter(id__lte=last_id)
    yield from qs.order_by("id").values(*CANONICAL_FIELDS).iterator(chunk_size=2000)


def chain_hash(previous: str, lines: list[str]) -> str:
    digest = hashlib.sha256(previous.encode())
    for line in lines:
        digest.update(b"\n")
        digest.update(line.encode())
    return digest.hexdigest()


def seal_pending(*, now: dt.datetime | None = None, batch: int = BATCH) -> LogSeal | None:
    """Seal the next batch of settled, unsealed entries; None when there is nothing to seal.

    Safe to run twice at once: `first_id` and `last_id` are unique, so a second sealer of the
    same range fails and changes nothing.
    """
    cutoff = (now or timezone.now()) - SETTLE
    last = LogSeal.objects.order_by("-last_id").first()
    start = (last.last_id + 1) if last else 0
    previous = last.hash if last else GENESIS
    candidates = list(
        AccessLogEntry.objects.filter(id__gte=start)
        .order_by("id")
        .values(*CANONICAL_FIELDS)[:batch]
    )
    # Seal a contiguous run of ids and stop at the first entry that has not settled: skipping it
    # would leave it outside every seal for good.
    rows = []
    for row in candidates:
        if row["at"] >= cutoff:
            break
        rows.append(row)
    if not rows:
        return None
    lines = [canonical_entry(r) for r in rows]
    try:
        with transaction.atomic():
            return LogSeal.objects.create(
                first_id=rows[0]["id"],
                last_id=rows[-1]["id"],
                count=len(rows),
                previous_hash=previous,
                hash=chain_hash(previous, lines),
            )
    except IntegrityError:
        return None


def seal_all(*, now: dt.datetime | None = None) -> int:
    """Seal until nothing settled is left; return the number of seals written."""
    n = 0
    while seal_pending(now=now) is not None:
        n += 1
    return n


@dataclass
class Verification:
    seals: int = 0
    sealed_entries: int = 0
    unsealed_entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain() -> Verification:
    """Recompute every seal from the entries; report changed, removed and inserted entries."""
    result = Verification()
    previous_hash = GENESIS
    previous_last = -1
    for seal in LogSeal.objects.order_by("last_id"):
        result.seals += 1
        if seal.previous_hash != previous_hash:
            result.problems.append(
                f"Zegel {seal.pk} (regels {seal.first_id}–{seal.last_id}) sluit niet aan op de "
                "vorige zegel."
            )
        between = AccessLogEntry.objects.filter(id__gt=previous_last, id__lt=seal.first_id)
        for entry_id in between.values_list("id", flat=True):
            result.problems.append(f"Regel {entry_id} is tussen twee zegels ingevoegd.")
        rows = list(_rows(seal.first_id, seal.last_id))
        ids = [r["id"] for r in rows]
        if len(rows) != seal.count:
            kind = "verwijderd" if len(rows) < seal.count else "ingevoegd"
            result.problems.append(
                f"Zegel {seal.pk} (regels {seal.first_id}–{seal.last_id}): {seal.count} regels "
                f"verzegeld, {len(rows)} gevonden – er is een regel {kind}."
            )
        elif ids and (ids[0] != seal.first_id or ids[-1] != seal.last_id):
            result.problems.append(
                f"Zegel {seal.pk}: de eerste of laatste regel ontbreekt of is vervangen."
            )
        computed = chain_hash(seal.previous_hash, [canonical_entry(r) for r in rows])
        if computed != seal.hash and len(rows) == seal.count:
            result.problems.append(
                f"Zegel {seal.pk} (regels {seal.first_id}–{seal.last_id}): de inhoud van een "
                "regel is gewijzigd."
            )
        result.sealed_entries += len(rows)
        previous_hash = seal.hash
        previous_last = seal.last_id
    result.unsealed_entries = AccessLogEntry.objects.filter(id__gt=previous_last).count()
    return result
