"""Chunking keeps what citations need: exact offsets, pages, heading paths, whole sentences."""

from __future__ import annotations

import itertools
import re

from balise.documents.chunking import chunk_document, chunk_text
from balise.documents.pages import Heading, ParsedDocument, ParsedPage

SENTENCE = "La collecte des bacs bleus a lieu chaque mercredi matin dans tous les secteurs de la ville. "


def test_a_short_paragraph_is_one_chunk_titled_with_the_document() -> None:
    (chunk,) = chunk_text("Les bacs sont ramassés le lundi.", title="Collecte", page=4)
    assert chunk.text == "Les bacs sont ramassés le lundi."
    assert (chunk.page, chunk.heading_path, chunk.char_start, chunk.char_end) == (4, "Collecte", 0, 32)


def test_offsets_point_into_the_text_and_chunks_respect_the_size() -> None:
    text = "Premier paragraphe.\n\n" + SENTENCE * 40 + "\n\n" + "Dernier paragraphe, court."
    chunks = chunk_text(text, title="T", max_chars=500, overlap=100)
    assert len(chunks) > 5
    for chunk in chunks:
        assert text[chunk.char_start : chunk.char_end] == chunk.text
        assert len(chunk.text) <= 500
    assert chunks[-1].text.endswith("Dernier paragraphe, court.")


def test_long_paragraphs_are_cut_between_sentences_with_overlap() -> None:
    text = SENTENCE * 30
    chunks = chunk_text(text.strip(), title="T", max_chars=400, overlap=120)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith("La collecte")
        assert chunk.text.endswith("ville.")
    assert all(b.char_start < a.char_end for a, b in itertools.pairwise(chunks))  # overlap


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = ("Selon l'art. 3 du règlement, M. Tremblay doit déposer sa demande. " * 20).strip()
    chunks = chunk_text(text, title="T", max_chars=300, overlap=0)
    assert len(chunks) >= len(text) // 300  # the text is cut, so there are sentence ends to check
    for chunk in chunks:
        assert not re.search(r"(art\.|M\.)$", chunk.text)
        assert chunk.text.endswith("demande.")


def test_words_longer_than_a_chunk_are_still_cut() -> None:
    text = "x" * 2500
    chunks = chunk_text(text, title="T", max_chars=1000)
    assert [len(c.text) for c in chunks] == [1000, 1000, 500]


def test_headings_give_paths_and_pages_are_kept_across_the_document() -> None:
    page_one = (
        "Règlement\nPréambule du règlement.\n\nChapitre 1\n\nArticle 1\nTexte 1.\n\nArticle 2\nTexte 2."
    )
    headings = (
        Heading(1, "Règlement", 0),
        Heading(2, "Chapitre 1", page_one.index("Chapitre 1")),
        Heading(3, "Article 1", page_one.index("Article 1")),
        Heading(3, "Article 2", page_one.index("Article 2")),
    )
    parsed = ParsedDocument(
        title="Règlement",
        pages=[ParsedPage(1, page_one, headings), ParsedPage(2, "Suite de l'article 2.")],
    )
    chunks = chunk_document(parsed)
    assert [(c.page, c.heading_path) for c in chunks] == [
        (1, "Règlement"),
        (1, "Règlement > Chapitre 1 > Article 1"),  # a heading alone joins the next section
        (1, "Règlement > Chapitre 1 > Article 2"),
        (2, "Règlement > Chapitre 1 > Article 2"),  # the path carries over the page break
    ]
    assert chunks[1].text.startswith("Chapitre 1")
    for chunk in chunks:
        assert parsed.text[chunk.char_start : chunk.char_end] == chunk.text


def test_blank_text_gives_no_chunk() -> None:
    assert chunk_text("  \n\n ", title="T") == []
