"""The model gateway: the only way text reaches a model (P6, G17).

It accepts nothing but a :class:`GuardedPrompt` (minted by the privacy guard), sends it only to a
backend the municipality approved for the data's classification and residency, and never leaves the
user waiting: on error, timeout or an open circuit it answers with extracts from the documents and
says so. Every request leaves a :class:`ModelUsage` row with counts and estimates, never text,
attributed to the person, service and tool it served; a call made for a person is first admitted
against their quotas (``quotas.py``), which may refuse it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from balise.classification import CLASSIFICATION_ORDER, Classification, within
from balise.gateway import quotas
from balise.gateway.breaker import BREAKERS, BreakerBoard
from balise.gateway.caution import abstain_threshold
from balise.gateway.contracts import Attribution, Completion, Footprint, Kind, Passage, Reservation
from balise.gateway.errors import BackendFailure, InvalidBackend, NoAllowedBackend
from balise.gateway.extractive import NAME as EXTRACTIVE
from balise.gateway.extractive import Audience, ExtractiveBackend
from balise.gateway.footprint import Hosting, estimate, grid_intensity, on_premises_grid
from balise.gateway.markers import generative_citations
from balise.gateway.openai_backend import OpenAICompatible, Usage
from balise.gateway.registry import list_backends
from balise.gateway.tables import ModelBackend, ModelUsage
from balise.guard.privacy.prompt import GuardedPrompt
from balise.i18n import N_, _
from balise.tenancy.models import Tenant

Outcome = str  # "ok", "extractive", "fallback_<reason>"


@dataclass(frozen=True)
class BackendChoice:
    """The backend a request will go to; ``backend`` is None for the extractive backend."""

    name: str
    kind: Kind
    backend: ModelBackend | None


def classification_label(classification: str) -> str:
    labels = {
        Classification.PUBLIC: _("public"),
        Classification.INTERNAL: _("internal"),
        Classification.CONFIDENTIAL: _("confidential"),
        Classification.PERSONAL: _("personal"),
    }
    return labels[Classification(classification)]


def _fallback_notice(name: str, reason: str) -> str:
    if reason == "timeout":
        notice = _(
            "The model {name} took too long to answer: this answer is made of extracts from the documents."
        )
    elif reason == "circuit_open":
        notice = _(
            "The model {name} is paused after repeated failures: this answer is made of extracts from "
            "the documents."
        )
    else:
        notice = _("The model {name} is unavailable: this answer is made of extracts from the documents.")
    return notice.format(name=name)


def _require_guarded(prompt: object) -> None:
    """Fail closed: text that did not pass the privacy guard is never sent, whatever the caller."""
    if not isinstance(prompt, GuardedPrompt) or not prompt.intact:
        raise TypeError("the gateway only accepts a GuardedPrompt from the privacy guard")


def _approx_tokens(text: str) -> int:
    """About four characters per token, used only when a server reports no usage."""
    return math.ceil(len(text) / 4)


class Gateway:
    """Routes one municipality's guarded prompts to an approved model, or answers extractively."""

    def __init__(
        self,
        session: Session,
        tenant_id: str,
        *,
        attribution: Attribution = Attribution(),
        breakers: BreakerBoard = BREAKERS,
        stream_deadline_s: float = 180.0,
    ):
        self.session = session
        self.tenant_id = tenant_id
        self.attribution = attribution
        self.breakers = breakers
        self.stream_deadline_s = stream_deadline_s
        tenant = session.get(Tenant, tenant_id)
        self.region = tenant.region if tenant is not None else "QC"
        self.extractive = ExtractiveBackend(
            tenant_region=self.region, abstain_below=abstain_threshold(tenant)
        )

    # -- routing -----------------------------------------------------------------------------------
    def _jurisdiction(self) -> Hosting:
        return on_premises_grid(self.region)

    def _locality(self, backend: ModelBackend) -> int:
        """Local hosting is preferred (P6): on premises, then the tenant's jurisdiction, then further."""
        order = [Hosting.ON_PREMISES, self._jurisdiction(), Hosting.CANADA, Hosting.SWITZERLAND, Hosting.EU]
        return order.index(Hosting(backend.hosting)) if backend.hosting in order else len(order)

    def _exclusion(
        self, backend: ModelBackend, classification: str, has_personal: bool
    ) -> tuple[str, dict[str, str]] | None:
        """Why a backend may not receive this data (a msgid and its parameters), or None when it may."""
        if not within(classification, backend.max_classification):
            return N_("{name} may only receive data up to {level}"), {
                "name": backend.name,
                "level": backend.max_classification,
            }
        personal = has_personal or classification == Classification.PERSONAL
        if has_personal and not backend.allows_masked_personal:
            return N_("{name} may not receive personal information, even masked"), {"name": backend.name}
        if personal and backend.hosting not in (Hosting.ON_PREMISES, self._jurisdiction()):
            return N_(
                "{name} is hosted outside the municipality's jurisdiction, where personal information "
                "may not go"
            ), {"name": backend.name}
        return None

    def allows(self, backend: ModelBackend, classification: str, has_personal: bool) -> bool:
        """Whether this backend may receive this data: the rule of :meth:`admit`, as an answer."""
        return self._exclusion(backend, classification, has_personal) is None

    def admit(self, backend: ModelBackend, classification: str, has_personal: bool) -> None:
        """Raises :class:`NoAllowedBackend` when this backend may not receive this data."""
        reason = self._exclusion(backend, classification, has_personal)
        if reason is not None:
            raise NoAllowedBackend(
                "The model you chose may not receive {level} data: {reasons}. Choose another model of "
                "your municipality, or ask an administrator.",
                level=classification,
                reasons=[reason],
            )

    def choose(self, classification: str, has_personal: bool) -> BackendChoice:
        """The approved backend for this data, the default first, then the most local, then the cheapest.

        With no generative model registered the extractive backend answers (embedded default).
        Raises :class:`NoAllowedBackend` with every exclusion reason when models exist but none fits.
        """
        if classification not in CLASSIFICATION_ORDER:
            raise InvalidBackend(
                "Unknown classification {classification}; use one of: {choices}.",
                classification=classification,
                choices=", ".join(CLASSIFICATION_ORDER),
            )
        backends = list_backends(self.session, self.tenant_id, "generative")
        if not backends:
            return BackendChoice(EXTRACTIVE, "extractive", None)
        allowed, reasons = [], []
        for backend in backends:
            reason = self._exclusion(backend, classification, has_personal)
            if reason is None:
                allowed.append(backend)
            else:
                reasons.append(reason)
        if not allowed:
            raise NoAllowedBackend(
                "No approved model may receive {level} data: {reasons}. Ask an administrator to approve "
                "one, or use an answer made of extracts from the documents.",
                level=classification,
                reasons=reasons,
            )
        best = min(allowed, key=lambda b: (not b.is_default, self._locality(b), b.price_per_1k_tokens))
        return BackendChoice(best.name, "generative", best)

    # -- answering -------------------------------------------------------------------------------------
    def complete(
        self,
        prompt: GuardedPrompt,
        *,
        classification: str,
        task: str,
        passages: Sequence[Passage] = (),
        question: str | None = None,
        audience: Audience = "general",
        on_delta: Callable[[str], None] | None = None,
    ) -> Completion:
        """One answer; extractive with a notice when no model may or can answer.

        ``question`` is what the extractive fallback matches sentences against (the last user
        message when not given); ``passages`` are the numbered sources the prompt cites. With
        ``on_delta`` the answer is streamed to it as it comes (see :meth:`stream`).
        """
        _require_guarded(prompt)
        final: Completion | None = None
        streaming = on_delta is not None
        for item in self._run(
            prompt, classification, task, passages, question, audience, streaming=streaming
        ):
            if isinstance(item, Completion):
                final = item
            elif on_delta is not None:
                on_delta(item)
        assert final is not None  # _run always ends with a Completion
        return final

    def stream(
        self,
        prompt: GuardedPrompt,
        *,
        classification: str,
        task: str,
        passages: Sequence[Passage] = (),
        question: str | None = None,
        audience: Audience = "general",
    ) -> Iterator[str | Completion]:
        """Text deltas, then one final :class:`Completion`, which is authoritative.

        If a model fails after it started streaming, the final Completion carries the extractive
        answer and a notice: the interface replaces what it showed with it.
        """
        _require_guarded(prompt)
        return self._run(prompt, classification, task, passages, question, audience, streaming=True)

    def _run(
        self,
        prompt: GuardedPrompt,
        classification: str,
        task: str,
        passages: Sequence[Passage],
        question: str | None,
        audience: Audience,
        *,
        streaming: bool,
    ) -> Iterator[str | Completion]:
        """One request: route, call, fall back, record; ``streaming`` only changes how the model is called."""
        started = time.monotonic()
        fallback_args = (prompt, task, passages, question, audience, classification, started)
        try:
            choice = self.choose(classification, prompt.contains_placeholders)
        except NoAllowedBackend as refusal:
            completion = self._extractive(
                *fallback_args, notice=refusal.localized(), outcome="fallback_refused"
            )
            yield completion.text
            yield completion
            return
        backend = choice.backend
        if backend is None:
            completion = self._extractive(*fallback_args, notice=None, outcome="extractive")
            yield completion.text
            yield completion
            return
        reservation = self.reserve(self.attempt(backend, prompt), task, classification)
        streamed = False
        try:
            with closing(
                self._generative(
                    backend, prompt, task, classification, passages, started, reservation, streaming=streaming
                )
            ) as answer:
                for item in answer:
                    streamed = streamed or isinstance(item, str)
                    yield item
        except BackendFailure as failure:
            if reservation.usage_id is not None:  # the attempt keeps the row it reserved
                self._record_failure(backend, task, classification, started, failure, reservation)
            completion = self._extractive(
                *fallback_args,
                notice=_fallback_notice(backend.name, failure.reason),
                outcome=f"fallback_{failure.reason}",
            )
            if not streamed:
                yield completion.text
            yield completion

    def relay(
        self,
        prompt: GuardedPrompt,
        backend: ModelBackend,
        *,
        classification: str,
        task: str,
        streaming: bool,
        reservation: Reservation | None = None,
    ) -> Iterator[str | Completion]:
        """The backend's own answer, with no extractive fallback: for callers that asked a model by
        name (the OpenAI-compatible door), who must be told it failed rather than given extracts.

        ``reservation`` is the caller's own :meth:`reserve` (the door reserves before its answer
        starts, to refuse with a status); without it the call is reserved here. Raises
        :class:`NoAllowedBackend` when the backend may not receive this data, :class:`QuotaExceeded`
        when a quota is reached and :class:`BackendFailure` when the model cannot answer (recorded
        with outcome ``error_<reason>``).
        """
        _require_guarded(prompt)
        self.admit(backend, classification, prompt.contains_placeholders)
        if reservation is None:
            reservation = self.reserve(self.attempt(backend, prompt), task, classification)
        started = time.monotonic()
        try:
            yield from self._generative(
                backend, prompt, task, classification, (), started, reservation, streaming=streaming
            )
        except BackendFailure as failure:
            self._record_failure(backend, task, classification, started, failure, reservation)
            raise

    def attempt(self, backend: ModelBackend, prompt: GuardedPrompt) -> Completion:
        """A call about to be made, as far as it is known: its backend and its prompt's estimated size."""
        tokens = _approx_tokens("".join(m["content"] for m in prompt.messages))
        return Completion(
            text="",
            backend=backend.name,
            kind="generative",
            model=backend.model,
            footprint=self._footprint(backend, tokens, 0),
        )

    def reserve(self, attempt: Completion, task: str, classification: str) -> Reservation:
        """Admits a call against its person's quotas before it is made (``quotas.py``); raises
        :class:`QuotaExceeded`, and then nothing may be sent."""
        pending = ModelUsage(**self._columns(attempt, task, classification, quotas.PENDING, 0))
        return Reservation(quotas.reserve(self.session, self.tenant_id, self.attribution, pending))

    def _record_failure(
        self,
        backend: ModelBackend,
        task: str,
        classification: str,
        started: float,
        failure: BackendFailure,
        reservation: Reservation,
    ) -> None:
        failed = Completion(text="", backend=backend.name, kind="generative", model=backend.model)
        self.record(failed, task, classification, started, f"error_{failure.reason}", reservation)

    def _generative(
        self,
        backend: ModelBackend,
        prompt: GuardedPrompt,
        task: str,
        classification: str,
        passages: Sequence[Passage],
        started: float,
        reservation: Reservation,
        *,
        streaming: bool,
    ) -> Generator[str | Completion, None, None]:
        """Text deltas then the recorded :class:`Completion` of one backend, its circuit breaker kept;
        raises :class:`BackendFailure` (``circuit_open`` when the breaker holds it closed)."""
        breaker = self.breakers(backend.id)
        if not breaker.allow():
            raise BackendFailure("circuit_open")
        deltas: list[str] = []
        usage: Usage | None = None
        model = backend.model
        try:
            client = OpenAICompatible(backend)
            if streaming:
                for item in client.stream(prompt.messages, started + self.stream_deadline_s):
                    if isinstance(item, Usage):
                        usage = item
                    else:
                        deltas.append(item)
                        yield item
                if not "".join(deltas).strip():
                    raise BackendFailure("bad_response", "empty answer")
            else:
                answer = client.complete(prompt.messages)
                deltas, usage, model = [answer.text], answer.usage, answer.model
        except BackendFailure:
            breaker.failure()
            raise
        except GeneratorExit:  # the reader went away mid-stream: no verdict on the backend
            breaker.release()
            raise
        breaker.success()
        text = "".join(deltas)
        if usage is None:
            prompt_chars = "".join(m["content"] for m in prompt.messages)
            usage = Usage(_approx_tokens(prompt_chars), _approx_tokens(text))
        completion = Completion(
            text=text,
            backend=backend.name,
            kind="generative",
            citations=generative_citations(text, passages),
            footprint=self._footprint(backend, usage.tokens_in, usage.tokens_out),
            model=model,
        )
        self.record(completion, task, classification, started, "ok", reservation)
        yield completion

    def _footprint(self, backend: ModelBackend, tokens_in: int, tokens_out: int) -> Footprint:
        return estimate(
            tokens_in,
            tokens_out,
            wh_per_1k_tokens=backend.wh_per_1k_tokens,
            grid_g_per_kwh=grid_intensity(backend.hosting, self.region),
            price_per_1k_tokens=backend.price_per_1k_tokens,
            currency=backend.currency,
        )

    def _extractive(
        self,
        prompt: GuardedPrompt,
        task: str,
        passages: Sequence[Passage],
        question: str | None,
        audience: Audience,
        classification: str,
        started: float,
        *,
        notice: str | None,
        outcome: Outcome,
    ) -> Completion:
        """The answer made of source sentences, with ``notice`` saying why it replaced a model's."""
        if task == "summarise":
            completion = self.extractive.summarise(list(passages), audience=audience)
        else:
            if question is None:
                users = [m["content"] for m in prompt.messages if m["role"] == "user"]
                question = users[-1] if users else ""
            completion = self.extractive.answer(question, passages)
        completion = replace(completion, notice=notice)
        self.record(completion, task, classification, started, outcome)
        return completion

    def record(
        self,
        completion: Completion,
        task: str,
        classification: str,
        started: float,
        outcome: Outcome,
        reservation: Reservation | None = None,
    ) -> None:
        """One row of the usage ledger (counts and estimates, never text) in the caller's transaction:
        the row the call reserved, completed, or a new one."""
        latency_ms = round(1000 * (time.monotonic() - started))
        columns = self._columns(completion, task, classification, outcome, latency_ms)
        reserved = reservation.usage_id if reservation is not None else None
        row = self.session.get(ModelUsage, reserved) if reserved is not None else None
        if row is None:
            self.session.add(ModelUsage(**columns))
        else:
            for name, value in columns.items():
                setattr(row, name, value)
        self.session.flush()

    def _columns(
        self, completion: Completion, task: str, classification: str, outcome: Outcome, latency_ms: int
    ) -> dict[str, object]:
        footprint: Footprint = completion.footprint
        return {
            "tenant_id": self.tenant_id,
            "backend": completion.backend,
            "kind": completion.kind,
            "model": completion.model,
            "task": task,
            "classification": classification,
            "tokens_in": footprint.tokens_in,
            "tokens_out": footprint.tokens_out,
            "wh": footprint.wh,
            "gco2e": footprint.gco2e,
            "cost": footprint.cost,
            "currency": footprint.currency,
            "latency_ms": latency_ms,
            "outcome": outcome,
            "user_id": self.attribution.user_id,
            "service": self.attribution.service,
            "tool": self.attribution.tool,
        }
