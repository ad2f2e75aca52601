"""Every supported format is read with its structure; every refused file says why."""

from __future__ import annotations

import email.message
from pathlib import Path

import pytest

from balise.config import get_settings
from balise.documents.chunking import chunk_document
from balise.documents.reading import UnreadableDocument, parse
from tests.documents.samples import DEMO, encrypted_pdf, make_docx, make_odt, zip_bomb


def test_docx_headings_come_from_styles() -> None:
    data = make_docx(
        [(1, "Collecte des déchets"), (None, "Le lundi."), (2, "Recyclage"), (None, "Le mercredi.")],
        title="Guide des collectes",
    )
    parsed = parse(data, "guide.docx")
    assert parsed.title == "Guide des collectes"
    assert [(h.level, h.text) for h in parsed.pages[0].headings] == [
        (1, "Collecte des déchets"),
        (2, "Recyclage"),
    ]
    paths = [c.heading_path for c in chunk_document(parsed)]
    assert paths == [
        "Guide des collectes > Collecte des déchets",
        "Guide des collectes > Collecte des déchets > Recyclage",
    ]


def test_odt_headings_come_from_outline_levels() -> None:
    parsed = parse(
        make_odt([(1, "Bruit"), (None, "Pas de bruit après 22 h."), (2, "Chantiers"), (None, "7 h à 19 h.")]),
        "nuisances.odt",
    )
    assert [(h.level, h.text) for h in parsed.pages[0].headings] == [(1, "Bruit"), (2, "Chantiers")]
    assert "Pas de bruit après 22 h." in parsed.text


def test_html_keeps_h1_to_h6_and_drops_navigation() -> None:
    html = (
        "<html lang='fr'><head><title>Permis</title></head><body><nav>Menu</nav>"
        "<h1>Permis</h1><p>Un permis est requis.</p><h2>Tarifs</h2><ul><li>50 $</li><li>100 $</li></ul>"
        "<script>var x = 1;</script><footer>Pied</footer></body></html>"
    )
    parsed = parse(html.encode(), "permis.html")
    assert parsed.title == "Permis"
    assert [h.text for h in parsed.pages[0].headings] == ["Permis", "Tarifs"]
    assert "Menu" not in parsed.text and "var x" not in parsed.text and "Pied" not in parsed.text
    assert "50 $" in parsed.text


def test_markdown_headings_and_plain_text() -> None:
    parsed = parse(
        "# Taxes\n\nPayez en **quatre** versements.\n\n## Retards\n\nIntérêt de 10 %.\n".encode(), "taxes.md"
    )
    assert parsed.title == "Taxes"
    assert "Payez en quatre versements." in parsed.text
    assert [h.text for h in parsed.pages[0].headings] == ["Taxes", "Retards"]


def test_text_in_a_legacy_encoding_is_decoded() -> None:
    parsed = parse(
        "Hôtel de ville : ouvert du lundi au vendredi, fermé les jours fériés.".encode("cp1252"), "a.txt"
    )
    assert "Hôtel de ville" in parsed.text


def test_email_keeps_subject_senders_and_body() -> None:
    message = email.message.EmailMessage()
    message["From"] = "Simon Côté <simon@exemple.ca>"
    message["To"] = "info@ville.exemple.ca"
    message["Subject"] = "Bruit du chantier"
    message.set_content("Les travaux commencent à 6 h.")
    parsed = parse(message.as_bytes(), "plainte.eml")
    assert parsed.title == "Bruit du chantier"
    assert "simon@exemple.ca" in parsed.text and "Les travaux commencent à 6 h." in parsed.text


def test_pdf_is_page_aware_and_scanned_pages_go_through_ocr() -> None:
    parsed = parse(DEMO / "reglement-2025-03-permis-renovation.pdf")
    assert [p.number for p in parsed.pages] == [1, 2, 3]
    assert "Article 4" in parsed.pages[1].text
    scanned = parse(DEMO / "avis-public-pont-numerise.pdf")
    assert scanned.ocr_pages == (1,)
    assert "pont du Ruisseau" in scanned.text


@pytest.mark.parametrize("path", sorted(p for p in DEMO.iterdir() if p.suffix != ".py"), ids=lambda p: p.name)
def test_every_demo_file_parses_in_french(path: Path) -> None:
    parsed = parse(path)
    assert parsed.language == "fr"
    assert chunk_document(parsed)


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "vide.pdf", "empty"),
        (b"MZ\x90\x00binary", "outil.exe", "not supported"),
        (b"PK\x03\x04 this is not a zip", "abime.docx", "damaged"),
        (b"not a pdf at all", "faux.pdf", "not a valid PDF"),
        (b"%PDF-1.7\n garbage", "tronque.pdf", "damaged"),
        (zip_bomb(), "bombe.odt", "zip bomb"),
        (zip_bomb("word/document.xml"), "bombe.docx", "zip bomb"),
        (encrypted_pdf(), "protege.pdf", "password"),
        (b"   \n\n  ", "blanc.txt", "no text"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, filename: str, reason: str) -> None:
    with pytest.raises(UnreadableDocument) as refused:
        parse(data, filename)
    assert reason in refused.value.message
    assert str(refused.value)  # translated into French, with the file name filled in


def test_files_over_the_size_limit_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
    big = tmp_path / "gros.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    with pytest.raises(UnreadableDocument, match="limite"):
        parse(big)


def test_a_scan_without_ocr_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(UnreadableDocument, match="tesseract-ocr-fra"):
        parse(DEMO / "avis-public-pont-numerise.pdf")
