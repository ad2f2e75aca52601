"""Testing a registered backend's connection: does its server answer, take the key, offer the model?

It asks ``/models`` through the same OpenAI-compatible client the gateway completes with, and says
what went wrong in words an administrator can act on. No prompt is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import openai

from balise.gateway.errors import BackendFailure
from balise.gateway.openai_backend import offered_models
from balise.gateway.tables import ModelBackend
from balise.i18n import gettext_

CONNECTION_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of asking a backend for its models, in words an administrator can act on."""

    backend_id: str
    ok: bool
    message: str
    models: tuple[str, ...] = ()


def check_connection(backend: ModelBackend) -> ConnectionCheck:
    """Calls the server's ``/models`` (the endpoint is the OpenAI base URL, as the gateway uses it)."""
    url = backend.endpoint.rstrip("/") + "/models"
    try:
        models = offered_models(backend, CONNECTION_TIMEOUT_S)
    except BackendFailure:
        message = gettext_("The API key cannot be read: check the environment variable that should hold it.")
        return ConnectionCheck(backend.id, False, message)
    except openai.APITimeoutError:
        message = gettext_("No answer from {url} within {seconds} seconds.").format(
            url=url, seconds=CONNECTION_TIMEOUT_S
        )
        return ConnectionCheck(backend.id, False, message)
    except openai.APIConnectionError:
        message = gettext_("{url} cannot be reached: check the address and that the server is running.")
        return ConnectionCheck(backend.id, False, message.format(url=url))
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        message = gettext_("The server refused the API key (HTTP {status}).")
        return ConnectionCheck(backend.id, False, message.format(status=exc.status_code))
    except (openai.APIError, ValueError, KeyError, TypeError, AttributeError) as exc:
        message = gettext_("{url} answered, but not as an OpenAI-compatible server (HTTP {status}).")
        status = getattr(exc, "status_code", None) or getattr(
            getattr(exc, "response", None), "status_code", "?"
        )
        return ConnectionCheck(backend.id, False, message.format(url=url, status=status))
    if backend.model not in models:
        message = gettext_("The server answers, but does not offer the model {model}.")
        return ConnectionCheck(backend.id, False, message.format(model=backend.model), models)
    message = gettext_("Connection works: the server offers the model {model}.")
    return ConnectionCheck(backend.id, True, message.format(model=backend.model), models)
