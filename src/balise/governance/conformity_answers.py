"""What validated answers and answer traces give the conformity view for P4 (accuracy, errors traced)."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, Evidence
from balise.governance.evidence import Facts
from balise.i18n import N_


def p4(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """Attention until evaluation runs are stored; validated answers and traces are the evidence so far."""
    active = f.validated_answers.get("active", 0)
    waiting = f.validated_answers.get("expired", 0) + f.validated_answers.get("suspended", 0)
    if not active and not waiting:
        return (
            ATTENTION,
            N_(
                "The evaluation commands exist and each resident's answer keeps a trace; no validated "
                "answer yet and no evaluation run is recorded for this municipality."
            ),
            {},
        )
    return (
        ATTENTION,
        N_(
            "{active} validated answers, given {served} times in 90 days ({waiting} waiting to be validated "
            "again); each resident's answer keeps a trace. No evaluation run is recorded yet."
        ),
        {"active": active, "served": f.answers_served, "waiting": waiting},
    )
