"""Calls to any OpenAI-compatible server (vLLM, Ollama, llama.cpp, Albert, Mistral, Azure OpenAI v1).

Retries are ours, not the client's: the client would honour a server's ``Retry-After`` of up to two
minutes, while a user must never wait that long. Each attempt has the backend's timeout; attempts
are spaced by a short exponential backoff. A server that let the timeout run out is not asked again:
a person has already waited that long, and with two retries a hung server held them for three
timeouts (91 s in the fault benchmark) before the extracts came.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import openai

from balise.gateway.errors import BackendFailure
from balise.gateway.registry import api_key_of
from balise.gateway.tables import ModelBackend
from balise.guard.privacy.prompt import ChatMessage

BACKOFF_S = (0.25, 0.5, 1.0, 2.0)
T = TypeVar("T")


@dataclass(frozen=True)
class Usage:
    tokens_in: int
    tokens_out: int


@dataclass(frozen=True)
class Answer:
    text: str
    model: str
    usage: Usage | None


def _classify(exc: Exception) -> BackendFailure:
    """Turn whatever the client or the transport raised into a reason the user can be told."""
    if isinstance(exc, BackendFailure):
        return exc
    if isinstance(exc, openai.APITimeoutError) or "timeout" in type(exc).__name__.lower():
        return BackendFailure("timeout", type(exc).__name__)
    if isinstance(exc, openai.APIStatusError):
        return BackendFailure("error", f"HTTP {exc.status_code}")
    if isinstance(exc, openai.APIConnectionError):
        return BackendFailure("unreachable", type(exc).__name__)
    return BackendFailure("bad_response", type(exc).__name__)


def _retryable(failure: BackendFailure, exc: Exception) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return failure.reason == "unreachable"


@lru_cache(maxsize=64)
def _client(endpoint: str, api_key: str, timeout_s: float) -> openai.OpenAI:
    """Clients are reused: building one costs over 100 ms, more than a local model's answer."""
    return openai.OpenAI(
        base_url=endpoint,
        api_key=api_key,
        timeout=openai.Timeout(timeout_s, connect=min(5.0, timeout_s)),
        max_retries=0,
    )


class OpenAICompatible:
    """One registered backend, reached through the official ``openai`` client."""

    def __init__(self, backend: ModelBackend):
        self.backend = backend
        self.client = _client(backend.endpoint, api_key_of(backend), backend.timeout_s)

    def _messages(
        self, messages: Sequence[ChatMessage]
    ) -> list[openai.types.chat.ChatCompletionMessageParam]:
        return [{"role": m["role"], "content": m["content"]} for m in messages]  # type: ignore[misc]

    def _attempts(self) -> Iterator[int]:
        """Attempt numbers, sleeping the backoff between them."""
        for attempt in range(self.backend.max_retries + 1):
            if attempt:
                time.sleep(BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])
            yield attempt

    def _retried(self, call: Callable[[], T]) -> T:
        """``call``'s result, tried again after the errors worth it, each failure a BackendFailure."""
        last: BackendFailure | None = None
        for attempt in self._attempts():
            try:
                return call()
            except Exception as exc:
                last = _classify(exc)
                if not _retryable(last, exc) or attempt == self.backend.max_retries:
                    raise last from exc
        raise last or BackendFailure("error")

    def complete(self, messages: Sequence[ChatMessage]) -> Answer:
        def ask() -> Answer:
            response = self.client.chat.completions.create(
                model=self.backend.model, messages=self._messages(messages)
            )
            text = response.choices[0].message.content or ""
            if not text.strip():
                raise BackendFailure("bad_response", "empty answer")
            usage = response.usage
            return Answer(
                text=text,
                model=response.model or self.backend.model,
                usage=Usage(usage.prompt_tokens, usage.completion_tokens) if usage else None,
            )

        return self._retried(ask)

    def stream(self, messages: Sequence[ChatMessage], deadline: float) -> Iterator[str | Usage]:
        """Text deltas, then the usage if the server reports it. Retries only before the first delta."""
        for attempt in self._attempts():
            started = False
            try:
                chunks = self.client.chat.completions.create(
                    model=self.backend.model,
                    messages=self._messages(messages),
                    stream=True,
                    stream_options={"include_usage": True},
                )
                with chunks:
                    for chunk in chunks:
                        if time.monotonic() > deadline:
                            raise BackendFailure("timeout", "stream deadline")
                        if chunk.usage is not None:
                            yield Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                        for choice in chunk.choices:
                            if choice.delta.content:
                                started = True
                                yield choice.delta.content
                return
            except Exception as exc:
                failure = _classify(exc)
                if started or not _retryable(failure, exc) or attempt == self.backend.max_retries:
                    raise failure from exc

    def embed(self, texts: Sequence[str], input_type: str) -> tuple[list[list[float]], int | None]:
        """Vectors of ``texts`` (``/embeddings``) in their order, and the tokens the server counted.

        ``input_type`` tells asymmetric models (e5, bge) a query from a passage; others ignore it."""

        def ask() -> tuple[list[list[float]], int | None]:
            response = self.client.embeddings.create(
                model=self.backend.model,
                input=list(texts),
                encoding_format="float",
                extra_body={"input_type": input_type},
            )
            vectors = [item.embedding for item in sorted(response.data, key=lambda item: item.index)]
            if len(vectors) != len(texts):
                raise BackendFailure("bad_response", f"{len(vectors)} vectors for {len(texts)} texts")
            return vectors, response.usage.prompt_tokens if response.usage else None

        return self._retried(ask)


def embedding_dimension(backend: ModelBackend, timeout_s: float) -> int:
    """The length of the vector the backend's server gives one test word, asked with the gateway's client.

    Raises ``BackendFailure`` when the key cannot be read, and the client's own errors otherwise.
    """
    client = _client(backend.endpoint, api_key_of(backend), timeout_s)
    response = client.embeddings.create(model=backend.model, input=["connexion"], encoding_format="float")
    return len(response.data[0].embedding)


def offered_models(backend: ModelBackend, timeout_s: float) -> tuple[str, ...]:
    """The model ids the backend's server offers (``GET /models``), asked with the completions' client.

    Raises ``BackendFailure`` when the key cannot be read, and the client's own errors otherwise.
    """
    listing = _client(backend.endpoint, api_key_of(backend), timeout_s).models.list()
    return tuple(str(model.id) for model in listing.data)
