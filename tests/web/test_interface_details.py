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


def test_the_audit_log_reads_in_words_and_names(make_member, engine) -> None:  # type: ignore[no-untyped-def]
    """Events in words, people and documents by name, details as a list: no ids, no JSON."""
    officer: Member = make_member("privacy_officer", name="Vie privée")
    with tenant_session(officer.tenant.id, engine) as session:
        document = submit_files(
            session, officer.tenant.id, [("horaire.txt", b"Horaire des collectes.")], classification="public"
        )[0]
        document_id = document.id
        session.commit()
        jobs = pending_jobs(session, [document_id])
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    page = officer.client.get("/journal").text
    assert "<td>Connexion</td>" in page and "user.signed_in" not in page
    assert "<td>Document traité</td>" in page and "Document : Horaire des collectes." in page
    assert officer.user.display_name in page  # who signed in, by name
    assert officer.user.id not in page and document_id not in page
    assert "{}" not in page and "<dt>Classification</dt><dd>Public</dd>" in page
    assert "<dt>Rôle</dt><dd>Responsable de la protection des renseignements personnels</dd>" in page


def test_the_menu_folds_governance_and_settings_and_names_notifications_once(make_member) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    home = admin.client.get("/").text
    menu = home[
        home.index('<nav class="main-nav"') : home.index("</nav>", home.index('<nav class="main-nav"'))
    ]
    assert "<summary>Gouvernance</summary>" in menu and "<summary>Paramètres</summary>" in menu
    assert "<details>" in menu and "<details open>" not in menu  # folded on a page outside them
    assert home.count('href="/notifications"') == 1  # the header's link, with its unread count
    audit = admin.client.get("/journal").text
    assert audit.count("<details open>") == 1  # the group of the page one is on stays open
