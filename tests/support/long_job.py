"""A long job for worker processes the tests start: it reports progress and resumes where it stopped.

Each step appends a line to the file named in its payload (its "committed batches"), so a job given
back to the queue goes on from its last step, like a document's ingestion. Run a worker with it by
``python -m tests.support.long_job``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from balise.jobs import JobContext, handler

KIND = "test_long_job"


@handler(KIND)
def long_job(ctx: JobContext) -> None:
    steps = Path(str(ctx.payload["file"]))
    total = int(ctx.payload["steps"])
    done = len(steps.read_text().splitlines()) if steps.exists() else 0
    for step in range(done, total):
        ctx.progress(step, total)  # raises when the worker must give the job back
        time.sleep(float(ctx.payload.get("seconds", 0.1)))
        with steps.open("a") as output:
            output.write(f"{step}\n")


if __name__ == "__main__":
    from balise.cli import app

    app(args=["worker", *sys.argv[1:]])
