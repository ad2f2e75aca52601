"""Browser fixtures: a real Balise server (`balise demo` then `balise serve`) and Debian's Chromium.

Every page a test opens through :func:`visit` is checked with axe-core; a serious or critical
accessibility violation fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from balise.db import make_engine
from tests.support.ports import start_serve, start_with_retries

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("BALISE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BALISE = [sys.executable, "-m", "balise.cli"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BALISE_DATA_DIR of the browser server, so tests can prepare data in its database."""
    return tmp_path_factory.mktemp("browser-var")


SERVER_START_SECONDS = 180


@pytest.fixture(scope="session")
def server(server_data_dir: Path) -> Iterator[str]:
    data_dir = server_data_dir
    env = {**os.environ, "BALISE_DATA_DIR": str(data_dir)}
    env.pop("BALISE_DATABASE_URL", None)
    subprocess.run([*BALISE, "demo"], env=env, check=True, capture_output=True, cwd=data_dir)
    log = data_dir / "serve.log"
    started = start_with_retries(lambda: start_serve(data_dir, env, log, SERVER_START_SECONDS))
    if started is None:
        raise RuntimeError("balise serve did not start: " + log.read_text(errors="replace"))
    process, base = started
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Playwright's 30 s default is short on a loaded CI machine, where the server's first request that
# needs the privacy guard or the embedder also loads its model. Waiting longer only costs time when
# a test fails.
PAGE_TIMEOUT_MS = 120_000


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def check_accessibility(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core on the current page: no serious or critical violation allowed."""
    # Through DevTools, not a <script> tag: the Content-Security-Policy forbids inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"accessibility violations on {page.url}:\n{details}"


def visit(page, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(path)
    check_accessibility(page)


def sign_in(page, email: str, password: str = "balise-demo-2026") -> None:  # type: ignore[no-untyped-def]
    visit(page, "/connexion")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")
    # The language is the account's own: another test may have left this demo account in English.
    page.goto("/langue/fr?next=/")
    page.wait_for_url("**/")
    check_accessibility(page)


@pytest.fixture(scope="session")
def server_engine(server: str, server_data_dir: Path) -> Iterator[Engine]:
    """An engine on the running server's SQLite database (WAL lets both write)."""
    engine = make_engine(f"sqlite:///{server_data_dir / 'balise.db'}")
    yield engine
    engine.dispose()
