"""Every capability of Balise, in one list: what each adds to the web app, the worker and the CLI.

A capability plugs in here and nowhere else (the way Datasette lists its hooks):

* ``routers``: modules exposing an ``APIRouter`` named ``router``, mounted in this order;
* ``nav``: the entries it adds to the main navigation, each shown to a role and up;
* ``page_context``: ``"module:function"`` taking the request and returning what every page's
  template may use (a badge, labels), computed in the request's own session;
* ``jobs``: modules whose import registers background-job handlers (``balise worker`` imports them);
* ``commands`` and ``command_groups``: ``balise`` subcommands, listed with their help and imported
  only when they run, so that ``balise --help`` answers at once.

Modules are named by strings and imported only by the part that needs them: the CLI never imports
the web app, and this list imports nothing of the web. To add a capability, append one
``Capability(...)`` below (the governance workspace's are in ``capabilities_governance``);
docs/architecture.md says more.
"""

from __future__ import annotations

import importlib
from typing import Any

from balise.capabilities_governance import GOVERNANCE_CAPABILITIES
from balise.capability import Capability, Command, CommandGroup, NavItem
from balise.i18n import N_

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "foundation",
        routers=(
            "balise.web.routers.auth",
            "balise.web.routers.home",
            "balise.web.routers.account",
            "balise.web.routers.system",
        ),
        nav=(NavItem("/compte/jetons", N_("API tokens"), order=900, group="settings"),),
        page_context=("balise.operations.maintenance:page_context",),
    ),
    Capability(
        "single sign-on",
        routers=("balise.web.routers.sso",),
        nav=(NavItem("/sso/parametres", N_("Single sign-on"), role="admin", order=910, group="settings"),),
        command_groups=(CommandGroup("tenant", N_("Settings of a municipality.")),),
        commands=(
            Command(
                "sso",
                "balise.tenancy.cli:sso",
                N_(
                    "Show or set a municipality's single sign-on (OpenID Connect provider, groups and roles)."
                ),
                group="tenant",
            ),
            Command(
                "disable-user",
                "balise.tenancy.cli:disable_user",
                N_("Disable a person everywhere: their sessions end and their API tokens are revoked."),
                group="admin",
            ),
            Command(
                "enable-user",
                "balise.tenancy.cli:enable_user",
                N_("Let a disabled person sign in again (their former API tokens stay revoked)."),
                group="admin",
            ),
            Command(
                "reset-password",
                "balise.operations.admin:reset_password",
                N_("Give a person a new password (from standard input or generated); their sessions end."),
                group="admin",
            ),
            Command(
                "list-tenants",
                "balise.operations.admin:list_tenants",
                N_("List the municipalities with their numbers of people and documents."),
                group="admin",
            ),
            Command(
                "maintenance",
                "balise.operations.admin:maintenance",
                N_("Turn maintenance mode on or off: a banner on every page, changes refused."),
                group="admin",
            ),
            Command(
                "set-smtp",
                "balise.tenancy.cli:set_smtp",
                N_("Set the mail server that sends residents the answers to complaints."),
                group="admin",
            ),
        ),
    ),
    Capability(
        "audit",
        routers=("balise.web.routers.audit_log",),
        nav=(NavItem("/journal", N_("Audit log"), role="privacy_officer", order=840, group="governance"),),
    ),
    Capability(
        "documents",
        routers=("balise.web.routers.documents",),
        nav=(NavItem("/documents", N_("Documents"), order=200),),
        jobs=("balise.documents",),
        commands=(
            Command(
                "ingest", "balise.documents.cli:ingest", N_("Add documents to a municipality's library.")
            ),
        ),
    ),
    Capability(
        "background jobs",
        routers=("balise.web.routers.workers",),
        nav=(NavItem("/admin/travailleurs", N_("Workers"), role="admin", order=920, group="settings"),),
        jobs=("balise.operations.scheduled",),
        commands=(
            Command(
                "worker",
                "balise.jobs.cli:worker",
                N_(
                    "Run background jobs (document ingestion…) until stopped;"
                    " several workers may share the queue."
                ),
            ),
        ),
    ),
    Capability(
        "assistant",
        routers=("balise.web.routers.assistant", "balise.web.routers.assistant_api"),
        nav=(NavItem("/assistant", N_("Assistant"), order=20),),
        commands=(
            Command(
                "purge-conversations",
                "balise.assistant.cli:purge_conversations",
                N_("Delete the conversations past their retention period (workers do it daily)."),
            ),
            Command(
                "mask-history",
                "balise.assistant.cli:mask_history",
                N_("Mask the personal values of conversations kept before the history was masked (once)."),
            ),
            Command(
                "ask",
                "balise.assistant.cli:ask",
                N_("Answer a question from the municipality's documents, with cited sources."),
            ),
            Command(
                "summarise",
                "balise.assistant.cli:summarise",
                N_("Summarise documents or a text for an audience, with its readability score."),
            ),
            Command(
                "draft",
                "balise.assistant.cli:draft",
                N_("Draft a text from one of the municipality's templates."),
            ),
            Command(
                "revise",
                "balise.assistant.cli:revise",
                N_("Correct a text or rewrite it in plain language, and list the changes."),
            ),
        ),
    ),
    Capability(
        "openai door",
        routers=("balise.web.routers.openai_api", "balise.web.routers.tools"),
        nav=(NavItem("/compte/outils", N_("Connect your tools"), order=905, group="settings"),),
    ),
    Capability(
        "review",
        routers=("balise.web.routers.review",),
        nav=(
            NavItem("/resultats", N_("My results"), order=300),
            NavItem("/revision", N_("Review queue"), role="reviewer", order=310),
        ),
        page_context=("balise.web.routers.review:page_context",),
    ),
    Capability(
        "usage policy",
        routers=("balise.web.routers.policy",),
        nav=(NavItem("/politique", N_("Usage policy"), role="manager", order=700, group="settings"),),
    ),
    Capability(
        "privacy",
        routers=("balise.web.routers.privacy",),
        nav=(
            NavItem(
                "/confidentialite",
                N_("Privacy settings"),
                role="privacy_officer",
                order=710,
                group="settings",
            ),
        ),
    ),
    Capability(
        "model gateway",
        routers=("balise.web.routers.model_registry",),
        nav=(NavItem("/modeles", N_("AI models"), order=750, group="settings"),),
        command_groups=(CommandGroup("models", N_("Approved generative models of a municipality.")),),
        commands=(
            Command(
                "list",
                "balise.gateway.cli:models_list",
                N_("List the models approved for a municipality."),
                "models",
            ),
            Command(
                "add",
                "balise.gateway.cli:models_add",
                N_("Approve an OpenAI-compatible model for a municipality."),
                "models",
            ),
            Command(
                "default",
                "balise.gateway.cli:models_default",
                N_("Make a registered model the municipality's default."),
                "models",
            ),
            Command(
                "remove",
                "balise.gateway.cli:models_remove",
                N_("Withdraw a model; its usage history stays for reports."),
                "models",
            ),
        ),
    ),
    Capability(
        "usage quotas",
        routers=("balise.web.routers.usage",),
        nav=(
            NavItem(
                "/gouvernance/consommation",
                N_("AI consumption"),
                role="manager",
                order=835,
                group="governance",
            ),
            NavItem("/admin/quotas", N_("Quotas and budgets"), role="admin", order=760, group="settings"),
        ),
    ),
    Capability(
        "citizen",
        routers=(
            "balise.web.routers.citizen_public",
            "balise.web.routers.citizen_api",
            "balise.web.routers.citizen_staff",
        ),
        nav=(NavItem("/citoyens", N_("Residents"), order=60),),
        jobs=("balise.citizen",),
    ),
    Capability(
        "answers",
        routers=("balise.web.routers.validated_answers", "balise.web.routers.traces"),
        nav=(NavItem("/reponses-validees", N_("Validated answers"), role="reviewer", order=65),),
    ),
    *GOVERNANCE_CAPABILITIES,
    Capability(
        "operations",
        commands=(
            Command(
                "doctor",
                "balise.operations.doctor:doctor",
                N_("Check the installation: database, schema, secret key, models, disk, proxies, OCR."),
            ),
            Command(
                "backup",
                "balise.operations.cli:backup",
                N_("Back up the database, the secret key and the data folder in one archive."),
            ),
            Command(
                "restore",
                "balise.operations.cli:restore",
                N_("Restore a backup into an empty database (stop serve and worker first)."),
            ),
            Command(
                "export",
                "balise.operations.cli:export",
                N_("Export all of a municipality's data in open formats (JSON, CSV, original files)."),
            ),
            Command(
                "import",
                "balise.operations.cli:import_",
                N_("Import a municipality exported from another deployment."),
            ),
        ),
    ),
    Capability(
        "media",
        routers=("balise.web.routers.media",),
        nav=(
            NavItem("/enregistrements", N_("Recordings"), order=210),
            NavItem("/images", N_("Images"), order=220),
        ),
        jobs=("balise.media.transcription",),
    ),
    Capability(
        "evaluation",
        routers=("balise.web.routers.bias", "balise.web.routers.evaluation_runs"),
        nav=(
            NavItem("/gouvernance/biais", N_("Bias probes"), role="manager", order=835, group="governance"),
            NavItem(
                "/gouvernance/evaluation",
                N_("Evaluation of the answers"),
                role="manager",
                order=836,
                group="governance",
            ),
        ),
        jobs=("balise.evaluation.runs.jobs",),
        command_groups=(
            CommandGroup(
                "eval", N_("Measure retrieval, personal-information detection and the usage policy.")
            ),
        ),
        commands=(
            Command(
                "retrieval",
                "balise.evaluation.cli:retrieval",
                N_("Rank a BEIR folder's documents for its queries: MRR@10, recall, nDCG, latency."),
                "eval",
            ),
            Command(
                "answers",
                "balise.evaluation.cli:answers",
                N_("Ask a BEIR folder's questions with gold answers: cited, answered, abstained, latency."),
                "eval",
            ),
            Command(
                "pii",
                "balise.evaluation.cli:pii",
                N_(
                    "Detect personal information in labelled JSONL:"
                    " precision, recall, F1 per label, leak rate."
                ),
                "eval",
            ),
            Command(
                "policy",
                "balise.evaluation.cli:policy",
                N_(
                    "Classify requests as allow, warn or block:"
                    " accuracy, block and warn precision and recall."
                ),
                "eval",
            ),
            Command(
                "bias",
                "balise.evaluation.cli:bias",
                N_(
                    "Probe a municipality's generative model and templates for bias"
                    " (names changed, stereotypes, job titles); the runs are stored."
                ),
                "eval",
            ),
            Command(
                "run",
                "balise.evaluation.cli:run",
                N_(
                    "Run a municipality's evaluation set through the assistant and store the run:"
                    " hit@5, MRR, cited, answered, abstained, citations, latency; alerts below thresholds."
                ),
                "eval",
            ),
            Command(
                "import",
                "balise.evaluation.cli:import_set",
                N_(
                    "Import questions (JSONL or CSV) into a municipality's evaluation set; all lines or none."
                ),
                "eval",
            ),
        ),
    ),
)


def load(reference: str) -> Any:
    """The object a ``"package.module:attribute"`` reference names (a bare module name: the module)."""
    module, _colon, attribute = reference.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


# The menu's groups in order; the notifications have their own link, with the unread count, in the header.
NAV_GROUPS: dict[str, str] = {"work": N_("Work"), "governance": N_("Governance"), "settings": N_("Settings")}


def navigation() -> list[NavItem]:
    """Every capability's navigation entries, in their order."""
    return sorted((item for c in CAPABILITIES for item in c.nav), key=lambda item: item.order)


def job_modules() -> list[str]:
    return [module for c in CAPABILITIES for module in c.jobs]


def load_job_handlers() -> None:
    """Imports every module that registers a job handler (what a worker runs)."""
    for module in job_modules():
        importlib.import_module(module)
