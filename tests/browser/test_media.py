"""Recordings and images as the demo's employee finds them: the worked examples `balise demo` adds,
a transcript's citation opening the recording at its time, an image's provenance verified by upload.
axe-core on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from balise.db import open_session
from balise.documents import Chunk
from balise.media import Recording
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def test_the_demo_recording_plays_from_a_cited_time(page, server_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/enregistrements")
    page.get_by_role("link", name=re.compile("Exemple — séance du conseil")).click()
    page.wait_for_url(re.compile(r".*/enregistrements/[0-9a-f]+$"))
    check_accessibility(page)
    assert "pas par un modèle" in page.locator("main").inner_text()
    times = page.locator("ol.transcript a")
    assert times.count() == 5
    assert re.search(r"#t=\d+$", times.nth(2).get_attribute("href") or "")
    with open_session(server_engine) as session:
        recording = session.scalars(select(Recording).where(Recording.example.is_(True))).one()
        chunk_id = session.scalars(select(Chunk.id).where(Chunk.document_id == recording.document_id)).first()
    quote = "Les travaux commencent au printemps et la piscine rouvre en juillet."
    visit(page, f"/sources/{chunk_id}?citation={quote}")
    audio = page.locator("audio")
    assert re.search(r"/enregistrements/[0-9a-f]+/audio#t=[1-9]\d*$", audio.get_attribute("src") or "")
    # The recording is served with byte ranges, so the player can start at the cited time.
    response = page.request.get(f"/enregistrements/{recording.id}/audio", headers={"Range": "bytes=0-99"})
    assert response.status == 206 and len(response.body()) == 100


def test_the_demo_image_and_the_verification_page(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/images")
    page.get_by_role("link", name=re.compile("Exemple de démonstration")).click()
    page.wait_for_url(re.compile(r".*/images/[0-9a-f]+$"))
    check_accessibility(page)
    text = page.locator("main").inner_text()
    assert "La signature est valide" in text and "algorithmicMedia" in text
    image_url = page.get_by_role("link", name=re.compile("Télécharger")).get_attribute("href") or ""
    saved = tmp_path / "exemple.png"
    saved.write_bytes(page.request.get(image_url).body())
    visit(page, "/images/verifier")
    page.get_by_label("Image", exact=True).set_input_files(str(saved))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/images/verifier")
    check_accessibility(page)
    assert "La signature est valide" in page.locator("main").inner_text()
