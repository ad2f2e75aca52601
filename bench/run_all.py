"""`make bench`: every benchmark of the README, one after the other, each in its own process.

Results go to bench/results/<name>.txt (what the script printed); the README's figures come from
there. A benchmark that fails is reported and the others still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"

BENCHMARKS: list[tuple[str, list[str]]] = [
    ("pii", ["pii.py"]),
    ("policy", ["policy.py"]),
    ("search_quality", ["search_quality.py"]),
    ("search_latency", ["search_latency.py"]),
    ("rerank_latency", ["rerank_latency.py"]),
    ("ingest_montpellier_sqlite", ["ingest_montpellier.py", "--db", "sqlite"]),
    ("ingest_montpellier_postgresql", ["ingest_montpellier.py", "--db", "postgresql"]),
    ("summarisation", ["summarisation.py"]),
    ("assistant_citations", ["assistant_citations.py"]),
    ("answers", ["answers.py"]),
    ("load_sqlite", ["load.py", "--db", "sqlite"]),
    ("load_postgresql", ["load.py", "--db", "postgresql"]),
    ("stress_sqlite", ["load.py", "--db", "sqlite", "--stress"]),
    ("faults_sqlite", ["faults.py", "--db", "sqlite"]),
    ("faults_postgresql", ["faults.py", "--db", "postgresql"]),
    ("import", ["portability.py"]),
    ("sizing", ["sizing.py"]),
    ("gateway", ["gateway.py"]),
]


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    only = set(sys.argv[1:])
    failures = []
    for name, command in BENCHMARKS:
        if only and name not in only:
            continue
        started = time.monotonic()
        print(f"== {name}", flush=True)
        result = subprocess.run(
            [sys.executable, str(HERE / command[0]), *command[1:]], capture_output=True, text=True
        )
        output = result.stdout + (f"\n[stderr]\n{result.stderr}" if result.returncode else "")
        (RESULTS / f"{name}.txt").write_text(output, encoding="utf-8")
        print(result.stdout, flush=True)
        print(f"   ({time.monotonic() - started:.0f} s, exit {result.returncode})", flush=True)
        if result.returncode:
            failures.append(name)
    if failures:
        print("failed:", ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
