"""The memento as Balise first writes it from the municipality's own settings (G14, D0–D4, X1–X5, G9).

The directives and discouraged uses follow the Quebec guide's wording (« Directives pratiques pour
l'ensemble du personnel », « Usages déconseillés ou néfastes ») with its examples; the tools, the
classification levels and the contacts come from the register, the model registry and the people's
roles, so the text says what is true here. The text is written in the manager's language at the
moment they generate it; from then on it is theirs to edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from balise.classification import CLASSIFICATION_LABELS, CLASSIFICATION_ORDER, within
from balise.i18n import N_, gettext_

FORBIDDEN_LIST_PLACE = "/gouvernance/outils-ia"
"""Where the municipality's list of forbidden AI services is kept (the shadow-AI lists, D0, G8)."""


@dataclass(frozen=True)
class Tool:
    """A sanctioned tool as the memento names it."""

    name: str
    purpose: str
    hosting: str
    max_classification: str = ""  # a model's ceiling; "" for a tool that is not a model


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    duty: str


@dataclass
class Inputs:
    """What the municipality's settings say, gathered by the service for :func:`sections`."""

    municipality: str
    tools: list[Tool] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    """Forbidden AI services by name (and domain); empty while the municipality has no list."""
    privacy_officer: Contact | None = None
    project_leads: list[Contact] = field(default_factory=list)
    resource_persons: list[Contact] = field(default_factory=list)


DIRECTIVES = (
    (
        "D1",
        N_(
            "Always verify facts and review all AI-generated content, especially when it is meant for "
            "public communication or a decision."
        ),
        N_(
            "Example: to justify a new project, staff look for similar measures elsewhere. If generative AI "
            "finds statistics, check their source before relying on them or quoting them in a press release."
        ),
    ),
    (
        "D2",
        N_("Mention the use of AI in the content it helped produce."),
        N_(
            "Example: an employee has AI summarise a long study, checks and corrects the summary, then adds "
            "a mention that it was produced with AI, for colleagues as for the public."
        ),
    ),
    (
        "D3",
        N_(
            "Never submit to a generative AI platform information that should not be public, such as "
            "confidential information or personal information."
        ),
        N_(
            "Example: after a phone call with a resident, an employee wants AI to organise their notes. The "
            "resident's name and address must not be entered in a public AI tool: personal information stays "
            "in the municipality's sanctioned, secured tools."
        ),
    ),
    (
        "D4",
        N_("Never submit content that may be protected by copyright."),
        N_(
            "Example: a graphic designer wants AI to combine two photos found on the web. Even if the result "
            "is « new », the rights on the submitted images must be checked, as if the originals were used."
        ),
    ),
)
"""The four directives for every employee, with the guide's example for each."""

DISCOURAGED = (
    ("X1", N_("Evaluating an employee or a job candidate with an AI tool: refused.")),
    (
        "X2",
        N_(
            "Producing an image or a video that resembles a real person (a politician, for example): refused."
        ),
    ),
    (
        "X3",
        N_(
            "Reducing or complicating residents' access to a person who can answer them: a human alternative "
            "is always offered."
        ),
    ),
    (
        "X4",
        N_(
            "Using generative AI to replace your own judgment or to do a task you do not master: you stay "
            "responsible and have the result reviewed."
        ),
    ),
    (
        "X5",
        N_(
            "Using generative AI for what a classic search engine does: search instead, AI costs much more "
            "energy."
        ),
    ),
)

CLASSIFICATION_HELP = {
    "public": N_("Information already published or meant to be, such as the website or council minutes."),
    "internal": N_("Working documents of the administration, not published, with no personal information."),
    "confidential": N_(
        "Information whose disclosure would harm the municipality or a third party: contracts being "
        "negotiated, security, litigation."
    ),
    "personal": N_(
        "Anything that identifies a person: a name with a situation, an address, a number, a health or "
        "social file."
    ),
}


def _lines(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _purpose(inputs: Inputs) -> str:
    return "\n\n".join(
        (
            gettext_(
                "This memento is the internal directive of {municipality} on the use of generative AI tools. "
                "It applies to every employee, elected official, intern and contractor who works for the "
                "municipality."
            ).format(municipality=inputs.municipality),
            gettext_(
                "It follows the Quebec guide to generative AI for municipalities (Obvia, 2025) and the "
                "strategy guide of the Union des communes vaudoises. Read it, then acknowledge it in Balise."
            ),
        )
    )


def _tool_line(tool: Tool) -> str:
    line = f"{tool.name} — {tool.purpose}" if tool.purpose else tool.name
    if tool.max_classification:
        level = gettext_(CLASSIFICATION_LABELS.get(tool.max_classification, tool.max_classification))
        line += " " + gettext_("(data up to « {level} »)").format(level=level)
    return line


def _sanctioned(inputs: Inputs) -> str:
    intro = gettext_(
        "Use only the tools the municipality sanctions (D0). They are listed in its AI system register; "
        "Balise replaces public tools for asking documents, summarising, drafting and revising."
    )
    if not inputs.tools:
        return intro + "\n\n" + gettext_("No tool is sanctioned yet: ask the project lead before any use.")
    return intro + "\n\n" + _lines([_tool_line(tool) for tool in inputs.tools])


def _forbidden(inputs: Inputs) -> str:
    rule = gettext_(
        "Any AI tool that is not listed as sanctioned is forbidden for work: personal accounts of public "
        "chatbots, browser extensions, note-taking robots in meetings, translation or image sites."
    )
    if inputs.forbidden:
        listed = gettext_("The municipality forbids in particular:") + "\n" + _lines(inputs.forbidden)
        return "\n\n".join((rule, listed))
    placeholder = gettext_(
        "The list of forbidden AI services, with their domains, is kept in Balise ({place}); the "
        "municipality has not published it yet. Until it does, the rule above applies."
    ).format(place=FORBIDDEN_LIST_PLACE)
    return "\n\n".join((rule, placeholder))


def _directives() -> str:
    paragraphs = [f"{rid}. {gettext_(rule)}\n- {gettext_(example)}" for rid, rule, example in DIRECTIVES]
    return "\n\n".join(paragraphs)


def _discouraged() -> str:
    return _lines([f"{rid}. {gettext_(text)}" for rid, text in DISCOURAGED])


def _classification(inputs: Inputs) -> str:
    lines = []
    models = [tool for tool in inputs.tools if tool.max_classification]
    for level in CLASSIFICATION_ORDER:
        allowed = [tool.name for tool in models if within(level, tool.max_classification)]
        where = (
            gettext_("Models allowed: {models}.").format(models=", ".join(allowed))
            if allowed
            else gettext_("No model may receive it.")
        )
        lines.append(
            f"{gettext_(CLASSIFICATION_LABELS[level])} : {gettext_(CLASSIFICATION_HELP[level])} {where}"
        )
    return (
        gettext_(
            "Before giving a document or a text to an AI tool, classify it. When in doubt, choose the more "
            "sensitive level. Balise masks personal information before any model call, and never sends a "
            "document to a model not approved for its level."
        )
        + "\n\n"
        + _lines(lines)
    )


def _person(contact: Contact) -> str:
    return (
        f"{contact.name} ({contact.email}) — {contact.duty}"
        if contact.email
        else f"{contact.name} — {contact.duty}"
    )


def _contacts(inputs: Inputs) -> str:
    lines = []
    if inputs.privacy_officer is not None:
        lines.append(_person(inputs.privacy_officer))
    else:
        lines.append(
            gettext_("Person in charge of the protection of personal information: not designated yet.")
        )
    lines += [_person(c) for c in inputs.project_leads] or [gettext_("Project lead: not named yet.")]
    lines += [_person(c) for c in inputs.resource_persons]
    return gettext_("Whom to ask, and whom to tell of a mistake or an incident:") + "\n" + _lines(lines)


def _consequences() -> str:
    return "\n\n".join(
        (
            gettext_(
                "Not following this memento exposes residents and the municipality. A breach is handled "
                "with the person first: a reminder and training, then, if it recurs or is serious, the "
                "measures of the staff regulations."
            ),
            gettext_(
                "Personal information entered in a tool that is not sanctioned is a confidentiality "
                "incident: tell the person in charge of the protection of personal information at once, "
                "so that it is recorded and, if needed, notified."
            ),
        )
    )


def _vendors() -> str:
    return (
        gettext_("Every contract for a service that uses AI includes these clauses:")
        + "\n"
        + _lines(
            [
                gettext_("the municipality's data is not used to train or improve the vendor's models;"),
                gettext_(
                    "where the data is hosted, and no transfer abroad without the municipality's consent;"
                ),
                gettext_("notice of any confidentiality incident within 24 hours;"),
                gettext_("the data returned in an open format, then deleted, at the end of the contract;"),
                gettext_("breaches of these clauses allow the municipality to suspend or end the contract."),
            ]
        )
    )


def _acknowledgement() -> str:
    return gettext_(
        "Each employee acknowledges this memento in Balise, and again at each new version. The managers "
        "see who has acknowledged it."
    )


SECTION_TITLES = {
    "purpose": N_("Purpose and scope"),
    "sanctioned": N_("Sanctioned tools (D0)"),
    "forbidden": N_("Forbidden tools (D0, G8)"),
    "directives": N_("Directives for every employee (D1–D4)"),
    "discouraged": N_("Discouraged or harmful uses (X1–X5)"),
    "classification": N_("How to classify data"),
    "contacts": N_("Contacts"),
    "consequences": N_("Consequences for staff (G9)"),
    "vendors": N_("Clauses for vendors (G9)"),
    "acknowledgement": N_("Acknowledgement"),
}


def sections(inputs: Inputs) -> list[dict[str, Any]]:
    """The memento's sections, in the current language, in reading order."""
    bodies = {
        "purpose": _purpose(inputs),
        "sanctioned": _sanctioned(inputs),
        "forbidden": _forbidden(inputs),
        "directives": _directives(),
        "discouraged": _discouraged(),
        "classification": _classification(inputs),
        "contacts": _contacts(inputs),
        "consequences": _consequences(),
        "vendors": _vendors(),
        "acknowledgement": _acknowledgement(),
    }
    return [
        {"key": key, "title": gettext_(title), "body": bodies[key]} for key, title in SECTION_TITLES.items()
    ]
