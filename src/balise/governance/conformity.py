"""The conformity view (G12): each requirement of REQUIREMENTS.md, the control that implements it,
its status for this municipality and live evidence from the platform.

``missing`` is the honest answer for what Balise does not do yet; ``attention`` means the control
exists but this municipality's data shows something to act on. Controls and evidence are English
msgids, rendered in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, Plural, evidence_text
from balise.governance.conformity_adoption import g1, g3, g17, g19, p1, p8
from balise.governance.conformity_answers import with_validated_answers
from balise.governance.conformity_bias import bias
from balise.governance.conformity_evaluation import g7, p4
from balise.governance.conformity_media import u8, u9, with_media
from balise.governance.conformity_memento import g6
from balise.governance.conformity_pilot import g15, g20, with_communications
from balise.governance.conformity_pooling import g16
from balise.governance.conformity_roadmap import g14, g18
from balise.governance.conformity_shadow import d0, g8, g9
from balise.governance.conformity_survey import g2, g5, with_participation
from balise.governance.conformity_swiss import l2
from balise.governance.conformity_training import g13, g21, with_training
from balise.governance.evidence import Facts, share
from balise.governance.requirements import IDS
from balise.governance.requirements_text import requirement_text
from balise.i18n import N_, gettext_, ngettext_

# Drafts that serve U2 (memos, e-mails, notes); job postings serve U3 and titles U6 only.
GENERAL_DRAFTS = ("email", "memo", "press_release")


@dataclass(frozen=True)
class Row:
    id: str
    section: str
    requirement: str
    status: str
    control: str
    evidence: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "control": self.control, "evidence": self.evidence}


def _fixed(status: str, evidence: Evidence = "") -> Check:
    return lambda _facts: (status, evidence, {})


def _tasks(*names: str) -> Check:
    """Uses of the tasks (``draft``) or drafting templates (``draft:titles``) that serve a requirement."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        count = sum(f.tasks[n] for n in names)
        return (
            IN_PLACE,
            Plural(N_("{count} use in the last 30 days."), N_("{count} uses in the last 30 days."), "count"),
            {"count": count},
        )

    return check


def _policy(requirement: str) -> Check:
    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        return (
            IN_PLACE,
            N_("Usage policy rule active; {block} requests blocked and {warn} warned in the last 30 days."),
            {"block": f.policy[f"{requirement}:block"], "warn": f.policy[f"{requirement}:warn"]},
        )

    return check


def _u1(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    if f.citizen_assistant:
        return (
            IN_PLACE,
            Plural(
                N_("The public assistant answers from {docs} ready document."),
                N_("The public assistant answers from {docs} ready documents."),
                "docs",
            ),
            {"docs": f.documents_ready},
        )
    return MISSING, N_("The citizen assistant is not installed in this version."), {}


def _d1(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = ATTENTION if f.outputs_waiting_long else IN_PLACE
    return (
        status,
        Plural(
            N_(
                "{share} of the {total} public or decision output of the last 30 days was reviewed; "
                "{late} waited more than 5 days for review."
            ),
            N_(
                "{share} of the {total} public and decision outputs of the last 30 days were reviewed; "
                "{late} waited more than 5 days for review."
            ),
            "total",
        ),
        {
            "share": share(f.outputs_reviewed, f.outputs_for_approval),
            "total": f.outputs_for_approval,
            "late": f.outputs_waiting_long,
        },
    )


def _d2(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = IN_PLACE if f.outputs_with_mention == f.outputs else ATTENTION
    return (
        status,
        Plural(
            N_("{share} of the {total} output of the last 30 days carries the AI mention."),
            N_("{share} of the {total} outputs of the last 30 days carry the AI mention."),
            "total",
        ),
        {"share": share(f.outputs_with_mention, f.outputs), "total": f.outputs},
    )


def _d3(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    masks = ", ".join(f"{label}: {count}" for label, count in sorted(f.masked.items())) or "0"
    status = ATTENTION if f.fail_closed or f.unmasked_labels else IN_PLACE
    return (
        status,
        N_(
            "Masks applied in the last 30 days: {masks}. Fail-closed events: {failed}. "
            "Kinds of personal information left unmasked by the settings: {unmasked}."
        ),
        {"masks": masks, "failed": f.fail_closed, "unmasked": f.unmasked_labels},
    )


def _x3(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    if f.contact_set:
        return IN_PLACE, N_("The municipality's phone and counter are shown to residents."), {}
    return ATTENTION, N_("The municipality's public contact details are not set."), {}


def _p2(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = ATTENTION if f.complaints_overdue or f.outputs_waiting_long else IN_PLACE
    return (
        status,
        N_("{reviewed}; {complaints}, {overdue} past due."),
        {
            "reviewed": ngettext_("{n} output reviewed", "{n} outputs reviewed", f.outputs_reviewed).format(
                n=f.outputs_reviewed
            ),
            "complaints": _complaints(f.complaints),
            "overdue": f.complaints_overdue,
        },
    )


def _p3(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = IN_PLACE if f.systems_live and f.systems_live_published == f.systems_live else ATTENTION
    return (
        status,
        N_("{published} ({live_published} of {live} systems in use)."),
        {
            "published": ngettext_(
                "{n} register entry published", "{n} register entries published", f.systems_published
            ).format(n=f.systems_published),
            "live_published": f.systems_live_published,
            "live": f.systems_live,
        },
    )


def _p6(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    hosting = ", ".join(f"{place}: {n}" for place, n in sorted(f.backends.items())) or "—"
    abroad = f.backends["abroad"] + f.backends["eu"]
    return (
        ATTENTION if abroad or f.unmasked_labels else IN_PLACE,
        N_("Approved models by hosting: {hosting}. Personal information is masked before any model call."),
        {"hosting": hosting},
    )


def _g4(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = (
        IN_PLACE
        if f.systems_live and f.systems_live_with_roles == f.systems_live and f.privacy_officers
        else ATTENTION
    )
    return (
        status,
        N_(
            "{with_roles} of {live} systems in use name a person responsible and a person in charge of "
            "personal information; {officers}."
        ),
        {
            "with_roles": f.systems_live_with_roles,
            "live": f.systems_live,
            "officers": ngettext_(
                "{n} privacy officer has an account",
                "{n} privacy officers have an account",
                f.privacy_officers,
            ).format(n=f.privacy_officers),
        },
    )


def _g11(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    counts = {
        "total": _complaints(f.complaints),
        "open": ngettext_("{n} open", "{n} open", f.complaints_open).format(n=f.complaints_open),
        "overdue": f.complaints_overdue,
    }
    if not f.officer_designated:
        return (
            ATTENTION,
            N_(
                "No person in charge of the protection of personal information is designated: complaints "
                "about a tool without a responsible person wait unassigned. "
                "{total}, {open}, {overdue} past due."
            ),
            counts,
        )
    return (
        ATTENTION if f.complaints_overdue else IN_PLACE,
        N_("{total}, {open}, {overdue} past due."),
        counts,
    )


def _l1(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status = IN_PLACE
    if not f.privacy_officers or f.incidents_unnotified or f.incidents_proposed or f.complaints_overdue:
        status = ATTENTION
    return (
        status,
        N_(
            "{officers}; {open} ({unnotified} serious not yet notified), "
            "{proposed} proposed to confirm; {assessments} privacy impact assessments."
        ),
        {
            "officers": ngettext_("{n} privacy officer", "{n} privacy officers", f.privacy_officers).format(
                n=f.privacy_officers
            ),
            "open": ngettext_("{n} open incident", "{n} open incidents", f.incidents_open).format(
                n=f.incidents_open
            ),
            "unnotified": f.incidents_unnotified,
            "proposed": f.incidents_proposed,
            "assessments": f.assessments,
        },
    )


def _g12(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    return IN_PLACE, N_("This report, computed now from the platform's records."), {}


def _documents(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    return (
        IN_PLACE,
        Plural(
            N_("{docs} document ready to be searched."), N_("{docs} documents ready to be searched."), "docs"
        ),
        {"docs": f.documents_ready},
    )


def _complaints(count: int) -> str:
    return ngettext_("{n} complaint received", "{n} complaints received", count).format(n=count)


def _l3(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    status, _evidence, params = _d2(f)
    return status, N_("{share} of outputs carry the mention and machine-readable provenance."), params


CONTROLS: dict[str, tuple[str, Check]] = {
    "U1": (N_("Public assistant on the municipal website"), _u1),
    "U2": (
        N_("Summarise and draft tasks"),
        _tasks("summarise", "draft", *(f"draft:{k}" for k in GENERAL_DRAFTS)),
    ),
    "U3": (N_("Job posting drafting template"), _tasks("draft:job_posting")),
    "U4": (N_("Document assistant with summaries for an audience"), _tasks("ask", "summarise")),
    "U5": (N_("Revision task: correction and plain language"), _tasks("revise")),
    "U6": (N_("Catchy titles drafting template"), _tasks("draft:titles")),
    "U7": (N_("Hybrid search of the document library"), _documents),
    "U8": (N_("Transcription and summary of recordings"), u8),
    "U9": (N_("Image generation through a sanctioned backend"), u9),
    "U10": (N_("Code questions through the guarded gateway"), _fixed(MISSING, N_("Not built yet."))),
    "D0": (N_("Lists of sanctioned and forbidden AI services; blocklist for IT"), d0),
    "D1": (N_("Verified citations and human review of public and decision outputs"), _d1),
    "D2": (N_("AI mention on every output"), with_media(_d2)),
    "D3": (N_("Privacy guard: personal information masked before any model call, fail closed"), _d3),
    "D4": (N_("Usage policy: third-party copyrighted content"), _policy("D4")),
    "X1": (N_("Usage policy: evaluating employees or candidates refused"), _policy("X1")),
    "X2": (N_("Usage policy: images of real people refused"), _policy("X2")),
    "X3": (N_("Human contact offered on every public screen"), _x3),
    "X4": (N_("Usage policy: outsourcing judgment flagged, review required"), _policy("X4")),
    "X5": (N_("Usage policy: search-engine requests nudged to search"), _policy("X5")),
    "P1": (N_("Impact assessment and adoption case before adoption; energy footprint per request"), p1),
    "P2": (N_("Human review and complaint handling"), _p2),
    "P3": (N_("Public transparency register and AI mention"), _p3),
    "P4": (
        N_(
            "Evaluation sets run weekly against the library, thresholds and alerts; validated answers; traces"
        ),
        with_validated_answers(p4),
    ),
    "P5": (
        N_("Bias probes of the generative model and the templates, monthly and on demand"),
        bias(N_("No gap flagged. {found}")),
    ),
    "P6": (N_("Model registry by classification and hosting; privacy guard"), _p6),
    "P7": (
        N_("Bias probes comparing women and men and people of every origin; inclusive job titles"),
        with_participation(
            bias(
                N_(
                    "No gap flagged between women and men or between origins. {found} Who takes part in "
                    "designing and testing the tools is not recorded."
                )
            )
        ),
    ),
    "P8": (N_("Effects on staff and on the public service recorded in each adoption case"), p8),
    "G1": (
        N_("Register, impact assessment and adoption case per AI system; gates to pilot and production"),
        g1,
    ),
    "G2": (N_("Anonymous staff survey: campaigns, results from 5 people up, comparison"), g2),
    "G3": (N_("Vendor assessment with weighted criteria, linked to systems and models"), g3),
    "G4": (N_("Roles and responsibilities per AI system"), _g4),
    "G5": (N_("AI maturity self-assessment: six dimensions, history, next steps from the guides"), g5),
    "G6": (
        N_("Human channels kept; memento adopted and acknowledged by staff; staff trained"),
        with_training(g6),
    ),
    "G7": (N_("Continuous control of the tools: weekly evaluation runs and monthly bias probes"), g7),
    "G8": (N_("Shadow AI rules and blocklists of forbidden platforms (hosts, RPZ, Squid, Chrome)"), g8),
    "G9": (N_("Consequences of non-compliance defined; unsanctioned-tool incidents"), g9),
    "G10": (N_("Human review workflow for decisions"), _d1),
    "G11": (N_("Complaint procedure with a designated person"), _g11),
    "G12": (N_("This conformity view"), _g12),
    "G13": (N_("Training sessions per audience with attendance; self-check quiz"), g13),
    "G14": (N_("Strategic roadmap and memento"), g14),
    "G15": (
        N_("Pilot processes measured before and after; time saved said by the authors of results"),
        g15,
    ),
    "G16": (
        N_("Pooling between municipalities: packs exported, imported and shared; Eurocities register"),
        g16,
    ),
    "G18": (N_("Pilot service and resource persons"), g18),
    "G17": (N_("Several model providers, open formats, full exports; suppliers' exit clauses"), g17),
    "G19": (
        N_(
            "The council's decision recorded per system; systems listed on the transparency page; the "
            "interim review told to staff and residents"
        ),
        with_communications(g19),
    ),
    "G20": (N_("Pilot processes redesigned, not copied: the redesign recorded per process"), g20),
    "G21": (N_("Learning resources: glossary, prompting guide, data protection, discussion canvas"), g21),
    "L1": (
        N_(
            "Law 25: privacy officer, complaints, impact assessment, incident register, "
            "s. 65.2 notice, s. 70.1"
        ),
        _l1,
    ),
    "L2": (
        N_(
            "Swiss nLPD: same controls, incident notices to the FDPIC; register of processing activities "
            "(art. 12) and impact assessments (art. 22)"
        ),
        l2,
    ),
    "L3": (N_("Disclosure mention and machine-readable provenance (EU AI Act art. 50)"), with_media(_l3)),
}


def evaluate(facts: Facts) -> list[Row]:
    """One row per requirement, in REQUIREMENTS.md's order, in the current language."""
    rows = []
    for rid in IDS:
        _rid, section, text = requirement_text(rid)
        control, check = CONTROLS.get(rid, (N_("No control"), _fixed(MISSING, N_("Not built yet."))))
        status, evidence, params = check(facts)
        rows.append(Row(rid, section, text, status, gettext_(control), evidence_text(evidence, params)))
    return rows


def as_json(rows: list[Row]) -> dict[str, Any]:
    """The contract of ``balise conformity --json``: {"requirements": [{id, status, control, evidence}]}."""
    return {"requirements": [row.as_json() for row in rows]}
