"""The citizen assistant's targets: answered from a right source, redirected when it should, under load.

1. ``fr_gov_faq`` as resident questions: its answers are ingested as public documents (chunked and
   indexed as the product does it) and approved by a reviewer; every judged question goes through
   ``balise.citizen.answer``. Answered from a right source = a cited document is judged relevant;
   wrong source = it cites only other documents; redirected = sent to a person. Baseline beside it,
   in the same run: the staff ``ask`` task on the same questions (the plainest caller of the pipeline).
2. ``bench/citizen_out_of_scope.jsonl``: 100 questions written for this benchmark (own file, other
   levels of government, emergencies, small talk, harmful), kept apart from the rules' tuning
   examples (tests/citizen/test_scope.py). Counted right when redirected with the channel the
   category calls for. Baseline: the staff ``ask`` task, counted as redirecting when it cites nothing.
3. Load: ``balise serve`` on loopback over the same SQLite store, N simulated residents for a bounded
   time, each asking a question (FAQ or out-of-scope), then reading for a few seconds. Zero errors
   and the answer p95 are reported, with the load average, overall and once the first
   ``WARM_SECONDS`` are past (every resident arrives in the first six seconds with a question the
   caches have not seen: that burst is the cold start, the rest is the steady state).

4. Validated answers (``--validated N``, see ``bench/validated_answers.py``): on held-out questions,
   right, wrong and redirected for the reader alone and with validated answers for N questions, and
   the matching threshold's precision and recall.

    .venv/bin/python bench/citizen.py [--limit N] [--residents 50] [--seconds 120] [--workers N]
        [--validated N] [--json]

The data is read from ../shared/data at run time, never copied.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from balise.assistant import Requester, ask
from balise.citizen import answer, approve, reset_limits
from balise.citizen.channels import CHANNELS
from balise.db import tenant_session
from balise.evaluation.retrieval import build_store, load_dataset
from balise.tenancy import CITIZEN_CLASSIFICATIONS, PublicContact, Tenant, set_public_contact
from validated_answers import validated_figures

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/retrieval/fr_gov_faq"
OUT_OF_SCOPE = Path(__file__).with_name("citizen_out_of_scope.jsonl")
WARM_SECONDS = 30.0
CONTACT = PublicContact(
    phone="819 555-0100", email="info@ville.exemple.ca", address="100, place de la Mairie"
)


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _faq(store: Any, dataset: Any, limit: int | None) -> dict[str, Any]:
    judged = list(dataset.qrels.items())[:limit]
    citizen = {"right": 0, "wrong": 0, "redirected": 0, "first_right": 0}
    staff = {"right": 0, "wrong": 0, "abstained": 0}
    with tenant_session(store.tenant_id, store.engine) as session:
        tenant = session.get(Tenant, store.tenant_id)
        assert tenant is not None
        who = Requester(tenant, None, CITIZEN_CLASSIFICATIONS)
        for n, (query_id, relevant) in enumerate(judged):
            if n % 50 == 0:
                print(f"fr_gov_faq: {n}/{len(judged)}", file=sys.stderr, flush=True)
            question = dataset.queries[query_id]
            reply = answer(session, tenant, question, f"bench-{n}")
            session.rollback()
            cited = [store.source_ids.get(c.document_id, "") for c in reply.citations]
            if reply.redirected_to_human:
                citizen["redirected"] += 1
            elif set(cited) & relevant.keys():
                citizen["right"] += 1
                citizen["first_right"] += int(cited[0] in relevant)
            else:
                citizen["wrong"] += 1
            result = ask(session, who, question)
            session.rollback()
            staff_cited = {store.source_ids.get(c.document_id, "") for c in result.citations}
            if not staff_cited or result.status != "done":
                staff["abstained"] += 1
            elif staff_cited & relevant.keys():
                staff["right"] += 1
            else:
                staff["wrong"] += 1
    total = len(judged)
    return {
        "questions": total,
        "answered_right_source": _share(citizen["right"], total),
        "first_citation_right": _share(citizen["first_right"], total),
        "answered_wrong_source": _share(citizen["wrong"], total),
        "redirected": _share(citizen["redirected"], total),
        "baseline_staff_ask": {
            "right_source": _share(staff["right"], total),
            "wrong_source": _share(staff["wrong"], total),
            "no_citation": _share(staff["abstained"], total),
        },
    }


def _out_of_scope(store: Any) -> dict[str, Any]:
    rows = [json.loads(line) for line in OUT_OF_SCOPE.read_text().splitlines() if line.strip()]
    per: dict[str, list[int]] = {}
    right = baseline = 0
    misses: list[dict[str, str]] = []
    with tenant_session(store.tenant_id, store.engine) as session:
        tenant = session.get(Tenant, store.tenant_id)
        assert tenant is not None
        who = Requester(tenant, None, CITIZEN_CLASSIFICATIONS)
        for n, row in enumerate(rows):
            reply = answer(session, tenant, row["text"], f"oos-{n}")
            session.rollback()
            ok = reply.redirected_to_human and reply.human_contact["channel"] == CHANNELS[row["expected"]]
            right += ok
            per.setdefault(row["expected"], [0, 0])
            per[row["expected"]][0] += ok
            per[row["expected"]][1] += 1
            if not ok:
                misses.append(
                    {"text": row["text"], "expected": row["expected"], "got": reply.reason or "answered"}
                )
            result = ask(session, who, row["text"])
            session.rollback()
            baseline += int(result.status != "done" or not result.citations)
    return {
        "questions": len(rows),
        "redirected_right_channel": _share(right, len(rows)),
        "per_category": {k: _share(v[0], v[1]) for k, v in sorted(per.items())},
        "baseline_staff_ask_no_answer": _share(baseline, len(rows)),
        "misses": misses,
    }


async def _resident(
    client: httpx.AsyncClient, url: str, questions: list[str], stop_at: float, seed: int, out: dict[str, Any]
) -> None:
    rng = random.Random(seed)
    session_id = f"resident-{seed:04d}-{rng.randrange(10**9)}"
    await asyncio.sleep(rng.uniform(0, 6))
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        warm = time.monotonic() - out["started"] >= WARM_SECONDS
        try:
            response = await client.post(
                url, json={"question": rng.choice(questions), "session_id": session_id}
            )
            ok = response.status_code == 200 and "answer" in response.json()
        except httpx.HTTPError:
            ok = False
        out["latencies"].append(time.perf_counter() - started)
        if warm:
            out["warm_latencies"].append(out["latencies"][-1])
        out["errors"] += not ok
        await asyncio.sleep(rng.uniform(6, 12))  # reading the answer before the next question


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _load(store: Any, questions: list[str], residents: int, seconds: float, workers: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.support.ports import free_port

    port = free_port()
    database = store.engine.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "BALISE_DATABASE_URL": database,
        "BALISE_PUBLIC_RATE_LIMIT": "0",  # every resident shares 127.0.0.1; the per-session limit stays on
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "balise.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        url = f"{base}/api/public/eval-retrieval/ask"
        httpx.post(url, json={"question": questions[0], "session_id": "warm-up-0001"}, timeout=120)
        out: dict[str, Any] = {
            "latencies": [],
            "warm_latencies": [],
            "errors": 0,
            "started": time.monotonic(),
        }

        async def crowd() -> None:
            stop_at = time.monotonic() + seconds
            async with httpx.AsyncClient(timeout=30) as client:
                await asyncio.gather(
                    *(_resident(client, url, questions, stop_at, seed, out) for seed in range(residents))
                )

        asyncio.run(crowd())
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = out["latencies"]
    return {
        "residents": residents,
        "seconds": seconds,
        "workers": workers,
        "requests": len(latencies),
        "errors": out["errors"],
        "p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "warm_p95_ms": round(_percentile(out["warm_latencies"], 0.95) * 1000, 1),
        "load_average": os.getloadavg()[0],
    }


def run(
    data: Path, limit: int | None, residents: int, seconds: float, workers: int, validated: int = 0
) -> dict[str, Any]:
    reset_limits()
    dataset = load_dataset(data)
    print(f"indexing {len(dataset.corpus)} documents…", file=sys.stderr, flush=True)
    with build_store(dataset) as store:
        with tenant_session(store.tenant_id, store.engine) as session:
            tenant = session.get(Tenant, store.tenant_id)
            assert tenant is not None
            set_public_contact(session, tenant, CONTACT, actor="bench")
            for document_id in store.source_ids:
                approve(session, store.tenant_id, document_id, actor="bench")
            session.commit()
        started = time.perf_counter()
        faq = _faq(store, dataset, limit)
        faq["seconds"] = round(time.perf_counter() - started, 1)
        print("out-of-scope questions…", file=sys.stderr, flush=True)
        out_of_scope = _out_of_scope(store)
        answers = validated_figures(store, dataset, validated) if validated > 0 else {}
        print(f"load: {residents} residents for {seconds:.0f} s…", file=sys.stderr, flush=True)
        questions = [dataset.queries[q] for q in dataset.qrels][:200]
        questions += [json.loads(line)["text"] for line in OUT_OF_SCOPE.read_text().splitlines() if line]
        load = _load(store, questions, residents, seconds, workers) if residents > 0 else {}
    return {"fr_gov_faq": faq, "out_of_scope": out_of_scope, "validated_answers": answers, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a BEIR folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N judged FAQ questions")
    parser.add_argument("--residents", type=int, default=50, help="simulated residents (0: no load test)")
    parser.add_argument("--seconds", type=float, default=120.0, help="length of the load test")
    parser.add_argument(
        "--workers", type=int, default=1, help="balise serve --workers (one process: its caches are shared)"
    )
    parser.add_argument(
        "--validated", type=int, default=0, help="validated answers for N FAQ questions (at most 50; 0: none)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.data, args.limit, args.residents, args.seconds, args.workers, args.validated)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    faq, oos, load = result["fr_gov_faq"], result["out_of_scope"], result["load"]
    base = faq["baseline_staff_ask"]
    print(
        f"fr_gov_faq ({faq['questions']} questions): right source {faq['answered_right_source']:.1%}, "
        f"wrong source {faq['answered_wrong_source']:.1%}, redirected {faq['redirected']:.1%} "
        f"(baseline staff ask: right {base['right_source']:.1%}, wrong {base['wrong_source']:.1%}, "
        f"no citation {base['no_citation']:.1%})"
    )
    print(
        f"out of scope ({oos['questions']}): redirected with the right channel "
        f"{oos['redirected_right_channel']:.1%} {oos['per_category']} "
        f"(baseline staff ask gives no answer: {oos['baseline_staff_ask_no_answer']:.1%})"
    )
    if result["validated_answers"]:
        _print_validated(result["validated_answers"])
    if load:
        print(
            f"load: {load['residents']} residents, {load['seconds']:.0f} s, {load['workers']} web processes, "
            f"{load['requests']} requests, "
            f"{load['errors']} errors, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
            f"p95 after the first {WARM_SECONDS:.0f} s {load['warm_p95_ms']} ms "
            f"(load average {load['load_average']:.2f})"
        )


def _print_validated(figures: dict[str, Any]) -> None:
    for name in ("reader_alone", "with_validated"):
        for part, shown in figures[name].items():
            print(
                f"{name} / {part} ({shown['questions']}): right {shown['right_source']:.1%}, "
                f"wrong {shown['wrong_source']:.1%}, redirected {shown['redirected']:.1%}, "
                f"precision {shown['precision']:.1%}, validated served {shown['served_validated']:.1%}"
            )
    held, chosen = figures["matching_held_out"], figures["tuning"]["chosen_threshold"]
    print(
        f"matching threshold {held['threshold']} (chosen on tuning: {chosen}): "
        f"held-out precision {held['precision']:.1%}, recall {held['recall']:.1%} ({held['matched']} matched)"
    )


if __name__ == "__main__":
    main()
