"""The lock files pin every dependency pyproject.toml names, with hashes, and every install uses them."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)(?: ;[^\\\n]*)?((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)",
    re.M,
)


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """Package → (version, number of hashes) of a lock file."""
    text = (ROOT / name).read_text()
    return {canonicalize_name(m[1]): (m[2], m[3].count("--hash=")) for m in PINNED.finditer(text)}


def _declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = list(project["dependencies"])
    for extra in extras:
        named += project["optional-dependencies"][extra]
    return [Requirement(item) for item in named]


def _extra_dependencies(requirement: Requirement) -> list[Requirement]:
    """What ``package[extra]`` adds on this platform, from the installed package's metadata."""
    added = []
    for line in metadata.requires(requirement.name) or []:
        dependency = Requirement(line)
        for extra in requirement.extras:
            if dependency.marker and dependency.marker.evaluate({**default_environment(), "extra": extra}):
                added.append(dependency)
    return added


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))]
)
def test_the_lock_pins_every_declared_dependency_with_hashes(lock: str, extras: tuple[str, ...]) -> None:
    pinned = _lock(lock)
    assert len(pinned) > 50
    assert all(hashes >= 1 for _version, hashes in pinned.values()), "every pin needs its hashes"
    for requirement in _declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is missing from {lock}: run make lock"
        version = pinned[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {requirement.name}=={version}, outside {requirement.specifier}: run make lock"
        )
        for dependency in _extra_dependencies(requirement):
            assert canonicalize_name(dependency.name) in pinned, f"{dependency.name} ({requirement})"
    assert "balise" not in pinned  # installed afterwards, with --no-deps


def test_the_test_lock_agrees_with_the_run_lock_on_the_running_dependencies() -> None:
    run, test = _lock("requirements.lock"), _lock("requirements-test.lock")
    differing = {name for name in run if name in test and run[name][0] != test[name][0]}
    assert not differing, f"tested and shipped versions differ: {sorted(differing)}"


def test_every_install_goes_through_a_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --require-hashes -r $(TEST_LOCK)" in makefile
    assert 'pip install --quiet -e ".[test]"' not in makefile and "pip install --quiet -e .\n" not in makefile
    assert re.search(r"^lock:", makefile, re.M)
    container = (ROOT / "Containerfile").read_text()
    assert "COPY pyproject.toml README.md requirements.lock" in container
    assert "--require-hashes -r requirements.lock" in container and "--no-deps ." in container
    assert (
        "pip install --require-hashes -r /path/to/balise/requirements.lock"
        in (ROOT / "docs/deploy.md").read_text()
    )
