"""What a pack can carry, kind by kind (G16): usage-policy rules, evaluation sets and drafting
templates; vendor assessments and AI register entries; the memento text and learning resources.

Each kind says what the municipality may offer, how an item's content is checked before anything is
imported, and how it is added — never overwriting (see :mod:`balise.pooling.kinds.base`).
"""

from balise.pooling.kinds.base import ADDED, PRESENT, REFUSED, STATUS_LABELS, Kind, Offer
from balise.pooling.kinds.governance import GOVERNANCE_KINDS
from balise.pooling.kinds.policy import POLICY_KINDS
from balise.pooling.kinds.texts import TEXT_KINDS

KINDS: dict[str, Kind] = {**POLICY_KINDS, **GOVERNANCE_KINDS, **TEXT_KINDS}

__all__ = ["ADDED", "KINDS", "PRESENT", "REFUSED", "STATUS_LABELS", "Kind", "Offer"]
