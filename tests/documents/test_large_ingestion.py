"""A large file never stops the town hall: short transactions, words then vectors, resumable."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select, text

from balise.db import open_session, tenant_session
from balise.documents import Chunk, Document, DocumentStatus, pending_jobs, submit_files
from balise.jobs import Job, claim_next, run_job, run_worker
from balise.search import search, vector_counts
from balise.search.models import SearchEntry
from balise.tenancy.models import Tenant

# Another request's write must never wait longer than this for the database (SQLite's busy
# timeout on a request is 30 s; a transaction of the worker's must be far shorter).
WRITE_WAIT_SECONDS = 3.0


def _paragraphs(count: int, tag: str = "") -> bytes:
    """A text of ``count`` passages, each named by a unique word so that each can be searched for."""
    body = "\n\n".join(
        f"Paragraphe{n}{tag} : le conseil municipal de Saint-Balise examine la demande numéro {n}. "
        + "Les travaux de voirie, la collecte des matières résiduelles et l'entretien des parcs "
        "sont décrits en détail dans cette section du rapport annuel, avec leurs coûts. " * 5
        for n in range(count)
    )
    return body.encode()


def _submit(engine: Engine, tenant: Tenant, name: str, data: bytes, *, embed: bool) -> tuple[str, list[str]]:
    with tenant_session(tenant.id, engine) as session:
        (document,) = submit_files(session, tenant.id, [(name, data)], classification="internal", embed=embed)
        session.commit()
        return document.id, pending_jobs(session, [document.id])


class _Writer:
    """Another request writing while the worker ingests: every write must get through quickly."""

    def __init__(self, engine: Engine, tenant_id: str) -> None:
        self.engine, self.tenant_id = engine, tenant_id
        self.failures: list[str] = []
        self.slowest = 0.0
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def __enter__(self) -> _Writer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _write_once(self) -> None:
        if self.engine.dialect.name == "sqlite":
            connection = sqlite3.connect(self.engine.url.database or "", timeout=WRITE_WAIT_SECONDS)
            try:
                connection.execute("UPDATE tenants SET name = name WHERE id = ?", (self.tenant_id,))
                connection.commit()
            finally:
                connection.close()
            return
        with self.engine.connect() as connection:
            connection.execute(text(f"SET lock_timeout = '{int(WRITE_WAIT_SECONDS * 1000)}ms'"))
            connection.execute(text("UPDATE tenants SET name = name WHERE id = :id"), {"id": self.tenant_id})
            connection.commit()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            started = time.monotonic()
            try:
                self._write_once()
            except Exception as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.writes += 1


def _status(engine: Engine, tenant_id: str, document_id: str) -> str:
    with tenant_session(tenant_id, engine) as session:
        document = session.get(Document, document_id)
        assert document is not None
        return document.status


def test_other_requests_keep_writing_while_a_large_file_is_ingested_and_embedded(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    """The « database is locked » bug: the embedding ran inside the ingestion's write transaction."""
    tenant = make_tenant()
    document_id, jobs = _submit(engine, tenant, "rapport.txt", _paragraphs(48), embed=True)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_worker, args=(engine,), kwargs={"job_ids": jobs, "stop": stop, "poll_seconds": 0.1}
    )
    with _Writer(engine, tenant.id) as writer:
        worker.start()
        deadline = time.monotonic() + 120
        vectors = 0
        while time.monotonic() < deadline and vectors < 16:  # words indexed, two vector batches stored
            time.sleep(0.2)
            with tenant_session(tenant.id, engine) as session:
                vectors = vector_counts(session, [document_id]).get(document_id, 0)
        stop.set()
        worker.join(120)
    assert vectors >= 16, "the vectors did not arrive in time"
    assert _status(engine, tenant.id, document_id) == DocumentStatus.READY.value
    assert writer.writes > 10
    assert writer.failures == []
    assert writer.slowest < WRITE_WAIT_SECONDS


def test_a_document_is_searchable_by_words_at_once_and_by_meaning_as_vectors_arrive(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("balise.documents.ingestion.SLICE_SECONDS", 0.0)  # one vector batch per turn
    monkeypatch.setattr("balise.documents.ingestion.PASSAGE_BATCH", 7)
    tenant = make_tenant()
    document_id, (job_id,) = _submit(engine, tenant, "gros.txt", _paragraphs(30), embed=True)
    with open_session(engine) as session:
        job = claim_next(session, "first", job_ids=[job_id])
        assert job is not None
        first_start = job.started_at
    assert run_job(engine, job, "first") == "queued"  # words indexed; vectors handed back to the queue
    with tenant_session(tenant.id, engine) as session:
        document = session.get(Document, document_id)
        assert document is not None and document.status == DocumentStatus.READY.value
        assert document.chunk_total == 30
        assert vector_counts(session, [document_id]).get(document_id, 0) == 0
    with open_session(engine) as session:
        job = claim_next(session, "first", job_ids=[job_id])
        assert job is not None and job.priority == 1
    assert run_job(engine, job, "first") == "queued"  # one slice of vectors, then back to the queue
    with tenant_session(tenant.id, engine) as session:
        assert 0 < vector_counts(session, [document_id])[document_id] < 30
        hits = search(
            session, "Paragraphe29", tenant_id=tenant.id, classifications=["internal"], mode="lexical"
        )
        assert [hit.document_id for hit in hits] == [document_id]
        queued = session.get(Job, job_id)
        assert queued is not None and queued.attempts == 0  # a slice does not use up an attempt
    time.sleep(0.01)
    run_worker(engine, job_ids=[job_id], stop_when_idle=True, poll_seconds=0.05)
    with tenant_session(tenant.id, engine) as session:
        assert vector_counts(session, [document_id])[document_id] == 30
        finished = session.get(Job, job_id, populate_existing=True)
        assert finished is not None and finished.status == "done"
        assert finished.started_at == first_start
        hits = search(session, "demande 17", tenant_id=tenant.id, classifications=["internal"], mode="dense")
        assert hits


def test_an_interrupted_ingestion_resumes_after_its_last_batch_without_duplicates(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    import balise.search as search_package

    monkeypatch.setattr("balise.documents.ingestion.PASSAGE_BATCH", 5)
    real_index = search_package.index_chunks
    calls: list[int] = []
    crashed: list[bool] = []

    def crash_on_third_batch(session, chunks, *, embed=True):  # type: ignore[no-untyped-def]
        calls.append(len(chunks))
        if len(calls) == 3 and not crashed:
            crashed.append(True)
            raise RuntimeError("the worker's machine lost power")
        real_index(session, chunks, embed=embed)

    monkeypatch.setattr(search_package, "index_chunks", crash_on_third_batch)
    tenant = make_tenant()
    document_id, jobs = _submit(engine, tenant, "long.txt", _paragraphs(23), embed=False)
    with open_session(engine) as session:
        job = claim_next(session, "w1", job_ids=jobs)
        assert job is not None
    assert run_job(engine, job, "w1") == "queued"  # the failure is retried
    with tenant_session(tenant.id, engine) as session:
        assert session.scalar(select(func.count()).where(Chunk.document_id == document_id)) == 10
    calls.clear()
    with open_session(engine) as session:
        session.execute(Job.__table__.update().where(Job.id == job.id).values(run_after=func.now()))
        session.commit()
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.05)
    assert calls == [5, 5, 3]  # only the passages not yet committed were written
    with tenant_session(tenant.id, engine) as session:
        ordinals = list(session.scalars(select(Chunk.ordinal).where(Chunk.document_id == document_id)))
        entries = session.scalar(select(func.count()).where(SearchEntry.document_id == document_id))
        document = session.get(Document, document_id)
    assert sorted(ordinals) == list(range(23))
    assert entries == 23
    assert document is not None and document.status == DocumentStatus.READY.value
    assert document.chunk_total == 23
