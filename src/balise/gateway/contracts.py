"""What goes into and comes out of the gateway: the shapes the assistant codes against."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["generative", "extractive", "embedding", "rerank", "transcription", "image"]
"""``embedding``: a vector computed for the OpenAI-compatible door; ``rerank``: search's passages scored
by the reranking server; ``transcription``: a piece of a recording transcribed; ``image``: an image
generated; all recorded in the usage ledger only."""


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk offered to the model as source ``[number]``."""

    number: int
    chunk_id: str
    document_id: str
    title: str
    page: int | None
    text: str


@dataclass(frozen=True)
class Citation:
    """A source an answer relies on; ``quote`` is an exact slice of the passage's text."""

    number: int
    chunk_id: str
    document_id: str
    title: str
    page: int | None
    quote: str

    @classmethod
    def of(cls, passage: Passage, quote: str) -> Citation:
        return cls(passage.number, passage.chunk_id, passage.document_id, passage.title, passage.page, quote)


@dataclass(frozen=True)
class Footprint:
    """Estimated cost of one request, shown to the user and stored for reports (P1).

    ``wh`` and ``gco2e`` are estimates: energy per 1,000 tokens of the backend times the grid
    intensity of where it is hosted (see docs/footprint.md). ``cost`` is in ``currency``, the
    backend's; a model without fees has no currency.
    """

    tokens_in: int = 0
    tokens_out: int = 0
    wh: float = 0.0
    gco2e: float = 0.0
    grid_g_per_kwh: float = 0.0
    cost: float = 0.0
    currency: str = ""


@dataclass(frozen=True)
class Attribution:
    """Whom and what a model call serves, so that usage is counted per person, service and tool
    (quotas, consumption reports): ``user_id`` None for a resident or a command without a person."""

    user_id: str | None = None
    service: str = ""
    tool: str = ""


@dataclass(frozen=True)
class Reservation:
    """A model call admitted against its person's quotas before it is made: ``usage_id`` is its row in
    the usage ledger, completed once the model answers (None: no quota applied, nothing was reserved)."""

    usage_id: str | None = None


@dataclass(frozen=True)
class Completion:
    """An answer, where it came from, what it cites and what it cost.

    ``notice`` tells the user something they must know (the model was unavailable, the answer is
    built from extracts); ``label`` is the disclosure of extractive answers ("Extrait des documents").
    """

    text: str
    backend: str
    kind: Kind
    citations: list[Citation] = field(default_factory=list)
    notice: str | None = None
    footprint: Footprint = field(default_factory=Footprint)
    model: str = ""
    label: str | None = None
    confidence: float | None = None  # the extractive reader's score of its best candidate
    fact: str = ""  # the extractive answer's first paragraph when it is the bare fact asked for
    caution: bool = False  # the reader's support for what it states is weak: shown « à vérifier »

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
