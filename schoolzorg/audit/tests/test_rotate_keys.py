"""Key rotation: every EncryptedTextField in every model is found and re-encrypted."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from schoolzorg.audit.management.commands.rotate_keys import encrypted_fields
from schoolzorg.lib import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_encrypted_fields_are_discovered_through_the_app_registry() -> None:
    labels = {model._meta.label: names for model, names in encrypted_fields()}
    if "assessments.Assessment" in labels:
        assert "judgement" in labels["assessments.Assessment"]
    for names in labels.values():
        assert names


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key_so_the_old_key_can_go(settings) -> None:  # type: ignore[no-untyped-def]
    factories = pytest.importorskip("schoolzorg.assessments.tests.factories")
    from schoolzorg.audit.matrix import build_world

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    world = build_world()
    assessment = factories.completed_safety(world.pupil, world.users["coordinator"])
    table = assessment._meta.db_table

    def raw() -> str:
        with connection.cursor() as c:
            c.execute(f"SELECT judgement FROM {table} WHERE id = %s", [assessment.pk])  # noqa: S608
            return str(c.fetchone()[0])

    before = raw()
    assert Fernet(OLD.encode()).decrypt(before.encode())
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_keys")
    after = raw()
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key is gone; the data still reads
    assert Fernet(NEW.encode()).decrypt(after.encode()).decode() == crypto.decrypt_text(after)
    assessment.refresh_from_db()
    assert assessment.judgement
