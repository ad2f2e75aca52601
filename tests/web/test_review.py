"""Review through the web: every transition, refusals, exports and notifications, as people use them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import yaml
from lxml import etree, html
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.db import open_session
from balise.review import Output, Status, read_custom_properties
from tests.support.web import Member, csrf_of

NOTICE = {
    "information_used": "Adresse du terrain et date de la demande",
    "main_factors": "Le zonage R-2 n’autorise pas les garages doubles",
    "contact": "Marie Tremblay, urbanisme, 418 555-0100",
}


def _submit(member: Member, output_id: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_of(member.client), "purpose": "public", **fields}
    return member.client.post(f"/resultats/{output_id}/soumettre", data=data, follow_redirects=False)


def _decide(member: Member, output_id: str, decision: str, comment: str = ""):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_of(member.client), "decision": decision, "comment": comment}
    return member.client.post(f"/revision/{output_id}/decision", data=data, follow_redirects=False)


def _status(engine, output_id: str) -> str:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        output = session.get(Output, output_id)
        assert output is not None
        return output.status


def test_my_results_lists_outputs_and_the_output_page_offers_submission(make_member, make_output):
    author = make_member("employee")
    output = make_output(author, text="Avis : collecte des feuilles le 3 novembre.")
    listing = author.client.get("/resultats")
    assert listing.status_code == 200
    assert "collecte des feuilles" in listing.text and "Brouillon" in listing.text
    page = author.client.get(f"/resultats/{output.id}")
    assert "Soumettre pour révision" in page.text
    assert (
        "Texte produit avec l’aide de l’IA générative (modèle extractif, le 20 novembre 2026)." in page.text
    )


def test_submit_request_changes_resubmit_edit_approve_and_export(engine, make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author, purpose="public", text="Le parc ouvre à 8 h.")
    assert author.client.get(f"/resultats/{output.id}/export.md").status_code == 409

    due = (date.today() + timedelta(days=2)).isoformat()
    assert _submit(author, output.id, due_date=due, reviewer_id=reviewer.user.id).status_code == 303
    assert _status(engine, output.id) == Status.SUBMITTED
    queue = reviewer.client.get("/revision")
    assert f"/revision/{output.id}" in queue.text
    assert "Non lues : 1" in reviewer.client.get("/notifications").text

    refused = _decide(reviewer, output.id, "request_changes")
    assert refused.status_code == 422 and "Expliquez votre décision" in refused.text
    assert _decide(reviewer, output.id, "request_changes", "Précisez l’horaire.").status_code == 303
    assert _status(engine, output.id) == Status.CHANGES_REQUESTED
    assert "Des modifications ont été demandées" in author.client.get("/notifications").text

    edit = {"csrf_token": csrf_of(author.client), "text": "Le parc ouvre à 8 h, tous les jours."}
    assert (
        author.client.post(f"/resultats/{output.id}/texte", data=edit, follow_redirects=False).status_code
        == 303
    )
    assert _submit(author, output.id, reviewer_id=reviewer.user.id).status_code == 303

    edit = {"csrf_token": csrf_of(reviewer.client), "text": "Le parc ouvre à 7 h, tous les jours."}
    response = reviewer.client.post(f"/resultats/{output.id}/texte", data=edit, follow_redirects=False)
    assert response.headers["location"] == f"/revision/{output.id}"
    review_page = html.fromstring(reviewer.client.get(f"/revision/{output.id}").text)
    assert [d.text_content() for d in review_page.iter("del")] == ["[supprimé : 8]"]
    assert [i.text_content() for i in review_page.iter("ins")] == ["[ajouté : 7]"]

    comment = {"csrf_token": csrf_of(reviewer.client), "body": "Vérifié avec le service des parcs."}
    reviewer.client.post(f"/resultats/{output.id}/commentaires", data=comment)
    assert _decide(reviewer, output.id, "approve").status_code == 303
    assert _status(engine, output.id) == Status.APPROVED

    markdown = author.client.get(f"/resultats/{output.id}/export.md")
    assert markdown.status_code == 200
    front = yaml.safe_load(markdown.text.split("---\n")[1])
    assert front["review_status"] == "approved"
    assert front["reviewed_by"] == reviewer.user.display_name
    assert front["digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert front["output_id"] == output.id and front["model"] == "extractif"
    assert "Le parc ouvre à 7 h, tous les jours." in markdown.text
    assert f"Révisé et approuvé par {reviewer.user.display_name}." in markdown.text

    with open_session(engine) as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_id == output.id).order_by(AuditEntry.seq)
        ).all()
        details = session.scalars(select(AuditEntry.details).where(AuditEntry.target_id == output.id)).all()
    assert actions == [
        "review.saved",
        "review.submitted",
        "review.changes_requested",
        "review.edited",
        "review.submitted",
        "review.edited",
        "review.commented",
        "review.approved",
        "review.exported",
    ]
    assert all("Le parc" not in str(d) for d in details)


def test_the_author_cannot_approve_their_own_output(engine, make_member, make_output):
    author = make_member("reviewer")
    output = make_output(author, purpose="public")
    assert _submit(author, output.id).status_code == 303
    refused = _decide(author, output.id, "approve")
    assert refused.status_code == 403
    assert "Vous ne pouvez pas approuver" in refused.text
    assert _status(engine, output.id) == Status.SUBMITTED
    assert author.client.get(f"/resultats/{output.id}/export.docx").status_code == 409
    assert f"/revision/{output.id}" not in author.client.get("/revision").text


def test_export_is_refused_before_approval_with_a_french_message(make_member, make_output):
    author = make_member("employee")
    output = make_output(author, purpose="decision")
    for fmt in ("md", "docx"):
        response = author.client.get(f"/resultats/{output.id}/export.{fmt}")
        assert response.status_code == 409
        assert "doit l’approuver avant" in response.text
    api = author.client.get(f"/resultats/{output.id}/export.md", headers={"accept": "application/json"})
    assert api.json()["error"] == "not_approved"


def test_rejected_output_cannot_be_exported(engine, make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author, purpose="internal")
    assert author.client.get(f"/resultats/{output.id}/export.md").status_code == 200  # internal draft
    _submit(author, output.id, purpose="internal")
    assert _decide(reviewer, output.id, "reject", "Informations périmées.").status_code == 303
    assert _status(engine, output.id) == Status.REJECTED
    response = author.client.get(f"/resultats/{output.id}/export.docx")
    assert response.status_code == 409 and "rejeté" in response.text
    assert "Votre résultat a été rejeté." in author.client.get("/notifications").text


def test_decision_output_needs_the_notice_and_exports_it_in_french_and_english(
    engine, make_member, make_output
):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author, purpose="decision", text="La demande de permis est refusée.")
    missing = _submit(author, output.id, purpose="decision")
    assert missing.status_code == 422 and "art. 65.2" in missing.text
    assert _status(engine, output.id) == Status.DRAFT
    assert _submit(author, output.id, purpose="decision", **NOTICE).status_code == 303
    page = reviewer.client.get(f"/revision/{output.id}").text
    assert "Le zonage R-2 n’autorise pas les garages doubles" in page
    assert "droit de faire rectifier" in page
    _decide(reviewer, output.id, "approve")

    markdown = author.client.get(f"/resultats/{output.id}/export.md").text
    assert "Renseignements personnels utilisés : Adresse du terrain" in markdown
    assert "Personal information used: Adresse du terrain" in markdown
    assert "Marie Tremblay, urbanisme" in markdown

    data = author.client.get(f"/resultats/{output.id}/export.docx").content
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "La demande de permis est refusée." in body
    assert "Révisé et approuvé par" in body
    assert "droit de faire rectifier" in body and "right to have the personal information" in body


def test_docx_custom_properties_are_a_proper_package_part(make_member, make_output):
    author = make_member("employee")
    output = make_output(author, text="Note interne.\n\nDeuxième paragraphe.")
    response = author.client.get(f"/resultats/{output.id}/export.docx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
        assert "docProps/custom.xml" in names
        types = package.read("[Content_Types].xml").decode()
        assert 'PartName="/docProps/custom.xml"' in types
        assert "application/vnd.openxmlformats-officedocument.custom-properties+xml" in types
        rels = package.read("_rels/.rels").decode()
        assert "relationships/custom-properties" in rels
        root = etree.fromstring(package.read("docProps/custom.xml"))
    pids = [int(p.get("pid")) for p in root]
    assert min(pids) == 2 and len(set(pids)) == len(pids)
    properties = read_custom_properties(response.content)
    assert properties["balise:ai_generated"] == "true"
    assert properties["balise:output_id"] == output.id
    assert properties["balise:review_status"] == "draft"
    assert properties["balise:digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert "Texte produit avec l’aide de l’IA générative" in properties["balise:disclosure"]


def test_other_people_cannot_see_an_output_and_employees_have_no_queue(make_member, make_output):
    author = make_member("employee")
    other = make_member("manager", tenant=author.tenant)
    output = make_output(author)
    assert other.client.get(f"/resultats/{output.id}").status_code == 404
    assert other.client.get(f"/resultats/{output.id}/export.md").status_code == 404
    assert author.client.get("/revision").status_code == 403


def test_overdue_outputs_are_marked_in_words(engine, make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author, purpose="public")
    # Due tomorrow, then made overdue: a due date of today would be refused as past if the test
    # ran across midnight, and the output, never submitted, would not be overdue either.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert _submit(author, output.id, due_date=tomorrow).status_code == 303
    with open_session(engine) as session:
        row = session.get(Output, output.id)
        assert row is not None
        row.due_date = date.today() - timedelta(days=1)
        session.commit()
    assert "En retard" in reviewer.client.get("/revision").text
    assert "En retard" in author.client.get("/resultats").text


def test_notifications_can_be_marked_read(make_member, make_output):
    author = make_member("employee")
    reviewer = make_member("reviewer", tenant=author.tenant)
    output = make_output(author)
    _submit(author, output.id, purpose="internal")
    page = reviewer.client.get("/notifications").text
    assert "Un résultat a été soumis à votre révision." in page and "Non lues : 1" in page
    reviewer.client.post("/notifications/lues", data={"csrf_token": csrf_of(reviewer.client)})
    assert "Non lues : 0" in reviewer.client.get("/notifications").text
