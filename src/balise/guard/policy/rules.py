"""What a usage policy is made of: rules, the policy that holds them, and the decision it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["allow", "warn", "block"]
OUTCOMES: tuple[Outcome, ...] = ("allow", "warn", "block")
SEVERITY: dict[str, int] = {"allow": 0, "warn": 1, "block": 2}

DEFAULT_RULE_ID = "default"
DEFAULT_THRESHOLD = 0.88
DEFAULT_MARGIN = 0.01


@dataclass(frozen=True)
class Rule:
    """One rule of a tenant's policy.

    A rule matches a request when one of its ``keywords`` or ``patterns`` occurs, when a document of the
    request carries one of its ``document_flags``, or when the request is close enough to one of its
    ``examples`` (cosine similarity of multilingual-e5 embeddings at least ``threshold``) and closer to
    them than to every example of the ``allow`` rules; when the rule has ``cues`` (patterns naming its
    subject: people for X1, a picture for X2, a decision for X4), a match by similarity alone also needs
    one of them, so that a request that merely sounds like an example (« Rédige un mot de remerciement
    aux bénévoles ») is not taken for one. When one of its ``exceptions`` occurs, only a document flag
    can still make it match.
    Keywords and patterns are matched on lower-cased text with accents removed. ``explanation`` is an
    English gettext msgid for the built-in rules and the administrator's own words for tenant rules.
    """

    id: str
    outcome: Outcome
    explanation: str
    requirement: str = ""
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    document_flags: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    enabled: bool = True


@dataclass(frozen=True)
class Policy:
    """A tenant's rules; ``margin`` is how much closer a request must be to a rule than to allowed uses."""

    rules: tuple[Rule, ...] = ()
    margin: float = DEFAULT_MARGIN


@dataclass(frozen=True)
class Decision:
    """What the policy says about one request, and why; never holds the request text."""

    outcome: Outcome
    rule_id: str
    requirement: str
    explanation: str
    score: float
