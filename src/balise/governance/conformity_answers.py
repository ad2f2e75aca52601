"""What validated answers and answer traces add to the conformity view's P4 (accuracy, errors traced)."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import Check, Evidence, evidence_text
from balise.governance.evidence import Facts
from balise.i18n import N_


def with_validated_answers(base: Check) -> Check:
    """``base`` (the evaluation runs decide the status) and, once there are some, the validated answers
    and the traces kept of residents' answers."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        status, evidence, params = base(f)
        active = f.validated_answers.get("active", 0)
        waiting = f.validated_answers.get("expired", 0) + f.validated_answers.get("suspended", 0)
        if not active and not waiting:
            return status, evidence, params
        answers = N_(
            "{active} validated answers, given {served} times in 90 days ({waiting} waiting to be validated "
            "again); each resident's answer keeps a trace."
        )
        figures = {"active": active, "served": f.answers_served, "waiting": waiting}
        return (
            status,
            N_("{runs} {answers}"),
            {"runs": evidence_text(evidence, params), "answers": evidence_text(answers, figures)},
        )

    return check
