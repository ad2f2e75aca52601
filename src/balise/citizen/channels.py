"""Which person a resident should reach, and how, for each reason the assistant does not answer.

The ``human_contact`` of the citizen API is built here: the municipality's public contact details
(``balise.tenancy.public_contact``), the channel that fits the reason, and a sentence saying what to do.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from balise.citizen.scope import Reason
from balise.i18n import N_, _
from balise.tenancy import Tenant, public_contact

# The channel each reason leads to: the emergency number, the service that can open the resident's
# file, another government, or the municipality's general line.
CHANNELS: dict[str, str] = {
    "emergency": "emergency",
    "own_file": "service",
    "other_government": "other_government",
    "chit_chat": "general",
    "harmful": "general",
    "policy": "general",
    "no_answer": "general",
    "unavailable": "general",
    "": "general",
}

MESSAGES: dict[str, str] = {
    "emergency": N_(
        "This looks like an emergency. Call {emergency} now. The assistant cannot send help and city hall "
        "does not answer emergencies."
    ),
    "own_file": N_(
        "The assistant cannot see your file: only a person at city hall can. Call {phone}, write to {email} "
        "or come to the counter ({address}), with your file number if you have one."
    ),
    "other_government": N_(
        "This question concerns another level of government, not the municipality. Contact that "
        "government directly; if you are unsure which one, city hall can direct you: {phone}."
    ),
    "chit_chat": N_(
        "I am an AI assistant that answers questions about the municipality's services from its published "
        "information. Ask me a question about municipal services, or talk to a person: {phone}."
    ),
    "harmful": N_(
        "I cannot help with this request. If you need help from the municipality, a person can answer: "
        "{phone}, {email}."
    ),
    "policy": N_(
        "The municipality's rules on AI do not allow the assistant to answer this request. A person can "
        "help you: {phone}, {email}."
    ),
    "no_answer": N_(
        "I did not find this in the municipality's published information. A person can answer you: "
        "{phone}, {email}, or at the counter ({address})."
    ),
    "unavailable": N_("The assistant cannot answer right now. A person can answer you: {phone}, {email}."),
}


def redirect_message(tenant: Tenant, reason: Reason) -> str:
    """The sentence that sends the resident to the right person, in the reader's language."""
    contact = public_contact(tenant)
    unknown = _("city hall")
    return _(MESSAGES[reason]).format(
        emergency=contact.emergency_phone or "911",
        phone=contact.phone or unknown,
        email=contact.email or unknown,
        address=contact.address or unknown,
    )


def human_contact(tenant: Tenant, reason: Reason | str = "") -> dict[str, Any]:
    """The ``human_contact`` object of the citizen API: every channel, the one to use first, and why."""
    contact = public_contact(tenant)
    channel = CHANNELS.get(reason, "general")
    data: dict[str, Any] = {**asdict(contact), "channel": channel}
    if channel == "emergency":
        data["first"] = contact.emergency_phone or "911"
    else:
        data["first"] = contact.phone or contact.email
    return data
