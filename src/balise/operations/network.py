"""Which peers are trusted: reverse proxies (their forwarded headers) and metrics scrapers.

The proxy headers are read by uvicorn's own middleware (it walks X-Forwarded-For from the right,
skipping trusted hops), given the addresses and networks of ``BALISE_TRUSTED_PROXIES``; this module
only parses the lists and decides who may read ``/metrics``.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass

from balise.config import Settings
from balise.errors import BaliseError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class InvalidAddressList(BaliseError):
    status = 500
    code = "invalid_setting"


def entries(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class AddressList:
    """Addresses and networks from a setting; ``*`` matches every peer."""

    networks: tuple[Network, ...]
    everyone: bool = False

    @classmethod
    def parse(cls, value: str, setting: str) -> AddressList:
        networks: list[Network] = []
        everyone = False
        for item in entries(value):
            if item == "*":
                everyone = True
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError as exc:
                raise InvalidAddressList(
                    "The setting {setting} holds “{item}”, which is neither an address nor a network."
                    " Write addresses or networks separated by commas, e.g. 10.0.0.5,192.168.1.0/24.",
                    setting=setting,
                    item=item,
                ) from exc
        return cls(tuple(networks), everyone)

    def __contains__(self, host: object) -> bool:
        if self.everyone:
            return True
        try:
            address = ipaddress.ip_address(str(host))
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def trusted_proxies(settings: Settings) -> list[str]:
    """The trusted proxies as uvicorn's ProxyHeadersMiddleware takes them, validated first."""
    AddressList.parse(settings.trusted_proxies, "BALISE_TRUSTED_PROXIES")
    return entries(settings.trusted_proxies)


def may_read_metrics(settings: Settings, client: str | None, authorization: str) -> bool:
    """A scraper needs the metrics token, or an address of the allow-list (behind a trusted proxy,
    the client's own address)."""
    scheme, _space, token = authorization.partition(" ")
    if settings.metrics_token and scheme.lower() == "bearer":
        return secrets.compare_digest(token.strip(), settings.metrics_token)
    return client is not None and client in AddressList.parse(settings.metrics_allow, "BALISE_METRICS_ALLOW")


def strict_transport_security(settings: Settings) -> str:
    """The Strict-Transport-Security value for https responses; empty when ``BALISE_HSTS_MAX_AGE`` is 0."""
    if settings.hsts_max_age <= 0:
        return ""
    value = f"max-age={settings.hsts_max_age}"
    return value + "; includeSubDomains" if settings.hsts_include_subdomains else value
