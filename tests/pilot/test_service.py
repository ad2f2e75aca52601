"""The pilot's processes measured before and after with their redesign (G15, G20), the interim review
with Balise's own figures and the survey's threshold, its files read back, its communications'
approval before publication (G19), the roadmap's step 6 and the conformity view."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid, NotFound
from balise.governance.roadmap import save_step, steps
from balise.governance.service import conformity_rows
from balise.i18n import use_locale
from balise.pilot import communications, export
from balise.pilot.evidence import pilot_facts
from balise.pilot.processes import processes, remove_process, save_process, totals
from balise.pilot.report import interim_report, own_figures, save_review
from balise.review.models import Output
from balise.review.time_saved import report_minutes_saved
from balise.survey import create_campaign, open_campaign, questions_of, submit_answers
from balise.tenancy import Tenant
from tests.support.web import Member

BEFORE = {"name": "Réponses aux permis", "service": "Urbanisme", "minutes_before": "30", "occurrences": "40"}


def test_a_process_measured_before_then_redesigned_and_measured_after(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    tenant = make_tenant("Ville pilote")
    with scoped(tenant.id) as session, use_locale("fr"):
        with pytest.raises(Invalid, match="nom du processus"):
            save_process(session, tenant.id, {**BEFORE, "name": " "}, actor="test")
        with pytest.raises(Invalid, match="doit être un nombre"):
            save_process(session, tenant.id, {**BEFORE, "minutes_before": "beaucoup"}, actor="test")
        with pytest.raises(Invalid, match="de 0 à"):
            save_process(session, tenant.id, {**BEFORE, "occurrences": "-3"}, actor="test")
        with pytest.raises(Invalid, match="repensé"):  # a time after needs the redesign (G20)
            save_process(session, tenant.id, {**BEFORE, "minutes_after": "10"}, actor="test")
        process = save_process(session, tenant.id, BEFORE, actor="test")
        (measured,) = processes(session)
        assert measured.before == 1200 and measured.after is None and measured.gain is None
        assert not measured.redesigned
        redesigned = {**BEFORE, "redesign": "Fiches par type de demande.", "minutes_after": "7,5"}
        save_process(session, tenant.id, redesigned, actor="test", process_id=process.id)
        (measured,) = processes(session)
        assert measured.after == 300 and measured.gain == 900 and measured.redesigned
        t = totals(processes(session))
        assert (t.processes, t.measured_after, t.redesigned, t.gain_hours) == (1, 1, 1, 15)
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id).order_by(AuditEntry.seq)
        ).all()
        assert actions == ["pilot.process_added", "pilot.process_saved"]
        with pytest.raises(NotFound):
            save_process(session, tenant.id, BEFORE, actor="test", process_id="autre")
        remove_process(session, tenant.id, process.id, actor="test")
        assert processes(session) == []


def test_the_review_exported_as_html_docx_and_pdf(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    tenant = make_tenant("Ville d’Essai")
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        assert municipality is not None
        form = {**BEFORE, "redesign": "Fiches.", "minutes_after": "15"}
        save_process(session, tenant.id, form, actor="test")
        save_review(
            session, tenant.id, {"challenges": "Écrire les fiches.", "issued_on": "2026-12-01"}, actor="test"
        )
        report = interim_report(session, municipality, today=date(2026, 12, 7))
        assert report.totals.gain_hours == 10 and report.sentiment == []  # no survey with 5 answers

        html = export.html_document(report)
        assert "<h2>Améliorations</h2>" in html and "Réponses aux permis" in html
        assert "Aucune campagne de sondage n’a encore 5 réponses ou plus." in html

        document = Document(io.BytesIO(export.docx_document(report)))
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == "Bilan intermédiaire du projet pilote d’IA"
        assert paragraphs[1].startswith("Ville d’Essai, période du") and "émis le" in paragraphs[1]
        assert "Écrire les fiches." in paragraphs and "Défis" in paragraphs
        cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
        assert "Réponses aux permis" in cells and "10" in cells

        reader = PdfReader(io.BytesIO(export.pdf_document(report)))
        text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
        assert "Bilan intermédiaire du projet pilote" in text and "Ressenti du personnel" in text


def test_a_communication_is_published_only_once_approved(make_member, scoped) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    tenant_id = manager.tenant.id
    with scoped(tenant_id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant_id)
        assert municipality is not None
        report = interim_report(session, municipality)
        with pytest.raises(Invalid, match="approuvé"):
            communications.publish(session, tenant_id, "residents", actor=manager.user.id)
        row = communications.draft_from_report(session, tenant_id, "residents", report, actor="test")
        assert row.status == "draft" and "teste des outils d’intelligence artificielle" in row.body
        communications.approve(session, tenant_id, "residents", actor=manager.user.id)
        assert communications.published_for_residents(session) is None
        communications.save_communication(
            session, tenant_id, "residents", {"body": "Un autre texte."}, actor=manager.user.id
        )  # edited after approval: back to draft
        assert communications.communications(session)["residents"].status == "draft"  # type: ignore[union-attr]
        with pytest.raises(Invalid):
            communications.publish(session, tenant_id, "residents", actor=manager.user.id)
        communications.approve(session, tenant_id, "residents", actor=manager.user.id)
        communications.publish(session, tenant_id, "residents", actor=manager.user.id)
        published = communications.published_for_residents(session)
        assert published is not None and published[0] == "Un autre texte."
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.tenant_id == tenant_id, AuditEntry.action.like("pilot.%"))
            .order_by(AuditEntry.seq)
        ).all()
        assert actions[-2:] == ["pilot.communication_approved", "pilot.communication_published"]


def test_the_issued_review_is_step_6_evidence_and_the_conformity_view_reads_it(make_member, scoped) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager")
    tenant_id = manager.tenant.id
    with scoped(tenant_id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant_id)
        assert municipality is not None
        rows = {r.id: r for r in conformity_rows(session, municipality)}
        assert rows["G15"].status == "missing" and rows["G20"].status == "missing"
        with pytest.raises(Invalid):
            save_step(session, tenant_id, "interim_review", {"status": "done"}, actor="test")
        save_process(session, tenant_id, BEFORE, actor="test")
        rows = {r.id: r for r in conformity_rows(session, municipality)}
        assert rows["G15"].status == "attention" and rows["G20"].status == "missing"
        (p,) = processes(session)
        save_process(
            session,
            tenant_id,
            {**BEFORE, "redesign": "Fiches.", "minutes_after": "10"},
            actor="test",
            process_id=p.process.id,
        )
        save_review(session, tenant_id, {"challenges": "", "issued_on": "2026-12-01"}, actor="test")
        save_step(session, tenant_id, "interim_review", {"status": "done"}, actor="test")
        step = next(s for s in steps(session) if s.key == "interim_review")
        assert step.row is not None and step.row.evidence.startswith("Bilan intermédiaire émis le")
        rows = {r.id: r for r in conformity_rows(session, municipality)}
        assert rows["G15"].status == "in_place" and "13,3 heures gagnées par mois" in rows["G15"].evidence
        assert rows["G20"].status == "in_place"
        assert "Bilan intermédiaire émis" in rows["G19"].evidence and rows["G19"].status == "attention"
        report = interim_report(session, municipality)
        communications.draft_from_report(session, tenant_id, "council", report, actor="test")
        communications.approve(session, tenant_id, "council", actor=manager.user.id)
        communications.publish(session, tenant_id, "council", actor=manager.user.id)
        rows = {r.id: r for r in conformity_rows(session, municipality)}
        assert "présenté au conseil" in rows["G19"].evidence  # no system in production: all decided
        assert rows["G19"].status == "attention"  # staff and residents not told yet


def test_balise_own_figures_sum_the_time_saved_its_authors_said(make_member, scoped) -> None:  # type: ignore[no-untyped-def]
    author: Member = make_member("employee")
    tenant_id = author.tenant.id
    with scoped(tenant_id) as session:
        for minutes in (20, None, 25):
            session.add(Output(tenant_id=tenant_id, author_id=author.user.id, task="draft", text="Lettre."))
            session.flush()
            if minutes is not None:
                output = session.scalars(select(Output).order_by(Output.created_at.desc())).first()
                assert output is not None
                report_minutes_saved(session, output, actor_id=author.user.id, minutes=str(minutes))
        figures = own_figures(session)
        assert (figures.minutes, figures.rated) == (45, 2)
        assert (figures.end - figures.start).days == 89
        assert pilot_facts(session, figures.end).minutes_said == 45


def test_staff_sentiment_shows_from_five_answers_without_profile_or_free_text(make_tenant, scoped) -> None:  # type: ignore[no-untyped-def]
    tenant = make_tenant("Ville sondée")
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)
        assert municipality is not None
        campaign = create_campaign(session, municipality, "Après le pilote", actor="test")
        open_campaign(session, campaign, actor="test")
        questions = {q.key: q for q in questions_of(session, campaign.id) if q.key}
        answers = {
            f"q-{questions['frequency'].id}": "Chaque semaine",
            f"q-{questions['task_time'].id}": "Les procès-verbaux de Jeanne.",
        }
        for _count in range(5):
            report = interim_report(session, municipality)
            assert report.sentiment == [] and report.campaign == ""  # below the threshold of five
            submit_answers(session, campaign, answers)
        report = interim_report(session, municipality)
        assert report.campaign == "Après le pilote" and report.answers == 5
        assert any("Chaque semaine" in s.summary for s in report.sentiment)
        assert not any("Jeanne" in s.summary for s in report.sentiment)  # free texts left out
        assert "Sondage « Après le pilote », 5 réponses." in export.html_document(report)
