"""PDF tables: columns sized to their content, no date or word cut while the table fits, and
every column on the page when it cannot fit (`lib.pdf.html_to_pdf`)."""

from __future__ import annotations

import re
import shutil
import subprocess

from django.template.loader import render_to_string

from conftest import pdf_text
from schoolzorg.lib.pdf import html_to_pdf

# A4 with 2 cm margins, in points (what pdftotext -bbox reports).
_PAGE_RIGHT = 595.28 - 56.69


def _pdf(rows: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f'<tr><td>{name}</td><td>{role}</td><td>{why}</td><td class="num">12</td>'
        '<td class="date">14-11-2026</td><td class="date">28-11-2026</td></tr>'
        for name, role, why in rows
    )
    return html_to_pdf(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Test</title>'
        "<style>@page { size: A4; margin: 2cm; } body { font-family: 'DejaVu Sans'; }"
        " th, td { border: 1px solid #999; padding: 4px 6px; font-size: 10pt; }</style>"
        f"{render_to_string('includes/pdf_tables.html')}</head><body><table><thead><tr>"
        '<th scope="col">Naam</th><th scope="col">Rol en organisatie</th>'
        '<th scope="col">Waarom</th><th scope="col" class="num">Hoe vaak</th>'
        '<th scope="col">Eerste keer</th><th scope="col">Laatste keer</th></tr></thead>'
        f"<tbody>{body}</tbody></table></body></html>"
    )


def _rightmost_word(pdf: bytes) -> float:
    pdftotext = shutil.which("pdftotext")  # poppler-utils
    assert pdftotext, "pdftotext (poppler-utils) is needed for this test"
    boxes = subprocess.run(  # noqa: S603 - a fixed tool on our own PDF
        [pdftotext, "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))


ROLES = [
    ("Petra de Graaf", "Intern begeleider / zorgcoördinator, De Regenboog", "werkt op de school"),
    ("Dennis Meijer", "Jeugdverpleegkundige, CJG Waterstede", "er is toestemming om uw kind"),
    ("Peter Bouzid", "Schoolmaatschappelijk werker, SMW Waterstede", "werkt op de school"),
    (
        "Hamid van Leeuwen",
        "Schoolcontactpersoon samenwerkingsverband, Passend Onderwijs Waterstede",
        "controle door de privacyfunctionaris",
    ),
]


def test_columns_fit_their_content_so_no_date_or_word_is_cut() -> None:
    pdf = _pdf(ROLES)
    text = pdf_text(pdf)
    assert text.count("14-11-2026") == 4 and text.count("28-11-2026") == 4
    for word in (
        "Jeugdverpleegkundige,",
        "Schoolmaatschappelijk",
        "Schoolcontactpersoon",
        "samenwerkingsverband,",
        "zorgcoördinator,",
        "privacyfunctionaris",
        "Eerste",
        "Laatste",
    ):
        assert word in text, word
    assert _rightmost_word(pdf) <= _PAGE_RIGHT


def test_a_word_wider_than_the_page_breaks_in_its_own_cell_only() -> None:
    junk = "Gemeentelijkegezondheidsdienst" * 4
    pdf = _pdf([*ROLES, ("Matrix nurse", f"Jeugdverpleegkundige, {junk}", "noodtoegang")])
    assert _rightmost_word(pdf) <= _PAGE_RIGHT  # every column is on the page
    text = pdf_text(pdf)
    assert "".join(pdf_text(pdf, layout=False).split()).count(junk) == 1  # every letter
    assert junk not in text  # over several lines
    assert text.count("14-11-2026") == 5 and text.count("28-11-2026") == 5
    for word in ("Jeugdverpleegkundige,", "Schoolcontactpersoon", "samenwerkingsverband,"):
        assert word in text, word


def test_many_long_words_in_several_columns_fit_the_page_in_a_few_layouts(monkeypatch) -> None:
    from weasyprint import HTML

    from schoolzorg.lib import pdf as module

    layouts = []
    render = HTML.render
    monkeypatch.setattr(HTML, "render", lambda *a, **k: layouts.append(1) or render(*a, **k))
    rows = [
        (f"Naam{'n' * (20 + 7 * i)}", f"Rol{'r' * (30 + 11 * i)}", "x" * (25 + i))
        for i in range(12)
    ]
    pdf = _pdf(rows)
    assert _rightmost_word(pdf) <= _PAGE_RIGHT
    assert len(layouts) <= 1 + module._PASSES
    assert pdf_text(pdf).count("14-11-2026") == 12
