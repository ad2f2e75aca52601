"""The staff assistant: ask, summarise, draft and revise, as pages, a JSON API and a stream.

Every page works without JavaScript (the form posts and the full result is rendered); with it,
``assistant.js`` posts the same form to the stream endpoint and shows the answer as it is written.
Model output and document text are only ever inserted as escaped text by the templates.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from balise.assistant import (
    AUDIENCES,
    DEFAULTS,
    REVISION_MODES,
    Task,
    TaskResult,
    conversation_title,
    delete_all,
    delete_conversation,
    get_conversation,
    list_conversations,
    preview,
    retention_days,
    save_template,
    set_retention_days,
    source_view,
    templates,
    turns,
)
from balise.bounds import MAX_PAGE, whole_number
from balise.db import Session
from balise.documents.picker import pick_documents
from balise.errors import BaliseError, Invalid
from balise.i18n import N_
from balise.media import moment
from balise.tenancy import Role
from balise.web import assistant_forms as forms
from balise.web.deps import Principal, current_principal, require, tenant_db
from balise.web.templating import env, render
from balise.web.training_gate import trained_principal

router = APIRouter(tags=["assistant"])

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


def _page_context(task: str) -> dict[str, Any]:
    return {
        "task": task,
        "task_pages": TASK_PAGES,
        "audiences": [(a, AUDIENCE_LABELS[a]) for a in AUDIENCES],
        "modes": [(m, MODE_LABELS[m]) for m in REVISION_MODES],
    }


def _form_page(
    request: Request, db: Session, principal: Principal, task: str, form: dict[str, Any], **extra: Any
) -> HTMLResponse:
    context = _page_context(task)
    context.update(form=form, **extra)
    if task == "summarise":
        ticked = form.get("document_ids") or []
        context["picker"] = pick_documents(db, str(form.get("filtre", "")), ticked)
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
        filtre: str = "",
        principal: Principal = Depends(trained_principal),
        db: Session = Depends(tenant_db),
    ) -> HTMLResponse:
        """The task's form; ``filtre`` narrows the summary's document picker without JavaScript."""
        return _form_page(request, db, principal, task, {"conversation_id": conversation, "filtre": filtre})

    async def submit(
        request: Request, principal: Principal = Depends(trained_principal), db: Session = Depends(tenant_db)
    ) -> HTMLResponse:
        form = await forms.read_form(request)
        options = forms.options(form)
        if form.get("action") == "preview":
            try:
                shown = preview(
                    db,
                    forms.requester(principal),
                    task,
                    _request_text(task, form),
                    choice=_choice(task, form),
                    options=options,
                )
            except BaliseError as exc:
                return _form_page(request, db, principal, task, form, error=exc.localized())
            return _form_page(request, db, principal, task, form, preview=shown)
        try:
            result = forms.run(db, principal, task, form, options)
        except BaliseError as exc:
            db.rollback()
            return _form_page(request, db, principal, task, form, error=exc.localized())
        db.commit()
        if result.conversation_id:
            form = {**form, "conversation_id": result.conversation_id}
        return _form_page(request, db, principal, task, form, result=result)

    async def stream(
        request: Request, principal: Principal = Depends(trained_principal)
    ) -> StreamingResponse:
        """The page's stream: the same form fields as the page, answered as server-sent events."""
        form = await forms.read_form(request)
        return forms.stream(
            request, principal, task, form, lambda result: _fragment(request, principal, result)
        )

    router.add_api_route(path, show, methods=["GET"], response_class=HTMLResponse, name=f"assistant_{task}")
    router.add_api_route(f"{path}/flux", stream, methods=["POST"], name=f"assistant_{task}_stream")
    router.add_api_route(
        path, submit, methods=["POST"], response_class=HTMLResponse, name=f"assistant_{task}_submit"
    )


for _task, (_path, _label) in TASK_PAGES.items():
    _task_page(_task, _path)


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
            "title": conversation_title(db, conversation),
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
    number = whole_number(days, maximum=MAX_PAGE)
    if number is None:
        raise Invalid("Give the retention period as a number of days, for example 30.")
    set_retention_days(db, db.merge(principal.tenant), number, actor=principal.user.id)
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
    view = source_view(db, chunk_id, citation[:2000])
    cited = citation or " ".join(piece.text for chunk in view.chunks if chunk.cited for piece in chunk.pieces)
    context = {
        **_page_context(""),
        "view": view,
        "citation": citation,
        "heard": moment(db, view.document_id, cited),
    }
    return render(request, "assistant/source.html", context)
