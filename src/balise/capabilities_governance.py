"""The capabilities of the governance workspace and of the people who use AI: the register and its
cases, the strategy path (survey, maturity, roadmap), the memento, training and pooling. Listed in
``balise.capabilities`` with the others."""

from __future__ import annotations

from balise.capability import Capability, Command, CommandGroup, NavItem
from balise.i18n import N_

GOVERNANCE_CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "memento",
        routers=("balise.web.routers.memento",),
        nav=(
            NavItem("/gouvernance/memento", N_("AI memento"), role="manager", order=805, group="governance"),
            NavItem("/memento", N_("AI rules of use"), order=895, group="settings"),
        ),
        page_context=("balise.web.routers.memento:page_context",),
    ),
    Capability(
        "training",
        routers=("balise.web.routers.training",),
        nav=(
            NavItem(
                "/gouvernance/formations", N_("Staff training"), role="manager", order=806, group="governance"
            ),
            NavItem("/formation/quiz", N_("AI self-check quiz"), order=896, group="settings"),
            NavItem("/formation/ressources", N_("AI learning resources"), order=897, group="settings"),
        ),
    ),
    Capability(
        "pooling",
        routers=("balise.web.routers.pooling",),
        nav=(
            NavItem(
                "/gouvernance/mutualisation",
                N_("Pooling between municipalities"),
                role="manager",
                order=848,
                group="governance",
            ),
        ),
        command_groups=(CommandGroup("pack", N_("Packs shared between municipalities and deployments.")),),
        commands=(
            Command(
                "export",
                "balise.pooling.cli:pack_export",
                N_("Write a municipality's pack file (JSON, or .zip when the file name ends in .zip)."),
                "pack",
            ),
            Command(
                "import",
                "balise.pooling.cli:pack_import",
                N_("Import a pack file into a municipality and list what arrived."),
                "pack",
            ),
        ),
    ),
    Capability(
        "swiss data protection",
        routers=("balise.web.routers.governance_swiss",),
        nav=(
            NavItem(
                "/gouvernance/traitements",
                N_("Processing register (nLPD)"),
                role="privacy_officer",
                order=822,
                group="governance",
            ),
        ),
    ),
    Capability(
        "pilot",
        routers=("balise.web.routers.pilot",),
        nav=(
            NavItem(
                "/gouvernance/processus", N_("Pilot processes"), role="manager", order=847, group="governance"
            ),
            NavItem(
                "/gouvernance/bilan", N_("Interim review"), role="manager", order=849, group="governance"
            ),
        ),
    ),
    Capability(
        "state of play",
        routers=(
            "balise.web.routers.survey",
            "balise.web.routers.survey_public",
            "balise.web.routers.maturity",
        ),
        nav=(
            NavItem(
                "/gouvernance/sondages", N_("Staff survey"), role="manager", order=845, group="governance"
            ),
            NavItem(
                "/gouvernance/maturite", N_("AI maturity"), role="manager", order=846, group="governance"
            ),
        ),
    ),
    Capability(
        "governance",
        routers=(
            "balise.web.routers.governance",
            "balise.web.routers.governance_adoption",
            "balise.web.routers.governance_cases",
            "balise.web.routers.governance_conformity",
            "balise.web.routers.public_governance",
            "balise.web.routers.shadow_ai",
            "balise.web.routers.roadmap",
        ),
        nav=(
            NavItem(
                "/gouvernance/registre", N_("AI register"), role="manager", order=800, group="governance"
            ),
            NavItem(
                "/gouvernance/plaintes",
                N_("Complaints"),
                role="privacy_officer",
                order=810,
                group="governance",
            ),
            NavItem(
                "/gouvernance/incidents",
                N_("Confidentiality incidents"),
                role="privacy_officer",
                order=820,
                group="governance",
            ),
            NavItem(
                "/gouvernance/conformite", N_("Conformity"), role="manager", order=830, group="governance"
            ),
            NavItem(
                "/gouvernance/feuille-de-route", N_("Roadmap"), role="manager", order=802, group="governance"
            ),
            NavItem(
                "/gouvernance/fournisseurs", N_("Vendors"), role="manager", order=803, group="governance"
            ),
            NavItem(
                "/gouvernance/outils-ia",
                N_("Allowed and forbidden AI tools"),
                role="manager",
                order=805,
                group="governance",
            ),
        ),
        commands=(
            Command(
                "conformity",
                "balise.governance.cli:conformity",
                N_("Each requirement with its control, status and live evidence for a municipality."),
            ),
            Command(
                "complaint-reminders",
                "balise.governance.cli:complaint_reminders",
                N_("Remind staff of complaints about AI tools due soon or overdue (workers do it daily)."),
            ),
        ),
    ),
)
