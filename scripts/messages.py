"""Find user-facing messages that have no French translation.

Messages are the first argument of ``_``/``gettext_``/``N_``/``ngettext_``/``stored_message`` and of any
``BaliseError`` subclass, in Python, and ``_()``/``ngettext()`` in templates; a plural message is
found by its singular. Prints the missing ones in .po
format, grouped by the catalogue (package) they belong in:

    python scripts/messages.py            # list what is missing
    python scripts/messages.py --append   # append empty entries to each package's .po to fill in
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
from collections import defaultdict
from pathlib import Path

import balise
from balise.errors import BaliseError
from balise.i18n import LOCALE_DIR, catalogue

SRC = Path(balise.__file__).parent
CALLS = {"_", "gettext_", "N_", "stored_message"}
# plural messages, found by their singular: ngettext_("…", "…", n), Plural(N_("…"), N_("…"), "count")
PLURAL_CALLS = {"ngettext_", "Plural"}
TEMPLATE_MSG = re.compile(
    r"""(?:\b_|\bngettext)\(\s*(?P<q>["'])(?P<msg>(?:(?!(?P=q)).)+)(?P=q)\s*[,)]""", re.S
)


def _error_classes() -> set[str]:
    for module in pkgutil.walk_packages([str(SRC)], "balise."):
        if "migrations" in module.name:
            continue
        try:
            importlib.import_module(module.name)
        except Exception:
            continue
    names: set[str] = set()
    stack = [BaliseError]
    while stack:
        cls = stack.pop()
        names.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return names


def _package_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    if len(parts) == 1:
        return "core"
    if parts[0] == "guard" and len(parts) > 2:
        return f"guard_{parts[1]}"
    if parts[0] == "web" and parts[1] == "routers":
        return f"web_{Path(parts[2]).stem}"
    if parts[0] == "web" and parts[1] == "templates" and len(parts) > 3:
        return f"web_{parts[2]}"
    return parts[0]


def extract() -> dict[str, set[str]]:
    """msgid → packages that use it."""
    calls = CALLS | _error_classes()
    found: dict[str, set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        plural_forms = {  # the N_("…") plural of Plural(N_(…), N_(…), …): found through its singular
            id(node.args[1])
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Plural"
            and len(node.args) > 1
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args or id(node) in plural_forms:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            first = node.args[0]
            if (
                name in calls | PLURAL_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found[first.value].add(_package_of(path))
            elif name in PLURAL_CALLS and _is_marked(first):
                found[first.args[0].value].add(_package_of(path))  # type: ignore[attr-defined]
    for path in SRC.rglob("*.html"):
        for match in TEMPLATE_MSG.finditer(path.read_text(encoding="utf-8")):
            found[match.group("msg")].add(_package_of(path))
    return found


def _is_marked(node: ast.expr) -> bool:
    """``N_("…")`` as the first argument of ``Plural(N_("…"), N_("…"), "count")``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _translated(string: str | tuple[str, ...] | None) -> bool:
    """A plural message is translated when every one of its forms is."""
    return all(string) if isinstance(string, tuple) else bool(string)


def missing(locale: str = "fr") -> dict[str, list[str]]:
    """Package → msgids without a translation in ``locale`` (a plural message by its singular)."""
    known = catalogue(locale)
    result: dict[str, list[str]] = defaultdict(list)
    for msgid, packages in sorted(extract().items()):
        message = known.get(msgid)
        if message is None or not _translated(message.string):
            result[sorted(packages)[0]].append(msgid)
    return dict(result)


def _po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def main() -> int:
    todo = missing()
    for package, msgids in todo.items():
        entries = "".join(f'\nmsgid "{_po_escape(m)}"\nmsgstr ""\n' for m in msgids)
        if "--append" in sys.argv:
            po = LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{package}.po"
            if not po.exists():
                po.write_text(
                    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8"
                )
            with po.open("a", encoding="utf-8") as handle:
                handle.write(entries)
        print(f"# {package}.po: {len(msgids)} missing{entries}")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
