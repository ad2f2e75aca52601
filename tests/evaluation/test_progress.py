"""Long ``balise eval`` runs show a progress bar on standard error, on a terminal only, never with
``--json`` (issue 28)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from balise.evaluation.policy import evaluate_policy
from balise.evaluation.progress import eval_progress


def _dataset(tmp_path: Path) -> Path:
    rows = [
        {"text": "Résume ce règlement de zonage.", "expected": "allow"},
        {"text": "Quelles sont les heures de la bibliothèque ?", "expected": "allow"},
        {"text": "Corrige l'orthographe de cet avis public.", "expected": "allow"},
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    return path


def test_the_bar_counts_every_request_on_a_terminal(tmp_path: Path):
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=80)
    with eval_progress(False, terminal) as progress:
        result = evaluate_policy(_dataset(tmp_path), progress=progress)
        (task,) = progress.tasks
        assert task.completed == task.total == result["examples"] == 3
    assert "3/3" in screen.getvalue()


def test_no_bar_with_json_or_off_a_terminal():
    assert eval_progress(True, Console(file=io.StringIO(), force_terminal=True)).disable
    assert eval_progress(False, Console(file=io.StringIO(), force_terminal=False)).disable
    assert not eval_progress(False, Console(file=io.StringIO(), force_terminal=True)).disable
