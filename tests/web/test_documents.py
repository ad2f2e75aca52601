"""The document library pages: upload batches, statuses, visibility by role, reclassify, delete."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from balise.audit.models import AuditEntry
from balise.config import get_settings
from balise.db import open_session, tenant_session
from balise.documents import Chunk, Document, submit_files
from balise.search.models import SearchEntry
from tests.documents.samples import DEMO
from tests.support.web import Member, csrf_of
from tests.web.conftest import wait_for_batch

PDF = DEMO / "reglement-2025-03-permis-renovation.pdf"
NOTE = (
    "# Collecte des encombrants\n\n## Calendrier\n\n"
    "La collecte des encombrants a lieu le premier lundi de chaque mois, de mai à octobre.\n"
)


def _upload(member: Member, files: list[tuple[str, bytes]], **form: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_of(member.client), "classification": "internal", **form}
    return member.client.post(
        "/documents", data=data, files=[("files", (name, content)) for name, content in files]
    )


def _document(engine, tenant_id: str, source: str) -> Document:  # type: ignore[no-untyped-def]
    with tenant_session(tenant_id, engine) as session:
        document = session.scalar(select(Document).where(Document.source == source))
        assert document is not None
        return document


def test_a_batch_with_bad_files_keeps_the_good_ones_and_says_why_each_failed(make_member, engine):
    admin: Member = make_member("admin")
    response = _upload(
        admin,
        [
            ("reglement.pdf", PDF.read_bytes()),
            ("encombrants.md", NOTE.encode()),
            ("vide.txt", b""),
            ("corrompu.pdf", b"ceci n'est pas un PDF"),
        ],
        owner_service="Greffe",
        third_party_copyright="true",
    )
    assert response.status_code == 200, response.text
    assert "Fichiers de votre téléversement" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    fragment = wait_for_batch(admin.client, response.text)
    fragment = fragment[: fragment.index('<section id="library-list"')]  # the upload's files, not the list
    assert "Fichiers traités : 4 sur 4" in fragment
    assert fragment.count("Échec") == 2
    assert "est vide (0 octet)" in fragment
    assert "pas un PDF valide" in fragment

    ready = _document(engine, admin.tenant.id, "encombrants.md")
    assert (ready.status, ready.owner_service, ready.third_party_copyright) == ("ready", "Greffe", True)
    page = admin.client.get("/documents").text
    assert "Collecte des encombrants" in page and "Greffe" in page
    detail = admin.client.get(f"/documents/{ready.id}").text
    assert "Calendrier" in detail and "premier lundi" in detail  # the passage and its heading path
    assert "Matériel protégé par le droit d’auteur de tiers" in detail


def test_without_htmx_the_page_lists_the_batch_and_a_refresh_link(make_member):
    admin: Member = make_member("admin")
    response = _upload(admin, [("a.md", b"# A\n\nUn texte."), ("b.md", b"# B\n\nUn autre texte.")])
    lot = re.search(r"lot=([0-9a-f,]+)", response.text)
    assert lot is not None and len(lot.group(1).split(",")) == 2
    wait_for_batch(admin.client, response.text)
    page = admin.client.get(f"/documents?lot={lot.group(1)}")
    assert "Fichiers traités : 2 sur 2" in page.text
    assert "hx-trigger" not in page.text  # nothing left to poll
    finished = admin.client.get(f"/documents/progression?lot={lot.group(1)}")
    assert finished.status_code == 200  # 286 only tells htmx to stop


def test_a_file_over_the_size_limit_is_refused_in_french_and_the_rest_is_kept(make_member, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
    admin: Member = make_member("admin")
    response = _upload(admin, [("gros.txt", b"a" * (1024 * 1024 + 10)), ("petit.md", b"# Petit\n\nTexte.")])
    assert response.status_code == 200
    assert "gros.txt dépasse la limite de 1 Mo" in response.text
    assert "petit.md" in response.text


def test_upload_checks_classification_role_files_and_csrf(make_member):
    employee: Member = make_member("employee")
    page = employee.client.get("/documents").text
    assert 'value="confidential"' not in page.split("upload-title")[1].split("</form>")[0]
    refused = _upload(employee, [("x.md", b"# X\n\ntexte")], classification="confidential")
    assert refused.status_code == 403 and "Votre rôle peut ajouter des documents classés" in refused.text
    empty = employee.client.post(
        "/documents",
        data={"csrf_token": csrf_of(employee.client), "classification": "internal"},
        files=[("files", ("", b""))],
    )
    assert empty.status_code == 422 and "Choisissez au moins un fichier" in empty.text
    forged = employee.client.post(
        "/documents", data={"classification": "internal"}, files=[("files", ("x.md", b"# X"))]
    )
    assert forged.status_code == 403 and "Rechargez la page" in forged.text


def test_an_employee_cannot_overwrite_a_confidential_document_by_its_file_name(make_member, engine):
    manager: Member = make_member("manager")
    employee: Member = make_member("employee", tenant=manager.tenant)
    _upload(manager, [("note.md", b"# Note\n\nContenu confidentiel.")], classification="confidential")
    response = _upload(employee, [("note.md", b"# Note\n\nAutre contenu.")])
    assert "votre rôle ne permet pas de le remplacer" in response.text
    assert _document(engine, manager.tenant.id, "note.md").classification == "confidential"


def test_roles_only_see_the_classifications_they_may_read(make_member, engine):
    employee: Member = make_member("employee")
    with open_session(engine) as session:
        secret, public = submit_files(
            session,
            employee.tenant.id,
            [("dossier-rh.md", b"# RH\n\nSecret."), ("avis.md", b"# Avis\n\nPublic.")],
            classification="confidential",
        )
        public.classification = "public"
        session.commit()
    # Links, not titles: the inline runner may ingest "avis.md" meanwhile and retitle it "Avis".
    public_link, secret_link = f'href="/documents/{public.id}"', f'href="/documents/{secret.id}"'
    page = employee.client.get("/documents").text
    assert public_link in page and secret_link not in page
    hidden = employee.client.get(f"/documents/{secret.id}")
    assert hidden.status_code == 404 and "n’est pas visible pour votre rôle" in hidden.text
    assert employee.client.get(f"/documents/progression?lot={secret.id}").text.count("<tr>") == 1  # header
    filtered = employee.client.get("/documents?classification=public&q=AVI").text
    assert public_link in filtered
    failed = employee.client.get("/documents?status=failed").text
    assert public_link not in failed and "Aucun document ne correspond" in failed
    assert "Aucun document ne correspond" in employee.client.get("/documents?q=inexistant").text


def test_manager_changes_the_classification_and_everything_follows(make_member, engine):
    manager: Member = make_member("manager")
    employee: Member = make_member("employee", tenant=manager.tenant)
    response = _upload(manager, [("arrosage.md", b"# Arrosage\n\nL'arrosage est permis les jours pairs.")])
    wait_for_batch(manager.client, response.text)
    document = _document(engine, manager.tenant.id, "arrosage.md")
    url = f"/documents/{document.id}/classification"

    denied = employee.client.post(
        url, data={"csrf_token": csrf_of(employee.client), "classification": "public"}
    )
    assert denied.status_code == 403
    too_high = manager.client.post(
        url, data={"csrf_token": csrf_of(manager.client), "classification": "personal"}
    )
    assert too_high.status_code == 422 and "Choisissez une des classifications" in too_high.text
    changed = manager.client.post(
        url, data={"csrf_token": csrf_of(manager.client), "classification": "confidential"}
    )
    assert changed.status_code == 200
    assert "Classification changée de Interne à Confidentiel" in changed.text
    with tenant_session(manager.tenant.id, engine) as session:
        chunks = session.scalars(select(Chunk.classification).where(Chunk.document_id == document.id)).all()
        entries = session.scalars(
            select(SearchEntry.classification).where(SearchEntry.document_id == document.id)
        ).all()
        audited = session.scalar(
            select(AuditEntry).where(
                AuditEntry.target_id == document.id, AuditEntry.action == "document.classified"
            )
        )
    assert chunks and set(chunks) == {"confidential"} and set(entries) == {"confidential"}
    assert audited is not None and audited.actor == manager.user.id
    assert employee.client.get(f"/documents/{document.id}").status_code == 404


def test_delete_asks_for_confirmation_then_removes_passages_and_vectors(make_member, engine):
    admin: Member = make_member("admin")
    employee: Member = make_member("employee", tenant=admin.tenant)
    response = _upload(admin, [("compost.md", b"# Compost\n\nLe bac brun est ramasse le mardi.")])
    wait_for_batch(admin.client, response.text)
    document = _document(engine, admin.tenant.id, "compost.md")
    url = f"/documents/{document.id}/suppression"

    assert employee.client.get(url).status_code == 403
    confirm = admin.client.get(url)
    assert confirm.status_code == 200 and "Supprimer définitivement" in confirm.text
    assert admin.client.post(url, data={}).status_code == 403  # no CSRF token
    deleted = admin.client.post(url, data={"csrf_token": csrf_of(admin.client)}, follow_redirects=False)
    assert deleted.status_code == 303
    assert "ont été supprimés" in admin.client.get(deleted.headers["location"]).text
    with open_session(engine) as session:
        assert session.get(Document, document.id) is None
        for table, column in ((Chunk, Chunk.document_id), (SearchEntry, SearchEntry.document_id)):
            assert session.scalar(select(func.count()).select_from(table).where(column == document.id)) == 0
    assert admin.client.get(f"/documents/{document.id}").status_code == 404


def test_another_municipality_never_reaches_a_document(make_member, engine):
    member_a: Member = make_member("admin", name="Ville A")
    member_b: Member = make_member("admin", name="Ville B")
    with open_session(engine) as session:
        (document,) = submit_files(
            session,
            member_b.tenant.id,
            [("budget-b.md", b"# Budget B\n\nChiffres.")],
            classification="public",
        )
        session.commit()
    client = member_a.client
    assert document.id not in client.get("/documents").text
    assert client.get(f"/documents/{document.id}").status_code == 404
    assert document.id not in client.get(f"/documents/progression?lot={document.id}").text.replace(
        f"lot={document.id}", ""
    )
    token = csrf_of(client)
    assert client.post(f"/documents/{document.id}/suppression", data={"csrf_token": token}).status_code == 404
    assert (
        client.post(
            f"/documents/{document.id}/classification", data={"csrf_token": token, "classification": "public"}
        ).status_code
        == 404
    )
    with open_session(engine) as session:
        assert session.get(Document, document.id) is not None


def test_the_library_is_in_the_navigation_of_every_role(make_member):
    employee: Member = make_member("employee")
    assert 'href="/documents"' in employee.client.get("/").text


def test_a_document_is_renamed_by_who_may_edit_it_and_the_change_is_audited(make_member, engine):
    """A PDF without a title was named after its file; its uploader or a curator names it properly."""
    employee: Member = make_member("employee")
    other: Member = make_member("reviewer", tenant=employee.tenant)  # neither its uploader nor a curator
    manager: Member = make_member("manager", tenant=employee.tenant)
    wait_for_batch(employee.client, _upload(employee, [("2014-04-24-0000071251.md", b"Texte.")]).text)
    document = _document(engine, employee.tenant.id, "2014-04-24-0000071251.md")
    url = f"/documents/{document.id}/titre"
    page = employee.client.get(f"/documents/{document.id}").text
    assert f'action="{url}"' in page and "Changer le titre" in page
    assert f'action="{url}"' not in other.client.get(f"/documents/{document.id}").text
    refused = other.client.post(url, data={"csrf_token": csrf_of(other.client), "title": "Autre"})
    assert refused.status_code == 403 and "renommer" in refused.text
    empty = employee.client.post(url, data={"csrf_token": csrf_of(employee.client), "title": "   "})
    assert empty.status_code == 422 and "Un document doit avoir un titre" in empty.text
    title = "Frais de   déplacement des agents"
    done = employee.client.post(url, data={"csrf_token": csrf_of(employee.client), "title": title})
    assert done.status_code == 200 and "Le titre a été changé." in done.text
    assert "<h1>Frais de déplacement des agents</h1>" in done.text
    by_manager = manager.client.post(url, data={"csrf_token": csrf_of(manager.client), "title": "Frais"})
    assert by_manager.status_code == 200
    assert _document(engine, employee.tenant.id, "2014-04-24-0000071251.md").title == "Frais"
    with open_session(engine) as session:
        renamed = select(AuditEntry).where(
            AuditEntry.action == "document.renamed", AuditEntry.tenant_id == employee.tenant.id
        )
        entries = session.scalars(renamed.order_by(AuditEntry.seq)).all()  # in the order written
        kept = [{k: v for k, v in e.details.items() if k != "request_id"} for e in entries]
        assert kept == [{"length": 31}, {"length": 5}]  # never the words
        assert {e.actor for e in entries} == {employee.user.id, manager.user.id}
    log = make_member("privacy_officer", tenant=employee.tenant).client.get("/journal").text
    assert "Titre du document modifié" in log


def test_the_last_progress_answer_refreshes_the_library_list(make_member):
    """After « Le traitement est terminé », the list below no longer says « En attente, 0 passages »."""
    employee: Member = make_member("employee")
    uploaded = _upload(employee, [("collecte.md", b"# Collecte\n\nLa collecte a lieu le mardi.")])
    assert 'id="library-list"' in uploaded.text and "hx-swap-oob" not in uploaded.text
    final = wait_for_batch(employee.client, uploaded.text)
    listing = final[final.index('<section id="library-list"') :]
    assert listing.startswith('<section id="library-list" aria-labelledby="list-title" hx-swap-oob="true">')
    row = re.search(r'<tr>\s*<td><a href="/documents/[0-9a-f]+">Collecte</a>.*?</tr>', listing, re.S)
    assert row is not None and "En attente" not in row.group(0) and "<td>0</td>" not in row.group(0)
