"""The one pipeline every assistant task runs through, in the order of docs/architecture.md's flow:

clearance → usage policy → the conversation's placeholders → the task writes, sending only prompts
the privacy guard sealed (nothing is sent when the guard fails) → restore → disclosure, saving for
review, history and audit.

A task prepares its request (the text the policy reads, the data's classification), then calls
:func:`run` with a ``write`` step: the part that differs from task to task (which messages, how
many calls, what to make of the answer). The staff tasks (``balise.assistant.tasks``) are its
callers; a new caller (the citizen assistant, an OpenAI-compatible gateway) builds a
:class:`Requester` and a :class:`Work` and calls :func:`run` the same way, or calls a task.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from balise import audit
from balise.assistant.history import add_turn, get_conversation, start_conversation
from balise.assistant.kept import mask_turn
from balise.assistant.results import PolicyNote, Task, TaskResult
from balise.classification import rank
from balise.db import limit_clearance, utcnow
from balise.gateway import Attribution, Completion, Gateway, NoAllowedBackend, Passage, attribution_of
from balise.guard import policy as usage_policy
from balise.guard.privacy import (
    ChatMessage,
    GuardedPrompt,
    GuardUnavailable,
    PlaceholderMap,
    StreamRestorer,
    get_guard,
    load_placeholders,
    load_settings,
    save_placeholders,
)
from balise.review import (
    Purpose,
    build_disclosure,
    nature_of,
    needs_review,
    origin_badge,
    origin_of,
    save_output,
)
from balise.tenancy import Tenant

AUDIENCES = ("specialist", "general", "plain")

Delta = Callable[[str], None]


@dataclass(frozen=True)
class Requester:
    """Who asks: their municipality, themselves (None from the CLI or a citizen) and what they may read.

    :func:`run` first narrows the session's read clearance to ``classifications``, so everything a
    task reads (search, documents, passages) is limited by the session, never by a filter of its own.
    """

    tenant: Tenant
    user_id: str | None
    classifications: tuple[str, ...]
    document_ids: frozenset[str] | None = None
    """Narrows retrieval further: a resident reads only reviewer-approved public documents."""
    anonymous: str = "cli"
    """The audit actor of a caller without an account."""
    tool: str = "assistant"
    """What the usage ledger says the calls served (« assistant », « citizen », « cli »…)."""

    @property
    def actor(self) -> str:
        return self.user_id or self.anonymous


@dataclass(frozen=True)
class Options:
    """Per-request choices: terms to mask in addition, a confirmed policy warning, the conversation."""

    extra_terms: tuple[str, ...] = ()
    confirmed: bool = False
    conversation_id: str | None = None
    on_delta: Delta | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Work:
    """What a task asks of the pipeline.

    ``request`` is the text the usage policy reads and the result shows; ``classification`` the most
    sensitive data the prompts will carry (it chooses which model may take them; a task that learns
    it only once it has searched gives it to each send instead); ``flags`` the documents' policy
    flags; ``shown_options`` the task's choices the result records. ``request_is_material`` says the
    request is a text to work on (to revise, or pasted to summarise), not something asked: the policy
    then reads it only for the rules about material (copyright).
    """

    task: Task
    request: str
    classification: str = "public"
    flags: tuple[str, ...] = ()
    shown_options: dict[str, str] = field(default_factory=dict)
    request_is_material: bool = False


@dataclass(frozen=True)
class Sent:
    """What a ``write`` step sent last: the completion the result is built from and its sealed prompt.

    ``also_masked`` counts what earlier calls of the same task masked (a long summary's parts).
    """

    completion: Completion
    prompt: GuardedPrompt
    also_masked: dict[str, int] = field(default_factory=dict)


def cleared(session: Session, who: Requester) -> Session:
    """Narrows ``session`` to what ``who`` may read (see :class:`Requester`)."""
    return limit_clearance(session, who.classifications)


def most_sensitive(classifications: Collection[str]) -> str:
    return max(classifications, key=rank) if classifications else "public"


def placeholders_of(session: Session, who: Requester, options: Options) -> PlaceholderMap:
    """The placeholders of the conversation being continued, so a name masked earlier keeps its tag."""
    if options.conversation_id and who.user_id:
        get_conversation(session, who.user_id, options.conversation_id)
        return load_placeholders(session, who.tenant.id, options.conversation_id)
    return PlaceholderMap()


# --- 1. usage policy -------------------------------------------------------------------------------


def _policy(
    session: Session, who: Requester, text: str, flags: Collection[str] = (), *, material: str = ""
) -> PolicyNote | None:
    """The tenant's policy on this request, recorded when it is not a plain allow.

    Returns None to go on, else a note for a block or a warning; the recorded decision's id lets
    the person contest it.
    """
    rules = usage_policy.load_policy(session, who.tenant.id)
    decision = usage_policy.evaluate(rules, text, document_flags=tuple(flags), material=material)
    if decision.outcome == "allow":
        return None
    record = usage_policy.record_decision(session, who.tenant.id, who.actor, decision)
    return PolicyNote(decision.outcome, decision.explanation, decision.requirement, record.id)


def _stopped(task: Task, request: str, note: PolicyNote | None, options: Options) -> TaskResult | None:
    if note is None:
        return None
    if note.outcome == "block":
        return TaskResult(task, "blocked", request, policy=note)
    if not options.confirmed:
        return TaskResult(task, "warning", request, policy=note)
    return None


# --- 3–5. masking, gateway and restore ---------------------------------------------------------------


class _Restorer:
    """Feeds streamed deltas to the sink with placeholders restored whole (:class:`StreamRestorer`)."""

    def __init__(self, placeholders: PlaceholderMap, sink: Delta):
        self.restorer, self.sink = StreamRestorer(placeholders), sink

    def __call__(self, delta: str) -> None:
        text = self.restorer.feed(delta)
        if text:
            self.sink(text)

    def flush(self) -> None:
        text = self.restorer.flush()
        if text:
            self.sink(text)


class Sender:
    """Steps 3–5 for one task: masks messages, sends them through the gateway, restores the answer.

    The conversation's placeholders are loaded on the first send, so a task that sends nothing
    never reads them. Calls are counted for the requester's person, service and tool, against their
    quotas: one reached stops the task with a :class:`~balise.gateway.QuotaExceeded` that says so.
    """

    def __init__(self, session: Session, who: Requester, work: Work, options: Options) -> None:
        self.session, self.who, self.work, self.options = session, who, work, options
        self._placeholders: PlaceholderMap | None = None
        self._attribution: Attribution | None = None

    @property
    def placeholders(self) -> PlaceholderMap:
        if self._placeholders is None:
            self._placeholders = placeholders_of(self.session, self.who, self.options)
        return self._placeholders

    @property
    def attribution(self) -> Attribution:
        if self._attribution is None:
            self._attribution = attribution_of(
                self.session, self.who.tenant.id, self.who.user_id, self.who.tool
            )
        return self._attribution

    def generative(self) -> bool:
        """Whether a generative model may take this data at all (else the extractive backend answers)."""
        try:
            gateway = Gateway(self.session, self.who.tenant.id)
            return gateway.choose(self.work.classification, False).kind == "generative"
        except NoAllowedBackend:
            return False

    def send(
        self,
        messages: Sequence[ChatMessage],
        *,
        passages: Sequence[Passage] = (),
        stream: bool = True,
        question: str | None = None,
        audience: str = "general",
        classification: str | None = None,
    ) -> tuple[GuardedPrompt, Completion]:
        """Masks the messages (``GuardUnavailable`` when the guard cannot check them: nothing is
        sent), then the gateway's answer; streamed deltas reach ``options.on_delta`` with
        placeholders already restored.

        ``question`` is the unmasked request the extractive fallback matches sentences against: it
        runs inside Balise, so it may read what the model may not.
        """
        settings = load_settings(self.session, self.who.tenant.id)
        prompt = get_guard().protect(
            messages, settings, self.placeholders, extra_terms=self.options.extra_terms
        )
        on_delta = self.options.on_delta if stream else None
        restorer = _Restorer(self.placeholders, on_delta) if on_delta is not None else None
        gateway = Gateway(self.session, self.who.tenant.id, attribution=self.attribution)
        completion = gateway.complete(
            prompt,
            classification=classification or self.work.classification,
            task=self.work.task,
            passages=list(passages),
            question=question,
            audience=audience if audience in AUDIENCES else "general",  # type: ignore[arg-type]
            on_delta=restorer,
        )
        if restorer is not None:
            restorer.flush()
        return prompt, completion

    def restore(self, text: str) -> str:
        """The model's text with the personal information it saw as placeholders put back."""
        return get_guard().restore(text, self.placeholders)


Write = Callable[[Sender, TaskResult], Sent | None]
"""A task's own step: fills the result (text, parts, citations…) from what it sends through the
sender, and returns what it sent last; None when it sent nothing and the result stands as it is."""


def run(session: Session, who: Requester, work: Work, options: Options, write: Write) -> TaskResult:
    """Runs one task through the request flow; the caller commits.

    A block or an unconfirmed warning of the usage policy stops it before anything is read or sent;
    a privacy guard that cannot check the prompts stops it before anything is sent.
    """
    cleared(session, who)
    if work.request_is_material:  # correcting a sentence about a fine does not ask to set the fine
        note = _policy(session, who, "", work.flags, material=work.request)
    else:
        note = _policy(session, who, work.request, work.flags)
    stopped = _stopped(work.task, work.request, note, options)
    if stopped is not None:
        return stopped
    result = TaskResult(work.task, "done", work.request, policy=note, options=dict(work.shown_options))
    sender = Sender(session, who, work, options)
    try:
        sent = write(sender, result)
    except GuardUnavailable as exc:
        # A signal for the confidentiality-incident register (governance proposes an incident).
        audit.record(
            session,
            "guard.unavailable",
            actor=who.actor,
            tenant_id=who.tenant.id,
            details={"task": work.task},
        )
        return TaskResult(work.task, "unavailable", work.request, message=exc.localized(), policy=note)
    if sent is None:
        return result
    finished = _finish(session, who, result, sent, placeholders=sender.placeholders, options=options)
    for label, count in sent.also_masked.items():
        finished.masked[label] = max(finished.masked.get(label, 0), count)
    return finished


# --- 6–7. disclosure, saving, history, audit ---------------------------------------------------------


def _sources(result: TaskResult) -> list[dict[str, Any]]:
    """The documents the result cites, once each, for the provenance record."""
    seen: dict[tuple[str, int | None], dict[str, Any]] = {}
    for c in result.citations:
        if c.document_id:
            seen.setdefault(
                (c.document_id, c.page), {"document_id": c.document_id, "title": c.title, "page": c.page}
            )
    return list(seen.values())


def _finish(
    session: Session,
    who: Requester,
    result: TaskResult,
    sent: Sent,
    *,
    placeholders: PlaceholderMap,
    options: Options,
) -> TaskResult:
    """Labels, saves, keeps in the history and audits one finished result; the caller commits."""
    completion, prompt = sent.completion, sent.prompt
    at = utcnow()
    result.backend, result.kind, result.model = completion.backend, completion.kind, completion.model
    result.notice, result.label, result.footprint = completion.notice, completion.label, completion.footprint
    result.masked = dict(prompt.counts)
    sources = _sources(result)
    # One decision of how the text was made: a draft without a model is a filled template, a revision
    # without a model the writing rules; only a model's text is labelled AI-generated.
    origin = origin_of(result.task, completion.kind, from_documents=bool(sources))
    model = completion.model or completion.backend
    result.label = origin_badge(origin, model)
    disclosure = build_disclosure(
        who.tenant,
        model=model,
        backend_kind=completion.kind,
        at=at,
        origin=origin,
        backend_name=completion.backend,
    )
    nature = nature_of(result.task, result.options)
    provenance: dict[str, Any] = {
        **disclosure.provenance,
        "task": result.task,
        "nature": nature,
        "sources": sources,
        "masked": result.masked,
        "to_verify": result.to_verify,
    }
    conversation = None
    if who.user_id:
        result.disclosure, result.provenance = disclosure.text, provenance
        kept = mask_turn(
            session,
            who.tenant.id,
            placeholders,
            result.request,
            result.text,
            result.details(),
            options.extra_terms,
        )
        if options.conversation_id:
            conversation = get_conversation(session, who.user_id, options.conversation_id)
        else:
            conversation = start_conversation(session, who.tenant, who.user_id, result.task, kept.request)
        save_placeholders(session, who.tenant.id, conversation.id, placeholders)
        output = save_output(
            session,
            tenant_id=who.tenant.id,
            author_id=who.user_id,
            task=result.task,
            text=result.text,
            purpose=Purpose.PUBLIC if needs_review(who.tenant, nature) else Purpose.INTERNAL,
            provenance=provenance,
            conversation_id=conversation.id,
        )
        provenance = {**provenance, "output_id": output.id}
        output.provenance = provenance
        result.output_id, result.conversation_id = output.id, conversation.id
        details = {**kept.details, "output_id": output.id, "conversation_id": conversation.id}
        details["provenance"] = {**details["provenance"], "output_id": output.id}
        add_turn(session, who.tenant, conversation, kept.request, kept.answer, details)
    result.disclosure, result.provenance = disclosure.text, provenance
    audit.record(
        session,
        f"assistant.{result.task}",
        actor=who.actor,
        tenant_id=who.tenant.id,
        target_type="output" if result.output_id else "",
        target_id=result.output_id or "",
        details={
            "backend": completion.backend,
            "kind": completion.kind,
            "masked": result.masked,
            "citations": len(result.citations),
            "to_verify": result.to_verify,
            "policy": result.policy.outcome if result.policy else "allow",
            **({"template": result.options["template"]} if "template" in result.options else {}),
        },
    )
    return result
