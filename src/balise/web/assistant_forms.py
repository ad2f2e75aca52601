"""What the assistant's pages and its JSON API share: reading a request, running a task, streaming it.

Not a router: both ``routers/assistant.py`` (pages) and ``routers/assistant_api.py`` (JSON) use it,
so neither imports the other.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

from balise.assistant import Options, Requester, TaskResult, ask, draft, revise, summarise
from balise.assistant.streaming import stream_task
from balise.db import Session
from balise.errors import BaliseError, NotFound
from balise.i18n import _
from balise.web.deps import Principal, engine_of

log = logging.getLogger(__name__)
_TERMS = re.compile(r"[\n;,]+")


def requester(principal: Principal) -> Requester:
    return Requester(principal.tenant, principal.user.id, principal.classifications)


def split_terms(raw: str) -> tuple[str, ...]:
    """Terms the person wants masked too, one per line or separated by commas or semicolons."""
    return tuple(dict.fromkeys(t.strip() for t in _TERMS.split(raw) if len(t.strip()) >= 2))


def unknown_task(task: str) -> NotFound:
    return NotFound("There is no assistant task “{task}”. Use ask, summarise, draft or revise.", task=task)


def run(db: Session, principal: Principal, task: str, form: dict[str, Any], options: Options) -> TaskResult:
    """Runs the task the form names with the form's fields."""
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
    raise unknown_task(task)


def options(form: dict[str, Any], on_delta: Callable[[str], None] | None = None) -> Options:
    return Options(
        extra_terms=split_terms(form.get("extra_terms", "")),
        confirmed=form.get("confirmed") in ("1", "true", "on", True),
        conversation_id=form.get("conversation_id") or None,
        on_delta=on_delta,
    )


async def read_form(request: Request) -> dict[str, Any]:
    raw = await request.form()
    form: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str) and k != "document_ids"}
    form["document_ids"] = [v for v in raw.getlist("document_ids") if isinstance(v, str)]
    return form


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def stream(
    request: Request,
    principal: Principal,
    task: str,
    form: dict[str, Any],
    fragment: Callable[[TaskResult], str] | None = None,
) -> StreamingResponse:
    """The task's answer as server-sent events: ``delta`` events, then ``done`` (with the rendered
    ``html`` when the page gives a ``fragment``) or ``error``."""
    events = stream_task(
        engine_of(request),
        principal.tenant.id,
        principal.classifications,
        lambda db, on_delta: run(db, principal, task, form, options(form, on_delta)),
    )

    def relay() -> Iterator[str]:
        for event in events:
            if event.kind == "delta":
                yield _event("delta", {"text": event.text})
            elif event.kind == "done" and event.result is not None:
                data: dict[str, Any] = {"result": event.result.as_json()}
                if fragment is not None:
                    data["html"] = fragment(event.result)
                yield _event("done", data)
            elif isinstance(event.error, BaliseError):
                yield _event("error", {"error": event.error.code, "message": event.error.localized()})
            else:
                log.error("a streamed task failed", exc_info=event.error)
                message = _(
                    "The error was recorded. Try again in a moment; if it persists, tell your administrator."
                )
                yield _event("error", {"error": "server_error", "message": message})

    return StreamingResponse(
        relay(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
