"""The navigation grows as capabilities land: each router registers the pages it serves."""

from __future__ import annotations

from dataclasses import dataclass

from balise.tenancy.roles import Role


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # English msgid, translated when rendered
    role: Role = Role.EMPLOYEE
    order: int = 100


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)


def items() -> list[NavItem]:
    return sorted(_ITEMS, key=lambda item: item.order)
