"""Usage policy (X1, X2, X4, X5, D4): block, warn or allow a request, with the guide's reason.

``evaluate`` is pure and fast (one embedding per request); the service functions store a tenant's
policy, log decisions without their text, and let users contest blocks that managers then resolve.
"""

from balise.guard.policy.defaults import THIRD_PARTY_COPYRIGHT, default_policy
from balise.guard.policy.engine import evaluate
from balise.guard.policy.models import ContestStatus, PolicyContest, PolicyDecision, StoredPolicy
from balise.guard.policy.rules import OUTCOMES, Decision, Outcome, Policy, Rule
from balise.guard.policy.service import (
    contest,
    list_contested,
    load_policy,
    record_decision,
    resolve_contest,
    save_policy,
)
from balise.guard.policy.yaml_io import PolicyInvalid, policy_from_yaml, policy_to_yaml

__all__ = [
    "OUTCOMES",
    "THIRD_PARTY_COPYRIGHT",
    "ContestStatus",
    "Decision",
    "Outcome",
    "Policy",
    "PolicyContest",
    "PolicyDecision",
    "PolicyInvalid",
    "Rule",
    "StoredPolicy",
    "contest",
    "default_policy",
    "evaluate",
    "list_contested",
    "load_policy",
    "policy_from_yaml",
    "policy_to_yaml",
    "record_decision",
    "resolve_contest",
    "save_policy",
]
