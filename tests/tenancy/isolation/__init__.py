"""Path parameters for the isolation walk, one module per capability.

Each module exposes ``FACTORIES``: a factory takes (session, tenant B, a user of tenant B) and
returns the id of a tenant-B object to put in the path parameter of the same name. A module may
also expose ``NEUTRAL``: parameters that are not tenant data (a language code, a task name) with
the value to use. Add a module here when your routes gain a new path parameter.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from sqlalchemy.orm import Session

from balise.tenancy import Tenant, User

Factory = Callable[[Session, Tenant, User], str]


def all_parameters() -> tuple[dict[str, Factory], dict[str, str]]:
    """(factories of tenant-B objects, neutral values) gathered from every module here."""
    factories: dict[str, Factory] = {}
    neutral: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        factories.update(getattr(module, "FACTORIES", {}))
        neutral.update(getattr(module, "NEUTRAL", {}))
    return factories, neutral
