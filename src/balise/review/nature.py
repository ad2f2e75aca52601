"""What an output is by nature, and which natures always need a reviewer whatever purpose is declared.

The guide asks for human review of what is published or addressed to residents (D1, P2). The author's
declared purpose cannot be the only safeguard: a press release saved as « internal use » is still a
press release. Each output records its nature (task and its choice, e.g. ``draft:press_release``); the
guide's natures always need approval, and a municipality may add others but never remove those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.i18n import N_
from balise.tenancy import Tenant, store_setting

SETTING = "reviewed_natures"
OPTION_OF_TASK = {"draft": "template", "summarise": "audience", "revise": "mode"}

NATURE_LABELS: dict[str, str] = {
    "draft:press_release": N_("Press release"),
    "draft:job_posting": N_("Job posting"),
    "draft:titles": N_("Titles for a publication"),
    "summarise:plain": N_("Summary in plain language for residents"),
    "revise:plain": N_("Plain-language rewrite"),
    "summarise:general": N_("Summary for the general public"),
    "draft:email": N_("E-mail"),
    "draft:memo": N_("Internal memo"),
    "revise:correct": N_("Spelling and syntax correction"),
    "summarise:specialist": N_("Summary for specialists"),
    "ask": N_("Answer from the documents"),
}
GUIDE_NATURES = frozenset(
    {"draft:press_release", "draft:job_posting", "draft:titles", "summarise:plain", "revise:plain"}
)
"""Published or addressed to residents (D1, P2): reviewed in every municipality."""


def nature_of(task: str, options: Mapping[str, Any]) -> str:
    """``task:choice`` for tasks whose choice says what the text is for, else the task alone."""
    option = OPTION_OF_TASK.get(task)
    choice = str(options.get(option, "")) if option else ""
    return f"{task}:{choice}" if choice else task


def reviewed_natures(tenant: Tenant) -> frozenset[str]:
    """The guide's natures and those the municipality added."""
    added = (tenant.settings or {}).get(SETTING, [])
    return GUIDE_NATURES | {nature for nature in added if nature in NATURE_LABELS}


def needs_review(tenant: Tenant, nature: str) -> bool:
    return nature in reviewed_natures(tenant)


def set_reviewed_natures(session: Session, tenant: Tenant, chosen: Iterable[str], *, actor: str) -> None:
    """Record the natures the municipality adds; the guide's stay whatever is chosen (stricter only)."""
    chosen = set(chosen)
    unknown = sorted(chosen - NATURE_LABELS.keys())
    if unknown:
        raise Invalid(
            "Unknown kind of result: {kinds}. Choose among the listed kinds.", kinds=", ".join(unknown)
        )
    added = sorted(chosen - GUIDE_NATURES)
    store_setting(
        session,
        tenant,
        SETTING,
        added or None,
        action="review.natures_set",
        actor=actor,
        details={"added": added},
    )
