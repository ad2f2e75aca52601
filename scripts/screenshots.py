"""Take the README's screenshots: a real `balise demo` + `balise serve`, driven by Debian's Chromium.

.venv/bin/python scripts/screenshots.py   # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "balise-demo-2026"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign_in(page: Page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print("wrote", OUT / f"{name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="balise-shots-"))
    env = {**os.environ, "BALISE_DATA_DIR": str(data)}
    balise = [sys.executable, "-m", "balise.cli"]
    subprocess.run([*balise, "demo"], env=env, check=True, cwd=data, capture_output=True)
    port = _port()
    server = subprocess.Popen(
        [*balise, "serve", "--port", str(port)],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 900}, locale="fr-CA")
            sign_in(page, "employe@demo.balise.ca")
            shoot(page, "01-accueil")
            page.goto("/assistant/question")
            page.get_by_label("Votre question").fill("Quand passe la collecte des ordures ménagères ?")
            page.get_by_role("button", name="Envoyer", exact=True).click()
            page.wait_for_load_state("networkidle")
            shoot(page, "02-reponse-citee")
            page.goto("/documents")
            shoot(page, "03-bibliotheque")
            sign_in(page, "vie-privee@demo.balise.ca")
            page.goto("/confidentialite")
            page.get_by_label("Texte à tester").fill(
                "Mme Julie Tremblay (NAS 046 454 286, julie.tremblay@courriel.ca) "
                "habite au 12, rue des Érables."
            )
            page.get_by_role("button", name="Afficher ce qui serait envoyé").click()
            page.wait_for_load_state("networkidle")
            shoot(page, "04-apercu-confidentialite")
            sign_in(page, "gestionnaire@demo.balise.ca")
            page.goto("/politique")
            shoot(page, "05-politique")
            sign_in(page, "reviseur@demo.balise.ca")
            page.goto("/revision")
            shoot(page, "06-revision")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
