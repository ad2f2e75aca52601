"""Policies as YAML, the format administrators import, export and review.

Validation reports the line and the field of the first problem, so that an administrator editing the
file by hand knows exactly what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from balise.errors import Invalid
from balise.guard.policy.rules import DEFAULT_MARGIN, DEFAULT_THRESHOLD, OUTCOMES, Policy, Rule
from balise.i18n import _

FORMAT_VERSION = 1
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_LIST_FIELDS = ("keywords", "patterns", "exceptions", "cues", "examples", "document_flags")
_RULE_FIELDS = {"id", "outcome", "explanation", "requirement", "threshold", "enabled", *_LIST_FIELDS}


class PolicyInvalid(Invalid):
    """A policy file that cannot be used as it is."""

    code = "policy_invalid"


def policy_to_yaml(policy: Policy) -> str:
    """The policy as YAML; fields left at their default are omitted to keep the file readable."""
    rules: list[dict[str, Any]] = []
    for rule in policy.rules:
        item: dict[str, Any] = {"id": rule.id, "outcome": rule.outcome}
        if rule.requirement:
            item["requirement"] = rule.requirement
        item["explanation"] = rule.explanation
        for name in _LIST_FIELDS:
            values = getattr(rule, name)
            if values:
                item[name] = list(values)
        if rule.threshold != DEFAULT_THRESHOLD:
            item["threshold"] = rule.threshold
        if not rule.enabled:
            item["enabled"] = False
        rules.append(item)
    document = {"version": FORMAT_VERSION, "margin": policy.margin, "rules": rules}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def _fail(node: yaml.Node | None, field: str, problem: str) -> PolicyInvalid:
    """The error for one field, located by the YAML node parsed alongside the data."""
    line = node.start_mark.line + 1 if node is not None else 1
    return PolicyInvalid(
        "Policy file, line {line}, field “{field}”: {problem}", line=line, field=field, problem=problem
    )


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    return node


def _item(node: yaml.Node | None, index: int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and index < len(node.value):
        return node.value[index]
    return node


def _number(node: yaml.Node | None, field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise _fail(node, field, _("expected a number between 0 and 1"))
    return float(value)


def _strings(node: yaml.Node | None, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(node, field, _("expected a list of non-empty texts"))
    return tuple(v.strip() for v in value)


def _rule(node: yaml.Node | None, data: Any, where: str) -> Rule:
    if not isinstance(data, dict):
        raise _fail(node, where, _("expected a rule (id, outcome, explanation, …)"))
    unknown = sorted(set(data) - _RULE_FIELDS)
    if unknown:
        raise _fail(_child(node, unknown[0]), f"{where}.{unknown[0]}", _("unknown field"))

    def field(name: str, check: Callable[[Any], bool], problem: str) -> Any:
        value = data.get(name)
        if not check(value):
            raise _fail(_child(node, name), f"{where}.{name}", problem)
        return value

    rule_id = field(
        "id",
        lambda v: isinstance(v, str) and bool(_RULE_ID.match(v)),
        _("expected an identifier in lower case (letters, digits, - _ .)"),
    )
    outcome = field("outcome", lambda v: v in OUTCOMES, _("expected allow, warn or block"))
    explanation = field(
        "explanation",
        lambda v: isinstance(v, str) and bool(v.strip()),
        _("every rule needs an explanation shown to the user"),
    )
    requirement = field("requirement", lambda v: v is None or isinstance(v, str), _("expected a text"))
    enabled = field("enabled", lambda v: v is None or isinstance(v, bool), _("expected true or false"))
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LIST_FIELDS:
        if data.get(name) is not None:
            lists[name] = _strings(_child(node, name), f"{where}.{name}", data[name])
    for name in ("patterns", "exceptions", "cues"):
        for index, pattern in enumerate(lists.get(name, ())):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise _fail(
                    _item(_child(node, name), index),
                    f"{where}.{name}[{index}]",
                    _("invalid regular expression ({reason})").format(reason=exc.msg),
                ) from exc
    threshold = DEFAULT_THRESHOLD
    if data.get("threshold") is not None:
        threshold = _number(_child(node, "threshold"), f"{where}.threshold", data["threshold"])
    rule = Rule(
        id=rule_id,
        outcome=outcome,
        explanation=explanation.strip(),
        requirement=requirement or "",
        threshold=threshold,
        enabled=enabled is not False,
        **lists,
    )
    if rule.outcome != "allow" and not (
        rule.keywords or rule.patterns or rule.examples or rule.document_flags
    ):
        raise _fail(node, where, _("a block or warn rule needs keywords, patterns, examples or flags"))
    return rule


def policy_from_yaml(text: str) -> Policy:
    """Parse and validate a policy; any problem raises :class:`PolicyInvalid` naming its line and field."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise PolicyInvalid("Policy file, line {line}: this is not valid YAML.", line=line) from exc
    if not isinstance(data, dict):
        raise _fail(root, "rules", _("the file must hold a mapping with a “rules” list"))
    if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise _fail(_child(root, "version"), "version", _("only version 1 is supported"))
    margin = DEFAULT_MARGIN
    if data.get("margin") is not None:
        margin = _number(_child(root, "margin"), "margin", data["margin"])
    rules_node = _child(root, "rules")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(rules_node, "rules", _("expected a non-empty list of rules"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _rule(_item(rules_node, index), raw, f"rules[{index}]")
        if rule.id in seen:
            raise _fail(
                _child(_item(rules_node, index), "id"),
                f"rules[{index}].id",
                _("this identifier is already used by another rule"),
            )
        seen.add(rule.id)
        rules.append(rule)
    return Policy(rules=tuple(rules), margin=margin)
