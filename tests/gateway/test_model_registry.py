"""The per-municipality model registry: validation, defaults, secrets, audit, and the CLI functions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from balise.audit.models import AuditEntry
from balise.config import get_settings
from balise.db import open_session, tenant_session
from balise.gateway import (
    BackendNotFound,
    Gateway,
    InvalidBackend,
    describe,
    list_backends,
    register_backend,
    remove_backend,
    set_default,
)
from balise.gateway.cli import models_add, models_default, models_list, models_remove
from balise.gateway.registry import api_key_of
from balise.tenancy.models import Tenant

BASE: dict[str, Any] = {"endpoint": "http://127.0.0.1:9/v1", "model": "m", "hosting": "on_premises"}


def test_first_model_becomes_default_and_set_default_moves_it(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        register_backend(session, tenant.id, name="a", **BASE)
        register_backend(session, tenant.id, name="b", **BASE)
        assert [(b.name, b.is_default) for b in list_backends(session, tenant.id)] == [
            ("a", True),
            ("b", False),
        ]
        set_default(session, tenant.id, "b")
        assert [b.name for b in list_backends(session, tenant.id) if b.is_default] == ["b"]
        remove_backend(session, tenant.id, "b")
        assert [(b.name, b.is_default) for b in list_backends(session, tenant.id)] == [("a", True)]
        with pytest.raises(BackendNotFound):
            remove_backend(session, tenant.id, "b")
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id).order_by(AuditEntry.seq)
        ).all()
        assert actions == ["model.registered", "model.registered", "model.default_set", "model.removed"]
        session.commit()


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"endpoint": "ftp://x"}, "http(s)"),
        ({"hosting": "mars"}, "hébergement inconnu"),
        ({"max_classification": "secret"}, "Classification inconnue"),
        ({"provider": "acme"}, "Fournisseur inconnu"),
        ({"api_key": "k", "api_key_env": "K"}, "pas les deux"),
        ({"timeout_s": 0}, "délai"),
        ({"name": " "}, "nom"),
    ],
)
def test_invalid_registrations_are_refused_in_french(
    engine: Engine, make_tenant: Callable[..., Tenant], fields: dict[str, Any], fragment: str
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, pytest.raises(InvalidBackend) as refused:
        register_backend(session, tenant.id, **{"name": "x", **BASE, **fields})
    assert fragment in str(refused.value)


def test_duplicate_names_are_refused(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        register_backend(session, tenant.id, name="x", **BASE)
        with pytest.raises(InvalidBackend, match="déjà inscrit"):
            register_backend(session, tenant.id, name="x", **BASE)


def test_api_keys_are_encrypted_at_rest_and_never_described(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    monkeypatch.setenv("MY_LLM_KEY", "sk-from-env")
    with tenant_session(tenant.id, engine) as session:
        stored = register_backend(session, tenant.id, name="stored", api_key="sk-very-secret", **BASE)
        named = register_backend(session, tenant.id, name="named", api_key_env="MY_LLM_KEY", **BASE)
        session.commit()
        raw = session.execute(
            text("SELECT api_key_encrypted FROM model_backends WHERE id = :id"), {"id": stored.id}
        ).scalar_one()
        assert "sk-very-secret" not in raw
        assert api_key_of(stored) == "sk-very-secret" and api_key_of(named) == "sk-from-env"
        described = json.dumps([describe(stored), describe(named)])
        assert "sk-" not in described
        assert describe(stored)["api_key"] == "encrypted" and describe(named)["api_key"] == "env:MY_LLM_KEY"


def test_cli_functions_add_list_default_and_remove(
    engine: Engine, database_url: str, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    monkeypatch.setenv("BALISE_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    app = typer.Typer()
    for command, name in [
        (models_add, "add"),
        (models_list, "list"),
        (models_default, "default"),
        (models_remove, "remove"),
    ]:
        app.command(name)(command)
    runner = CliRunner()

    added = runner.invoke(
        app,
        [
            "add",
            "vllm-local",
            "--tenant",
            tenant.slug,
            "--endpoint",
            "http://gpu:8000/v1",
            "--model",
            "mistral-small",
            "--hosting",
            "on_premises",
            "--max-classification",
            "internal",
            "--allows-masked-personal",
            "--api-key",
        ],
        input="sk-typed\n",
    )
    assert added.exit_code == 0, added.output
    assert "Modèle vllm-local inscrit." in added.output and "sk-typed" not in added.output
    assert (
        runner.invoke(
            app,
            [
                "add",
                "cloud",
                "--tenant",
                tenant.slug,
                "--endpoint",
                "https://api.example/v1",
                "--model",
                "m",
                "--hosting",
                "abroad",
            ],
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["default", "cloud", "--tenant", tenant.slug]).exit_code == 0
    listed = runner.invoke(app, ["list", "--tenant", tenant.slug, "--json"])
    rows = json.loads(listed.output)
    assert [(r["name"], r["is_default"], r["api_key"]) for r in rows] == [
        ("cloud", True, "none"),
        ("vllm-local", False, "encrypted"),
    ]
    assert runner.invoke(app, ["remove", "cloud", "--tenant", tenant.slug]).exit_code == 0
    table = runner.invoke(app, ["list", "--tenant", tenant.slug])
    assert "vllm-local" in table.output and "cloud" not in table.output
    unknown = runner.invoke(app, ["list", "--tenant", "no-such-town"])
    assert unknown.exit_code != 0
    with open_session(engine) as session:
        assert (
            session.scalars(select(AuditEntry.actor).where(AuditEntry.tenant_id == tenant.id)).all()
            == ["cli"] * 4
        )


def test_reranking_and_embedding_servers_are_registered_beside_the_generative_models(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    """Their kind is their provider; neither is ever the default nor chosen to write an answer, and a
    municipality has one reranking server at most. Their defaults suit a server every search waits for."""
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        rerank = register_backend(session, tenant.id, name="tri", provider="rerank-tei", **BASE)
        vectors = register_backend(session, tenant.id, name="vecteurs", provider="openai-embeddings", **BASE)
        assert not rerank.is_default and not vectors.is_default
        assert (rerank.timeout_s, vectors.timeout_s) == (2.0, 30.0)
        assert rerank.wh_per_1k_tokens < 0.1 and describe(rerank)["kind"] == "rerank"
        assert Gateway(session, tenant.id).choose("public", False).kind == "extractive"
        chat = register_backend(session, tenant.id, name="chat", **BASE)
        assert chat.is_default and chat.timeout_s == 30.0
        assert [b.name for b in list_backends(session, tenant.id, "generative")] == ["chat"]
        assert [b.name for b in list_backends(session, tenant.id, "rerank")] == ["tri"]
        with pytest.raises(InvalidBackend, match="Seul un modèle génératif"):
            set_default(session, tenant.id, "tri")
        with pytest.raises(InvalidBackend, match="Seul un modèle génératif"):
            register_backend(session, tenant.id, name="tri2", provider="rerank", is_default=True, **BASE)
        with pytest.raises(InvalidBackend, match="déjà inscrit"):
            register_backend(session, tenant.id, name="tri2", provider="rerank", **BASE)
        remove_backend(session, tenant.id, "chat")
        assert [b.name for b in list_backends(session, tenant.id) if b.is_default] == []
        session.commit()
