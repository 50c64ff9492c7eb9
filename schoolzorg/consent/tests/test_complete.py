"""Nobody ticked is refused; an incomplete consent is completed on its own row ("Aanvullen")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from schoolzorg.audit.matrix import build_world, signed_in_client
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.consent.services import ConsentError, complete_consent, record_consent
from schoolzorg.pupils.tests.factories import add_guardian

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def test_a_consent_with_nobody_ticked_is_refused(world) -> None:
    pupil = world.pupil_without_consent
    client = signed_in_client(world.users["coordinator"])
    data = {
        "purpose": Purpose.DISCUSS_IN_CARE_TEAM,
        "recipient": "",
        "data_scope": "het plan",
        "given_on": timezone.localdate().isoformat(),
        "valid_until": "",
        "evidence_note": "Mondeling in het oudergesprek",
    }
    response = client.post(f"/toestemming/leerling/{pupil.pk}/nieuw/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vink aan wie toestemming gaf" in page and "Mondeling in het oudergesprek" in page
    assert not Consent.objects.filter(pupil=pupil).exists()
    # Tester V4: the error belongs to the checkboxes. The summary links the first one, the
    # fieldset shows the message and points to it, each box is marked invalid.
    summary = page[page.index('class="message message--error error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_guardians_0">Deze ouders met gezag gaven toestemming: Vink aan' in summary
    assert 'id="id_guardians_0"' in page
    assert re.search(
        r'<fieldset class="form-field form-field--invalid" aria-describedby="[^"]*id_guardians_error',
        page,
    )
    assert 'id="id_guardians_error"' in page
    assert re.search(r'<input type="checkbox" name="guardians"[^>]*aria-invalid="true"', page)


def test_nobody_ticked_without_a_parent_to_tick_is_said_at_the_pupils_box(world) -> None:
    """No parent with authority is recorded: there is no checkbox to link to, so the message
    stands at "De leerling gaf toestemming"."""
    pupil = world.pupil_without_consent
    pupil.guardian_links.update(has_authority=False)
    client = signed_in_client(world.users["coordinator"])
    response = client.post(
        f"/toestemming/leerling/{pupil.pk}/nieuw/",
        {
            "purpose": Purpose.DISCUSS_IN_CARE_TEAM,
            "given_on": timezone.localdate().isoformat(),
            "evidence_note": "Mondeling",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_given_by_pupil">De leerling gaf toestemming: Vink aan' in page
    assert 'id="id_given_by_pupil_error"' in page


def test_completing_with_nobody_ticked_is_said_at_the_checkboxes(world) -> None:
    _pupil, consent, _second = _incomplete(world)
    client = signed_in_client(world.users["coordinator"])
    response = client.post(
        f"/toestemming/{consent.pk}/aanvullen/", {"given_on": timezone.localdate().isoformat()}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<a href="#id_guardians_0">Deze ouders met gezag gaven nu ook toestemming: Vink aan' in page
    )
    assert 'id="id_guardians_error"' in page


def _incomplete(world):  # type: ignore[no-untyped-def]
    pupil = world.pupil_without_consent
    first = pupil.guardian_links.get().guardian
    second = add_guardian(pupil, full_name="Tweede Ouder")
    consent = record_consent(
        pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate() - dt.timedelta(days=5),
        guardians=[first],
        evidence_note="formulier",
        by=world.users["coordinator"],
    )
    assert not consent.is_complete
    return pupil, consent, second


def test_the_missing_parent_completes_the_consent_on_its_row(world) -> None:
    pupil, consent, second = _incomplete(world)
    nurse = signed_in_client(world.users["nurse"])
    assert nurse.get(f"/leerlingen/{pupil.pk}/").status_code == 404
    client = signed_in_client(world.users["coordinator"])
    section = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert f"/toestemming/{consent.pk}/aanvullen/" in section
    page = client.get(f"/toestemming/{consent.pk}/aanvullen/").content.decode()
    assert "Tweede Ouder" in page
    # The heading names the child whose consent is completed, as the withdrawal page does.
    assert f"Toestemming aanvullen voor {pupil.first_name} {pupil.last_name}</h1>" in page
    today = timezone.localdate()
    response = client.post(
        f"/toestemming/{consent.pk}/aanvullen/",
        {"guardians": [second.pk], "given_on": today.isoformat()},
        follow=True,
    )
    assert "nu compleet" in response.content.decode()
    consent.refresh_from_db()
    assert consent.is_complete and consent.status == "geldig" and consent.given_on == today
    assert set(consent.given_by_guardians.all()) == {
        second,
        *[lk.guardian for lk in pupil.guardian_links.all()],
    }
    assert "Aangevuld op" in consent.evidence_note
    assert Consent.objects.filter(pupil=pupil).count() == 1
    assert AccessLogEntry.objects.filter(detail="toestemming aangevuld").exists()
    assert nurse.get(f"/leerlingen/{pupil.pk}/").status_code == 200
    # Opened or sent again once complete: said so, nothing recorded twice.
    again = client.post(
        f"/toestemming/{consent.pk}/aanvullen/",
        {"guardians": [second.pk], "given_on": today.isoformat()},
        follow=True,
    ).content.decode()
    assert "Deze toestemming is al compleet." in again
    assert AccessLogEntry.objects.filter(detail="toestemming aangevuld").count() == 1


def test_completing_refuses_nobody_a_complete_or_withdrawn_consent(world) -> None:
    _pupil, consent, second = _incomplete(world)
    by, today = world.users["coordinator"], timezone.localdate()
    with pytest.raises(ConsentError, match="Vink aan"):
        complete_consent(consent, by=by, on=today)
    with pytest.raises(ConsentError, match="vóór"):
        complete_consent(consent, by=by, on=today - dt.timedelta(days=30), guardians=[second])
    with pytest.raises(ConsentError, match="al compleet"):
        complete_consent(world.consent, by=by, on=today, given_by_pupil=True)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=today)
    with pytest.raises(ConsentError, match="ingetrokken of verlopen"):
        complete_consent(consent, by=by, on=today, guardians=[second])
    client = signed_in_client(by)
    response = client.post(
        f"/toestemming/{consent.pk}/aanvullen/",
        {"guardians": [second.pk], "given_on": today.isoformat()},
    )
    assert response.status_code == 400 and "ingetrokken of verlopen" in response.content.decode()


def test_others_cannot_complete_a_consent(world) -> None:
    _pupil, consent, _second = _incomplete(world)
    for name in ("nurse", "teacher_own_group", "outsider"):
        client = signed_in_client(world.users[name])
        assert client.get(f"/toestemming/{consent.pk}/aanvullen/").status_code == 404
