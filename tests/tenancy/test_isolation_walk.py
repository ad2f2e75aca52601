"""Walk every route as a member of tenant A, aimed at tenant B's objects: nothing of B leaks or changes.

Each path parameter needs a factory that creates an object of tenant B; a new route with an
unknown parameter fails this test until a factory is added, so no route escapes the walk.
"""

from __future__ import annotations

import hashlib
import json
import re

from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import Base, TenantScoped, open_session
from balise.db.registry import metadata
from tests.support.web import Member, csrf_of
from tests.tenancy.isolation import all_parameters

PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
FORM_VALUES = {"name": "essai", "slug": "", "email": "x@example.org", "password": "x" * 12}


def _snapshot(session: Session, tenant_id: str) -> str:
    """A fingerprint of every row tenant B owns."""
    digest = hashlib.sha256()
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, TenantScoped):
            continue
        rows = session.scalars(select(cls).where(cls.tenant_id == tenant_id)).all()
        for row in rows:
            values = {c.key: str(getattr(row, c.key)) for c in mapper.column_attrs if c.key != "last_used_at"}
            digest.update(json.dumps(values, sort_keys=True).encode())
    return digest.hexdigest()


def test_every_route_keeps_tenant_b_out_of_reach(app, engine, make_member):
    member_a: Member = make_member("admin", name="Ville A")
    member_b: Member = make_member("admin", name="Ville B secrète")
    secrets_of_b = [member_b.tenant.name, member_b.user.email, member_b.tenant.id]
    factories, neutral = all_parameters()
    with open_session(engine) as session:
        tenant_b, user_b = session.merge(member_b.tenant), session.merge(member_b.user)
        objects_of_b = {name: factory(session, tenant_b, user_b) for name, factory in factories.items()}
        session.commit()
        secrets_of_b += list(objects_of_b.values())
        params_b = {**neutral, **objects_of_b}
        before = _snapshot(session, member_b.tenant.id)
    assert metadata.tables  # the whole schema is registered

    client = member_a.client
    walked = 0
    form_values = dict(FORM_VALUES, slug=member_b.tenant.slug)
    # Signing out is walked last, since it ends the walker's session.
    routes = sorted(iter_route_contexts(app.routes), key=lambda r: r.path == "/deconnexion")
    for route in routes:
        if route.methods is None:  # static files
            continue
        names = PATH_PARAM.findall(route.path)
        missing = [p for p in names if p not in params_b]
        assert not missing, (
            f"add a tenant-B factory for {missing} in tests/tenancy/isolation/ (route {route.path})"
        )
        path = PATH_PARAM.sub(lambda m: params_b[m.group(1)], route.path)
        for method in route.methods - {"HEAD"}:
            data = dict(form_values, csrf_token=csrf_of(client))
            response = client.request(
                method, path, data=data if method != "GET" else None, follow_redirects=False
            )
            walked += 1
            body = response.text.replace(path, "")  # the page may echo the address it was asked for
            for secret in secrets_of_b:
                assert secret not in body, f"{method} {path} shows tenant B data ({secret})"
    assert walked >= 10

    with open_session(engine) as session:
        assert _snapshot(session, member_b.tenant.id) == before, "a route changed tenant B's data"
