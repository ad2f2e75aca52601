"""Model gateway: backends, registry, routing, extractive fallback, footprint (P1, P6, G17, D1, D2).

Nothing reaches a model except a :class:`~balise.guard.privacy.prompt.GuardedPrompt` through
:class:`Gateway`; with no model configured, or when one fails, :class:`ExtractiveBackend` answers.
A registered reranking server reads search's passages through the same rules (:func:`reranker_for`).
"""

from balise.gateway.breaker import BREAKERS, BreakerBoard, CircuitBreaker
from balise.gateway.caution import CAUTION_LABELS, CAUTION_THRESHOLDS, caution_of, set_caution
from balise.gateway.contracts import Attribution, Citation, Completion, Footprint, Kind, Passage, Reservation
from balise.gateway.errors import BackendFailure, BackendNotFound, InvalidBackend, NoAllowedBackend
from balise.gateway.extractive import Audience, ExtractiveBackend
from balise.gateway.footprint import GRID_G_CO2E_PER_KWH, Hosting, grid_intensity
from balise.gateway.gateway import BackendChoice, Gateway, classification_label
from balise.gateway.markers import (
    MARKER,
    cited_numbers,
    claim_sentences,
    generative_citations,
    marker_numbers,
    normalise_quote,
    strip_markers,
)
from balise.gateway.quotas import QuotaExceeded, attribution_of
from balise.gateway.registry import (
    PROVIDERS,
    api_key_of,
    describe,
    get_backend,
    kind_of,
    list_backends,
    register_backend,
    remove_backend,
    set_default,
)
from balise.gateway.rerank import GatewayReranker, reranker_for
from balise.gateway.tables import ModelBackend, ModelUsage, UsageQuota
from balise.text import Sentence, fold, overlap, split_sentences, term_set, terms, words

__all__ = [
    "BREAKERS",
    "CAUTION_LABELS",
    "CAUTION_THRESHOLDS",
    "GRID_G_CO2E_PER_KWH",
    "MARKER",
    "PROVIDERS",
    "Attribution",
    "Audience",
    "BackendChoice",
    "BackendFailure",
    "BackendNotFound",
    "BreakerBoard",
    "CircuitBreaker",
    "Citation",
    "Completion",
    "ExtractiveBackend",
    "Footprint",
    "Gateway",
    "GatewayReranker",
    "Hosting",
    "InvalidBackend",
    "Kind",
    "ModelBackend",
    "ModelUsage",
    "NoAllowedBackend",
    "Passage",
    "QuotaExceeded",
    "Reservation",
    "Sentence",
    "UsageQuota",
    "api_key_of",
    "attribution_of",
    "caution_of",
    "cited_numbers",
    "claim_sentences",
    "classification_label",
    "describe",
    "fold",
    "generative_citations",
    "get_backend",
    "grid_intensity",
    "kind_of",
    "list_backends",
    "marker_numbers",
    "normalise_quote",
    "overlap",
    "register_backend",
    "remove_backend",
    "reranker_for",
    "set_caution",
    "set_default",
    "split_sentences",
    "strip_markers",
    "term_set",
    "terms",
    "words",
]
