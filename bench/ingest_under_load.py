"""Ingestion under load: a 30 MB text and the 123 Montpellier PDFs ingest while people use Balise.

Runs the product as it is deployed, in real processes on loopback:

* SQLite (the embedded default): ``balise demo`` then ``balise serve``, which starts its own worker
  process; PostgreSQL (pgserver): ``balise serve`` plus one ``balise worker``, the production layout;
* the 30 MB text is uploaded through the library page, the PDFs with ``balise ingest --no-wait``;
* meanwhile a client sends mixed requests (sign-in, home page, library, the big document's page, a
  question to ``POST /api/assistant/ask``), one per ``--interval`` seconds, and records each status
  and latency; the worker's resident memory is sampled every 0.2 s.

It then waits until every document is searchable by words and checks in the database that every
passage has exactly one lexical entry, that no passage is stored twice, and that unique words of the
big text are found by search. It reports the start-up figures of the first minutes too (``balise
demo`` duration, time to a usable home page, first answer). The 30 MB text is built from the PIAF and
fr_gov_faq passages of ../shared/data (read at run time), each paragraph tagged with a unique word.

    .venv/bin/python bench/ingest_under_load.py [--db sqlite|postgresql] [--text-mb 30] [--pdfs 123]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from sqlalchemy import Engine, func, select, text

sys.path.insert(0, str(Path(__file__).parent))
from loopback import ADMIN, BALISE, DATA, PASSWORD, Sample, csrf_in, integrity

PDFS = DATA / "corpus" / "montpellier" / "pdf"
QUESTIONS = [
    "Quand a lieu la collecte des encombrants ?",
    "Quelles sont les règles d'arrosage en été ?",
    "Comment obtenir un permis de rénovation ?",
    "Que prévoit le règlement sur les nuisances sonores ?",
    "Quels sont les horaires de l'hôtel de ville ?",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def marker(n: int) -> str:
    """A unique pseudo-word per paragraph, so that search can find each one."""
    word = ""
    for _ in range(5):
        n, digit = divmod(n, 26)
        word += LETTERS[digit]
    return "zq" + word


def build_text(path: Path, megabytes: float) -> int:
    """Writes the big text from real French passages; returns how many paragraphs it has."""
    passages: list[str] = []
    for corpus in ("retrieval/piaf/corpus.jsonl", "retrieval/fr_gov_faq/corpus.jsonl"):
        with (DATA / corpus).open(encoding="utf-8") as handle:
            passages += [json.loads(line)["text"].strip() for line in handle if line.strip()]
    rng = random.Random(7)
    target = int(megabytes * 1024 * 1024)
    written, count = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            paragraph = f"Dossier {marker(count)} : {rng.choice(passages)}\n\n"
            out.write(paragraph)
            written += len(paragraph.encode())
            count += 1
    return count


@dataclass
class Memory:
    """Peak resident memory of a process tree, sampled in a thread."""

    pid: int
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Memory:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        process = psutil.Process(self.pid)
        while not self._stop.wait(0.2):
            try:
                self.peak = max(self.peak, process.memory_info().rss)
            except psutil.Error:
                return

    def stop(self) -> int:
        self._stop.set()
        return self.peak


def sign_in(base: str) -> tuple[httpx.Client, Sample]:
    client = httpx.Client(base_url=base, timeout=60, headers={"accept": "text/html"})
    client.get("/connexion")
    started = time.perf_counter()
    response = client.post(
        "/connexion",
        data={"email": ADMIN, "password": PASSWORD, "csrf_token": client.cookies.get("balise_csrf", "")},
    )
    return client, Sample("login", response.status_code, time.perf_counter() - started)


def timed(kind: str, call) -> Sample:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        status = call().status_code
    except httpx.HTTPError:
        status = 0
    return Sample(kind, status, time.perf_counter() - started)


def wait_http(base: str, deadline: float) -> float:
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/connexion", timeout=5).status_code == 200:
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("balise serve did not answer")


def database(kind: str, workdir: Path) -> tuple[str, object | None]:
    if kind == "sqlite":
        return "", None
    import pgserver

    server = pgserver.get_server(workdir / "pg", cleanup_mode="delete")
    server.psql("CREATE DATABASE bench;")
    return server.get_uri("bench"), server


def checks(engine: Engine, big_id: str, paragraphs: int) -> dict[str, object]:
    """Every passage searchable by words exactly once, none duplicated; unique words found."""
    from balise.db import tenant_session
    from balise.documents.models import Chunk, Document
    from balise.search import search
    from balise.search.models import SearchEntry

    shared = integrity(engine)
    with engine.connect() as connection:
        chunks = connection.scalar(select(func.count()).select_from(Chunk))
        entries = connection.scalar(select(func.count()).select_from(SearchEntry))
        if engine.dialect.name == "sqlite":
            without_words = connection.scalar(
                text(
                    "SELECT count(*) FROM search_entries e LEFT JOIN search_fts f ON f.rowid = e.id "
                    "WHERE f.rowid IS NULL"
                )
            )
        else:
            without_words = connection.scalar(text("SELECT count(*) FROM search_entries WHERE tsv IS NULL"))
        vectors = connection.scalar(
            select(func.count()).select_from(SearchEntry).where(SearchEntry.embedding.is_not(None))
        )
        tenant_id = connection.scalar(select(Document.tenant_id).where(Document.id == big_id))
    rng = random.Random(11)
    probes = [marker(rng.randrange(paragraphs)) for _ in range(30)]
    found = 0
    with tenant_session(str(tenant_id), engine) as session:
        for word in probes:
            hits = search(
                session, word, tenant_id=str(tenant_id), classifications=["internal"], mode="lexical"
            )
            found += any(hit.document_id == big_id and word in hit.text for hit in hits)
    return {
        "chunks": chunks,
        "search_entries": entries,
        "duplicated_passages": shared["duplicated_passages"],
        "passages_without_entry": shared["passages_without_search_entry"],
        "entries_without_words": without_words,
        "unique_words_found": f"{found}/{len(probes)}",
        "vectors_so_far": vectors,
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    from balise.db import make_engine
    from balise.documents.models import Document

    workdir = Path(tempfile.mkdtemp(prefix="balise-load-"))
    url, server = database(args.db, workdir)
    env = {**os.environ, "BALISE_DATA_DIR": str(workdir / "var")}
    env.pop("BALISE_INLINE_JOBS", None)
    if url:
        env["BALISE_DATABASE_URL"] = url
    else:
        env.pop("BALISE_DATABASE_URL", None)
    processes: list[subprocess.Popen[bytes]] = []
    log = (workdir / "processes.log").open("wb")
    try:
        # Production migrates once, before any process starts (docs/deploy.md); SQLite migrates at start.
        subprocess.run([*BALISE, "migrate-db"], env=env, check=True, cwd=workdir, capture_output=True)
        started = time.monotonic()
        subprocess.run([*BALISE, "demo"], env=env, check=True, cwd=workdir, capture_output=True)
        demo_seconds = time.monotonic() - started
        token = (
            subprocess.run(
                [*BALISE, "admin", "create-token", ADMIN, "--tenant", "demo"],
                env=env,
                check=True,
                cwd=workdir,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = 8700 + os.getpid() % 200
        base = f"http://127.0.0.1:{port}"
        serve_started = time.monotonic()
        serve = subprocess.Popen([*BALISE, "serve", "--port", str(port)], env=env, cwd=workdir, stderr=log)
        processes.append(serve)
        home_at = wait_http(base, time.monotonic() + 120)
        first = timed(
            "first answer",
            lambda: httpx.post(
                base + "/api/assistant/ask",
                json={"question": QUESTIONS[0]},
                headers={"authorization": f"Bearer {token}"},
                timeout=60,
            ),
        )
        if url:  # production layout: the worker is a process of its own
            processes.append(subprocess.Popen([*BALISE, "worker"], env=env, cwd=workdir, stderr=log))
            worker_pid = processes[-1].pid
        else:
            time.sleep(1)
            children = psutil.Process(serve.pid).children(recursive=True)
            worker_pid = next(c.pid for c in children if "worker" in c.cmdline())
        memory = Memory(worker_pid).start()

        big = workdir / "registre-30mo.txt"
        paragraphs = build_text(big, args.text_mb)
        client, _login = sign_in(base)
        page = client.get("/documents").text
        upload = timed(
            "upload",
            lambda: client.post(
                "/documents",
                data={"csrf_token": csrf_in(page), "classification": "internal"},
                files=[("files", (big.name, big.open("rb"), "text/plain"))],
            ),
        )
        engine = make_engine(url or f"sqlite:///{workdir / 'var' / 'balise.db'}")
        with engine.connect() as connection:
            big_id = str(connection.scalar(select(Document.id).where(Document.source == big.name)))
        pdfs = sorted(PDFS.glob("*.pdf"))[: args.pdfs]
        pdf_dir = workdir / "pdf"
        pdf_dir.mkdir()
        for pdf in pdfs:
            (pdf_dir / pdf.name).symlink_to(pdf)
        ingest_started = time.monotonic()
        subprocess.run(
            [*BALISE, "ingest", str(pdf_dir), "--tenant", "demo", "--classification", "public", "--no-wait"],
            env=env,
            check=True,
            cwd=workdir,
            capture_output=True,
        )

        samples: list[Sample] = []
        kinds = ["login", "home", "library", "document", "ask"]
        pages = {"home": "/", "library": "/documents", "document": f"/documents/{big_id}"}
        for n in range(args.requests):
            kind = kinds[n % len(kinds)]
            if kind == "login":
                client.close()
                client, sample = sign_in(base)
                samples.append(sample)
            elif kind in pages:
                samples.append(timed(kind, lambda path=pages[kind], signed=client: signed.get(path)))
            else:
                question = QUESTIONS[n % len(QUESTIONS)]
                samples.append(
                    timed(
                        kind,
                        lambda question=question: httpx.post(
                            base + "/api/assistant/ask",
                            json={"question": question},
                            headers={"authorization": f"Bearer {token}"},
                            timeout=60,
                        ),
                    )
                )
            time.sleep(args.interval)

        deadline = time.monotonic() + args.timeout
        words_seconds = None
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                waiting = connection.scalar(
                    select(func.count())
                    .select_from(Document)
                    .where(Document.status.in_(["pending", "processing"]))
                )
            if not waiting:
                words_seconds = time.monotonic() - ingest_started
                break
            time.sleep(1)
        peak = memory.stop()
        with engine.connect() as connection:
            statuses = dict(
                connection.execute(select(Document.status, func.count()).group_by(Document.status)).all()
            )
        result_checks = checks(engine, big_id, paragraphs)
        latencies = sorted(s.seconds for s in samples)
        failures = [(s.kind, s.status) for s in samples if not 200 <= s.status < 400]
        return {
            "db": args.db,
            "text_mb": args.text_mb,
            "pdfs": len(pdfs),
            "requests": len(samples),
            "failures": failures,
            "p50_s": round(statistics.median(latencies), 3),
            "p95_s": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 3),
            "max_s": round(latencies[-1], 3),
            "by_kind_max_s": {k: round(max(s.seconds for s in samples if s.kind == k), 3) for k in kinds},
            "upload_30mb_s": round(upload.seconds, 2),
            "upload_status": upload.status,
            "all_searchable_by_words_after_s": None if words_seconds is None else round(words_seconds, 1),
            "document_statuses": statuses,
            "worker_peak_rss_mb": round(peak / 1024 / 1024),
            "demo_seconds": round(demo_seconds, 1),
            "serve_to_home_page_s": round(home_at - serve_started, 1),
            "first_answer_s": round(first.seconds, 2),
            "first_answer_status": first.status,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            **result_checks,
        }
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if server is not None:
            server.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--text-mb", type=float, default=30.0)
    parser.add_argument("--pdfs", type=int, default=123)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between two requests")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the words index")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        print(f"{key:36} {value}")


if __name__ == "__main__":
    main()
