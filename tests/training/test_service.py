"""Training sessions and attendance, the quiz's marking and attempts, the learning resources, and
what the conformity view reads of them (G13, G21, G6)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from balise import training
from balise.audit.models import AuditEntry
from balise.errors import Invalid, NotFound
from balise.governance import service
from balise.i18n import use_locale
from balise.tenancy import Tenant, create_user
from balise.training.quiz import filled_in


def _people(session, tenant: Tenant) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        role: create_user(
            session, tenant, f"{role}-{tenant.slug}@example.org", "mot-de-passe-long", role, display_name=role
        ).id
        for role in ("manager", "employee", "reviewer")
    }


def _form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Atelier IA",
        "audience": "council",
        "format": "online",
        "held_on": "2026-11-03",
        "minutes": "60",
        "mandatory": "yes",
        "attended": [],
    }
    form.update(changes)
    return form


def test_a_session_keeps_its_attendance_and_only_the_municipalitys_people(make_tenant, scoped) -> None:
    tenant, other = make_tenant("Formaville"), make_tenant("Ailleurs")
    with scoped(other.id) as session:
        stranger = _people(session, other)["employee"]
        session.commit()
    with scoped(tenant.id) as session:
        ids = _people(session, tenant)
        row = training.save_session(
            session, tenant.id, _form(attended=[ids["employee"], ids["reviewer"]]), actor=ids["manager"]
        )
        [listed] = training.sessions(session)
        assert listed.attended == {ids["employee"], ids["reviewer"]}
        assert (row.audience, row.format, row.minutes, row.mandatory) == ("council", "online", 60, True)
        training.save_session(
            session,
            tenant.id,
            _form(attended=ids["manager"], mandatory=""),
            actor=ids["manager"],
            session_id=row.id,
        )
        [listed] = training.sessions(session)
        assert listed.attended == {ids["manager"]} and not listed.session.mandatory
        with pytest.raises(Invalid):
            training.save_session(session, tenant.id, _form(attended=[stranger]), actor=ids["manager"])
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id)))
        assert {"training.session_created", "training.session_updated"} <= actions


@pytest.mark.parametrize(
    "change",
    [{"title": " "}, {"audience": "mayor"}, {"format": "radio"}, {"held_on": "3 nov."}, {"minutes": "0"}],
)
def test_a_session_with_a_wrong_field_is_refused(make_tenant, scoped, change) -> None:
    tenant = make_tenant("Refusville")
    with scoped(tenant.id) as session:
        manager = _people(session, tenant)["manager"]
        with pytest.raises(Invalid):
            training.save_session(session, tenant.id, _form(**change), actor=manager)
        assert training.sessions(session) == []


def test_the_quiz_fails_below_the_pass_mark_and_passes_above(make_tenant, scoped) -> None:
    tenant = make_tenant("Quizville")
    with scoped(tenant.id) as session:
        employee = _people(session, tenant)["employee"]
        failed, marked = training.take_quiz(session, tenant.id, employee, filled_in(2))
        assert (failed.score, failed.total, failed.passed) == (6, 8, False)
        assert [m.right for m in marked][:3] == [False, False, True]
        passed, _ = training.take_quiz(session, tenant.id, employee, filled_in(1))
        assert (passed.score, passed.passed) == (7, True)  # 7 of 8 = 87.5 % ≥ 80 %
        assert [a.id for a in training.attempts_of(session, employee)] == [passed.id, failed.id]
        again, remarked = training.get_attempt(session, employee, failed.id)
        assert again is failed and [m.chosen for m in remarked] == [m.chosen for m in marked]
        with pytest.raises(Invalid):
            training.take_quiz(session, tenant.id, employee, {"citizen_email": "1"})
        with pytest.raises(NotFound):
            training.get_attempt(session, "someone-else", failed.id)
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "training.quiz_taken", AuditEntry.tenant_id == tenant.id
            )
        ).all()
        assert [e.details["passed"] for e in audited] == [False, True]


def test_every_quiz_text_reads_in_french() -> None:
    with use_locale("fr"):
        from balise.i18n import gettext_

        texts = [t for q in training.QUESTIONS for t in (q.prompt, q.explanation, *q.options)]
        assert [t for t in texts if gettext_(t) == t] == ["Public"]  # the same word in French
        assert "Puis-je coller le courriel d’un citoyen" in gettext_(training.QUESTIONS[0].prompt)


def test_resources_are_copied_once_then_edited_and_counted(make_tenant, scoped) -> None:
    tenant = make_tenant("Ressourceville")
    with scoped(tenant.id) as session, use_locale("fr"):
        manager = _people(session, tenant)["manager"]
        resources = training.ensure_resources(session, tenant.id, actor=manager)
        assert [r.key for r in resources] == list(training.SHIPPED)
        assert resources[0].title == "Glossaire de l’IA générative" and "Hallucination" in resources[0].body
        assert [r.id for r in training.ensure_resources(session, tenant.id, actor=manager)] == [
            r.id for r in resources
        ]
        assert training.open_resource(session, "glossary").reads == 1
        with pytest.raises(Invalid):
            training.save_resource(
                session, tenant.id, "prompting", {"title": "Guide", "body": ""}, actor=manager
            )
        saved = training.save_resource(
            session, tenant.id, "prompting", {"title": "Notre guide", "body": "- Soyez précis"}, actor=manager
        )
        assert saved.edited_at is not None and saved.body == "- Soyez précis"
        seeded = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "training.resources_seeded", AuditEntry.tenant_id == tenant.id
            )
        ).all()
        assert len(seeded) == 1


def test_the_conformity_view_reads_sessions_quiz_and_resources(make_tenant, scoped) -> None:
    tenant = make_tenant("Conformeville")
    with scoped(tenant.id) as session:
        ids = _people(session, tenant)
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G13"].status == "missing" and rows["G21"].status == "missing"
        training.save_session(session, tenant.id, _form(attended=[ids["employee"]]), actor=ids["manager"])
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G13"].status == "attention"  # attendance, but nobody passed the quiz
        training.take_quiz(session, tenant.id, ids["employee"], filled_in(0))
        training.ensure_resources(session, tenant.id, actor=ids["manager"])
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G13"].status == "in_place"
        assert "1 sur 3 personnes ont assisté" in rows["G13"].evidence
        assert rows["G21"].status == "attention"  # copied, never opened nor adapted
        training.open_resource(session, "glossary")
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G21"].status == "in_place" and "ouvertes 1 fois" in rows["G21"].evidence
        assert (
            "Formation : 1 sur 3 personnes ont assisté à une séance; "
            "questionnaire d’autoévaluation réussi par 1." in rows["G6"].evidence
        )
