"""The library page follows ingestion: vectors arriving after the words, and a retry for failures."""

from __future__ import annotations

from sqlalchemy import select

from balise.db import tenant_session
from balise.documents import Document, pending_jobs, submit_files
from balise.jobs import run_worker
from tests.support.web import Member, csrf_of


def _ingest(member: Member, engine, name: str, data: bytes, *, embed: bool) -> str:  # type: ignore[no-untyped-def]
    with tenant_session(member.tenant.id, engine) as session:
        (document,) = submit_files(
            session,
            member.tenant.id,
            [(name, data)],
            classification="internal",
            embed=embed,
            uploaded_by=member.user.id,
        )
        session.commit()
        jobs = pending_jobs(session, [document.id])
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    return document.id


def test_a_document_page_shows_its_vectors_still_to_come(make_member, engine):  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    text = "\n\n".join(f"Section {n} : la collecte des feuilles mortes a lieu en novembre." for n in range(3))
    document_id = _ingest(admin, engine, "feuilles.txt", text.encode(), embed=False)
    page = admin.client.get(f"/documents/{document_id}").text
    assert "Recherche par le sens" in page
    assert "0 passages sur 1, en cours" in page


def test_a_failed_document_can_be_retried_from_the_library(make_member, engine):  # type: ignore[no-untyped-def]
    employee: Member = make_member("employee")
    other: Member = make_member("reviewer", tenant=employee.tenant)
    mixed = "Avis aux résidents.\n".encode() + "Collecte reportée à jeudi.\n".encode("cp1252")
    document_id = _ingest(employee, engine, "avis.txt", mixed, embed=False)
    library = employee.client.get("/documents").text
    assert f'action="/documents/{document_id}/reprise"' in library and "Relancer" in library
    url = f"/documents/{document_id}/reprise"
    assert other.client.post(url, data={"csrf_token": csrf_of(other.client)}).status_code == 403
    retried = employee.client.post(url, data={"csrf_token": csrf_of(employee.client)}, follow_redirects=False)
    assert retried.status_code == 303
    with tenant_session(employee.tenant.id, engine) as session:
        document = session.scalar(select(Document).where(Document.id == document_id))
        assert document is not None and document.status in {"pending", "processing", "failed"}
        assert pending_jobs(session, [document_id]) or document.status == "failed"
