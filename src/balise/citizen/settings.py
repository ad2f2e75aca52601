"""A municipality's citizen-assistant settings: where the widget may be embedded, how long
transcripts are kept, and how soon a person answers. Kept in ``Tenant.settings`` under one key."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.tenancy import Tenant, store_setting

SETTINGS_KEY = "citizen"
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 365


@dataclass(frozen=True)
class CitizenSettings:
    """``allowed_origins`` are exact origins (``https://www.ville.ca``) whose pages may embed the widget."""

    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    retention_days: int = DEFAULT_RETENTION_DAYS
    reply_days: int = 2


def load_citizen_settings(tenant: Tenant) -> CitizenSettings:
    stored = (tenant.settings or {}).get(SETTINGS_KEY) or {}
    return CitizenSettings(
        allowed_origins=tuple(str(o) for o in stored.get("allowed_origins", ())),
        retention_days=int(stored.get("retention_days", DEFAULT_RETENTION_DAYS)),
        reply_days=int(stored.get("reply_days", 2)),
    )


def parse_origin(value: str) -> str:
    """``https://www.ville.ca/page`` → ``https://www.ville.ca``; anything else is refused."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(
            "“{value}” is not a web address. Write each allowed site as https://www.example.ca, "
            "one per line.",
            value=value.strip(),
        )
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def save_citizen_settings(
    session: Session, tenant: Tenant, settings: CitizenSettings, *, actor: str
) -> CitizenSettings:
    if not 1 <= settings.retention_days <= MAX_RETENTION_DAYS:
        raise Invalid(
            "Keep transcripts between 1 and {max} days.",
            max=MAX_RETENTION_DAYS,
        )
    if not 0 <= settings.reply_days <= 30:
        raise Invalid("The reply time must be between 0 and 30 working days.")
    clean = CitizenSettings(
        tuple(dict.fromkeys(parse_origin(o) for o in settings.allowed_origins if o.strip())),
        settings.retention_days,
        settings.reply_days,
    )
    store_setting(
        session,
        tenant,
        SETTINGS_KEY,
        {**asdict(clean), "allowed_origins": list(clean.allowed_origins)},
        action="citizen.settings_changed",
        actor=actor,
        details={
            "origins": len(clean.allowed_origins),
            "retention_days": clean.retention_days,
            "reply_days": clean.reply_days,
        },
    )
    return clean


def origin_allowed(settings: CitizenSettings, origin: str | None, own_origin: str) -> bool:
    """A browser call from Balise itself, or from a site the municipality allowed; no Origin is a
    non-browser client (the CORS rules only bind browsers)."""
    return not origin or origin == own_origin or origin in settings.allowed_origins
