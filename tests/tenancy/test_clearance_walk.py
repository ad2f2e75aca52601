"""Walk every route as each role, aimed at documents and passages of each classification.

Nothing of a classification the role may not read may show on any page or API answer, and no
route may change such a document; what the role may read does show (so the walk cannot pass by
showing nothing). Path parameters other than documents and passages come from the tenant-isolation
factories, made in the walker's own municipality.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise.classification import CLASSIFICATION_ORDER
from balise.db import open_session
from balise.documents import Chunk, Document, ingest_document, submit_files
from balise.tenancy import visible_classifications
from tests.support.web import Member, csrf_of
from tests.tenancy.isolation import all_parameters

PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
ROLES = ["employee", "reviewer", "manager", "privacy_officer", "admin"]


def _secret(level: str) -> str:
    return f"Zorglub{level.capitalize()}"


def _library(session: Session, tenant_id: str, user_id: str) -> dict[str, tuple[str, str]]:
    """One ingested, indexed document per classification: {classification: (document id, chunk id)}."""
    made = {}
    for level in CLASSIFICATION_ORDER:
        secret = _secret(level)
        text = f"# Horaires de la piscine {secret}\n\nLa piscine municipale ouvre à 7 h ({secret})."
        (document,) = submit_files(
            session,
            tenant_id,
            [(f"piscine-{level}.md", text.encode())],
            classification=level,
            uploaded_by=user_id,
        )
        session.flush()
        ingest_document(session, document.id, embed=False)
        chunk_id = session.scalars(select(Chunk.id).where(Chunk.document_id == document.id)).first()
        assert chunk_id is not None
        made[level] = (document.id, chunk_id)
    return made


def _fingerprint(session: Session, document_ids: list[str]) -> str:
    digest = hashlib.sha256()
    for cls in (Document, Chunk):
        key = cls.id if cls is Document else cls.document_id
        for row in session.scalars(select(cls).where(key.in_(document_ids)).order_by(cls.id)):
            values = {c.key: str(getattr(row, c.key)) for c in cls.__mapper__.column_attrs}
            digest.update(json.dumps(values, sort_keys=True).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("role", ROLES)
def test_every_route_shows_only_what_the_role_may_read(app, engine: Engine, make_member, role: str) -> None:  # type: ignore[no-untyped-def]
    member: Member = make_member(role, name="Ville C")
    readable = set(visible_classifications(role))
    hidden = [level for level in CLASSIFICATION_ORDER if level not in readable]
    factories, neutral = all_parameters()
    with open_session(engine) as session:
        tenant, user = session.merge(member.tenant), session.merge(member.user)
        library = _library(session, tenant.id, user.id)
        params = {name: factory(session, tenant, user) for name, factory in factories.items()}
        session.commit()
        hidden_ids = [library[level][0] for level in hidden]
        before = _fingerprint(session, hidden_ids)
    # Aim documents and passages at the most sensitive classification: a hidden one when there is one.
    target = hidden[-1] if hidden else CLASSIFICATION_ORDER[-1]
    params.update(neutral, document_id=library[target][0], chunk_id=library[target][1])
    secrets = [_secret(level) for level in hidden] + hidden_ids + [library[level][1] for level in hidden]

    client = member.client
    listing = client.get("/documents").text
    assert all(_secret(level) in listing for level in readable), "the library hides what the role may read"
    answer = client.post(
        "/api/assistant/ask",
        json={"question": "horaires de la piscine municipale"},
        headers={"accept": "*/*", "x-csrf-token": csrf_of(client)},
    )
    shown = json.dumps(answer.json(), ensure_ascii=False)
    assert answer.status_code == 200 and any(_secret(level) in shown for level in readable), shown

    form = {
        "question": "horaires de la piscine municipale",
        "text": "Horaires de la piscine municipale.",
        "document_ids": hidden_ids,
        "classification": target,
        "name": "essai",
        "email": "x@example.org",
    }
    walked = 0
    routes = sorted(iter_route_contexts(app.routes), key=lambda r: r.path == "/deconnexion")
    for route in routes:
        if route.methods is None:  # static files
            continue
        names = PATH_PARAM.findall(route.path)
        missing = [p for p in names if p not in params]
        assert not missing, f"add a factory for {missing} in tests/tenancy/isolation/ (route {route.path})"
        path = PATH_PARAM.sub(lambda m: params[m.group(1)], route.path)
        for method in sorted(route.methods - {"HEAD"}):
            data = dict(form, csrf_token=csrf_of(client)) if method != "GET" else None
            query = {"lot": ",".join(hidden_ids), "q": "piscine"} if method == "GET" else None
            response = client.request(method, path, data=data, params=query, follow_redirects=False)
            walked += 1
            body = response.text.replace(path, "")
            for secret in secrets:
                assert secret not in body, f"{role}: {method} {path} shows a document it may not read"
    assert walked >= 10

    with open_session(engine) as session:
        assert _fingerprint(session, hidden_ids) == before, (
            f"{role}: a route changed a document it may not read"
        )
