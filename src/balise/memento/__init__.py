"""The memento (G14, G6, D0–D4, X1–X5, G9): the municipality's internal directive on generative AI,
generated from its settings, edited and versioned, adopted on a date, exported as HTML, Word and PDF,
and acknowledged by each employee."""

from balise.memento.content import FORBIDDEN_LIST_PLACE, Inputs, sections
from balise.memento.evidence import MementoFacts, memento_facts
from balise.memento.export import (
    Block,
    blocks,
    docx_document,
    html_document,
    pdf_document,
    status_line,
    title,
)
from balise.memento.service import (
    Reader,
    acknowledge,
    adopt,
    current,
    gather_inputs,
    generate,
    get_version,
    import_version,
    pending_for,
    readers,
    save_version,
    versions,
)
from balise.memento.tables import MementoAcknowledgement, MementoVersion

__all__ = [
    "FORBIDDEN_LIST_PLACE",
    "Block",
    "Inputs",
    "MementoAcknowledgement",
    "MementoFacts",
    "MementoVersion",
    "Reader",
    "acknowledge",
    "adopt",
    "blocks",
    "current",
    "docx_document",
    "gather_inputs",
    "generate",
    "get_version",
    "html_document",
    "import_version",
    "memento_facts",
    "pdf_document",
    "pending_for",
    "readers",
    "save_version",
    "sections",
    "status_line",
    "title",
    "versions",
]
