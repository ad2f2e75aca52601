"""Details a new user noticed: classification names, names in the audit log."""

from __future__ import annotations

from balise.db import tenant_session
from balise.documents import pending_jobs, submit_files
from balise.jobs import run_worker
from tests.support.web import Member


def test_the_summarise_page_names_classifications_as_the_library_does(make_member, engine) -> None:  # type: ignore[no-untyped-def]
    member: Member = make_member("employee")
    with tenant_session(member.tenant.id, engine) as session:
        ids = [
            submit_files(session, member.tenant.id, [(name, f"Texte {name}".encode())], classification=level)[
                0
            ].id
            for name, level in (("a.txt", "public"), ("b.txt", "internal"))
        ]
        session.commit()
        jobs = pending_jobs(session, ids)
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    page = member.client.get("/assistant/resume").text
    # the picker's groups are named by classification (their legends), as the library names them
    assert "<legend>Public <span" in page and "<legend>Interne <span" in page
    assert "<legend>internal" not in page and "<legend>public" not in page


def test_the_audit_log_shows_names_and_keeps_ids(make_member) -> None:  # type: ignore[no-untyped-def]
    officer: Member = make_member("privacy_officer", name="Vie privée")
    page = officer.client.get("/journal").text
    assert officer.user.display_name in page  # who signed in, by name
    assert officer.user.id in page  # the id the log keeps is still shown
