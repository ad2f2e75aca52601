"""How often an extracted answer appends a sentence that does not bear on the question (issue 28).

Reads the outcomes that ``bench/answers.py --save DIR`` wrote (one JSON Lines file per set) and the
sets' questions; nothing is asked again. Definition, mechanical on purpose and independent of the
reader's own filter (no synonyms, no type words removed):

- an answer is a reader outcome whose confidence reaches the reader's abstention threshold;
- its first cited sentence states the answer (the bare fact, or the first sentence); the passage it
  cites is the fact's passage;
- every later sentence is an appended sentence; it is off-topic when it shares no content stem with
  the question (exact, or one a prefix of the other from five letters, as the reader matches stems)
  and cites no passage the fact's sentence cites;
- strictly off-topic: the same, ignoring the stems found in at least a tenth of the set's questions
  (« ville », « conseil », « Montpellier »…), which say which library is asked, not what about.

Dev (even positions) and held-out (odd positions) halves are reported apart, as in ``answers.py``:
the filter was tuned looking only at dev examples.

Run: ``.venv/bin/python bench/off_topic.py DIR [--sets demo,montpellier] [--json]``
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from balise.gateway import claim_sentences, strip_markers
from balise.gateway.markers import MARKER, marker_numbers
from balise.gateway.reader import ABSTAIN_BELOW
from balise.text import term_set

HERE = Path(__file__).parent
QUESTIONS = {"demo": HERE / "data" / "demo_qa", "montpellier": HERE / "data" / "montpellier_qa"}
PREFIX_MIN = 5


def _shares(terms: frozenset[str], asked: frozenset[str]) -> bool:
    if terms & asked:
        return True
    return any(
        len(a) >= PREFIX_MIN and len(t) >= PREFIX_MIN and (a.startswith(t) or t.startswith(a))
        for a in asked
        for t in terms
    )


def appended_sentences(question: str, text: str, generic: frozenset[str]) -> tuple[int, int, int]:
    """(appended sentences, off-topic ones, strictly off-topic ones) of one answer (see the module)."""
    sentences = [s.text for s in claim_sentences(text) if MARKER.search(s.text)]
    if not sentences:
        return 0, 0, 0
    fact_passages = {n for m in MARKER.finditer(sentences[0]) for n in marker_numbers(m.group(1))}
    asked = term_set(question)
    off = strict = 0
    for sentence in sentences[1:]:
        cited = {n for m in MARKER.finditer(sentence) for n in marker_numbers(m.group(1))}
        if cited & fact_passages:
            continue
        terms = term_set(strip_markers(sentence))
        off += not _shares(terms, asked)
        strict += not _shares(terms, asked - generic)
    return len(sentences) - 1, off, strict


def generic_terms(questions: dict[str, str], share: float = 0.1) -> frozenset[str]:
    counts: Counter[str] = Counter(t for q in questions.values() for t in term_set(q))
    return frozenset(t for t, n in counts.items() if n >= share * len(questions))


def measure(rows: list[dict[str, Any]], questions: dict[str, str]) -> dict[str, Any]:
    answers = appended = off = strict = with_off = 0
    generic = generic_terms(questions)
    for row in rows:
        if (row.get("confidence") or 0.0) < ABSTAIN_BELOW or not row["cited"]:
            continue
        answers += 1
        count, bad, very = appended_sentences(questions[row["query_id"]], row["text"], generic)
        appended, off, strict, with_off = appended + count, off + bad, strict + very, with_off + (bad > 0)
    return {
        "answers": answers,
        "appended": appended,
        "off_topic": off,
        "off_topic_share": round(off / appended, 4) if appended else 0.0,
        "answers_with_off_topic": round(with_off / answers, 4) if answers else 0.0,
        "strictly_off_topic": strict,
        "strictly_off_topic_share": round(strict / appended, 4) if appended else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saved", type=Path, help="the --save folder of bench/answers.py")
    parser.add_argument("--sets", default="demo,montpellier")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    for name in args.sets.split(","):
        queries = (QUESTIONS[name] / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        questions = {row["_id"]: row["text"] for row in map(json.loads, queries)}
        lines = (args.saved / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [row for row in map(json.loads, lines) if row["who"] == "reader"]
        report[name] = {
            "all": measure(rows, questions),
            "dev": measure(rows[0::2], questions),
            "held_out": measure(rows[1::2], questions),
        }
    if args.json:
        print(json.dumps(report))
        return
    for name, parts in report.items():
        for half, m in parts.items():
            print(
                f"{name:12} {half:8} answers {m['answers']:3}  appended {m['appended']:3}  off-topic "
                f"{m['off_topic']:3} ({m['off_topic_share']:.3f})  answers with one "
                f"{m['answers_with_off_topic']:.3f}  strictly off-topic {m['strictly_off_topic']:3} "
                f"({m['strictly_off_topic_share']:.3f})"
            )


if __name__ == "__main__":
    main()
