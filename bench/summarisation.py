"""ROUGE-L of the extractive summariser against lead-3 on OrangeSum (abstract task, first 300 test docs).

Budget: both systems pick 3 sentences per document (same splitter). Because ROUGE-L F depends on
length, a third row truncates the lead to exactly as many words as the summariser produced for each
document ("lead, same words"), so the win cannot come from length alone.

    .venv/bin/python bench/summarisation.py [--data PATH] [--audience general] [--skip N] [--limit N]
    .venv/bin/python bench/summarisation.py --by-laws   # the demo by-laws, per audience

``--by-laws`` summarises the demo library's three by-laws for each audience and prints the Kandel–Moles
readability of each summary and how many of its sentences are headings (the baseline: the first three
sentences of the by-law, which are its title and headings).

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

from balise.assistant.readability import kandel_moles
from balise.documents.chunking import chunk_document
from balise.documents.formats import parser_for
from balise.gateway import ExtractiveBackend, fold, split_sentences, strip_markers
from balise.gateway.contracts import Passage

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/summarisation/orangesum/test_first300.jsonl"


class FrenchTokenizer:
    """rouge-score tokenizer protocol: folded word runs, no stemming (ROUGE is computed on surface)."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"\w+", fold(text))


def lead(text: str, n: int = 3) -> str:
    return " ".join(s.text for s in split_sentences(text)[:n])


LIBRARY = Path(__file__).resolve().parents[1] / "src/balise/documents/demo_library"
BY_LAWS = (
    "reglement-2024-12-arrosage.docx",
    "reglement-2025-03-permis-renovation.pdf",
    "reglement-2023-07-nuisances.odt",
)
HEADING = re.compile(r"^\s*(article|chapitre|section|titre|règlement no)\b", re.IGNORECASE | re.MULTILINE)


def by_laws() -> None:
    """Readability and headings of the demo by-laws' summaries, beside the by-law's first sentences."""
    backend = ExtractiveBackend()
    print(f"{'by-law':<42} {'audience':<10} {'Kandel-Moles':>12} {'headings':>9}")
    for name in BY_LAWS:
        path = LIBRARY / name
        found = parser_for(path.name)
        assert found is not None
        parsed = found.parse(path.read_bytes(), path.name)
        passages = [
            Passage(n, str(n), name, parsed.title, c.page, c.text)
            for n, c in enumerate(chunk_document(parsed), start=1)
        ]
        first = [s.text for s in split_sentences(passages[0].text)[:3]]
        rows = [("lead-3", first)]
        for audience in ("general", "plain"):
            summary = backend.summarise(passages, audience=audience)  # type: ignore[arg-type]
            rows.append((audience, [c.quote for c in summary.citations]))
        for label, sentences in rows:
            score = kandel_moles(strip_markers(" ".join(sentences))).score
            headings = sum(bool(HEADING.search(s)) for s in sentences)
            print(f"{name:<42} {label:<10} {score:>12.1f} {headings:>6}/{len(sentences)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--audience", default="general", choices=["specialist", "general", "plain"])
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N documents")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--by-laws", action="store_true", help="the demo by-laws' summaries instead")
    args = parser.parse_args()
    if args.by_laws:
        by_laws()
        return

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
