"""The memento's files read back: the Word document with python-docx, the PDF with pypdf."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from pypdf import PdfReader

from balise import memento
from balise.formatting import day
from balise.i18n import use_locale
from balise.tenancy import Tenant


def _adopted(session, tenant: Tenant) -> memento.MementoVersion:  # type: ignore[no-untyped-def]
    version = memento.generate(session, tenant, actor="test")
    memento.adopt(session, tenant, version, "2026-11-30", actor="test")
    return version


def test_the_blocks_of_a_section() -> None:
    body = "Premier paragraphe\nsur deux lignes.\n\n- un\n- deux\nSuite."
    assert memento.blocks(body) == [
        memento.Block("p", ["Premier paragraphe", "sur deux lignes."]),
        memento.Block("ul", ["un", "deux"]),
        memento.Block("p", ["Suite."]),
    ]


def test_html_docx_and_pdf_carry_the_name_version_date_and_text(make_tenant, scoped) -> None:
    tenant = make_tenant("Ville d’Export")
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        version = _adopted(session, municipality)
        status = f"Ville d’Export, version 1, adoptée le {day(date(2026, 11, 30))}"

        html = memento.html_document(municipality, version)
        assert status in html and "<h2>Directives pour tout le personnel (D1–D4)</h2>" in html
        assert "<li>X1. Évaluer un employé" in html and "<script" not in html

        document = Document(io.BytesIO(memento.docx_document(municipality, version)))
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == "Mémento sur l’utilisation de l’IA générative" and paragraphs[1] == status
        assert "Outils autorisés (D0)" in paragraphs
        bullets = [
            p.text for p in document.paragraphs if p.style is not None and p.style.name == "List Bullet"
        ]
        assert any(b.startswith("X2. Produire une image") for b in bullets)
        assert document.core_properties.version == "1"

        reader = PdfReader(io.BytesIO(memento.pdf_document(municipality, version)))
        text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
        assert "Ville d’Export, version 1" in text
        assert "Conséquences pour le personnel" in text and "Clauses pour les fournisseurs" in text
