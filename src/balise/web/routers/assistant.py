"""The staff assistant: ask, summarise, draft and revise, as pages, a JSON API and a stream.

Every page works without JavaScript (the form posts and the full result is rendered); with it,
``assistant.js`` posts the same form to the stream endpoint and shows the answer as it is written.
Model output and document text are only ever inserted as escaped text by the templates.
"""

from __future__ import annotations

import contextvars
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.assistant import (
    AUDIENCES,
    DEFAULTS,
    REVISION_MODES,
    TASKS,
    Options,
    Requester,
    Task,
    TaskResult,
    ask,
    delete_all,
    delete_conversation,
    draft,
    get_conversation,
    list_conversations,
    preview,
    retention_days,
    revise,
    save_template,
    set_retention_days,
    source_view,
    summarise,
    templates,
    turns,
)
from balise.db.session import SessionFactory, scope_session
from balise.documents import Document
from balise.errors import BaliseError, Invalid, NotFound
from balise.i18n import N_, _
from balise.tenancy import Role
from balise.web import nav
from balise.web.deps import Principal, current_principal, engine_of, require, tenant_db
from balise.web.templating import env, render

router = APIRouter(tags=["assistant"])
nav.register(nav.NavItem("/assistant", N_("Assistant"), order=20))

TASK_PAGES: dict[Task, tuple[str, str]] = {
    "ask": ("/assistant/question", N_("Ask the documents")),
    "summarise": ("/assistant/resume", N_("Summarise")),
    "draft": ("/assistant/redaction", N_("Draft a text")),
    "revise": ("/assistant/revision", N_("Revise")),
}
AUDIENCE_LABELS = {
    "specialist": N_("Specialists"),
    "general": N_("General public"),
    "plain": N_("Plain language (langage clair)"),
}
MODE_LABELS = {"correct": N_("Spelling and syntax"), "plain": N_("Rewrite in plain language")}
TASK_LABELS: dict[str, str] = {task: label for task, (_path, label) in TASK_PAGES.items()}
PAGE_OF: dict[str, str] = {task: path for task, (path, _label) in TASK_PAGES.items()}
_TERMS = re.compile(r"[\n;,]+")


def requester(principal: Principal) -> Requester:
    return Requester(principal.tenant, principal.user.id, principal.classifications)


def split_terms(raw: str) -> tuple[str, ...]:
    """Terms the person wants masked too, one per line or separated by commas or semicolons."""
    return tuple(dict.fromkeys(t.strip() for t in _TERMS.split(raw) if len(t.strip()) >= 2))


def _unknown_task(task: str) -> NotFound:
    return NotFound("There is no assistant task “{task}”. Use ask, summarise, draft or revise.", task=task)


def _page_context(task: str) -> dict[str, Any]:
    return {
        "task": task,
        "task_pages": TASK_PAGES,
        "audiences": [(a, AUDIENCE_LABELS[a]) for a in AUDIENCES],
        "modes": [(m, MODE_LABELS[m]) for m in REVISION_MODES],
    }


def _documents(db: Session, principal: Principal) -> list[Document]:
    stmt = (
        select(Document)
        .where(Document.classification.in_(principal.classifications), Document.status == "ready")
        .order_by(Document.title)
    )
    return list(db.scalars(stmt))


def _form_page(
    request: Request, db: Session, principal: Principal, task: str, form: dict[str, Any], **extra: Any
) -> HTMLResponse:
    context = _page_context(task)
    context.update(form=form, **extra)
    if task == "summarise":
        context["documents"] = _documents(db, principal)
    if task == "draft":
        context["templates"] = templates(db, principal.tenant.id)
    conversation_id = form.get("conversation_id")
    if conversation_id:
        conversation = get_conversation(db, principal.user.id, conversation_id)
        context["earlier"] = turns(db, conversation)
    status = 200
    result: TaskResult | None = extra.get("result")
    if result is not None and result.status == "blocked":
        status = 403
    return render(request, f"assistant/{task}.html", context, status_code=status)


def _run(db: Session, principal: Principal, task: str, form: dict[str, Any], options: Options) -> TaskResult:
    who = requester(principal)
    if task == "ask":
        return ask(db, who, form.get("question", ""), options)
    if task == "summarise":
        return summarise(
            db,
            who,
            document_ids=form.get("document_ids", []),
            text=form.get("text", ""),
            audience=form.get("audience", "general"),
            options=options,
        )
    if task == "draft":
        return draft(db, who, kind=form.get("template", ""), brief=form.get("text", ""), options=options)
    if task == "revise":
        return revise(db, who, text=form.get("text", ""), mode=form.get("mode", "correct"), options=options)
    raise _unknown_task(task)


def _options(form: dict[str, Any], on_delta: Callable[[str], None] | None = None) -> Options:
    return Options(
        extra_terms=split_terms(form.get("extra_terms", "")),
        confirmed=form.get("confirmed") in ("1", "true", "on", True),
        conversation_id=form.get("conversation_id") or None,
        on_delta=on_delta,
    )


async def _read_form(request: Request) -> dict[str, Any]:
    raw = await request.form()
    form: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str) and k != "document_ids"}
    form["document_ids"] = [v for v in raw.getlist("document_ids") if isinstance(v, str)]
    return form


def _choice(task: str, form: dict[str, Any]) -> str:
    return str(form.get({"draft": "template", "revise": "mode", "summarise": "audience"}.get(task, ""), ""))


def _request_text(task: str, form: dict[str, Any]) -> str:
    return str(form.get("question" if task == "ask" else "text", ""))


# --- pages ------------------------------------------------------------------------------------------


@router.get("/assistant", response_class=HTMLResponse)
def hub(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    recent = list_conversations(db, principal.user.id)[:5]
    db.commit()  # listing deletes the person's expired conversations
    return render(
        request, "assistant/hub.html", {**_page_context(""), "recent": recent, "task_labels": TASK_LABELS}
    )


def _task_page(task: Task, path: str) -> None:
    """Adds the GET (form) and POST (preview or send) routes of one task's page."""

    def show(
        request: Request,
        conversation: str = "",
        principal: Principal = Depends(current_principal),
        db: Session = Depends(tenant_db),
    ) -> HTMLResponse:
        return _form_page(request, db, principal, task, {"conversation_id": conversation})

    async def submit(
        request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
    ) -> HTMLResponse:
        form = await _read_form(request)
        options = _options(form)
        if form.get("action") == "preview":
            try:
                shown = preview(
                    db,
                    requester(principal),
                    task,
                    _request_text(task, form),
                    choice=_choice(task, form),
                    options=options,
                )
            except BaliseError as exc:
                return _form_page(request, db, principal, task, form, error=exc.localized())
            return _form_page(request, db, principal, task, form, preview=shown)
        try:
            result = _run(db, principal, task, form, options)
        except BaliseError as exc:
            db.rollback()
            return _form_page(request, db, principal, task, form, error=exc.localized())
        db.commit()
        if result.conversation_id:
            form = {**form, "conversation_id": result.conversation_id}
        return _form_page(request, db, principal, task, form, result=result)

    async def stream(
        request: Request, principal: Principal = Depends(current_principal)
    ) -> StreamingResponse:
        """The page's stream: the same form fields as the page, answered as server-sent events."""
        return _stream(request, principal, task, await _read_form(request), html=True)

    router.add_api_route(path, show, methods=["GET"], response_class=HTMLResponse, name=f"assistant_{task}")
    router.add_api_route(f"{path}/flux", stream, methods=["POST"], name=f"assistant_{task}_stream")
    router.add_api_route(
        path, submit, methods=["POST"], response_class=HTMLResponse, name=f"assistant_{task}_submit"
    )


for _task, (_path, _label) in TASK_PAGES.items():
    _task_page(_task, _path)


# --- streaming ------------------------------------------------------------------------------------


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _fragment(request: Request, principal: Principal, result: TaskResult) -> str:
    """The result as the page shows it, rendered and escaped on the server, for the script to insert."""
    context = {
        "request": request,
        "principal": principal,
        "result": result,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        **_page_context(result.task),
    }
    return env.get_template("assistant/_outcome.html").render(context)


def _stream(
    request: Request, principal: Principal, task: str, form: dict[str, Any], html: bool
) -> StreamingResponse:
    """Runs the task in a worker thread with its own session and relays what it writes as SSE events."""
    events: queue.Queue[tuple[str, Any]] = queue.Queue()
    engine = engine_of(request)

    def work() -> None:
        with SessionFactory(bind=engine) as db:
            scope_session(db, principal.tenant.id)
            try:
                result = _run(db, principal, task, form, _options(form, lambda d: events.put(("delta", d))))
                db.commit()
                events.put(("done", result))
            except BaliseError as exc:
                db.rollback()
                events.put(("error", exc))
            except Exception as exc:  # reported to the reader, logged by the app's handler below
                db.rollback()
                events.put(("crash", exc))

    worker = threading.Thread(target=contextvars.copy_context().run, args=(work,), daemon=True)
    worker.start()

    def relay() -> Iterator[str]:
        while True:
            kind, value = events.get()
            if kind == "delta":
                yield _event("delta", {"text": value})
                continue
            if kind == "done":
                data: dict[str, Any] = {"result": value.as_json()}
                if html:
                    data["html"] = _fragment(request, principal, value)
                yield _event("done", data)
            elif kind == "error":
                yield _event("error", {"error": value.code, "message": value.localized()})
            else:
                yield _event(
                    "error",
                    {
                        "error": "server_error",
                        "message": _(
                            "The error was recorded. Try again in a moment; "
                            "if it persists, tell your administrator."
                        ),
                    },
                )
            return

    return StreamingResponse(
        relay(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# --- history --------------------------------------------------------------------------------------


@router.get("/assistant/historique", response_class=HTMLResponse)
def history_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    conversations = list_conversations(db, principal.user.id)
    db.commit()  # listing deletes the person's expired conversations
    return render(
        request,
        "assistant/history.html",
        {
            **_page_context(""),
            "conversations": conversations,
            "retention_days": retention_days(db, principal.tenant),
            "task_labels": TASK_LABELS,
        },
    )


@router.get("/assistant/historique/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    conversation_id: str,
    request: Request,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    conversation = get_conversation(db, principal.user.id, conversation_id)
    return render(
        request,
        "assistant/conversation.html",
        {
            **_page_context(conversation.task),
            "conversation": conversation,
            "turns": turns(db, conversation),
            "task_labels": TASK_LABELS,
            "continue_path": f"{PAGE_OF[conversation.task]}?conversation={conversation.id}",
        },
    )


@router.post("/assistant/historique/{conversation_id}/supprimer")
def delete_conversation_page(
    conversation_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    delete_conversation(db, principal.tenant.id, principal.user.id, conversation_id)
    db.commit()
    return RedirectResponse("/assistant/historique?supprime=1", status_code=303)


@router.post("/assistant/historique/supprimer")
def delete_history_page(
    principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    delete_all(db, principal.tenant.id, principal.user.id)
    db.commit()
    return RedirectResponse("/assistant/historique?supprime=1", status_code=303)


# --- templates and retention (administrators) -----------------------------------------------------


@router.get("/assistant/modeles", response_class=HTMLResponse)
def templates_page(
    request: Request, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return render(
        request,
        "assistant/templates.html",
        {
            **_page_context(""),
            "templates": templates(db, principal.tenant.id),
            "defaults": DEFAULTS,
            "retention_days": retention_days(db, principal.tenant),
            "saved": request.query_params.get("enregistre"),
        },
    )


@router.post("/assistant/modeles")
def save_template_page(
    kind: Annotated[str, Form()] = "",
    instructions: Annotated[str, Form()] = "",
    skeleton: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    save_template(
        db, principal.tenant.id, kind, instructions=instructions, skeleton=skeleton, actor=principal.user.id
    )
    db.commit()
    return RedirectResponse(f"/assistant/modeles?enregistre={kind}#modele-{kind}", status_code=303)


@router.post("/assistant/conservation")
def save_retention_page(
    days: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    if not days.strip().isdigit():
        raise Invalid("Give the retention period as a number of days, for example 30.")
    set_retention_days(db, db.merge(principal.tenant), int(days), actor=principal.user.id)
    db.commit()
    return RedirectResponse("/assistant/modeles?enregistre=conservation", status_code=303)


# --- sources --------------------------------------------------------------------------------------


@router.get("/sources/{chunk_id}", response_class=HTMLResponse)
def source_page(
    chunk_id: str,
    request: Request,
    citation: str = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """The cited passage highlighted among the other passages of its page."""
    view = source_view(db, chunk_id, principal.classifications, citation[:2000])
    return render(request, "assistant/source.html", {**_page_context(""), "view": view, "citation": citation})


# --- JSON API -------------------------------------------------------------------------------------


class TaskRequest(BaseModel):
    """A task request: ``question`` for ask, ``text`` for the others (or ``document_ids`` to summarise)."""

    question: str = ""
    text: str = ""
    document_ids: list[str] = Field(default_factory=list)
    audience: str = "general"
    template: str = ""
    mode: str = "correct"
    extra_terms: list[str] = Field(default_factory=list)
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
        body: TaskRequest, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
    ) -> JSONResponse:
        form = body.as_form()
        result = _run(db, principal, task, form, _options(form))
        db.commit()
        return JSONResponse(result.as_json(), status_code=_api_status(result))

    def stream(
        body: TaskRequest, request: Request, principal: Principal = Depends(current_principal)
    ) -> StreamingResponse:
        return _stream(request, principal, task, body.as_form(), html=False)

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
    text: str
    choice: str = ""
    extra_terms: list[str] = Field(default_factory=list)
    conversation_id: str | None = None


@router.post("/api/assistant/preview", tags=["api"])
def api_preview(
    body: PreviewRequest, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> dict[str, Any]:
    """What would be sent to the model, masked, without sending anything."""
    options = Options(extra_terms=tuple(body.extra_terms), conversation_id=body.conversation_id)
    shown = preview(
        db,
        requester(principal),
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
