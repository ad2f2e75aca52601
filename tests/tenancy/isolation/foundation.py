"""Tenant-B objects for the path parameters of the account pages (API tokens) and the language switch."""

from balise.tenancy import create_api_token
from tests.tenancy.isolation import Factory

FACTORIES: dict[str, Factory] = {
    "token_id": lambda s, t, u: create_api_token(s, t, u, "jeton-secret-de-B").record.id,
}
NEUTRAL = {"code": "fr"}
