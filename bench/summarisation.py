"""ROUGE-L of the extractive summariser against lead-3 on OrangeSum (abstract task, first 300 test docs).

Budget: both systems pick 3 sentences per document (same splitter). Because ROUGE-L F depends on
length, a third row truncates the lead to exactly as many words as the summariser produced for each
document ("lead, same words"), so the win cannot come from length alone.

    .venv/bin/python bench/summarisation.py [--data PATH] [--audience general] [--skip N] [--limit N]

The summariser's weights were chosen on documents 1-100; documents 101-300 (``--skip 100``) are
held out.

Tokens are accent-folded, lower-cased ``\\w+`` runs: rouge-score's default tokenizer drops every
non-ASCII letter, which mangles French. The data is read from ../shared/data at run time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from rouge_score import rouge_scorer

from balise.gateway import ExtractiveBackend, fold, split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/summarisation/orangesum/test_first300.jsonl"


class FrenchTokenizer:
    """rouge-score tokenizer protocol: folded word runs, no stemming (ROUGE is computed on surface)."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"\w+", fold(text))


def lead(text: str, n: int = 3) -> str:
    return " ".join(s.text for s in split_sentences(text)[:n])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--audience", default="general", choices=["specialist", "general", "plain"])
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N documents")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[args.skip : args.skip + args.limit if args.limit else None]
    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=FrenchTokenizer())
    backend = ExtractiveBackend()
    scores: dict[str, list[float]] = {"lead-3": [], "lead, same words": [], "extractive": []}
    lengths: dict[str, list[int]] = {name: [] for name in scores}
    started = time.perf_counter()
    for row in rows:
        summary = backend.summarise([row["text"]], audience=args.audience, max_sentences=args.sentences)
        ours = " ".join(c.quote for c in summary.citations)
        budget = len(ours.split())
        outputs = {
            "lead-3": lead(row["text"], args.sentences),
            "lead, same words": " ".join(row["text"].split()[:budget]),
            "extractive": ours,
        }
        for name, output in outputs.items():
            scores[name].append(scorer.score(row["summary"], output)["rougeL"].fmeasure)
            lengths[name].append(len(output.split()))
    seconds = time.perf_counter() - started

    print(
        f"OrangeSum abstract, {len(rows)} documents from #{args.skip + 1}, "
        f"budget {args.sentences} sentences, audience={args.audience}"
    )
    print(f"{'system':<20} {'ROUGE-L F':>10} {'mean words':>11}")
    for name in scores:
        print(
            f"{name:<20} {100 * statistics.mean(scores[name]):>10.2f} {statistics.mean(lengths[name]):>11.1f}"
        )
    wins = sum(o > lead3 for o, lead3 in zip(scores["extractive"], scores["lead-3"], strict=True))
    print(f"extractive beats lead-3 on {wins}/{len(rows)} documents; {1000 * seconds / len(rows):.1f} ms/doc")


if __name__ == "__main__":
    main()
