"""What the Swiss instruments give the conformity view (L2, nLPD art. 12 and 22).

For a Swiss municipality, L2 is in place once every AI system handling personal data (in use or
planned) has an entry of the processing register and a complete data-protection impact assessment,
and every entry of the register is complete. A Quebec municipality keeps the evaluation it had.
"""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, Evidence
from balise.governance.evidence import Facts
from balise.i18n import N_


def l2(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    s = f.swiss
    if not s.swiss:
        return ATTENTION, N_("The controls of L1 apply; no Swiss register of processing activities yet."), {}
    params = {
        "personal": s.personal,
        "registered": s.registered,
        "dpias": s.dpia_complete,
        "entries": s.entries,
        "complete": s.entries_complete,
        "consultations": s.consultations,
    }
    done = s.registered == s.personal and s.dpia_complete == s.personal and s.entries_complete == s.entries
    return (
        IN_PLACE if done and s.entries else ATTENTION,
        N_(
            "Swiss municipality (nLPD): of {personal} AI systems handling personal data, {registered} "
            "have an entry in the register of processing activities and {dpias} a complete impact assessment "
            "(art. 22); {complete} of {entries} entries complete; {consultations} prior consultation(s) "
            "of the FDPIC."
        ),
        params,
    )
