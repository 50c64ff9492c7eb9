from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import services
from schoolzorg.assessments.models import Assessment
from schoolzorg.assessments.tests.factories import completed_safety
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _raw(pk: int) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers_json, judgement, rationale, judgements_json "
            "FROM assessments_assessment WHERE id = %s",
            [pk],
        )
        return tuple(cursor.fetchone())


def test_answers_judgement_and_rationale_are_not_stored_as_plain_text(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = completed_safety(pupil, ib)
    raw = _raw(assessment.pk)
    joined = " ".join(raw)
    for plain in ("Wil na school niet naar huis", "Onveilig", "Zonder hulp loopt", "signal_fear"):
        assert plain not in joined
    assert all(value.startswith("gAAAA") for value in raw)  # Fernet tokens
    assert "Zonder hulp loopt de spanning op." in Assessment.objects.get(pk=assessment.pk).rationale


def test_rotating_keys_re_encrypts_every_column_and_the_old_key_can_go(member, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = completed_safety(pupil, ib)
    before = _raw(assessment.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert services.rotate_encryption() == 1
    after = _raw(assessment.pk)
    assert all(a != b for a, b in zip(after, before, strict=True))

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    fresh = Assessment.objects.get(pk=assessment.pk)
    assert fresh.answers["signal_fear"]["note"] == "Wil na school niet naar huis."
    assert fresh.judgements[1]["choice_label"] == "Onveilig"

    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    with pytest.raises(ValueError, match="onbekende sleutel"):
        Assessment.objects.get(pk=assessment.pk)
