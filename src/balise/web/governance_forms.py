"""What the governance routers share: role checks for several roles and reading a form.

Not a router: ``routers/governance.py``, ``governance_cases.py`` and ``governance_conformity.py`` use
it, so none imports another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request

from balise.errors import Forbidden
from balise.tenancy import Role
from balise.web.deps import Principal, current_principal


def require_any(*roles: Role) -> Callable[..., Principal]:
    """Any one of ``roles`` (administrators have them all)."""

    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if not any(principal.has(role) for role in roles):
            raise Forbidden(
                "Your role does not give access to this page. Ask your administrator if you need it."
            )
        return principal

    return check


async def form_of(request: Request) -> dict[str, Any]:
    """The form's fields; repeated names (checkboxes) become lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        data[key] = values if len(values) > 1 else (values[0] if values else "")
    return data
