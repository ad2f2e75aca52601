"""« Connect your tools »: how each person points a chat client, an editor or a script at Balise's
OpenAI-compatible door (``/v1``) instead of going around it (D0, U10)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise.db import Session
from balise.gateway import openai_door as door
from balise.gateway.door_embeddings import embedding_model_name
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/compte", tags=["account"])


@router.get("/outils", response_class=HTMLResponse)
def tools_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    models = door.list_models(db, principal.tenant.id)["data"]
    chat = [m["id"] for m in models if m["balise"]["kind"] == "chat"]
    default = next((m["id"] for m in models if m["balise"].get("default")), chat[0] if chat else "")
    return render(
        request,
        "account/tools.html",
        {
            "base_url": str(request.base_url).rstrip("/") + "/v1",
            "chat_models": chat,
            "chat_model": default or "balise",
            "embedding_model": embedding_model_name(),
        },
    )
