"""Load: simulated people using Balise at once, through real HTTP on loopback.

Each simulated person is one of the five demo staff accounts or a resident. Staff sign in, then view
pages, search the library, ask the assistant (extractive, the default with no model) and now and then
upload a short note; residents ask the citizen assistant, each from its own address (behind a trusted
proxy, as nginx forwards them). Two modes:

* **load** (default): ``--users`` people for ``--seconds``, each pausing ``--pause`` seconds
  (a random value in the range) between two actions, as people do; reports p50/p95 per kind of
  request and every error;
* **stress** (``--stress``): no pauses, the number of people rising step by step (``--steps``), each
  step ``--step-seconds`` long; reports the throughput and p95 of each step, and the step where
  latency starts to climb (the last step whose throughput still grew by 10 % or more).

After the run it waits for the uploaded notes to be ingested and checks that no passage is stored
twice and no document is left half-ingested.

    .venv/bin/python bench/load.py [--db sqlite|postgresql] [--users 50] [--seconds 300]
    .venv/bin/python bench/load.py --stress [--steps 5,10,20,40,60] [--step-seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from loopback import (
    CSRF,
    PASSWORD,
    STAFF,
    Sample,
    Stack,
    integrity,
    summarise,
    wait_documents_settled,
    wait_worker_idle,
)

STAFF_QUESTIONS = [
    "Quelles sont les heures d'arrosage permises ?",
    "Quand a lieu la collecte des encombrants ?",
    "Comment obtenir un permis de rénovation ?",
    "Que prévoit le règlement sur le bruit ?",
    "Quels sont les horaires de l'hôtel de ville ?",
]
CITIZEN_QUESTIONS = [
    "À quelle heure puis-je arroser ma pelouse ?",
    "Quand passe la collecte des ordures ?",
    "Comment faire une demande de permis ?",
    "Où se trouve l'écocentre ?",
]
SEARCH_WORDS = ["arrosage", "collecte", "permis", "bruit", "conseil", "budget"]
PAGES = ["/", "/documents", "/assistant", "/notifications", "/modeles", "/resultats"]
# What a staff member does, by weight (the rest of a visit: residents' questions).
STAFF_ACTIONS = [("page", 45), ("search", 20), ("ask", 30), ("upload", 5)]


class Run:
    """Collects samples; knows when to stop and how long to pause."""

    def __init__(self, pause: tuple[float, float], seed: int) -> None:
        self.samples: list[Sample] = []
        self.pause = pause
        self.rng = random.Random(seed)
        self.started = time.monotonic()
        self.stop_at = 0.0

    async def timed(self, kind: str, call) -> httpx.Response | None:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            response = await call
            status = response.status_code
        except httpx.HTTPError:
            response, status = None, 0
        self.samples.append(Sample(kind, status, time.monotonic() - started, started - self.started))
        return response

    async def rest(self) -> None:
        if self.pause[1] > 0:
            await asyncio.sleep(self.rng.uniform(*self.pause))

    def going(self) -> bool:
        return time.monotonic() < self.stop_at


async def staff_member(run: Run, base: str, email: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120, headers={"accept": "text/html"}) as client:
        await client.get("/connexion")
        signed = await run.timed(
            "sign_in",
            client.post(
                "/connexion",
                data={
                    "email": email,
                    "password": PASSWORD,
                    "csrf_token": client.cookies.get("balise_csrf", ""),
                },
            ),
        )
        if signed is None or signed.status_code >= 400:
            return
        page = await client.get("/documents")
        match = CSRF.search(page.text)
        csrf = match.group(1) if match else ""
        actions, weights = zip(*STAFF_ACTIONS, strict=True)
        while run.going():
            await run.rest()
            if not run.going():
                break
            action = run.rng.choices(actions, weights)[0]
            if action == "page":
                await run.timed("page", client.get(run.rng.choice(PAGES)))
            elif action == "search":
                await run.timed(
                    "search", client.get("/documents", params={"q": run.rng.choice(SEARCH_WORDS)})
                )
            elif action == "ask":
                await run.timed(
                    "ask",
                    client.post(
                        "/api/assistant/ask",
                        json={"question": run.rng.choice(STAFF_QUESTIONS)},
                        headers={"x-csrf-token": csrf, "accept": "application/json"},
                    ),
                )
            else:
                note = (
                    f"Note de service {uuid.uuid4().hex[:8]}. La collecte des feuilles a lieu en novembre.\n"
                )
                await run.timed(
                    "upload",
                    client.post(
                        "/documents",
                        data={"csrf_token": csrf, "classification": "internal"},
                        files=[("files", (f"note-{uuid.uuid4().hex[:8]}.txt", note.encode(), "text/plain"))],
                    ),
                )


async def resident(run: Run, base: str, number: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        public = await run.timed("public_page", client.get("/public/demo/assistant"))
        if public is None:
            return
        while run.going():
            await run.rest()
            if not run.going():
                break
            # A new session and address per question: many residents, not one asking in a loop.
            address = f"10.{number % 250}.{run.rng.randrange(250)}.{run.rng.randrange(1, 250)}"
            await run.timed(
                "citizen_ask",
                client.post(
                    "/api/public/demo/ask",
                    json={"question": run.rng.choice(CITIZEN_QUESTIONS), "session_id": uuid.uuid4().hex},
                    headers={"x-forwarded-for": address},
                ),
            )


async def people(run: Run, base: str, count: int, seconds: float) -> None:
    """``count`` people (one in four a resident) for ``seconds``, arriving over the first five seconds."""
    run.stop_at = time.monotonic() + seconds

    async def arrive(n: int) -> None:
        await asyncio.sleep(5 * n / max(count, 1))
        if n % 4 == 3:
            await resident(run, base, n)
        else:
            await staff_member(run, base, STAFF[n % len(STAFF)])

    await asyncio.gather(*(arrive(n) for n in range(count)))


def stress_steps(stack: Stack, steps: list[int], seconds: float, seed: int) -> dict[str, object]:
    rows = []
    for users in steps:
        run = Run((0.0, 0.0), seed + users)
        started = time.monotonic()
        asyncio.run(people(run, stack.base, users, seconds))
        elapsed = time.monotonic() - started
        summary = summarise(run.samples, elapsed)
        all_p95 = summarise([Sample("all", s.status, s.seconds) for s in run.samples], elapsed)
        rows.append({"users": users, **summary, "p95_all_ms": all_p95["per_kind"]["all"]["p95_ms"]})  # type: ignore[index]
    knee = rows[0]
    for previous, row in itertools.pairwise(rows):
        if row["requests_per_s"] >= 1.1 * previous["requests_per_s"]:  # type: ignore[operator]
            knee = row
        else:
            break
    return {"steps": rows, "knee": {"users": knee["users"], "requests_per_s": knee["requests_per_s"]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--pause", default="2-8", help="seconds between two actions of a person, min-max")
    parser.add_argument("--stress", action="store_true")
    parser.add_argument("--steps", default="5,10,20,40,60")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--serve-workers", type=int, default=1, help="web processes of balise serve")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    stack = Stack(db=args.db, extra_env={"BALISE_TRUSTED_PROXIES": "127.0.0.1/32"})
    serve_args = ("--workers", str(args.serve_workers)) if args.serve_workers > 1 else ()
    result: dict[str, object] = {"db": args.db, "cpus": os.cpu_count()}
    try:
        stack.start(serve_args)
        # The demo's first start ingests its library and runs its weekly evaluation and monthly probes:
        # work of a first hour, not of every minute, which people using it would be measured beside.
        engine = stack.engine()
        settled = wait_worker_idle(engine, 900)
        engine.dispose()
        result["worker_idle_after_s"] = None if settled is None else round(settled, 1)
        result["load_before"] = round(os.getloadavg()[0], 2)
        if args.stress:
            result["mode"] = "stress"
            result.update(
                stress_steps(stack, [int(n) for n in args.steps.split(",")], args.step_seconds, args.seed)
            )
        else:
            low, high = (float(x) for x in args.pause.split("-"))
            run = Run((low, high), args.seed)
            started = time.monotonic()
            asyncio.run(people(run, stack.base, args.users, args.seconds))
            result.update({"mode": "load", "users": args.users, "pause_s": args.pause})
            result.update(summarise(run.samples, time.monotonic() - started))
        engine = stack.engine()
        result["uploads_settled_after_s"] = wait_documents_settled(engine, 600)
        result.update(integrity(engine))
        result["load_after"] = round(os.getloadavg()[0], 2)
    finally:
        stack.stop()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
