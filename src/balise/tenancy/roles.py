"""The roles of docs/architecture.md and what each may do and see."""

from __future__ import annotations

from enum import StrEnum

from balise.classification import Classification
from balise.i18n import N_


class Role(StrEnum):
    EMPLOYEE = "employee"
    REVIEWER = "reviewer"
    MANAGER = "manager"
    PRIVACY_OFFICER = "privacy_officer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.EMPLOYEE: N_("Employee"),
    Role.REVIEWER: N_("Reviewer"),
    Role.MANAGER: N_("Manager"),
    Role.PRIVACY_OFFICER: N_("Privacy officer"),
    Role.ADMIN: N_("Administrator"),
}

# Every role can do what an employee does; admin can do everything.
_GRANTS: dict[Role, set[Role]] = {
    Role.EMPLOYEE: {Role.EMPLOYEE},
    Role.REVIEWER: {Role.EMPLOYEE, Role.REVIEWER},
    Role.MANAGER: {Role.EMPLOYEE, Role.MANAGER},
    Role.PRIVACY_OFFICER: {Role.EMPLOYEE, Role.PRIVACY_OFFICER},
    Role.ADMIN: set(Role),
}

_VISIBLE: dict[Role, tuple[Classification, ...]] = {
    Role.EMPLOYEE: (Classification.PUBLIC, Classification.INTERNAL),
    Role.REVIEWER: (Classification.PUBLIC, Classification.INTERNAL, Classification.CONFIDENTIAL),
    Role.MANAGER: (Classification.PUBLIC, Classification.INTERNAL, Classification.CONFIDENTIAL),
    Role.PRIVACY_OFFICER: tuple(Classification),
    Role.ADMIN: tuple(Classification),
}

CITIZEN_CLASSIFICATIONS: tuple[str, ...] = (Classification.PUBLIC.value,)


def has_role(role: str, needed: Role) -> bool:
    return needed in _GRANTS.get(Role(role), set())


def visible_classifications(role: str) -> tuple[str, ...]:
    """Classifications whose documents this role may search and read."""
    return tuple(c.value for c in _VISIBLE[Role(role)])
