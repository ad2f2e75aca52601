"""Faults under load: Balise keeps people informed and heals by itself, losing no document.

While simulated people use Balise (``load.py``'s staff and residents, with pauses), the script
breaks one thing at a time, then mends it, and records what the people saw during and after:

* **model**: the municipality's model server (an OpenAI-compatible server on loopback) stops
  answering, then answers slowly, then recovers;
* **worker**: the worker is killed (``kill -9``) in the middle of ingesting a large document;
  on SQLite ``balise serve`` restarts its own worker; on PostgreSQL the script starts a new
  ``balise worker`` 5 s later, as systemd's ``Restart=always`` does;
* **database** (PostgreSQL only): the database server is stopped for ``--outage`` seconds, then
  started again;
* **disk** (needs root, to mount a 150 MB tmpfs as the data folder): the data folder's disk is
  filled, people keep working, then space is freed.

For each fault: requests and errors by kind during the fault and in the minute after, what an error
looked like (status and the start of its message), and the seconds until every kind of request
succeeded again. At the end: every document settled, none half-ingested, no passage stored twice.

    .venv/bin/python bench/faults.py [--db sqlite|postgresql] [--users 12] [--only model,worker,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.openai_server import OpenAIServer

from load import Run, people
from loopback import ADMIN, CSRF, DATA, PASSWORD, Stack, integrity, wait_documents_settled

FAULTS = ("model", "worker", "database", "disk")


class Background:
    """The simulated people, in a thread, for as long as the script runs."""

    def __init__(self, base: str, users: int) -> None:
        self.run = Run((2.0, 6.0), 11)
        self.base = base
        self.users = users
        self.thread = threading.Thread(target=self._go, daemon=True)

    def _go(self) -> None:
        asyncio.run(people(self.run, self.base, self.users, 24 * 3600))

    def start(self) -> Background:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.run.stop_at = 0.0
        self.thread.join(timeout=180)

    def now(self) -> float:
        return time.monotonic() - self.run.started


def window(background: Background, start: float, end: float) -> dict[str, object]:
    samples = [s for s in list(background.run.samples) if start <= s.at < end]
    by_kind = Counter(s.kind for s in samples)
    errors = Counter(f"{s.kind}:{s.status}" for s in samples if not 200 <= s.status < 400)
    return {"requests": dict(by_kind), "errors": dict(errors)}


def recovered_after(background: Background, mended_at: float) -> float | None:
    """Seconds after the repair until the last failing request of any kind (0: none failed after)."""
    after = [s for s in list(background.run.samples) if s.at >= mended_at]
    failing = [s.at + s.seconds for s in after if not 200 <= s.status < 400]
    return round(max(failing) - mended_at, 1) if failing else 0.0


class SignInFailed(Exception):
    """What the person saw instead of the library."""


def sign_in(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=120, headers={"accept": "text/html"})
    client.get("/connexion")
    signed = client.post(
        "/connexion",
        data={"email": ADMIN, "password": PASSWORD, "csrf_token": client.cookies.get("balise_csrf", "")},
    )
    if signed.status_code >= 400:
        raise SignInFailed(what_people_see(signed))
    page = client.get("/documents")
    match = CSRF.search(page.text)
    if match is None:
        raise SignInFailed(what_people_see(page))
    return client, match.group(1)


def what_people_see(response: httpx.Response) -> str:
    """The status and the first words of the message a person got."""
    text = response.text
    if "application/json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
            text = str(body.get("message") or body.get("detail") or body.get("answer") or body)
        except ValueError:
            pass
    else:
        start = text.find('role="alert"', text.find("<main"))
        text = text[start : start + 400] if start >= 0 else text[:200]
    return f"{response.status_code}: {' '.join(text.split())[:160]}"


def model_fault(stack: Stack, background: Background, model: OpenAIServer, phase: float) -> dict[str, object]:
    client, csrf = sign_in(stack.base)
    observed: dict[str, object] = {}
    for name, behaviour, delay in (("no answer", "slow", 600.0), ("slow answers", "slow", 8.0)):
        model.behaviour, model.delay = behaviour, delay  # type: ignore[assignment]
        start = background.now()
        seen = []
        while background.now() < start + phase:
            asked = time.monotonic()
            response = client.post(
                "/api/assistant/ask",
                json={"question": "Quelles sont les heures d'arrosage permises ?"},
                headers={"x-csrf-token": csrf, "accept": "application/json"},
            )
            seen.append((round(time.monotonic() - asked, 1), what_people_see(response)))
            time.sleep(3)
        observed[name] = {"asks": seen[:3], "count": len(seen), **window(background, start, background.now())}
    model.behaviour = "echo"
    mended = background.now()
    time.sleep(phase)
    response = client.post(
        "/api/assistant/ask",
        json={"question": "Quelles sont les heures d'arrosage permises ?"},
        headers={"x-csrf-token": csrf, "accept": "application/json"},
    )
    observed["after repair"] = {
        "ask": what_people_see(response),
        **window(background, mended, background.now()),
    }
    observed["recovered_after_s"] = recovered_after(background, mended)
    return observed


def big_text(megabytes: float) -> bytes:
    """Real French passages (PIAF, read at run time), each paragraph numbered."""
    lines = []
    with (DATA / "retrieval" / "piaf" / "corpus.jsonl").open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            lines.append(f"Paragraphe {n}. {json.loads(line)['text'].strip()}\n\n")
            if sum(map(len, lines)) > megabytes * 1024 * 1024:
                break
    return "".join(lines).encode()


def worker_processes(stack: Stack) -> list[psutil.Process]:
    if stack.db == "postgresql" and stack.worker is not None:
        return [psutil.Process(stack.worker.pid)]
    assert stack.serve is not None
    return [
        c
        for c in psutil.Process(stack.serve.pid).children(recursive=True)
        if "worker" in " ".join(c.cmdline())
    ]


def worker_fault(stack: Stack, background: Background) -> dict[str, object]:
    from sqlalchemy import func, select

    from balise.documents.models import Chunk, Document

    client, csrf = sign_in(stack.base)
    start = background.now()
    uploaded = client.post(
        "/documents",
        data={"csrf_token": csrf, "classification": "internal"},
        files=[("files", ("registre-fautes.txt", big_text(3), "text/plain"))],
    )
    if uploaded.status_code >= 400:
        return {"upload": what_people_see(uploaded)}
    engine = stack.engine()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # kill once the worker is ingesting it
        with engine.connect() as connection:
            status = connection.scalar(
                select(Document.status).where(Document.source == "registre-fautes.txt")
            )
        if status == "processing":
            break
        time.sleep(0.2)
    victims = worker_processes(stack)
    for victim in victims:
        victim.send_signal(signal.SIGKILL)
    killed = background.now()
    if stack.db == "postgresql":
        time.sleep(5)
        stack.start_worker()
    settled = wait_documents_settled(engine, 300)
    with engine.connect() as connection:
        document = connection.execute(
            select(Document.status, Document.id).where(Document.source == "registre-fautes.txt")
        ).one()
        chunks = connection.scalar(
            select(func.count()).select_from(Chunk).where(Chunk.document_id == document.id)
        )
    replacements = [p.pid for p in worker_processes(stack)]
    return {
        "upload": uploaded.status_code,
        "status_when_killed": status,
        "killed_pids": [p.pid for p in victims],
        "new_worker_pids": replacements,
        "document_status_after": document.status,
        "passages": chunks,
        "settled_after_kill_s": None if settled is None else round(settled, 1),
        **window(background, start, background.now()),
        "recovered_after_s": recovered_after(background, killed),
    }


def database_fault(stack: Stack, background: Background, outage: float) -> dict[str, object]:
    server = stack._pg
    assert server is not None
    pid = server.get_pid()  # type: ignore[attr-defined]
    person, _csrf = sign_in(stack.base)
    stopped = background.now()
    os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown: what a restart or a crash looks like to clients
    while psutil.pid_exists(pid):
        time.sleep(0.1)
    seen = what_people_see(person.get("/documents"))
    time.sleep(outage)
    server.ensure_postgres_running()  # type: ignore[attr-defined]
    mended = background.now()
    client = httpx.Client(base_url=stack.base, timeout=60, headers={"accept": "text/html"})
    time.sleep(45)
    return {
        "outage_s": round(mended - stopped, 1),
        "library_during_outage": seen,
        "during": window(background, stopped, mended),
        "after": window(background, mended, background.now()),
        "page_after": what_people_see(client.get("/connexion")),
        "recovered_after_s": recovered_after(background, mended),
    }


def disk_fault(stack: Stack, background: Background, phase: float) -> dict[str, object]:
    ballast = stack.workdir / "var" / "ballast"
    client, csrf = sign_in(stack.base)  # signed in before: the disk fills while they work
    filled = background.now()
    subprocess.run(["dd", "if=/dev/zero", f"of={ballast}", "bs=1M"], capture_output=True, check=False)
    free = shutil.disk_usage(ballast.parent).free
    try:
        upload = what_people_see(
            client.post(
                "/documents",
                data={"csrf_token": csrf, "classification": "internal"},
                files=[("files", ("pendant-disque-plein.txt", big_text(3), "text/plain"))],
            )
        )
    except httpx.HTTPError as failed:
        upload = f"no answer: {failed!r}"
    try:
        sign_in(stack.base)
        signing_in = "signed in"
    except SignInFailed as failed:
        signing_in = str(failed)
    time.sleep(phase)
    ballast.unlink()
    mended = background.now()
    time.sleep(phase)
    client, csrf = sign_in(stack.base)
    again = client.post(
        "/documents",
        data={"csrf_token": csrf, "classification": "internal"},
        files=[
            (
                "files",
                ("apres-disque-plein.txt", b"La collecte des feuilles a lieu en novembre.\n", "text/plain"),
            )
        ],
    )
    return {
        "free_bytes_when_full": free,
        "upload_while_full": upload,
        "sign_in_while_full": signing_in,
        "during": window(background, filled, mended),
        "after": window(background, mended, background.now()),
        "upload_after": again.status_code,
        "recovered_after_s": recovered_after(background, mended),
    }


def mount_small_disk(stack: Stack, megabytes: int) -> bool:
    target = stack.workdir / "var"
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--phase", type=float, default=30, help="seconds each part of a fault lasts")
    parser.add_argument("--outage", type=float, default=20, help="seconds the database stays down")
    parser.add_argument("--only", default=",".join(FAULTS))
    args = parser.parse_args()
    wanted = [f for f in args.only.split(",") if f in FAULTS]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a timeout still unmounts and cleans up
    if args.db == "sqlite" and "database" in wanted:
        wanted.remove("database")

    model = OpenAIServer("echo", model="modele-panne").start()
    stack = Stack(
        db=args.db,
        extra_env={
            "BALISE_TRUSTED_PROXIES": "127.0.0.1/32",
            "BALISE_LLM_BASE_URL": model.base_url,
            "BALISE_LLM_MODEL": "modele-panne",
            "BALISE_LLM_API_KEY": "cle-de-test",
        },
    )
    result: dict[str, object] = {"db": args.db, "load_before": round(os.getloadavg()[0], 2)}
    small_disk = "disk" in wanted and mount_small_disk(stack, 150)
    if "disk" in wanted and not small_disk:
        wanted.remove("disk")
        result["disk"] = "skipped: mounting a small tmpfs needs root"
    background = None
    try:
        stack.start()
        background = Background(stack.base, args.users).start()
        time.sleep(args.phase)
        result["before"] = window(background, 0, background.now())
        for fault in wanted:
            print(f"fault: {fault}", file=sys.stderr, flush=True)
            if fault == "model":
                result[fault] = model_fault(stack, background, model, args.phase)
            elif fault == "worker":
                result[fault] = worker_fault(stack, background)
            elif fault == "database":
                result[fault] = database_fault(stack, background, args.outage)
            else:
                result[fault] = disk_fault(stack, background, args.phase)
            print(json.dumps({fault: result[fault]}, ensure_ascii=False), file=sys.stderr, flush=True)
        background.stop()
        engine = stack.engine()
        result["documents_settled_after_s"] = wait_documents_settled(engine, 600)
        result.update(integrity(engine))
    finally:
        if background is not None:
            background.stop()
        model.stop()
        stack.stop()
        if small_disk:
            subprocess.run(["umount", "-l", str(stack.workdir / "var")], check=False)
            shutil.rmtree(stack.workdir, ignore_errors=True)
    result["load_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
