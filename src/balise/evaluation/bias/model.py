"""The municipality's generative model as the bias probes reach it: through the privacy guard and the
model gateway, like every task (docs/architecture.md, « What reaches a model »).

The probes' text is synthetic: requests written in this package, invented names
(:mod:`~balise.evaluation.bias.names`) and the published CrowS-Pairs sentences. Masking the invented
names would defeat the probe (every name would read « <PERSON_1> »), so those names, and only they,
go on the guard's allow-list for these calls. The guard still reads every message: anything else it
finds means the text is not what the probe wrote, and nothing is sent (fail closed). The data is
declared public, and each stored run is recorded in the audit log with its model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from balise.errors import BaliseError
from balise.gateway import BackendFailure, Completion, Gateway
from balise.guard.privacy import ChatMessage, get_guard, load_settings

CLASSIFICATION = "public"
TASK = "bias_probe"


class NoGenerativeModel(BaliseError):
    status = 409
    code = "no_generative_model"


class ModelFailed(BaliseError):
    status = 502
    code = "model_failed"


class ProbeModel:
    """The default generative model of one municipality (the one its staff's drafts go to)."""

    def __init__(self, session: Session, tenant_id: str):
        self.gateway = Gateway(session, tenant_id)
        backend = self.gateway.choose(CLASSIFICATION, has_personal=False).backend
        if backend is None:
            raise NoGenerativeModel(
                "No generative model is configured for this municipality: the model probes cannot run. "
                "The job-title check ran on the drafting templates."
            )
        self.backend = backend
        self.settings = load_settings(session, tenant_id)

    def ask(self, messages: list[ChatMessage], names: Sequence[str]) -> str | None:
        """The model's answer; None when the guard found anything but ``names`` (nothing was sent)."""
        settings = replace(self.settings, allow_terms=(*self.settings.allow_terms, *names))
        prompt = get_guard().protect(messages, settings)
        if prompt.counts:
            return None
        reason = "bad_response"
        try:
            for item in self.gateway.relay(
                prompt, self.backend, classification=CLASSIFICATION, task=TASK, streaming=False
            ):
                if isinstance(item, Completion):
                    return item.text
        except BackendFailure as failure:
            reason = failure.reason
        raise ModelFailed(
            "The model {name} did not answer ({reason}): the bias probe stopped and nothing was stored.",
            name=self.backend.name,
            reason=reason,
        )
