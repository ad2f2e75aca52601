"""The assistant's JSON API: each task answered at once or streamed, the privacy preview, conversations.

It runs the same tasks as the pages (``balise.web.assistant_forms``), with the same policy, guard and
citations; ``POST /api/assistant/ask`` is a stable contract (docs/architecture.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from balise.assistant import (
    TASKS,
    Options,
    Task,
    TaskResult,
    delete_conversation,
    list_conversations,
    preview,
)
from balise.assistant.tasks import MAX_INPUT_CHARS
from balise.db import Session
from balise.web import assistant_forms as forms
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.training_gate import trained_principal

router = APIRouter(tags=["assistant"])
# Above the tasks' own limit (MAX_INPUT_CHARS), which answers a slightly long text with a French
# message; far longer bodies are refused before anything reads them.
BODY_TEXT_CHARS = MAX_INPUT_CHARS * 4
ShortText = Annotated[str, Field(max_length=200)]


class TaskRequest(BaseModel):
    """A task request: ``question`` for ask, ``text`` for the others (or ``document_ids`` to summarise)."""

    question: str = Field(default="", max_length=BODY_TEXT_CHARS)
    text: str = Field(default="", max_length=BODY_TEXT_CHARS)
    document_ids: list[ShortText] = Field(default_factory=list, max_length=200)
    audience: ShortText = "general"
    template: ShortText = ""
    mode: ShortText = "correct"
    extra_terms: list[ShortText] = Field(default_factory=list, max_length=200)
    confirm: bool = False
    conversation_id: str | None = None

    def as_form(self) -> dict[str, Any]:
        data = self.model_dump()
        data["extra_terms"] = "\n".join(self.extra_terms)
        data["confirmed"] = self.confirm
        return data


def _api_status(result: TaskResult) -> int:
    return {"blocked": 403, "warning": 409, "unavailable": 503}.get(result.status, 200)


API_DOCS = {
    "ask": "Answer a question from the documents the caller may read, with verified citations.",
    "summarise": "Summarise documents (`document_ids`) or pasted `text` for an `audience`.",
    "draft": "Draft from a `template` (email, memo, job_posting, press_release, titles) and a `text`.",
    "revise": "Revise a `text`: `mode` correct (spelling, syntax) or plain (plain language).",
}


def _api_routes(task: Task) -> None:
    """Adds ``/api/assistant/<task>`` (one JSON answer) and its ``/stream`` twin (server-sent events)."""

    def run(
        body: TaskRequest, principal: Principal = Depends(trained_principal), db: Session = Depends(tenant_db)
    ) -> JSONResponse:
        form = body.as_form()
        result = forms.run(db, principal, task, form, forms.options(form))
        db.commit()
        return JSONResponse(result.as_json(), status_code=_api_status(result))

    def stream(
        body: TaskRequest, request: Request, principal: Principal = Depends(trained_principal)
    ) -> StreamingResponse:
        return forms.stream(request, principal, task, body.as_form())

    run.__doc__ = API_DOCS[task]
    stream.__doc__ = API_DOCS[task] + " Streamed as server-sent events: `delta` events, then `done`."
    router.add_api_route(f"/api/assistant/{task}", run, methods=["POST"], tags=["api"], name=f"api_{task}")
    router.add_api_route(
        f"/api/assistant/{task}/stream", stream, methods=["POST"], tags=["api"], name=f"api_{task}_stream"
    )


for _task in TASKS:
    _api_routes(_task)


class PreviewRequest(BaseModel):
    task: Task = "ask"
    text: str = Field(max_length=BODY_TEXT_CHARS)
    choice: ShortText = ""
    extra_terms: list[ShortText] = Field(default_factory=list, max_length=200)
    conversation_id: ShortText | None = None


@router.post("/api/assistant/preview", tags=["api"])
def api_preview(
    body: PreviewRequest, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> dict[str, Any]:
    """What would be sent to the model, masked, without sending anything."""
    options = Options(extra_terms=tuple(body.extra_terms), conversation_id=body.conversation_id)
    shown = preview(
        db,
        forms.requester(principal),
        body.task,
        body.text,
        choice=body.choice,
        options=options,
    )
    return {
        "text": "".join(p.text for p in shown.pieces),
        "masked": shown.counts,
        "spans": [{"placeholder": p.text, "label": p.label} for p in shown.pieces if p.label],
        "instructions": shown.instructions,
    }


@router.get("/api/assistant/conversations", tags=["api"])
def api_conversations(
    principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> list[dict[str, Any]]:
    """The caller's conversations, most recent first."""
    conversations = list_conversations(db, principal.user.id)
    db.commit()  # listing deletes the person's expired conversations
    return [
        {
            "id": c.id,
            "task": c.task,
            "title": c.title,
            "turns": c.turns,
            "updated_at": c.updated_at.isoformat(),
            "expires_at": c.expires_at.isoformat(),
        }
        for c in conversations
    ]


@router.delete("/api/assistant/conversations/{conversation_id}", tags=["api"])
def api_delete_conversation(
    conversation_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> dict[str, bool]:
    delete_conversation(db, principal.tenant.id, principal.user.id, conversation_id)
    db.commit()
    return {"deleted": True}
