from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases import services
from schoolzorg.cases.models import CaseDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def case(team):
    return services.register_concern(
        team.pupil, category="health", description="Vaak ziek.", by=team.ib
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("verslag.pdf", PDF),
        ("foto.png", PNG),
        ("brief.docx", None),
        ("foto.JPG", b"\xff\xd8\xff\xe0rest"),
    ],
)
def test_allowed_types_are_recognised_by_content(name, content):
    data = content if content is not None else _docx()
    kind, _ = services.check_upload(SimpleUploadedFile(name, data), max_bytes=10_000)
    assert kind == name.rsplit(".", 1)[1].lower().replace("jpeg", "jpg")


def test_an_executable_renamed_to_pdf_is_refused():
    with pytest.raises(services.CaseError, match="Toegestaan zijn"):
        services.check_upload(
            SimpleUploadedFile("verslag.pdf", b"MZ\x90\x00binary"), max_bytes=10_000
        )


def test_a_zip_that_is_not_a_word_file_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("evil.exe", "x")
    with pytest.raises(services.CaseError):
        services.check_upload(SimpleUploadedFile("brief.docx", buf.getvalue()), max_bytes=10_000)


def test_a_pdf_named_png_is_refused():
    with pytest.raises(services.CaseError, match="past niet bij de inhoud"):
        services.check_upload(SimpleUploadedFile("foto.png", PDF), max_bytes=10_000)


def test_upload_too_large_gets_a_dutch_message_and_keeps_the_description(
    team, case, client_for, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * (1024 * 1024 + 10))
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/document/", {"file": big, "description": "Verslag huisbezoek"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "te groot (1,0 MB)" in page and "Verslag huisbezoek" in page
    assert not CaseDocument.objects.exists()


def test_wrong_type_upload_gets_a_dutch_message_not_a_500(team, case, client_for):
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/document/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90"), "description": "Rapport"},
    )
    assert response.status_code == 400
    assert "Toegestaan zijn" in response.content.decode()
    assert 'value="Rapport"' in response.content.decode()
    assert "Uw omschrijving is bewaard. Kies het bestand opnieuw." in response.content.decode()


def test_a_refused_upload_without_description_does_not_claim_to_keep_one(team, case, client_for):
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/document/", {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90")}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Kies het bestand opnieuw." in page
    assert "omschrijving is bewaard" not in page


def test_upload_and_download_with_access_check_and_log(team, case, client_for):
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/document/",
        {"file": SimpleUploadedFile("Salma_huiselijk_geweld.pdf", PDF)},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert "Salma" not in document.file.name  # stored under a random name
    download = client_for(team.smw).get(f"/casussen/document/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    [entry] = AccessLogEntry.objects.filter(action="download", pupil_id=team.pupil.pk)
    # The privacy officer reads pupil numbers, not names: the file's name stays out of the log.
    assert (entry.object_id, entry.detail) == (str(document.pk), "document")
    assert client_for(team.outsider).get(f"/casussen/document/{document.pk}/").status_code == 404
    assert client_for(team.teacher).get(f"/casussen/document/{document.pk}/").status_code == 404


def test_a_file_left_by_a_rolled_back_upload_is_swept_after_a_day(case, team, tmp_path):
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from schoolzorg.lib.periodic import sweeps
    from schoolzorg.lib.uploads import sweep_orphan_uploads

    kept = services.add_document(
        case, upload=SimpleUploadedFile("a.pdf", PDF), by=team.ib, max_bytes=10_000
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = services.add_document(
            case, upload=SimpleUploadedFile("b.pdf", PDF), by=team.ib, max_bytes=10_000
        )
        raise RuntimeError("the request failed after the file was written")
    assert not CaseDocument.objects.filter(pk=lost.pk).exists()
    assert default_storage.exists(lost.file.name)  # left behind by the rollback
    other = tmp_path / "elders" / "notitie.txt"
    other.parent.mkdir()
    other.write_text("niet van een upload-veld")

    assert sweep_orphan_uploads() == []  # too young: a request may still be in flight
    later = timezone.now() + dt.timedelta(hours=25)
    assert sweep_orphan_uploads(now=later) == [lost.file.name]
    assert not default_storage.exists(lost.file.name)
    assert default_storage.exists(kept.file.name) and other.exists()
    assert sweep_orphan_uploads(now=later) == []  # idempotent
    assert next(s for s in sweeps() if s.name == "orphan-uploads").every_seconds == 86400


def _stored_files(root) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in root.rglob("*") if p.is_file()]


def test_an_upload_sent_twice_makes_one_document_and_keeps_one_file(
    team, case, client_for, tmp_path
):
    client = client_for(team.ib)
    page = client.get(f"/casussen/{case.pk}/")
    token = page.context["document_form"]["form_token"].value()
    assert f'type="hidden" name="form_token" value="{token}"' in page.content.decode()
    for _ in range(2):  # the back button, or a resend after a network error
        response = client.post(
            f"/casussen/{case.pk}/document/",
            {"file": SimpleUploadedFile("verslag.pdf", PDF), "form_token": token},
        )
        assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert case.events.filter(kind="document").count() == 1
    assert _stored_files(tmp_path) == [document.file.path]


def test_an_upload_that_lost_the_race_deletes_its_file(team, case, tmp_path, monkeypatch):
    """Both sends got past the look-up before either was saved: the second finds the first
    document when its insert fails, and its own copy of the file is deleted again."""
    import uuid

    from schoolzorg.lib import formtokens

    token = uuid.uuid4()
    first = services.add_document(
        case,
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=team.ib,
        max_bytes=10_000,
        form_token=token,
    )
    look_up = formtokens.sent_before
    calls = []

    def missed_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return None if len(calls) == 1 else look_up(*args, **kwargs)

    monkeypatch.setattr(formtokens, "sent_before", missed_once)
    again = services.add_document(
        case,
        upload=SimpleUploadedFile("a.pdf", PDF),
        by=team.ib,
        max_bytes=10_000,
        form_token=token,
    )
    assert again == first
    assert CaseDocument.objects.count() == 1
    assert case.events.filter(kind="document").count() == 1
    assert _stored_files(tmp_path) == [first.file.path]


def test_the_size_limit_is_read_out_with_the_file_field(team, case, client_for, settings):
    """Tester X16: "Hoogstens 10 MB" was a loose paragraph, not in the field's aria-describedby."""
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    page = client_for(team.ib).get(f"/casussen/{case.pk}/").content.decode()
    field = page.split('type="file"', 1)[1].split(">", 1)[0]
    assert 'aria-describedby="id_file_helptext"' in field
    help_text = page.split('id="id_file_helptext">', 1)[1].split("</p>", 1)[0]
    assert help_text == (
        "PDF, JPG, PNG of Word (.docx), hoogstens 10 MB. "
        "Het bestand is alleen te openen voor wie deze casus mag zien."
    )
