"""`balise --help` in French by default and in English with `--lang en`, and fast to show."""

from __future__ import annotations

import gettext
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import typer
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from balise.cli import app
from balise.i18n import catalogue

runner = CliRunner()
WIDE = {"COLUMNS": "200"}  # one help text per line


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


def test_help_is_in_french_by_default():
    shown = _help()
    assert "Balise : l’IA générative responsable pour les municipalités." in shown
    assert "Commandes" in shown
    assert "Répondre à une question à partir des documents de la municipalité" in shown
    assert "Langue des messages et de l’aide : fr ou en." in shown
    assert "Afficher ce message et quitter." in shown


def test_help_is_in_english_with_lang_en_and_french_again_after():
    shown = _help("--lang", "en")
    assert "Balise: responsible generative AI for municipalities." in shown
    assert "Answer a question from the municipality's documents, with cited sources." in shown
    assert "Show this message and exit." in shown
    assert "Balise : l’IA" in _help()


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (["models"], "Lister les modèles approuvés pour une municipalité.", "List the models approved"),
        (["eval", "pii"], "Détecter les renseignements personnels", "Detect personal information"),
        (["ask"], "Un terme à masquer en plus (répétable).", "A term to mask in addition (repeatable)."),
        (["admin", "create-token"], "Créer un jeton d’API pour une personne", "Create an API token"),
    ],
)
def test_groups_and_commands_follow_the_language(args: list[str], french: str, english: str):
    assert french in _help(*args)
    assert english in _help("--lang", "en", *args)


def test_typer_notes_are_translated_too():
    assert "[obligatoire]" in _help("eval", "pii")
    assert "[par défaut : balise]" in _help("eval", "pii")
    assert "[required]" in _help("--lang", "en", "eval", "pii")


def _tree(command: Any, ctx: typer.Context) -> Iterator[tuple[Any, typer.Context]]:
    """Every command with its context, the commands of other packages imported."""
    yield command, ctx
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            _name, sub, _rest = command.resolve_command(ctx, [name])
            yield from _tree(sub, typer.Context(sub, info_name=name, parent=ctx))


def test_every_help_text_has_a_french_translation():
    root = typer.main.get_command(app)
    french = catalogue("fr")
    missing = []
    for command, ctx in _tree(root, typer.Context(root, info_name="balise")):
        texts = [command.help, *(getattr(param, "help", None) for param in command.get_params(ctx))]
        missing += [f"{ctx.command_path}: {text}" for text in texts if text and not french.get(text)]
    assert not missing, "\n".join(missing)


HEAVY = (
    "sqlalchemy",
    "spacy",
    "presidio_analyzer",
    "fastapi",
    "balise.db",
    "balise.assistant",
    "balise.documents",
    "balise.gateway",
    "balise.tenancy",
    "balise.audit",
)
SHOW_IMPORTS = f"""
import sys
import time
from balise.cli import app
try:
    app()
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.startswith({HEAVY!r}))), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["models", "--help"], ["eval", "--help"], ["admin", "--help"]])
def test_help_imports_no_heavy_package(args: list[str]):
    done = subprocess.run(
        [sys.executable, "-c", SHOW_IMPORTS, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout
    assert done.stderr.strip() == ""


SHOW_BABEL = """
import sys
import time
from balise.cli import app
try:
    app()
except SystemExit:
    pass
print("babel" in sys.modules, file=sys.stderr)
"""


def test_help_is_fast_and_reads_the_compiled_catalogue(tmp_path):
    """The merged catalogue is compiled once into the cache folder; later runs neither parse the ``.po``
    files nor import Babel. The bound is generous: the machine running the tests is shared."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "200"}
    runs = []
    for _run in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", SHOW_BABEL, "--help"], capture_output=True, text=True, env=env, timeout=60
        )
        runs.append((time.perf_counter() - started, done))
    assert runs[0][1].stderr.strip() == "True" and list(tmp_path.glob("balise/messages-*.mo"))
    fastest, done = min(runs[1:], key=lambda run: run[0])
    assert done.stderr.strip() == "False" and "Afficher ce message et quitter." in done.stdout
    assert fastest < 1.5


def test_option_names_read_whole_at_80_columns():
    root = typer.main.get_command(app)
    cut = []
    for command, ctx in _tree(root, typer.Context(root, info_name="balise")):
        path = ctx.command_path.split()[1:]
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}).output
        names = [name for param in command.get_params(ctx) for name in (*param.opts, *param.secondary_opts)]
        cut += [f"{ctx.command_path} {name}" for name in names if name.startswith("--") and name not in shown]
    assert not cut, "\n".join(cut)


def test_translations_work_when_the_cache_folder_cannot_be_written(tmp_path, monkeypatch):
    from balise import i18n

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    compiled = i18n._compiled("fr")
    assert not list(tmp_path.glob("**/*.mo"))
    assert gettext.GNUTranslations(io.BytesIO(compiled)).gettext("Show this message and exit.") == (
        "Afficher ce message et quitter."
    )
