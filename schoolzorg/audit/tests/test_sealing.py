"""The read log is append-only and its hash chain detects a changed, removed or inserted entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from schoolzorg.audit.models import CANONICAL_FIELDS, AccessLogEntry, ImmutableEntryError, LogSeal
from schoolzorg.audit.sealing import seal_all, seal_pending, verify_chain
from schoolzorg.audit.services import Basis, record_access

pytestmark = pytest.mark.django_db
LATER = timezone.now() + dt.timedelta(hours=1)


def _entries(n: int) -> list[AccessLogEntry]:
    basis = Basis("membership", "support_coordinator", 1, "School", "7")
    return [
        record_access(None, action="view", pupil_id=100 + i, basis=basis, detail=f"regel {i}")
        for i in range(n)
    ]


@contextmanager
def tampering() -> Iterator[None]:
    """Raw SQL around the application; on PostgreSQL the trigger must be switched off first,
    which only the table owner (a DBA, not the application) should be able to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(
                "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslogentry_no_change"
            )
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute(
                    "ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslogentry_no_change"
                )


def test_the_application_can_neither_change_nor_delete_an_entry() -> None:
    entry = _entries(1)[0]
    entry.detail = "anders"
    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        entry.delete()
    with pytest.raises(ImmutableEntryError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="anders")
    with pytest.raises(ImmutableEntryError):
        AccessLogEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists only on PostgreSQL")
def test_postgresql_trigger_refuses_raw_update_and_delete() -> None:
    entry = _entries(1)[0]
    for sql in (
        "UPDATE audit_accesslogentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [entry.pk])


def test_sealing_covers_entries_in_id_order_and_verification_passes() -> None:
    _entries(5)
    assert seal_all(now=LATER) == 1
    seal = LogSeal.objects.get()
    assert seal.count == 5
    _entries(2)
    assert seal_pending(now=LATER) is not None
    result = verify_chain()
    assert result.ok and result.seals == 2 and result.sealed_entries == 7


def test_fresh_entries_wait_and_are_reported_as_not_yet_sealed() -> None:
    _entries(3)
    assert seal_pending() is None  # younger than the settle time
    result = verify_chain()
    assert result.ok and result.unsealed_entries == 3


def test_sealing_twice_writes_nothing_new() -> None:
    _entries(3)
    seal_all(now=LATER)
    assert seal_all(now=LATER) == 0
    assert LogSeal.objects.count() == 1


def test_changed_entry_is_detected() -> None:
    entries = _entries(4)
    seal_all(now=LATER)
    with tampering(), connection.cursor() as c:
        c.execute("UPDATE audit_accesslogentry SET pupil_id = 999 WHERE id = %s", [entries[1].pk])
    result = verify_chain()
    assert not result.ok and "gewijzigd" in result.problems[0]


def test_removed_entry_is_detected() -> None:
    entries = _entries(4)
    seal_all(now=LATER)
    with tampering(), connection.cursor() as c:
        c.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[2].pk])
    result = verify_chain()
    assert not result.ok and "verwijderd" in " ".join(result.problems)


def test_inserted_entry_is_detected() -> None:
    entries = _entries(3)
    seal_all(now=LATER)
    first = entries[0]
    # Slip a forged entry in between two sealed ones by giving it an id inside the range.
    with tampering(), connection.cursor() as c:
        c.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    AccessLogEntry.objects.create(
        id=entries[1].pk,
        at=first.at,
        user_id=first.user_id,
        user_label="vervalst",
        action="view",
    )
    result = verify_chain()
    assert not result.ok


def test_entry_inserted_before_the_first_seal_range_is_detected() -> None:
    entries = _entries(3)
    seal_all(now=LATER)
    with tampering(), connection.cursor() as c:
        c.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[0].pk])
    LogSeal.objects.all().delete()
    seal_all(now=LATER)
    AccessLogEntry.objects.create(
        id=entries[0].pk, at=timezone.now(), user_label="x", action="view"
    )
    result = verify_chain()
    assert not result.ok and "ingevoegd" in " ".join(result.problems)


def test_verify_command_exits_non_zero_on_tampering() -> None:
    import io

    entries = _entries(2)
    seal_all(now=LATER)
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    assert "1 zegel, 2 verzegelde regels; 0 regels nog niet verzegeld." in out.getvalue()
    with tampering(), connection.cursor() as c:
        c.execute("UPDATE audit_accesslogentry SET detail = 'x' WHERE id = %s", [entries[0].pk])
    with pytest.raises(CommandError, match="aangetast: 1 probleem gevonden"):
        call_command("verify_access_log")


def test_seal_task_is_registered_as_a_periodic_sweep() -> None:
    from schoolzorg.lib.periodic import sweeps

    sweep = next(s for s in sweeps() if s.name == "seal-access-log")
    assert sweep.every_seconds == 60


def test_an_unsettled_entry_blocks_sealing_of_later_ids_so_none_is_skipped() -> None:
    recent = _entries(1)[0]  # written now: not settled yet
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        _entries(2)  # older timestamps, higher ids (e.g. imported history)
    assert seal_all() == 0
    result = verify_chain()
    assert result.ok and result.unsealed_entries == 3
    assert seal_all(now=LATER) == 1
    assert LogSeal.objects.get().first_id == recent.pk and verify_chain().ok


def test_a_list_read_writes_the_same_fields_as_a_single_read_and_seals_alike():
    from django.test import RequestFactory

    from schoolzorg.audit.services import Read, record_accesses

    class Reader:
        pk = 42
        is_authenticated = True

        def __str__(self) -> str:
            return 'Sanne "IB" de Vries'

    request = RequestFactory().get("/casussen/", REMOTE_ADDR="192.0.2.7")
    request.user = Reader()
    request.request_id = "abc123"
    basis = Basis("membership", "support_coordinator", 3, "De Regenboog", "9")
    single = record_access(request, action="view", pupil_id=5, basis=basis, detail="x" * 400)
    written = record_accesses(
        request,
        [Read(5, basis), Read(6, None), Read(5, basis)],  # a pupil twice: one entry
        action="view",
        detail="x" * 400,
    )
    assert written == 2
    listed = list(AccessLogEntry.objects.filter(pk__gt=single.pk).order_by("pk"))
    assert [e.pupil_id for e in listed] == [5, 6]
    fields = [f for f in CANONICAL_FIELDS if f not in ("id", "at")]
    first = AccessLogEntry.objects.get(pk=single.pk)
    assert {f: getattr(listed[0], f) for f in fields} == {f: getattr(first, f) for f in fields}
    assert listed[1].basis == "" and listed[1].organisation_id is None
    assert listed[0].at.tzinfo is not None
    with time_machine.travel(LATER):
        seal_all()
    assert verify_chain().ok
