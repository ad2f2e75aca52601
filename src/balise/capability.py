"""What a capability is made of (``balise.capabilities`` lists them): its routes, navigation entries,
page context, job handlers and commands, all named by strings so that nothing is imported before it
is needed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """A main-navigation entry; ``label`` is an English msgid translated when the page is rendered."""

    path: str
    label: str
    role: str = "employee"
    """The least role that sees it (``balise.tenancy.Role``; a string so ``balise --help`` stays light)."""
    order: int = 100
    group: str = "work"
    """Which menu group holds it (``NAV_GROUPS``): daily work shows at once, the others fold away."""


@dataclass(frozen=True)
class Command:
    """A ``balise`` subcommand: ``function`` is ``"package.module:function"``; ``group`` names the
    command group it belongs to (``""`` for a top-level command)."""

    name: str
    function: str
    help: str
    group: str = ""


@dataclass(frozen=True)
class CommandGroup:
    name: str
    help: str


@dataclass(frozen=True)
class Capability:
    name: str
    routers: tuple[str, ...] = ()
    nav: tuple[NavItem, ...] = ()
    page_context: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    commands: tuple[Command, ...] = ()
    command_groups: tuple[CommandGroup, ...] = ()
