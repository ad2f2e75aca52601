"""A municipality's outgoing mail server (SMTP), to write to residents: the answer to a complaint.

Per tenant, in its settings: host, port, security (STARTTLS, TLS from the first byte, or none on a
trusted local relay), user, sender; the password is stored encrypted with a key derived from the
deployment secret and the tenant id, or read from an environment variable the operator names. Sent
with the standard library's ``smtplib``, certificates checked.
"""

from __future__ import annotations

import base64
import hashlib
import os
import smtplib
import ssl
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session

from balise.bounds import check_length
from balise.config import get_settings
from balise.errors import BaliseError, Invalid
from balise.i18n import N_, gettext_
from balise.tenancy.models import Tenant
from balise.tenancy.settings import store_setting

KEY = "smtp"
SECURITY = ("starttls", "tls", "none")
TIMEOUT_SECONDS = 15


class MailFailed(BaliseError):
    status = 502
    code = "mail_failed"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    sender: str = ""
    password_env: str = ""  # the name of an environment variable holding the password, if any
    password_encrypted: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def _fernet(tenant_id: str) -> Fernet:
    secret = get_settings().resolved_secret_key.encode()
    digest = hashlib.sha256(b"balise/smtp-password/" + tenant_id.encode() + b"/" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def load_smtp(tenant: Tenant) -> SmtpSettings:
    stored = (tenant.settings or {}).get(KEY) or {}
    fields = {name: stored[name] for name in SmtpSettings.__dataclass_fields__ if name in stored}
    return SmtpSettings(**fields)


def save_smtp(
    session: Session,
    tenant: Tenant,
    *,
    host: str,
    port: int,
    security: str,
    user: str,
    sender: str,
    password: str | None = None,
    password_env: str = "",
    actor: str,
) -> SmtpSettings:
    """Checks and stores the server; ``password=None`` keeps the stored one, ``""`` removes it."""
    host, user, sender, password_env = host.strip(), user.strip(), sender.strip(), password_env.strip()
    for value, limit, label in (
        (host, 253, N_("Host")),
        (user, 254, N_("User")),
        (sender, 254, N_("Sender")),
    ):
        check_length(value, limit, gettext_(label))
    if security not in SECURITY:
        raise Invalid("Choose how the connection to the mail server is secured from the list.")
    if not 1 <= port <= 65535:
        raise Invalid("The mail server's port is a number between 1 and 65535, usually 587 or 465.")
    if host and ("@" not in sender or " " in sender):
        raise Invalid("Give the sender's e-mail address, for example plaintes@ville.exemple.ca.")
    current = load_smtp(tenant)
    encrypted = current.password_encrypted
    if password is not None:
        encrypted = _fernet(tenant.id).encrypt(password.encode()).decode() if password else ""
    settings = SmtpSettings(host, port, security, user, sender, password_env, encrypted)
    store_setting(
        session,
        tenant,
        KEY,
        asdict(settings) if host else None,
        action="tenancy.smtp_set",
        actor=actor,
        details={"configured": settings.configured, "security": security, "password_env": bool(password_env)},
    )
    return settings


def _password(tenant: Tenant, settings: SmtpSettings) -> str:
    if settings.password_env:
        return os.environ.get(settings.password_env, "")
    if not settings.password_encrypted:
        return ""
    try:
        return _fernet(tenant.id).decrypt(settings.password_encrypted.encode()).decode()
    except InvalidToken:
        raise MailFailed(
            "The mail server's password can no longer be read (the secret key changed). Enter it again "
            "in the mail server settings."
        ) from None


def send_mail(tenant: Tenant, to: str, subject: str, body: str) -> str:
    """Sends one plain-text message; returns its Message-ID. Raises :class:`MailFailed` with the
    reason when the municipality has no server or the server refuses."""
    settings = load_smtp(tenant)
    if not settings.configured:
        raise MailFailed(
            "No mail server is set for this municipality, so the answer was not e-mailed. An administrator "
            "can set one (balise admin set-smtp); the resident can read the answer on the follow-up page."
        )
    message = EmailMessage()
    message["From"] = formataddr((tenant.name, settings.sender))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    context = ssl.create_default_context()
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, _password(tenant, settings))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailed(
            "The mail server {host} refused or could not be reached ({error}). Check the mail server "
            "settings; the answer is recorded and the resident can read it on the follow-up page.",
            host=settings.host,
            error=type(exc).__name__,
        ) from exc
    return str(message["Message-ID"])
