"""Municipalities (tenants), people, roles, and authentication."""

from balise.tenancy.contact import PublicContact, public_contact, set_public_contact
from balise.tenancy.mail import MailFailed, SmtpSettings, load_smtp, save_smtp, send_mail
from balise.tenancy.models import ApiToken, Membership, Tenant, User, WebSession
from balise.tenancy.roles import CITIZEN_CLASSIFICATIONS, Role, has_role, visible_classifications
from balise.tenancy.service import (
    close_web_session,
    create_tenant,
    create_user,
    find_web_session,
    member_names,
    membership_of,
    open_web_session,
    set_active,
    tenant_by_slug,
)
from balise.tenancy.settings import store_setting
from balise.tenancy.signin import BadCredentials, LoginThrottled, authenticate
from balise.tenancy.tokens import BadToken, Scope, create_api_token, resolve_api_token

__all__ = [
    "CITIZEN_CLASSIFICATIONS",
    "ApiToken",
    "BadCredentials",
    "BadToken",
    "LoginThrottled",
    "MailFailed",
    "Membership",
    "PublicContact",
    "Role",
    "Scope",
    "SmtpSettings",
    "Tenant",
    "User",
    "WebSession",
    "authenticate",
    "close_web_session",
    "create_api_token",
    "create_tenant",
    "create_user",
    "find_web_session",
    "has_role",
    "load_smtp",
    "member_names",
    "membership_of",
    "open_web_session",
    "public_contact",
    "resolve_api_token",
    "save_smtp",
    "send_mail",
    "set_active",
    "set_public_contact",
    "store_setting",
    "tenant_by_slug",
    "visible_classifications",
]
