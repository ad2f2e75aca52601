"""The 123 real council deliberations of Montpellier: every file is read, every chunk on its true page."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from balise.documents.chunking import chunk_document
from balise.documents.reading import parse

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "corpus" / "montpellier" / "pdf"
PDFS = sorted(CORPUS.glob("*.pdf"))


def _squeezed(text: str) -> str:
    """Text without whitespace or hyphens, so that line joins and de-hyphenation do not matter."""
    return re.sub(r"[\s\-]+", "", text)


@pytest.mark.skipif(len(PDFS) != 123, reason="needs ../shared/data/corpus/montpellier")
def test_every_chunk_of_the_123_deliberations_is_on_its_pypdf_page() -> None:
    pages = 0
    for path in PDFS:
        parsed = parse(path)
        reader = pypdf.PdfReader(path)
        assert [p.number for p in parsed.pages] == list(range(1, len(reader.pages) + 1)), path.name
        truth = [_squeezed(page.extract_text() or "") for page in reader.pages]
        chunks = chunk_document(parsed)
        assert chunks, path.name
        for chunk in chunks:
            assert chunk.page is not None
            assert _squeezed(chunk.text) in truth[chunk.page - 1], (path.name, chunk.page)
            assert parsed.text[chunk.char_start : chunk.char_end] == chunk.text
        assert {c.page for c in chunks} == {p.number for p in parsed.pages if p.text.strip()}
        pages += len(reader.pages)
    assert pages == 211
