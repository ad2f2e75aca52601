"""A document's title: from a PDF's metadata, else its first page's heading, before its file name."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from balise.documents import parse

ROOT = Path(__file__).resolve().parents[2]
# ../shared next to the checkout, or next to the folder of worktrees
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.exists()), None)
DELIBERATION = (SHARED / "data/corpus/montpellier/pdf/2014-04-24-0000071251.pdf") if SHARED else None


def _pdf(*lines: tuple[int, str], title: str = "") -> bytes:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.add_page()
    for size, text in lines:
        pdf.set_font("helvetica", size=size)
        pdf.multi_cell(0, size / 2, new_x="LMARGIN", new_y="NEXT", text=text)
    return bytes(pdf.output())


BODY = "Le service des travaux publics entretient les rues et les parcs de la ville toute l'année. " * 4


@pytest.mark.skipif(DELIBERATION is None or not DELIBERATION.exists(), reason="needs ../shared/data")
def test_a_deliberation_without_metadata_is_named_by_its_subject_not_its_file() -> None:
    assert DELIBERATION is not None
    parsed = parse(DELIBERATION.read_bytes(), DELIBERATION.name)
    assert parsed.title == (
        "Modalités et conditions de remboursement des frais de déplacement des agents territoriaux "
        "et des élus"
    )


def test_the_first_heading_names_a_pdf_without_a_title() -> None:
    data = _pdf((10, "Ville de Lac-Clair"), (20, "Horaire des collectes 2026"), (11, BODY))
    assert parse(data, "scan-0001.pdf").title == "Horaire des collectes 2026"


def test_the_metadata_title_comes_first_and_the_file_name_last() -> None:
    titled = _pdf((20, "Horaire des collectes 2026"), (11, BODY), title="Calendrier officiel")
    assert parse(titled, "scan-0001.pdf").title == "Calendrier officiel"
    plain = _pdf((11, "Avis public."), (11, BODY))  # no heading: nothing is larger than the text
    assert parse(plain, "avis-2026-03.pdf").title == "avis-2026-03"
