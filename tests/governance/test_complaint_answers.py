"""Complaints reach the right person (the system's responsible person, else the designated privacy
officer, else an unassigned queue), and the resident gets the answer: by e-mail through the
municipality's own mail server (a real SMTP server on loopback here) and on their follow-up page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from balise.db import open_session
from balise.errors import Invalid
from balise.governance import (
    AISystem,
    answer_resident,
    designate_privacy_officer,
    follow_up,
    open_complaint,
)
from balise.governance.conformity import evaluate
from balise.governance.evidence import gather
from balise.i18n import use_locale
from balise.review.models import Notification
from balise.tenancy import Tenant, create_user, load_smtp, save_smtp
from tests.governance.test_complaints import file_complaint
from tests.support.smtp import PASSWORD, USER, Inbox
from tests.support.smtp import smtp_server as smtp_server
from tests.support.web import Member, csrf_of

PASS = "correct-horse-battery"


def test_routing_never_picks_an_account_by_its_name(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        # « Alice Admin » sorts first: the old routing handed her every complaint.
        alice = create_user(session, municipality, "alice@example.org", "correct-horse-battery", "admin")
        alice.display_name = "Alice Admin"
        officer = create_user(
            session, municipality, "zoe@example.org", "correct-horse-battery", "privacy_officer"
        )
        officer.display_name = "Zoé Responsable"
        manager = create_user(session, municipality, "gm@example.org", "correct-horse-battery", "manager")
        system = AISystem(
            tenant_id=tenant.id,
            key="manual:a",
            name="Agent",
            purpose="Répondre",
            responsible_user_id=manager.id,
        )
        orphan = AISystem(tenant_id=tenant.id, key="manual:b", name="Sans responsable", purpose="Trier")
        session.add_all([system, orphan])
        session.flush()

        waiting = file_complaint(session, municipality, system_id=orphan.id).complaint
        assert waiting.assigned_to is None  # nobody designated: the unassigned queue
        unassigned = select(Notification).where(Notification.kind == "complaint_unassigned")
        told = session.scalars(unassigned).all()
        assert {n.user_id for n in told} == {alice.id, officer.id}  # every privacy-role account
        with use_locale("fr"):
            g11 = next(r for r in evaluate(gather(session, municipality)) if r.id == "G11")
        assert g11.status == "attention" and "Aucune personne responsable" in g11.evidence

        designate_privacy_officer(session, municipality, officer.id, actor="test")
        assert file_complaint(session, municipality, system_id=orphan.id).complaint.assigned_to == officer.id
        assert file_complaint(session, municipality, system_id=system.id).complaint.assigned_to == manager.id
        assert (
            file_complaint(session, municipality, client="198.51.100.4").complaint.assigned_to == officer.id
        )
        with use_locale("fr"):
            g11 = next(r for r in evaluate(gather(session, municipality)) if r.id == "G11")
        assert "Aucune personne responsable" not in g11.evidence
        employee = create_user(session, municipality, "emp@example.org", "correct-horse-battery", "employee")
        with pytest.raises(Invalid), use_locale("fr"):  # an employee has no privacy role
            designate_privacy_officer(session, municipality, employee.id, actor="test")
        session.commit()


def test_the_answer_reaches_the_resident_by_email_and_follow_up(
    make_tenant, scoped, smtp_server: Inbox
) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        officer = create_user(
            session, municipality, "po@example.org", "correct-horse-battery", "privacy_officer"
        )
        filed = file_complaint(session, municipality)
        assert follow_up(session, filed.token).answers == []
        assert filed.token not in str(filed.complaint.follow_up_hash)  # only the hash is kept

        assert answer_resident(session, municipality, filed.complaint.id, "Réponse A", actor=officer.id) == (
            "no_server"
        )
        save_smtp(
            session,
            municipality,
            host="127.0.0.1",
            port=smtp_server.port,
            security="none",
            user=USER,
            sender="plaintes@ville.example",
            password=PASSWORD,
            actor="test",
        )
        assert PASSWORD not in str(municipality.settings)  # stored encrypted
        with use_locale("fr"):
            outcome = answer_resident(
                session, municipality, filed.complaint.id, "Le calendrier est corrigé.", actor=officer.id
            )
        assert outcome == "sent" and smtp_server.logins == [USER]
        [mail] = smtp_server.messages
        assert mail["To"] == "jeanne@example.org" and filed.complaint.reference in mail["Subject"]
        assert "plaintes@ville.example" in mail["From"]
        assert "Le calendrier est corrigé." in mail.get_content()
        page = follow_up(session, filed.token)
        assert [body for _at, body in page.answers] == ["Réponse A", "Le calendrier est corrigé."]
        view = open_complaint(session, filed.complaint.id)
        assert [(e.kind, e.status) for e, _b in view.events if e.kind == "delivery"] == [
            ("delivery", "no_server"),
            ("delivery", "sent"),
        ]
        session.commit()


def test_a_mail_server_that_is_down_loses_no_answer(make_tenant, scoped) -> None:
    from tests.support.ports import free_port

    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        officer = create_user(
            session, municipality, "po@example.org", "correct-horse-battery", "privacy_officer"
        )
        save_smtp(
            session, municipality, host="127.0.0.1", port=free_port(), security="none", user="",
            sender="plaintes@ville.example", actor="test",
        )  # fmt: skip
        filed = file_complaint(session, municipality)
        outcome = answer_resident(session, municipality, filed.complaint.id, "Réponse", actor=officer.id)
        assert outcome == "failed"
        assert [b for _at, b in follow_up(session, filed.token).answers] == ["Réponse"]
        session.commit()


def test_the_follow_up_link_works_only_for_its_resident(make_member, smtp_server: Inbox) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    slug = admin.tenant.slug
    resident = TestClient(admin.client.app, headers={"accept": "text/html", "accept-language": "fr"})
    form = resident.get(f"/public/{slug}/plainte").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    received = resident.post(
        f"/public/{slug}/plainte",
        data={
            "kind": "complaint",
            "system_id": "",
            "name": "Léa",
            "email": "lea@example.org",
            "message": "Mauvaise réponse de l’assistant.",
            "csrf_token": csrf.group(1),
        },
    )
    link = re.search(r'id="follow-up-link">([^<]+)<', received.text)
    assert link, received.text
    path = link.group(1).replace("http://testserver", "")
    page = resident.get(path)
    assert page.status_code == 200 and "Pas encore de réponse" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert resident.get(path[:-3] + "xyz").status_code == 404
    assert resident.get(f"/public/{slug}/plainte/suivi/inconnu").status_code == 404

    listing = admin.client.get("/gouvernance/plaintes").text
    assert 'id="no-officer"' in listing and "Non assignée" in listing
    complaint_id = re.search(r'/gouvernance/plaintes/([0-9a-f]{32})"', listing)
    assert complaint_id
    designated = admin.client.post(
        "/gouvernance/plaintes-responsable",
        data={"csrf_token": csrf_of(admin.client), "user_id": admin.user.id},
        follow_redirects=True,
    )
    assert "La désignation est enregistrée." in designated.text and 'id="no-officer"' not in designated.text
    answered = admin.client.post(
        f"/gouvernance/plaintes/{complaint_id.group(1)}",
        data={"csrf_token": csrf_of(admin.client), "action": "reply", "body": "Nous avons corrigé la page."},
        follow_redirects=True,
    )
    assert answered.status_code == 200
    assert "Non envoyée par courriel : aucun serveur de courriel" in answered.text
    shown = resident.get(path).text
    assert "Nous avons corrigé la page." in shown and "Pas encore de réponse" not in shown


def test_the_administrator_sets_the_mail_server_in_the_settings_page(make_member, engine) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    url = "/citoyens/parametres/courriel"
    form = {
        "csrf_token": csrf_of(admin.client),
        "host": "smtp.ville.example",
        "port": "²",
        "security": "starttls",
        "user": "plaintes",
        "password": "secret-du-serveur",
        "sender": "plaintes@ville.example",
    }
    refused = admin.client.post(url, data=form)
    assert refused.status_code == 422 and "entre 1 et 65535" in refused.text
    saved = admin.client.post(url, data=form | {"port": "587"}, follow_redirects=True)
    assert saved.status_code == 200 and 'value="smtp.ville.example"' in saved.text
    assert "secret-du-serveur" not in saved.text and "Un mot de passe est conservé" in saved.text
    with open_session(engine) as session:
        stored = load_smtp(session.get(Tenant, admin.tenant.id))
    assert (stored.host, stored.port, stored.user) == ("smtp.ville.example", 587, "plaintes")
    assert stored.password_encrypted and "secret-du-serveur" not in stored.password_encrypted
    admin.client.post(url, data=form | {"port": "587", "password": ""})  # empty keeps the password
    with open_session(engine) as session:
        assert load_smtp(session.get(Tenant, admin.tenant.id)).password_encrypted
