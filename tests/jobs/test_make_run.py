"""`make run` installs what running needs, not the test tools."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def _recipe(target: str) -> tuple[str, list[str]]:
    """(prerequisites, recipe lines) of a Makefile target."""
    lines = MAKEFILE.read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(rf"^{re.escape(target)}\s*:", line):
            body = []
            for following in lines[index + 1 :]:
                if not following.startswith("\t"):
                    break
                body.append(following.strip())
            return line.split(":", 1)[1], body
    raise AssertionError(f"no target {target}")


def test_make_run_installs_without_the_test_extras() -> None:
    prerequisites, _body = _recipe("run")
    stamps = [name for name in re.findall(r"\$\((\w+)\)", prerequisites) if name.endswith("STAMP")]
    assert stamps, "make run must depend on an install step"
    for stamp in stamps:
        _prerequisites, install = _recipe(f"$({stamp})")
        joined = " ".join(install)
        assert "pip install" in joined and "[test]" not in joined
