"""The consumption page and its CSV export, the governance dashboard's usage by service and by tool,
and the AI register's entry for the OpenAI-compatible API, from requests made through the door and
the staff assistant (the loopback model server counts one token per word)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest

from balise.tenancy import Tenant
from tests.support.openai_server import OpenAIServer
from tests.support.web import Member
from tests.web.conftest import Person
from tests.web.test_quotas import HELLO, LONG, chat

PRICE = 2.0  # CAD per 1,000 tokens


@pytest.fixture
def used(
    person: Callable[..., Person],
    make_tenant: Callable[..., Tenant],
    openai_server: OpenAIServer,
    use_model: Callable[..., None],
) -> tuple[Person, Person]:
    """Two people of two services: one uses the door from an editor (3 requests), the other from a
    script (1 request) and the staff assistant's JSON API (1 request)."""
    tenant = make_tenant("Ville de la consommation")
    use_model(tenant, openai_server, price_per_1k_tokens=PRICE, currency="CAD")
    editor, scripter = person(tenant, "Urbanisme"), person(tenant, "Loisirs")
    for messages in (HELLO, HELLO, LONG):  # 11, 11 and 26 tokens
        chat(editor, messages, extra_headers={"X-Balise-Tool": "Continue"})
    chat(scripter)
    answer = scripter.client._client.post(
        "/api/assistant/revise",
        json={"text": "la collecte a lieu le le mardi.", "mode": "correct"},
        headers={"Authorization": f"Bearer {scripter.token}"},
    )
    assert answer.status_code == 200, answer.text
    assert len(openai_server.requests) == 5
    return editor, scripter


def _row(page: str, label: str) -> list[str]:
    """The cells after a row heading, tags removed."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', page, re.S)
    assert match is not None, f"no row for {label}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", match.group(1), re.S)
    ]


def test_the_page_shows_requests_tokens_cost_and_energy_by_person_service_tool_and_model(
    used: tuple[Person, Person], make_member: Callable[..., Member]
):
    editor, _scripter = used
    manager = make_member("manager", tenant=editor.tenant)
    page = manager.client.get("/gouvernance/consommation")
    assert page.status_code == 200
    text = page.text
    assert _row(text, "Personne 0")[:3] == ["3", "30", "18"]  # 5+5+20 words in, 6+6+6 out
    assert _row(text, "Urbanisme")[0] == "3" and _row(text, "Loisirs")[0] == "2"
    assert _row(text, "API compatible OpenAI — continue")[:1] == ["3"]
    assert _row(text, "API compatible OpenAI — openai-python")[:1] == ["1"]
    assert _row(text, "Assistant du personnel")[:1] == ["1"]
    model = _row(text, "Modèle local")
    assert model[0] == "5" and re.fullmatch(r"\d+,\d\d\s\$CA", model[3])  # in CAD, as French writes it
    assert _row(text, "Personne 0")[3] == "0,10\xa0$CA"  # 48 tokens at 2 $ per 1,000
    assert "Wh" in model[4]
    assert "/gouvernance/consommation?debut=" in text and "format=csv" in text
    assert 'role="img" aria-labelledby="adoption-title adoption-desc"' in text
    assert "<script" not in text.split("<main", 1)[1]
    weeks = text.split("Requêtes et personnes, semaine par semaine", 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>5</td><td>2</td>", weeks), weeks  # 5 requests by the two people, this week
    assert "Par tâche" in text


def test_the_csv_export_gives_the_same_numbers_with_the_cost_in_its_currency(
    used: tuple[Person, Person], make_member: Callable[..., Member]
):
    editor, _scripter = used
    manager = make_member("manager", tenant=editor.tenant)
    export = manager.client.get("/gouvernance/consommation?format=csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = {(r["dimension"], r["key"]): r for r in csv.DictReader(io.StringIO(export.text))}
    person = rows[("person", editor.user.id)]
    assert (person["requests"], person["tokens_in"], person["tokens_out"]) == ("3", "30", "18")
    assert float(person["cost_CAD"]) == pytest.approx(48 / 1000 * PRICE)
    assert rows[("service", "Loisirs")]["requests"] == "2"
    assert rows[("tool", "api/continue")]["requests"] == "3"
    assert rows[("tool", "assistant")]["requests"] == "1"
    assert rows[("model", "Modèle local")]["requests"] == "5"
    assert rows[("total", "")]["requests"] == "5" and float(rows[("total", "")]["wh"]) > 0
    bad = manager.client.get("/gouvernance/consommation?debut=2026-12-31&fin=2026-12-01")
    assert bad.status_code == 422 and "se termine avant de commencer" in bad.text


def test_the_governance_dashboard_shows_use_by_service_and_by_tool(
    used: tuple[Person, Person], make_member: Callable[..., Member]
):
    editor, _scripter = used
    manager = make_member("manager", tenant=editor.tenant)
    for path in ("/gouvernance/conformite", "/gouvernance/conformite?format=rapport"):
        page = manager.client.get(path).text
        assert "Utilisation des outils d’IA dans les 30 derniers jours" in page
        assert _row(page, "Urbanisme")[0] == "3" and _row(page, "Assistant du personnel")[0] == "1"


def test_the_register_lists_the_openai_compatible_api_as_a_sanctioned_tool(
    make_member: Callable[..., Member],
):
    manager = make_member("manager")
    register = manager.client.get("/gouvernance/registre").text
    assert "API compatible OpenAI (Balise)" in register
    public = manager.client.get(f"/public/{manager.tenant.slug}/transparence?format=json").json()
    (api,) = [s for s in public["systems"] if s["name"] == "API compatible OpenAI (Balise)"]
    assert api["status"] == "production" and "politique d’utilisation" in api["description"]
