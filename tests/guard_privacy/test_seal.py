"""Only the privacy guard can create a GuardedPrompt: no public minting function, no forged or edited seal,
and no module outside the guard reaches for its private seal."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import balise.guard.privacy as privacy
import balise.guard.privacy.prompt as prompt_module
from balise.guard.privacy import GuardedPrompt, PrivacyGuard

ROOT = Path(__file__).resolve().parents[2]
GUARD = ROOT / "src" / "balise" / "guard" / "privacy"
PRIVATE = {"_seal", "_KEY", "_digest"}


def test_no_public_way_to_mint_a_prompt() -> None:
    assert not hasattr(privacy, "seal_prompt")
    public = {name for name in vars(prompt_module) if not name.startswith("_")}
    minting = {name for name in public if callable(getattr(prompt_module, name))} - {
        "GuardedPrompt",
        "ChatMessage",
        "TypedDict",
        "Literal",
        "dataclass",
        "field",
    }
    assert minting == set()


@pytest.mark.parametrize("seal", [object(), b"", b"\0" * 32, "forged"])
def test_a_forged_seal_is_refused(seal: object) -> None:
    with pytest.raises(PermissionError):
        GuardedPrompt(({"role": "user", "content": "Jean Tremblay"},), {}, {}, seal)  # type: ignore[arg-type]


def test_a_sealed_prompt_cannot_be_edited_or_copied_with_other_content(guard: PrivacyGuard) -> None:
    sealed = guard.protect([{"role": "user", "content": "Écrire à Gilberte Tremblay, 514 555-0199."}])
    assert sealed.intact and "Gilberte" not in sealed.messages[0]["content"]
    raw = ({"role": "user", "content": "Écrire à Gilberte Tremblay, 514 555-0199."},)
    with pytest.raises(PermissionError):
        dataclasses.replace(sealed, messages=raw)
    with pytest.raises(PermissionError):
        GuardedPrompt(raw, sealed.counts, sealed.placeholders, sealed.seal)  # type: ignore[arg-type]
    object.__setattr__(sealed, "messages", raw)
    assert not sealed.intact  # and the gateway refuses a prompt that is not intact


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("balise.guard.privacy"):
            found += [f"import {a.name}" for a in node.names if a.name in PRIVATE]
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append(f".{node.attr}")
        elif isinstance(node, ast.Name) and node.id in PRIVATE:
            found.append(node.id)
    return found


def test_nothing_outside_the_guard_touches_the_seal() -> None:
    offenders = {}
    for folder in ("src", "tests", "bench", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(GUARD) or path == Path(__file__).resolve():
                continue
            if uses := _private_uses(path):
                offenders[str(path.relative_to(ROOT))] = uses
    assert offenders == {}
