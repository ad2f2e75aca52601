"""Testing a registered backend's connection: does its server answer, take the key, offer the model?

A generative model is asked its ``/models`` through the same OpenAI-compatible client the gateway
completes with; an embedding server embeds one test word; a reranking server scores two test passages
(:mod:`balise.gateway.rerank`). Each says what went wrong in words an administrator can act on. No
prompt, question or document is sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
import openai

from balise.gateway.door_embeddings import embedding_model_name
from balise.gateway.errors import BackendFailure
from balise.gateway.openai_backend import embedding_dimension, offered_models
from balise.gateway.registry import kind_of
from balise.gateway.rerank import ask_scores
from balise.gateway.tables import ModelBackend
from balise.i18n import gettext_

CONNECTION_TIMEOUT_S = 5.0
TEST_QUERY = "Quel jour passe la collecte des ordures ?"
TEST_PASSAGES = (
    "La collecte des ordures a lieu le mardi matin.",
    "Le conseil municipal siège le lundi soir.",
)


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of asking a backend for its models, in words an administrator can act on."""

    backend_id: str
    ok: bool
    message: str
    models: tuple[str, ...] = ()


def _unreadable_key(backend: ModelBackend) -> ConnectionCheck:
    message = gettext_("The API key cannot be read: check the environment variable that should hold it.")
    return ConnectionCheck(backend.id, False, message)


def _timed_out(backend: ModelBackend, url: str) -> ConnectionCheck:
    message = gettext_("No answer from {url} within {seconds} seconds.")
    return ConnectionCheck(backend.id, False, message.format(url=url, seconds=CONNECTION_TIMEOUT_S))


def _unreachable(backend: ModelBackend, url: str) -> ConnectionCheck:
    message = gettext_("{url} cannot be reached: check the address and that the server is running.")
    return ConnectionCheck(backend.id, False, message.format(url=url))


def _refused_key(backend: ModelBackend, status: int) -> ConnectionCheck:
    message = gettext_("The server refused the API key (HTTP {status}).")
    return ConnectionCheck(backend.id, False, message.format(status=status))


def check_connection(backend: ModelBackend) -> ConnectionCheck:
    """Calls the server as the backend's kind is used (the endpoint is the base URL the gateway uses)."""
    kind = kind_of(backend.provider)
    if kind == "rerank":
        return _check_reranker(backend)
    url = backend.endpoint.rstrip("/") + ("/embeddings" if kind == "embeddings" else "/models")
    try:
        if kind == "embeddings":
            return _embeddings_checked(backend, embedding_dimension(backend, CONNECTION_TIMEOUT_S))
        models = offered_models(backend, CONNECTION_TIMEOUT_S)
    except BackendFailure:
        return _unreadable_key(backend)
    except openai.APITimeoutError:
        return _timed_out(backend, url)
    except openai.APIConnectionError:
        return _unreachable(backend, url)
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        return _refused_key(backend, exc.status_code)
    except (openai.APIError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        message = gettext_("{url} answered, but not as an OpenAI-compatible server (HTTP {status}).")
        status = getattr(exc, "status_code", None) or getattr(
            getattr(exc, "response", None), "status_code", "?"
        )
        return ConnectionCheck(backend.id, False, message.format(url=url, status=status))
    if backend.model not in models:
        message = gettext_("The server answers, but does not offer the model {model}.")
        return ConnectionCheck(backend.id, False, message.format(model=backend.model), models)
    message = gettext_("Connection works: the server offers the model {model}.")
    return ConnectionCheck(backend.id, True, message.format(model=backend.model), models)


def _embeddings_checked(backend: ModelBackend, dimensions: int) -> ConnectionCheck:
    """Works; and whether search could use it: only if it is the model its index was built with."""
    message = gettext_(
        "Connection works: the server embeds with the model {model} ({dimensions} dimensions)."
    )
    message = message.format(model=backend.model, dimensions=dimensions)
    index = embedding_model_name()
    if index != f"openai/{backend.model}":
        message += " " + gettext_(
            "Search keeps the model its index was built with ({index}): vectors of another model cannot "
            "be compared with it. Tools reach this server through the OpenAI-compatible door's "
            "/v1/embeddings by naming it."
        ).format(index=index)
    return ConnectionCheck(backend.id, True, message)


def _check_reranker(backend: ModelBackend) -> ConnectionCheck:
    """Two test passages scored, and how long it took: the figure to set the time limit by."""
    url = backend.endpoint.rstrip("/") + "/rerank"
    started = time.monotonic()
    try:
        ask_scores(backend, TEST_QUERY, TEST_PASSAGES, CONNECTION_TIMEOUT_S)
    except BackendFailure as failure:
        if failure.reason == "bad_response":
            message = gettext_(
                "{url} answered, but not with one score per passage: check that it is a reranking server."
            )
            return ConnectionCheck(backend.id, False, message.format(url=url))
        return _unreadable_key(backend)
    except httpx.TimeoutException:
        return _timed_out(backend, url)
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        if status in (401, 403):
            return _refused_key(backend, status)
        if status in (400, 422):
            message = gettext_(
                "{url} refused the request (HTTP {status}): it may speak the other reranking protocol. "
                "Choose the provider rerank-tei for Text Embeddings Inference, rerank for Cohere, Jina, "
                "Infinity or vLLM."
            )
        else:
            message = gettext_("{url} answered, but not as a reranking server (HTTP {status}).")
        return ConnectionCheck(backend.id, False, message.format(url=url, status=status))
    except httpx.HTTPError:
        return _unreachable(backend, url)
    milliseconds = round(1000 * (time.monotonic() - started))
    message = gettext_(
        "Connection works: the reranking server scored two test passages in {ms} ms (its time limit: "
        "{seconds} s)."
    )
    return ConnectionCheck(
        backend.id, True, message.format(ms=milliseconds, seconds=f"{backend.timeout_s:g}")
    )
