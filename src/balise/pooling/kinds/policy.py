"""The kinds Balise packed first: usage-policy rules, evaluation sets and drafting templates."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy.orm import Session

from balise.assistant.drafting import DEFAULTS as TEMPLATE_DEFAULTS
from balise.assistant.drafting import get_template, save_template, templates
from balise.errors import BaliseError, Invalid
from balise.evaluation.runs import ItemDraft, add_items, check_drafts, create_set, export_set, list_sets
from balise.evaluation.runs.sets import FORMAT as EVAL_SET_FORMAT
from balise.evaluation.runs.sets import MAX_ITEMS
from balise.guard.policy import Policy, Rule, load_policy, policy_from_yaml, policy_to_yaml, save_policy
from balise.i18n import N_, gettext_
from balise.pooling.kinds.base import ADDED, PRESENT, REFUSED, Kind, Offer
from balise.tenancy import Tenant


def _rule_of(content: dict[str, Any]) -> Rule:
    return policy_from_yaml(yaml.safe_dump({"version": 1, "rules": [content]}, allow_unicode=True)).rules[0]


def _check_rule(content: dict[str, Any]) -> None:
    _rule_of(content)


def _rule_content(rule: Rule) -> dict[str, Any]:
    rules: list[dict[str, Any]] = yaml.safe_load(policy_to_yaml(Policy(rules=(rule,))))["rules"]
    return rules[0]


def _rule_offers(session: Session, tenant: Tenant) -> list[Offer]:
    return [
        Offer("policy_rule", rule.id, rule.id, _rule_content(rule))
        for rule in load_policy(session, tenant.id).rules
    ]


def _add_rule(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    rule = _rule_of(content)
    policy = load_policy(session, tenant.id)
    same = next((r for r in policy.rules if r.id == rule.id), None)
    if same == rule:
        return PRESENT, ""
    if same is not None:
        return REFUSED, gettext_(
            "A rule with this identifier already exists here with other wording; nothing was overwritten. "
            "Compare them on the usage policy page."
        )
    save_policy(session, tenant.id, Policy(rules=(*policy.rules, rule), margin=policy.margin), actor=actor)
    return ADDED, ""


def _check_set(content: dict[str, Any]) -> None:
    items = content.get("items")
    if (
        content.get("format") != EVAL_SET_FORMAT
        or not isinstance(content.get("name"), str)
        or not (
            isinstance(items, list)
            and len(items) <= MAX_ITEMS
            and all(isinstance(i, dict) and isinstance(i.get("question"), str) for i in items)
        )
    ):
        raise Invalid("An evaluation set of the pack is not in the format Balise exports.")


def _set_offers(session: Session, tenant: Tenant) -> list[Offer]:
    return [Offer("eval_set", s.id, s.name, export_set(session, s)) for s, _count in list_sets(session)]


def _drafts(content: dict[str, Any]) -> list[ItemDraft]:
    return [
        ItemDraft(
            str(i["question"]),
            tuple(str(s) for s in i.get("sources") or ()),
            str(i.get("answer") or ""),
            bool(i.get("abstain", False)),
            number,
        )
        for number, i in enumerate(content["items"], start=1)
    ]


def _add_set(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    existing = {s.name: s for s, _count in list_sets(session)}.get(content["name"].strip())
    if existing is not None:
        if export_set(session, existing) == content:
            return PRESENT, ""
        return REFUSED, gettext_(
            "An evaluation set with this name already exists here with other questions; nothing was "
            "overwritten. Rename one of them and import the pack again."
        )
    drafts = _drafts(content)
    try:
        check_drafts(session, drafts)
        eval_set = create_set(
            session,
            tenant,
            content["name"],
            description=str(content.get("description") or ""),
            role=str(content.get("role") or "employee"),
            actor=actor,
        )
    except BaliseError as exc:
        return REFUSED, exc.localized()
    add_items(session, eval_set, drafts, origin="import", actor=actor)
    return ADDED, ""


def _template_offers(session: Session, tenant: Tenant) -> list[Offer]:
    """Only the templates the municipality rewrote: the shipped ones every municipality has."""
    return [
        Offer(
            "draft_template",
            t.kind,
            gettext_(t.label),
            {"kind": t.kind, "instructions": t.instructions, "skeleton": t.skeleton},
        )
        for t in templates(session, tenant.id)
        if t.customised
    ]


def _check_template(content: dict[str, Any]) -> None:
    if content.get("kind") not in TEMPLATE_DEFAULTS or not all(
        isinstance(content.get(f), str) and content[f].strip() for f in ("instructions", "skeleton")
    ):
        raise Invalid("A drafting template of the pack is not in the format Balise exports.")


def _add_template(session: Session, tenant: Tenant, content: dict[str, Any], actor: str) -> tuple[str, str]:
    """Takes the place of the shipped template only: a template the municipality rewrote stays."""
    mine = get_template(session, tenant.id, content["kind"])
    if (mine.instructions, mine.skeleton) == (content["instructions"].strip(), content["skeleton"].strip()):
        return PRESENT, ""
    if mine.customised:
        return REFUSED, gettext_(
            "Your municipality already rewrote this drafting template; nothing was overwritten. Copy what "
            "you want from the pack on the templates page."
        )
    save_template(
        session,
        tenant.id,
        content["kind"],
        instructions=content["instructions"],
        skeleton=content["skeleton"],
        actor=actor,
    )
    return ADDED, ""


POLICY_KINDS: dict[str, Kind] = {
    "policy_rule": Kind(N_("Usage policy rule"), _rule_offers, _check_rule, _add_rule),
    "eval_set": Kind(N_("Evaluation set"), _set_offers, _check_set, _add_set),
    "draft_template": Kind(N_("Drafting template"), _template_offers, _check_template, _add_template),
}
