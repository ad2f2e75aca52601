"""The AI tools page as the demo's manager uses it: a forbidden service added in the form, found in
each of the four blocklists downloaded from the page and fetched, without a session, at their stable
addresses; the privacy officer reads the page. axe-core on every page."""

from __future__ import annotations

import httpx
import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

DOMAIN = "ia-interdite-essai.example"
EXPECTED = {
    "hosts": f"0.0.0.0 {DOMAIN}",
    "rpz": f"*.{DOMAIN} CNAME .",
    "squid": f"acl balise_forbidden dstdomain .{DOMAIN}",
    "chrome": f'"{DOMAIN}"',
}


def test_a_forbidden_service_is_found_in_every_blocklist_format(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    page.get_by_role("link", name="Outils d’IA permis et interdits").click()
    page.wait_for_url("**/gouvernance/outils-ia")
    check_accessibility(page)
    main = page.get_by_role("main")
    assert (
        "Balise"
        in main.get_by_role("table", name="Services d’IA que le personnel peut utiliser").inner_text()
    )
    assert (
        "chatgpt.com"
        in main.get_by_role(
            "table", name="Services d’IA bloqués sur les appareils de la municipalité"
        ).inner_text()
    )

    page.get_by_label("Nom", exact=True).fill("IA interdite d’essai")
    page.get_by_label("Interdit", exact=True).check()
    page.get_by_label("Domaines, un par ligne (par exemple chatgpt.com)").fill("pas un domaine")
    page.get_by_role("button", name="Ajouter à la liste").click()
    assert "« pas » n’est pas un nom de domaine" in page.get_by_role("alert").inner_text()
    check_accessibility(page)
    page.get_by_label("Domaines, un par ligne (par exemple chatgpt.com)").fill(f"https://{DOMAIN}/")
    page.get_by_label("Note ou motif").fill("Service d’essai du test.")
    page.get_by_role("button", name="Ajouter à la liste").click()
    page.wait_for_url("**/gouvernance/outils-ia?enregistre=1")
    assert "La liste a été enregistrée." in page.get_by_role("status").first.inner_text()
    check_accessibility(page)

    for name, line in EXPECTED.items():
        with page.expect_download() as download_info:
            page.locator(f'a[href="/gouvernance/outils-ia/liste-de-blocage/{name}"]').click()
        assert line in download_info.value.path().read_text(encoding="utf-8"), name
        url = page.locator(f"#feed-{name}").inner_text()
        fetched = httpx.get(url, timeout=30)  # no cookie: the key alone opens it
        assert fetched.status_code == 200 and line in fetched.text, name
        assert httpx.get(url.split("?")[0], timeout=30).status_code == 403

    page.get_by_role("link", name="IA interdite d’essai").click()
    page.wait_for_url("**/gouvernance/outils-ia/*")
    check_accessibility(page)
    assert DOMAIN in page.get_by_label("Domaines, un par ligne (par exemple chatgpt.com)").input_value()

    page.context.clear_cookies()
    sign_in(page, "vie-privee@demo.balise.ca")
    visit(page, "/gouvernance/outils-ia")
    assert "IA interdite d’essai" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name="Ajouter à la liste").count() == 0
