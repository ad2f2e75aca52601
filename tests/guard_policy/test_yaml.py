"""YAML import and export: lossless round trip, and French errors that name the line and the field."""

from __future__ import annotations

import pytest

from balise.guard.policy import PolicyInvalid, default_policy, policy_from_yaml, policy_to_yaml

GOOD = """\
version: 1
rules:
  - id: budget
    outcome: warn
    explanation: Le budget n'est pas encore public.
    keywords: [budget préliminaire]
"""


def test_round_trip_keeps_every_rule() -> None:
    policy = default_policy()
    assert policy_from_yaml(policy_to_yaml(policy)) == policy
    assert policy_from_yaml(GOOD).rules[0].keywords == ("budget préliminaire",)


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (GOOD.replace("outcome: warn", "outcome: refuse"), 4, "rules[0].outcome"),
        (GOOD + "    patterns: ['(unclosed']\n", 7, "rules[0].patterns[0]"),
        (GOOD + "    colour: red\n", 7, "rules[0].colour"),
        (GOOD + "    threshold: 3\n", 7, "rules[0].threshold"),
        (GOOD + GOOD.split("rules:\n")[1], 7, "rules[1].id"),
        (GOOD.replace("    keywords: [budget préliminaire]\n", ""), 3, "rules[0]"),
        ("version: 2\nrules: []\n", 1, "version"),
        ("rules: []\n", 1, "rules"),
    ],
)
def test_errors_name_line_and_field_in_french(text: str, line: int, field: str) -> None:
    with pytest.raises(PolicyInvalid) as caught:
        policy_from_yaml(text)
    message = str(caught.value)
    assert message.startswith(f"Fichier de politique, ligne {line}, champ « {field} » :"), message


def test_broken_yaml_is_reported_with_its_line() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        policy_from_yaml("rules:\n  - id: a\n   outcome: [warn\n")
    assert "ligne 3" in str(caught.value) and "YAML" in str(caught.value)
