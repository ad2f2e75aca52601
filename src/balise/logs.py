"""Log lines as JSON objects (or readable text), each carrying the id of the request or job it serves.

The request id lives in a context variable (structlog's contextvars): the web middleware
(:mod:`balise.web.request_id`) binds it for a request, the job queue stores it with the jobs the
request enqueues and binds it again while a worker runs them, and audit entries record it. Every log
line, from structlog or from the standard ``logging`` module (uvicorn's included), goes through one
formatter that adds the bound values.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
"""A proxy's id is kept only when it looks like one (no spaces, no control characters, bounded)."""

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]

structlog.configure(
    processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


HANDLER_NAME = "balise"
QUIET = {"alembic": logging.WARNING, "presidio-analyzer": logging.WARNING}
"""Libraries whose start-up chatter at INFO says nothing an operator acts on."""


def _drop_colours(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    event.pop("color_message", None)  # uvicorn's copy of the message with terminal colours
    return event


def get_logger(name: str) -> Any:
    """A structlog logger whose key-value pairs become fields of the line (through ``logging``)."""
    return structlog.stdlib.get_logger(name)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and ACCEPTED_REQUEST_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else None


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Binds ``values`` to every log line written inside the block (this task or thread only)."""
    tokens = structlog.contextvars.bind_contextvars(**{k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)


def resolved_format(configured: str) -> str:
    """``json`` or ``text``: the setting, or text on a terminal and json otherwise."""
    if configured in {"json", "text"}:
        return configured
    return "text" if sys.stderr.isatty() else "json"


def formatter(fmt: str = "json") -> logging.Formatter:
    """The one formatter of every handler: bound values, level, logger, time, then JSON or text."""
    renderer: list[Any] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer(ensure_ascii=False)]
        if fmt == "json"
        else [structlog.dev.ConsoleRenderer(colors=False)]
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder(), _drop_colours],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def configure_logging(fmt: str, level: int = logging.INFO) -> None:
    """Sends every logger of this process to standard error through :func:`formatter`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(resolved_format(fmt)))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:  # configured twice
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(quiet)


def uvicorn_log_config(fmt: str) -> dict[str, Any]:
    """uvicorn's ``log_config``: its loggers and the root logger write through :func:`formatter`, in
    every web process it starts. Its own access log stays off (``access_log=False``): it would carry
    the query string (citizens' questions) and the client address; :mod:`balise.web.request_id` writes
    one line per request instead."""
    handler = {"class": "logging.StreamHandler", "formatter": "balise", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"balise": {"()": "balise.logs.formatter", "fmt": resolved_format(fmt)}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": "INFO"},
        "loggers": {
            "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
            "uvicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "INFO", "propagate": True},
            **{name: {"level": logging.getLevelName(quiet)} for name, quiet in QUIET.items()},
        },
    }
