"""``balise models …``: the model registry from the command line.

API keys are read from a hidden prompt or named by an environment variable, never echoed back.
``balise.cli`` lists these commands with their help and imports this module only when one runs.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from balise.db import default_engine, open_session, tenant_session
from balise.errors import NotFound
from balise.gateway.footprint import Hosting
from balise.gateway.registry import describe, list_backends, register_backend, remove_backend, set_default
from balise.i18n import N_, _
from balise.tenancy.models import Tenant

TenantOption = Annotated[str, typer.Option("--tenant", help=N_("Slug of the municipality."))]


def _tenant_id(slug: str) -> str:
    with open_session(default_engine()) as session:
        tenant_id = session.scalars(select(Tenant.id).where(Tenant.slug == slug)).first()
    if tenant_id is None:
        raise NotFound("No municipality has the slug {slug}.", slug=slug)
    return tenant_id


def models_list(
    tenant: TenantOption,
    json_output: Annotated[bool, typer.Option("--json", help=N_("One JSON object per model."))] = False,
) -> None:
    tenant_id = _tenant_id(tenant)
    with tenant_session(tenant_id, default_engine()) as session:
        rows = [describe(b) for b in list_backends(session, tenant_id)]
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo(_("No generative model is registered: answers are made of extracts from the documents."))
        return
    table = Table(
        _("Name"),
        _("Kind"),
        _("Model"),
        _("Endpoint"),
        _("Hosting"),
        _("Up to"),
        _("Masked personal"),
        _("Wh / 1k tokens"),
        _("Key"),
        _("Default"),
    )
    for row in rows:
        table.add_row(
            row["name"],
            row["kind"],
            row["model"],
            row["endpoint"],
            row["hosting"],
            row["max_classification"],
            _("yes") if row["allows_masked_personal"] else _("no"),
            f"{row['wh_per_1k_tokens']:g}",
            row["api_key"],
            "✓" if row["is_default"] else "",
        )
    Console().print(table)


def models_add(
    tenant: TenantOption,
    name: Annotated[str, typer.Argument(help=N_("A name for people, e.g. vllm-local."))],
    endpoint: Annotated[
        str, typer.Option(help=N_("Base URL of the OpenAI-compatible API, e.g. http://gpu:8000/v1."))
    ],
    model: Annotated[str, typer.Option(help=N_("Model identifier the server expects."))],
    hosting: Annotated[Hosting, typer.Option(help=N_("Where the model runs."))],
    max_classification: Annotated[
        str, typer.Option(help=N_("Most sensitive data it may receive."))
    ] = "public",
    allows_masked_personal: Annotated[
        bool,
        typer.Option(
            help=N_("Whether prompts whose personal information was replaced by placeholders may be sent.")
        ),
    ] = False,
    provider: Annotated[
        str,
        typer.Option(
            help=N_(
                "Kind of server: a generative one (openai-compatible, vllm…), rerank or rerank-tei (a "
                "reranking server for search) or openai-embeddings."
            )
        ),
    ] = "openai-compatible",
    price_per_1k_tokens: Annotated[float, typer.Option(help=N_("Price per 1,000 tokens."))] = 0.0,
    currency: Annotated[str, typer.Option(help=N_("Currency of the price."))] = "CAD",
    wh_per_1k_tokens: Annotated[
        float | None, typer.Option(help=N_("Estimated energy per 1,000 tokens."))
    ] = None,
    api_key_env: Annotated[
        str | None, typer.Option(help=N_("Environment variable holding the API key."))
    ] = None,
    ask_api_key: Annotated[
        bool, typer.Option("--api-key", help=N_("Prompt for an API key (hidden) and store it encrypted."))
    ] = False,
    default: Annotated[bool, typer.Option("--default", help=N_("Make it the default model."))] = False,
    timeout: Annotated[
        float | None,
        typer.Option(help=N_("Seconds before an attempt is abandoned (30, or 2 for a reranking server).")),
    ] = None,
    retries: Annotated[int, typer.Option(help=N_("Attempts after the first on errors and timeouts."))] = 2,
) -> None:
    api_key = typer.prompt(_("API key"), hide_input=True) if ask_api_key else None
    tenant_id = _tenant_id(tenant)
    with tenant_session(tenant_id, default_engine()) as session:
        backend = register_backend(
            session,
            tenant_id,
            name=name,
            endpoint=endpoint,
            model=model,
            hosting=hosting.value,
            max_classification=max_classification,
            allows_masked_personal=allows_masked_personal,
            provider=provider,
            price_per_1k_tokens=price_per_1k_tokens,
            currency=currency,
            wh_per_1k_tokens=wh_per_1k_tokens,
            is_default=default,
            api_key=api_key,
            api_key_env=api_key_env,
            timeout_s=timeout,
            max_retries=retries,
            actor="cli",
        )
        session.commit()
        typer.echo(_("Model {name} registered.").format(name=backend.name))


def models_default(tenant: TenantOption, name: Annotated[str, typer.Argument()]) -> None:
    tenant_id = _tenant_id(tenant)
    with tenant_session(tenant_id, default_engine()) as session:
        set_default(session, tenant_id, name, actor="cli")
        session.commit()
    typer.echo(_("Model {name} is now the default.").format(name=name))


def models_remove(tenant: TenantOption, name: Annotated[str, typer.Argument()]) -> None:
    tenant_id = _tenant_id(tenant)
    with tenant_session(tenant_id, default_engine()) as session:
        remove_backend(session, tenant_id, name, actor="cli")
        session.commit()
    typer.echo(_("Model {name} removed.").format(name=name))
