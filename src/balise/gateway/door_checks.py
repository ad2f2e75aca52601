"""What every call through the OpenAI-compatible door shares: who calls and with which tool, the errors
it answers, the usage policy and the privacy guard as the door applies them, and the footprint figures
it audits."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from balise import audit
from balise.classification import CLASSIFICATION_ORDER, Classification
from balise.errors import BaliseError, Invalid
from balise.gateway.contracts import Footprint
from balise.gateway.errors import BackendFailure
from balise.gateway.gateway import Gateway
from balise.gateway.quotas import attribution_of
from balise.guard import policy as usage_policy
from balise.guard.privacy import ChatMessage, GuardedPrompt, GuardUnavailable, get_guard, load_settings

DEFAULT_CLASSIFICATION = Classification.INTERNAL
MAX_CHARS = 200_000
"""All the text of one request: far above a long conversation, far below what would tie up the guard."""
DOOR_TOOL = "api"
_NOT_PLAIN = re.compile(r"[^a-z0-9._-]+")
_TOOL_CHARS = 40
_MASKING = ThreadPoolExecutor(max_workers=8, thread_name_prefix="door-masking")
"""Where the door's masking waits for the guard (whose own pool, and time limit, do the work)."""


class DoorInvalid(Invalid):
    status = 400
    code = "invalid_request"


class PolicyBlocked(BaliseError):
    status = 403
    code = "policy_blocked"


class PolicyWarning(BaliseError):
    status = 409
    code = "policy_warning"


class NoGenerativeModel(BaliseError):
    """404 as the OpenAI API answers a model one may not use: a lasting state, which a 5xx would
    make the official clients retry for nothing."""

    status = 404
    code = "no_generative_model"


class ModelNotFound(BaliseError):
    status = 404
    code = "model_not_found"


class ModelFailed(BaliseError):
    status = 502
    code = "model_failed"


@dataclass(frozen=True)
class Caller:
    """The token's person: municipality, themselves, what their role may read, and the tool they use
    (see :func:`tool_of`), by which consumption is reported."""

    tenant_id: str
    user_id: str
    classifications: tuple[str, ...]
    tool: str = DOOR_TOOL


def _plain(name: str) -> str:
    return _NOT_PLAIN.sub("-", name.strip().lower()).strip("-")[:_TOOL_CHARS]


def tool_of(declared: str, user_agent: str) -> str:
    """« api/<tool> »: the name the tool declares (header X-Balise-Tool), else the family of its
    User-Agent without the version (« OpenAI/Python 1.54.0 » → « api/openai-python », « curl/8.5 » →
    « api/curl »), kept short and plain; « api » when the request names neither."""
    name = _plain(declared)
    if not name:
        product, _slash, version = user_agent.strip().partition(" ")[0].partition("/")
        family = version if version[:1].isalpha() else ""
        name = _plain(f"{product}-{family}" if family else product)
    return f"{DOOR_TOOL}/{name}" if name else DOOR_TOOL


def gateway_for(session: Session, caller: Caller) -> Gateway:
    """The gateway the caller's requests go through, counting them for the person, service and tool."""
    attribution = attribution_of(session, caller.tenant_id, caller.user_id, caller.tool)
    return Gateway(session, caller.tenant_id, attribution=attribution)


def check_policy(
    session: Session, caller: Caller, request: str, *, material: str = "", confirmed: bool
) -> str:
    """The usage policy's outcome; a block, or a warning not confirmed, is raised as an error."""
    rules = usage_policy.load_policy(session, caller.tenant_id)
    decision = usage_policy.evaluate(rules, request, material=material)
    if decision.outcome == "allow":
        return "allow"
    record = usage_policy.record_decision(session, caller.tenant_id, caller.user_id, decision)
    contest = f"/politique/contestation?decision={record.id}"
    if decision.outcome == "block":
        raise PolicyBlocked(
            "Your municipality's usage policy refuses this request (rule {requirement}): {explanation} "
            "If you think this is a mistake, contest the decision: {contest}",
            requirement=decision.requirement,
            explanation=decision.explanation,
            contest=contest,
        )
    if not confirmed:
        raise PolicyWarning(
            "Your municipality's usage policy asks you to confirm this request (rule {requirement}): "
            "{explanation} To go on, send it again with the header X-Balise-Confirm: yes.",
            requirement=decision.requirement,
            explanation=decision.explanation,
        )
    return decision.outcome


def masking(
    session: Session, caller: Caller, messages: list[ChatMessage], task: str
) -> Callable[[], GuardedPrompt]:
    """Starts masking the messages while the caller reads them with the usage policy: the guard's
    recognisers and the policy's embedding each keep a core busy, so the two overlap instead of
    adding up. The returned call waits for the masked prompt; a guard that cannot check the messages
    stops the request there and leaves a signal. Nothing is sent before both have answered."""
    future = _MASKING.submit(get_guard().protect, messages, load_settings(session, caller.tenant_id))

    def masked() -> GuardedPrompt:
        try:
            return future.result()
        except GuardUnavailable:
            audit.record(
                session,
                "guard.unavailable",
                actor=caller.user_id,
                tenant_id=caller.tenant_id,
                details={"task": task},
            )
            raise

    return masked


def figures(footprint: Footprint) -> dict[str, Any]:
    return {
        "tokens_in": footprint.tokens_in,
        "tokens_out": footprint.tokens_out,
        "wh": round(footprint.wh, 6),
        "gco2e": round(footprint.gco2e, 6),
    }


def declared_classification(value: str) -> str:
    """The classification the caller declared (header ``X-Balise-Classification``), internal by default."""
    value = (value or DEFAULT_CLASSIFICATION).strip().lower()
    if value not in CLASSIFICATION_ORDER:
        raise DoorInvalid(
            "Unknown classification “{classification}”; use one of: {choices} (header "
            "X-Balise-Classification).",
            classification=value[:40],
            choices=", ".join(CLASSIFICATION_ORDER),
        )
    return value


def model_failed(failure: BackendFailure, name: str) -> ModelFailed:
    """A named model's failure, told to the tool that named it: the door never answers with extracts."""
    return ModelFailed(
        "The model {name} could not answer ({reason}). Try again in a moment; if it persists, tell "
        "an administrator.",
        name=name,
        reason=failure.reason,
    )
