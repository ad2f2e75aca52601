"""The pilot's pages: managers only, a process mapped then redesigned and measured after, the review
saved and exported, its communications drafted, approved and the residents' one published on the
transparency page."""

from __future__ import annotations

import io

from docx import Document
from pypdf import PdfReader

from tests.support.web import Member, csrf_of


def _post(member: Member, path: str, **data: str):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False
    )


def test_only_managers_reach_the_pilot_pages(make_member) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    employee = make_member("employee", tenant=manager.tenant)
    officer = make_member("privacy_officer", tenant=manager.tenant)
    for path in ("/gouvernance/processus", "/gouvernance/bilan", "/gouvernance/bilan/export"):
        assert manager.client.get(path).status_code == 200
        assert employee.client.get(path).status_code == 403
        assert officer.client.get(path).status_code == 403
    assert _post(employee, "/gouvernance/processus", name="x").status_code == 403


def test_a_process_measured_before_and_after_and_the_review_exported(make_member) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    form = {
        "name": "Réponses aux permis",
        "service": "Urbanisme",
        "minutes_before": "30",
        "occurrences": "40",
    }
    refused = _post(manager, "/gouvernance/processus", **{**form, "minutes_before": "trente"})
    assert refused.status_code == 422 and "doit être un nombre" in refused.text
    assert 'value="trente"' in refused.text  # the form shown again with what was typed
    added = _post(manager, "/gouvernance/processus", **form)
    assert added.status_code == 303
    process_id = added.headers["location"].split("#processus-")[1]
    page = manager.client.get("/gouvernance/processus")
    assert "Réponses aux permis" in page.text and "Pas encore repensé." in page.text
    assert "Les chiffres de Balise sur la période : 0 requêtes" in page.text
    after = {**form, "redesign": "Fiches par type de demande.", "minutes_after": "15"}
    assert _post(manager, f"/gouvernance/processus/{process_id}", **after).status_code == 303
    page = manager.client.get("/gouvernance/processus")
    assert "10 gagnées" in page.text  # (30 − 15) × 40 minutes = 10 hours a month

    saved = _post(manager, "/gouvernance/bilan", challenges="Écrire les fiches.", issued_on="2026-12-01")
    assert saved.status_code == 303
    review = manager.client.get("/gouvernance/bilan")
    assert "Écrire les fiches." in review.text and "Fiches par type de demande." in review.text

    docx = manager.client.get("/gouvernance/bilan/export?format=docx")
    assert docx.headers["content-disposition"].endswith('.docx"')
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Écrire les fiches." in paragraphs
    pdf = manager.client.get("/gouvernance/bilan/export?format=pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", " ")
    assert "Réponses aux permis" in text
    assert manager.client.get("/gouvernance/bilan/export?format=odt").status_code == 422


def test_the_residents_communication_is_published_once_approved(make_member) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    public = f"/public/{manager.tenant.slug}/transparence"
    assert _post(manager, "/gouvernance/bilan/communications/population/rediger").status_code == 303
    refused = _post(manager, "/gouvernance/bilan/communications/population/publier")
    assert refused.status_code == 422 and "approuvé par un gestionnaire" in refused.text
    assert "Résultats du projet pilote" not in manager.client.get(public).text
    body = "La municipalité a simplifié deux démarches."
    assert (
        _post(manager, "/gouvernance/bilan/communications/population/enregistrer", body=body).status_code
        == 303
    )
    assert _post(manager, "/gouvernance/bilan/communications/population/approuver").status_code == 303
    assert _post(manager, "/gouvernance/bilan/communications/population/publier").status_code == 303
    page = manager.client.get(public).text
    assert "Résultats du projet pilote" in page and body in page
    assert _post(manager, "/gouvernance/bilan/communications/voisins/rediger").status_code == 404
    assert _post(manager, "/gouvernance/bilan/communications/personnel/effacer").status_code == 422


def test_a_communication_is_drafted_by_the_drafting_task_and_kept_among_the_managers_results(
    make_member, engine
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from balise.db import tenant_session
    from balise.review import Output

    manager: Member = make_member("manager")
    assert _post(manager, "/gouvernance/bilan/communications/population/rediger").status_code == 303
    page = manager.client.get("/gouvernance/bilan").text
    # No generative model here: the drafting task gives its press-release template around the figures.
    assert "COMMUNIQUÉ — POUR DIFFUSION IMMÉDIATE" in page
    with tenant_session(manager.tenant.id, engine) as session:
        drafts = session.scalars(select(Output).where(Output.author_id == manager.user.id)).all()
    assert [(o.task, o.provenance.get("nature")) for o in drafts] == [("draft", "draft:press_release")]
