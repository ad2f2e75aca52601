"""The document library: parsing, chunking, classification and ingestion jobs.

Importing this package registers the ``ingest_document`` job handler (:mod:`.ingestion`).
"""

from balise.documents.chunking import ChunkDraft, chunk_document, chunk_text, iter_chunks
from balise.documents.demo import load_demo_library
from balise.documents.ingestion import ingest_document
from balise.documents.models import Chunk, Classification, Document, DocumentFile, DocumentStatus
from balise.documents.reading import Heading, ParsedDocument, ParsedPage, UnreadableDocument, parse
from balise.documents.service import (
    INGEST_JOB,
    FileInput,
    check_classification,
    chunk_counts,
    delete_document,
    list_documents,
    pending_document_ids,
    pending_jobs,
    queue_vectors,
    rename_document,
    retry_document,
    set_classification,
    submit_files,
)

__all__ = [
    "INGEST_JOB",
    "Chunk",
    "ChunkDraft",
    "Classification",
    "Document",
    "DocumentFile",
    "DocumentStatus",
    "FileInput",
    "Heading",
    "ParsedDocument",
    "ParsedPage",
    "UnreadableDocument",
    "check_classification",
    "chunk_counts",
    "chunk_document",
    "chunk_text",
    "delete_document",
    "ingest_document",
    "iter_chunks",
    "list_documents",
    "load_demo_library",
    "parse",
    "pending_document_ids",
    "pending_jobs",
    "queue_vectors",
    "rename_document",
    "retry_document",
    "set_classification",
    "submit_files",
]
