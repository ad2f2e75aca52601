"""The lists of sanctioned and forbidden AI services, their four blocklists, the keyed stable address,
the unsanctioned-tool incident and what D0, G8 and G9 read of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid, NotFound
from balise.governance import save_incident
from balise.governance.blocklists import Source, chrome, hosts, rpz, squid
from balise.governance.service import conformity_rows
from balise.governance.shadow import list_services, load_suggestions, parse_domains, save_service
from balise.governance.shadow_demo import ensure_shadow_demo
from balise.governance.shadow_feed import (
    WrongFeedKey,
    download,
    feed_key,
    fetch,
    policy_of,
    rotate_key,
    set_consequences,
)
from balise.i18n import use_locale
from balise.tenancy import Tenant

SOURCE = Source(
    municipality="Ville de Saint-Exemple",
    slug="saint-exemple",
    domains=["chatgpt.com", "chat.openai.com", "openai.com", "www.perplexity.ai"],
    services=2,
    changed_at=datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
    generated_at=datetime(2026, 12, 7, 19, 0, tzinfo=UTC),
)
HEADER = (
    "{c} Services d’IA interdits par Ville de Saint-Exemple, liste produite par Balise.\n"
    "{c} Produite le 2026-12-07 19:00 (UTC) ; liste modifiée le 2026-12-01 08:30.\n"
    "{c} Services interdits : 2 ; domaines : 4.\n"
)


def _forbid(session, tenant_id: str, name: str, domains: str):  # type: ignore[no-untyped-def]
    form = {"name": name, "status": "forbidden", "domains": domains}
    return save_service(session, tenant_id, form, actor="test")


def test_domains_are_host_names_and_a_bad_one_is_refused_in_french() -> None:
    assert parse_domains("https://ChatGPT.com/c/12\n*.claude.ai., chat.openai.com chatgpt.com") == [
        "chatgpt.com",
        "claude.ai",
        "chat.openai.com",
    ]
    assert parse_domains("bücher.ch") == ["xn--bcher-kva.ch"]
    for bad in ("chatgpt", "chat_gpt.com", "-x.com", "192.168.0.1", "exemple.c0m", "a..com"):
        with use_locale("fr"), pytest.raises(Invalid) as refused:
            parse_domains(bad)
        assert f"« {bad} » n’est pas un nom de domaine" in refused.value.localized()


def test_each_format_is_exact() -> None:
    with use_locale("fr"):
        assert hosts(SOURCE).text == HEADER.format(c="#") + (
            "0.0.0.0 chat.openai.com\n0.0.0.0 www.chat.openai.com\n"
            "0.0.0.0 chatgpt.com\n0.0.0.0 www.chatgpt.com\n"
            "0.0.0.0 openai.com\n0.0.0.0 www.openai.com\n"
            "0.0.0.0 www.perplexity.ai\n"
        )
        assert rpz(SOURCE).text == HEADER.format(c=";") + (
            "$TTL 300\n"
            "@ IN SOA localhost. hostmaster.localhost. ( 1796113800 3600 600 86400 300 )\n"
            "  IN NS localhost.\n"
            "chatgpt.com CNAME .\n*.chatgpt.com CNAME .\n"
            "openai.com CNAME .\n*.openai.com CNAME .\n"
            "www.perplexity.ai CNAME .\n*.www.perplexity.ai CNAME .\n"
        )
        assert squid(SOURCE).text == HEADER.format(c="#") + (
            "# Puis, avant vos règles d’autorisation : http_access deny balise_forbidden\n"
            "acl balise_forbidden dstdomain .chatgpt.com\n"
            "acl balise_forbidden dstdomain .openai.com\n"
            "acl balise_forbidden dstdomain .www.perplexity.ai\n"
        )
    assert chrome(SOURCE).text == (
        '{\n  "URLBlocklist": [\n    "chatgpt.com",\n    "openai.com",\n    "www.perplexity.ai"\n  ]\n}\n'
    )
    kinds = {f(SOURCE).filename: f(SOURCE).media_type for f in (hosts, rpz, squid, chrome)}
    assert kinds == {
        "hosts-ia-interdits-saint-exemple.txt": "text/plain; charset=utf-8",
        "rpz-ia-interdits-saint-exemple.zone": "text/dns; charset=utf-8",
        "squid-ia-interdits-saint-exemple.acl": "text/plain; charset=utf-8",
        "chrome-urlblocklist-saint-exemple.json": "application/json",
    }


def test_a_domain_is_listed_once_and_never_blocks_a_sanctioned_one(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        save_service(
            session,
            tenant.id,
            {"name": "Copilot M365", "status": "sanctioned", "domains": "m365.cloud.microsoft"},
            actor="test",
        )
        _forbid(session, tenant.id, "ChatGPT", "chatgpt.com")
        with pytest.raises(Invalid, match="déjà inscrit pour « ChatGPT »"):
            _forbid(session, tenant.id, "Autre", "chatgpt.com")
        with pytest.raises(Invalid, match=r"bloquerait aussi m365\.cloud\.microsoft"):
            _forbid(session, tenant.id, "Microsoft", "cloud.microsoft")
        with pytest.raises(Invalid, match="au moins un domaine"):
            _forbid(session, tenant.id, "Vide", "  ")
        with pytest.raises(Invalid, match="autorisé ou interdit"):
            save_service(session, tenant.id, {"name": "X", "status": "maybe", "domains": "x.ai"}, actor="t")
        assert load_suggestions(session, tenant.id, actor="test") == 11  # ChatGPT's domain is taken
        assert load_suggestions(session, tenant.id, actor="test") == 0
        names = [s.name for s in list_services(session, "forbidden")]
        assert "ChatGPT" in names and "ChatGPT (OpenAI)" not in names and "Claude (Anthropic)" in names
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id)).all()
        assert actions.count("governance.ai_service_created") == 13
        session.commit()


def test_the_stable_address_needs_the_current_key_of_its_own_municipality(make_tenant, scoped) -> None:
    town, other = make_tenant("Ville A"), make_tenant("Ville B")
    with scoped(other.id) as session:
        _forbid(session, other.id, "Secret de B", "secret-b.example")
        other_key = feed_key(policy_of(session, other.id))
        session.commit()
    with scoped(town.id) as session:
        municipality = session.get(Tenant, town.id)
        _forbid(session, town.id, "Le Chat", "chat.mistral.ai")
        key = feed_key(policy_of(session, town.id))
        for wrong in (other_key, "", key[:-1] + ("A" if key[-1] != "A" else "B")):
            with pytest.raises(WrongFeedKey):
                fetch(session, municipality, "hosts", wrong)
        text = fetch(session, municipality, "hosts", key).text
        assert "0.0.0.0 chat.mistral.ai" in text and "secret-b" not in text
        with pytest.raises(NotFound):
            fetch(session, municipality, "pac", key)
        rotate_key(session, town.id, actor="test")
        with pytest.raises(WrongFeedKey):
            fetch(session, municipality, "squid", key)
        new_key = feed_key(policy_of(session, town.id))
        assert new_key != key
        assert ".chat.mistral.ai" in fetch(session, municipality, "squid", new_key).text
        assert policy_of(session, town.id).fetches == 2
        session.commit()


def test_g8_g9_and_d0_follow_the_lists_the_blocklist_and_the_consequences(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session, use_locale("fr"):
        municipality = session.get(Tenant, tenant.id)

        def rows() -> dict[str, tuple[str, str]]:
            return {r.id: (r.status, r.evidence) for r in conformity_rows(session, municipality)}

        start = rows()
        assert start["G8"][0] == "missing" and start["G9"][0] == "missing"
        assert start["D0"][0] == "attention"  # Balise's tasks are in the register, no list yet
        _forbid(session, tenant.id, "Le Chat", "chat.mistral.ai")
        assert rows()["G8"] == (
            "attention",
            "Services d’IA interdits : 1 (domaines : 1) ; "
            "aucune liste de blocage remise aux TI pour l’instant.",
        )
        download(session, municipality, "chrome", actor="test")
        assert rows()["G8"][0] == "in_place"
        _forbid(session, tenant.id, "Grok", "grok.com")
        assert rows()["G8"][0] == "attention" and "plus ancienne" in rows()["G8"][1]
        fetch(session, municipality, "rpz", feed_key(policy_of(session, tenant.id)))
        assert rows()["G8"][0] == "in_place" and "récupérations à son adresse stable : 1" in rows()["G8"][1]
        assert rows()["D0"][0] == "attention"  # nothing sanctioned yet
        save_service(
            session,
            tenant.id,
            {"name": "Balise", "status": "sanctioned", "domains": "ia.ville.ca"},
            actor="t",
        )
        status, evidence = rows()["D0"]
        assert status == "attention" and "Aucun mémento n’est adopté" in evidence  # the lists alone
        from balise import memento

        version = memento.generate(session, municipality, actor="test")
        memento.adopt(session, municipality, version, date.today().isoformat(), actor="test")
        for person in memento.readers(session, municipality, version):
            memento.acknowledge(session, municipality, person.user.id, version.id)
        assert rows()["D0"][0] == "in_place"
        with pytest.raises(Invalid, match="au moins une conséquence"):
            set_consequences(session, tenant.id, {"consequences": []}, actor="test")
        set_consequences(session, tenant.id, {"consequences": ["training", "reminder"]}, actor="test")
        save_incident(
            session,
            tenant.id,
            {"kind": "unsanctioned_tool", "consequence": "training", "circumstances": "Grok utilisé"},
            actor="test",
        )
        with pytest.raises(Invalid, match="type d’incident"):
            save_incident(session, tenant.id, {"consequence": "fired", "circumstances": "x"}, actor="test")
        status, evidence = rows()["G9"]
        assert status == "in_place"
        assert "Rappel des règles, Formation obligatoire" in evidence and ": 1, dont 1 avec" in evidence
        session.commit()


def test_the_demo_has_both_lists_a_published_blocklist_and_consequences(make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        municipality = session.get(Tenant, tenant.id)
        ensure_shadow_demo(session, municipality)
        ensure_shadow_demo(session, municipality)  # idempotent
        assert [s.name for s in list_services(session, "sanctioned")] == ["Balise"]
        assert len(list_services(session, "forbidden")) == 12
        rows = {r.id: r.status for r in conformity_rows(session, municipality)}
        assert rows["G8"] == rows["G9"] == "in_place"
        assert rows["D0"] == "attention"  # until staff acknowledge a memento (the demo's own memento)
        session.commit()
