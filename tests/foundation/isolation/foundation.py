"""Tenant-B objects for the foundation's path parameters."""

from balise.tenancy import create_api_token
from tests.foundation.isolation import Factory

FACTORIES: dict[str, Factory] = {
    "token_id": lambda s, t, u: create_api_token(s, t, u, "jeton-secret-de-B").record.id,
}
NEUTRAL = {"code": "fr"}
