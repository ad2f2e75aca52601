"""The conformity view's training rows: G13 (sessions, attendance, the quiz), G21 (learning
resources), and the training sentence added to G6's evidence."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, Plural, evidence_text
from balise.governance.evidence import Facts, share
from balise.i18n import N_, gettext_
from balise.training.gate import gate_on


def _params(f: Facts) -> dict[str, Any]:
    t = f.training
    return {
        "sessions": t.sessions,
        "attended": t.sessions_attended,
        "trained": t.trained,
        "passed": t.passed,
        "staff": t.staff,
        "trained_share": share(t.trained, t.staff),
        "passed_share": share(t.passed, t.staff),
        "resources": t.resources,
        "shipped": t.resources_shipped,
        "edited": t.resources_edited,
        "reads": t.reads,
        "gate": (
            " " + gettext_("The assistant's tasks open to each person once they passed the quiz.")
            if gate_on(f.tenant)
            else ""
        ),
    }


def g13(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place when a session has attendance and people passed the quiz; attention with one of them."""
    t = f.training
    if not t.sessions_attended and not t.passed:
        return (
            MISSING,
            N_(
                "Built, but no training recorded yet: record a session and its attendance on the training "
                "page, and ask staff to take the self-check quiz."
            ),
            _params(f),
        )
    status = IN_PLACE if t.sessions_attended and t.passed else ATTENTION
    return (
        status,
        Plural(
            N_(
                "{sessions} training session, {attended} with attendance recorded; {trained} of {staff} "
                "people attended one ({trained_share}); {passed} passed the self-check quiz "
                "({passed_share}).{gate}"
            ),
            N_(
                "{sessions} training sessions, {attended} with attendance recorded; {trained} of {staff} "
                "people attended one ({trained_share}); {passed} passed the self-check quiz "
                "({passed_share}).{gate}"
            ),
            "sessions",
        ),
        _params(f),
    )


def g21(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place when every shipped resource is the municipality's and staff opened or adapted them;
    copied but never opened or edited is only attention."""
    t = f.training
    if not t.resources:
        return (
            MISSING,
            N_("Built, but the learning resources have not been opened yet: open the resources page."),
            _params(f),
        )
    status = IN_PLACE if t.resources >= t.resources_shipped and (t.reads or t.resources_edited) else ATTENTION
    return (
        status,
        N_(
            "{resources} of {shipped} learning resources (glossary, prompting guide, data protection, "
            "discussion canvas); opened {reads} times by staff; {edited} adapted by the municipality."
        ),
        _params(f),
    )


def with_training(base: Check) -> Check:
    """``base`` (G6 from the memento), its status kept, and who was trained and passed the quiz."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        status, evidence, params = base(f)
        training = N_(
            "Training: {trained} of {staff} people attended a session; {passed} passed the self-check quiz."
        )
        return (
            status,
            N_("{memento} {training}"),
            {"memento": evidence_text(evidence, params), "training": evidence_text(training, _params(f))},
        )

    return check
