"""Every kind of audit event the code writes has a French and English label on the audit log page.

The kinds are read from the source: the action given to ``record(session, action, …)``, and when it is
built (``f"review.{action}"``, a variable, ``a if x else b``) the constants that reach it through the
enclosing function's callers. An action this reading cannot resolve fails the test, so a new kind of
event never reaches the log page as a bare ``word.word``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import balise
from balise.assistant.results import TASKS
from balise.audit.labels import EVENT_LABELS, event_label
from balise.i18n import use_locale
from balise.review import Status

SRC = Path(balise.__file__).parent
# values the source reading cannot follow, named here: a review's status, the pipeline's tasks,
# and the entries a municipality's import copies as they were written (their kinds are listed already)
KNOWN = {
    "status.value": {status.value for status in Status},
    "result.task": set(TASKS),
    "entry['action']": set(),
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents = {child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}

    def function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def arguments_to(self, function: ast.FunctionDef, parameter: str) -> Iterator[tuple[_Module, ast.expr]]:
        """What each call of ``function`` passes as ``parameter``: in this module, and in every module
        when the function is public."""
        names = [a.arg for a in function.args.args]
        position = names.index(parameter) if parameter in names else len(names) + 99
        modules = [self] if function.name.startswith("_") else list(_modules().values())
        for module, call in ((m, c) for m in modules for c in ast.walk(m.tree)):
            if isinstance(call, ast.Call) and _name(call) == function.name:
                keywords = {k.arg: k.value for k in call.keywords}
                if parameter in keywords:
                    yield module, keywords[parameter]
                elif position < len(call.args):
                    yield module, call.args[position]

    def values(self, expr: ast.expr, where: ast.AST) -> set[str]:
        """Every string ``expr`` can be; AssertionError when it cannot be told."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, where) | self.values(expr.orelse, where)
        if isinstance(expr, ast.JoinedStr) and len(expr.values) == 2:
            prefix, hole = expr.values
            assert isinstance(prefix, ast.Constant) and isinstance(hole, ast.FormattedValue), ast.unparse(
                expr
            )
            return {f"{prefix.value}{v}" for v in self.values(hole.value, where)}
        if isinstance(expr, ast.Name):
            function = self.function_of(where)
            assert function is not None, f"{self.path}: {expr.id}"
            assigned = {
                value
                for node in ast.walk(function)
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
                for value in self.values(node.value, node)
            }
            if expr.id in [a.arg for a in function.args.args + function.args.kwonlyargs]:
                for module, argument in self.arguments_to(function, expr.id):
                    assigned |= module.values(argument, argument)
            assert assigned, f"{self.path}: cannot tell the values of {expr.id}"
            return assigned
        if ast.unparse(expr) in KNOWN:
            return KNOWN[ast.unparse(expr)]
        raise AssertionError(f"{self.path}: cannot tell the audit action {ast.unparse(expr)}")


@cache
def _modules() -> dict[Path, _Module]:
    return {path: _Module(path) for path in SRC.rglob("*.py") if "migrations" not in path.parts}


def emitted_actions() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path, module in _modules().items():
        for call in ast.walk(module.tree):
            if isinstance(call, ast.Call) and _name(call) == "record" and len(call.args) >= 2:
                if "audit" not in ast.unparse(call.func) and ast.unparse(call.func) != "record":
                    continue
                for action in module.values(call.args[1], call):
                    found[action] = path
    return found


def test_the_reading_finds_built_actions() -> None:
    actions = emitted_actions()
    assert {"user.signed_in", "review.approved", "assistant.draft", "governance.system_created"} <= set(
        actions
    )


def test_every_emitted_event_has_a_label_in_both_languages() -> None:
    missing = {action: str(path) for action, path in emitted_actions().items() if action not in EVENT_LABELS}
    assert not missing, f"add these to balise/audit/labels.py: {missing}"
    with use_locale("fr"):
        assert event_label("user.signed_in") == "Connexion"
        french = {action: event_label(action) for action in EVENT_LABELS}
    with use_locale("en"):
        assert event_label("user.signed_in") == "Signed in"
        assert event_label("made.up") == "made.up"  # an old kind still shows, as written
    assert all("." not in label.split()[0] for label in french.values())


def test_an_entry_is_shown_with_names_words_and_short_references() -> None:
    from datetime import UTC, datetime

    from balise.audit import shown
    from balise.audit.models import AuditEntry

    entry = AuditEntry(
        seq=7,
        at=datetime(2026, 12, 7, 5, 3, tzinfo=UTC),
        actor="a" * 32,
        action="review.approved",
        target_type="output",
        target_id="b" * 32,
        details={"comment_id": "c" * 32, "edited": False, "masked": {"PERSON": 2}, "role": "reviewer"},
    )
    with use_locale("fr"):
        row = shown(entry, {"a" * 32: "Rémi Réviseur"})
    assert (row.who, row.action, row.target) == ("Rémi Réviseur", "Résultat approuvé", "Résultat : bbbbbbbb")
    assert row.details == [
        ("Commentaire", "cccccccc"),
        ("Modifié", "Non"),
        ("Renseignements personnels masqués", "PERSON : 2"),
        ("Rôle", "Réviseur·e"),
    ]
