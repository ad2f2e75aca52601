"""The obfuscation corpus (tests/guard_privacy/obfuscation.jsonl) through the staff APIs: the privacy
preview and the ask API leave no value in clear, and the model never receives one."""

from __future__ import annotations

from collections.abc import Callable

from balise.guard.privacy.labels import PLACEHOLDER_NAMES
from balise.guard.privacy.placeholders import PLACEHOLDER
from tests.guard_privacy.disguise import visible
from tests.guard_privacy.obfuscation import load
from tests.support.openai_server import OpenAIServer
from tests.support.web import Member, csrf_of

CORPUS = load()


def _question(prompt: str) -> str:
    """The person's question in a prompt, after the library's sources."""
    return prompt.rsplit("Question : ", 1)[-1]


def test_the_staff_preview_masks_every_disguised_value(library: Member) -> None:
    headers = {"X-CSRF-Token": csrf_of(library.client)}
    leaks = []
    for record in CORPUS:
        response = library.client.post(
            "/api/assistant/preview", json={"task": "ask", "text": record["text"]}, headers=headers
        )
        assert response.status_code == 200, response.text
        shown = response.json()
        if visible(record["value"], _question(shown["text"]), record["template"]):
            leaks.append((record["id"], shown["text"]))
        elif record["label"] not in shown["masked"]:
            leaks.append((record["id"], shown["masked"]))
    assert leaks == []


def test_the_ask_api_sends_no_disguised_value_to_the_model(
    library: Member, openai_server: OpenAIServer, use_model: Callable[..., None]
) -> None:
    """One question per value, holding every disguise of it: each is masked, all with one placeholder."""
    use_model(library.tenant, openai_server)
    headers = {"X-CSRF-Token": csrf_of(library.client)}
    by_value: dict[str, list[dict[str, str]]] = {}
    for record in CORPUS:
        by_value.setdefault(record["value"], []).append(record)
    for value, records in by_value.items():
        question = "\n".join(record["text"] for record in records)
        response = library.client.post("/api/assistant/ask", json={"question": question}, headers=headers)
        assert response.status_code == 200, (value, response.text)
        sent = _question(openai_server.requests[-1]["messages"][-1]["content"])
        assert not visible(value, sent, records[0]["template"]), (value, sent)
        assert response.json()["masked"].get(records[0]["label"]) == len(records), (value, sent)
        name = PLACEHOLDER_NAMES[records[0]["label"]]
        assert {found for found in PLACEHOLDER.findall(sent) if found[0] == name} == {(name, "1")}, sent
    assert len(openai_server.requests) == len(by_value)
