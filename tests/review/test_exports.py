"""Exports: HTML carried from documents never runs, and the [n] markers keep their sources."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document as WordDocument

from balise.i18n import use_locale
from balise.review import build_disclosure, export_docx, export_markdown
from balise.review.models import Output
from balise.tenancy import Tenant

TEXT = (
    "Le stationnement est interdit la nuit [1]. <img src=x onerror=alert(document.cookie)>\n\n"
    "Le déneigement commence à 2 h [2]."
)
SOURCES = [
    {"document_id": "d1", "title": "Règlement 2024-12", "page": 2},
    {"document_id": "d2", "title": "Avis de déneigement", "page": None},
]


def _output() -> Output:
    return Output(
        id="o1",
        tenant_id="t1",
        author_id="u1",
        task="ask",
        text=TEXT,
        purpose="internal",
        status="approved",
        provenance={"sources": SOURCES, "masked": {}},
    )


def _disclosure():  # type: ignore[no-untyped-def]
    tenant = Tenant(id="t1", slug="ville", name="Ville", locale="fr")
    return build_disclosure(tenant, model="extractif", backend_kind="extractive", at=datetime.now(UTC))


def test_markdown_escapes_raw_html_and_lists_the_sources() -> None:
    with use_locale("fr"):
        markdown = export_markdown(_output(), _disclosure())
    assert "<img" not in markdown
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in markdown
    assert "[1] Règlement 2024-12, page 2" in markdown and "[2] Avis de déneigement" in markdown


def test_word_export_lists_the_sources_of_its_markers() -> None:
    with use_locale("fr"):
        data = export_docx(_output(), _disclosure())
    paragraphs = [p.text for p in WordDocument(io.BytesIO(data)).paragraphs]
    assert "Sources" in paragraphs
    assert "[1] Règlement 2024-12, page 2" in paragraphs and "[2] Avis de déneigement" in paragraphs


def test_an_output_awaiting_review_is_refused_with_what_to_wait_for() -> None:
    import pytest

    from balise.review.service import NotApproved, ensure_exportable

    output = _output()
    output.purpose, output.status = "public", "submitted"
    with pytest.raises(NotApproved) as refused, use_locale("fr"):
        ensure_exportable(output, Tenant(settings={}))
    message = refused.value.localized()
    assert "Soumettez-le" not in message and "attend" in message


def test_markdown_drops_remote_images_and_unlinks_other_hosts() -> None:
    """A tracking pixel in a reviewed text must not load when the export is opened in a reader."""
    output = _output()
    output.text = (
        "Voir ![](https://pixel.example/t.gif?u=42) et [le règlement](https://ailleurs.example/r) "
        "ou [notre page](https://balise.ville.example/public/ville/transparence) "
        "ou [la section](#deneigement), [![logo](http://cdn.example/l.png)](javascript:alert(1)), "
        "![pixel][p] [lien][l]\n\n[p]: https://pixel.example/ref.gif\n[l]: //ailleurs.example/x\n"
    )
    output.provenance = {"sources": [{"title": "[Piège](https://ailleurs.example/t)", "page": 1}]}
    with use_locale("fr"):
        exported = export_markdown(output, _disclosure(), own_host="balise.ville.example")
    markdown = exported.split("\n---\n", 1)[1]  # the rendered part, after the YAML front matter
    assert "pixel.example" not in markdown and "cdn.example" not in markdown
    assert "ailleurs.example" not in markdown and "javascript" not in markdown
    assert "le règlement" in markdown and "[1] Piège, page 1" in markdown
    assert "[notre page](https://balise.ville.example/public/ville/transparence)" in markdown
    assert "[la section](#deneigement)" in markdown
