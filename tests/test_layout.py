"""The folders are the architecture: each test here keeps one arrow of it true.

Imports are read from the source (module level and inside functions), so a
lazy import cannot hide an arrow going the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

STAGES = ("read", "mail", "plan", "write", "caldav", "feed")
"""engine's stages in the order data flows through them."""

PURE = {
    "engine.model",
    "engine.errors",
    "engine.people",
    "engine.read.scan",
    "engine.read.reader",
    "engine.read.facts",
    "engine.read.language",
    "engine.read.timewords",
    "engine.read.lexicon",
    "engine.read.recognise",
    "engine.plan.timing",
    "engine.plan.timeline",
    "engine.plan.planner",
    "engine.plan.explain",
    "engine.plan.lookup",
    "engine.plan.applications",
    "engine.plan.board",
    "engine.plan.stats",
    "engine.plan.stopped",
    "engine.questions",
    "engine.write.render",
    "engine.write.draft",
    "engine.write.feedcheck",
    "engine.caldav.protocol",
    "engine.caldav.fingerprint",
    "engine.caldav.syncplan",
    "engine.feed.build",
    "engine.feed.page",
    "engine.mail.authres",
    "engine.mail.replies",
}
"""Modules that compute values from values: no files, no network, no clock of their own."""

IO_LIBRARIES = {
    "os",
    "sys",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "subprocess",
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "niquests",
    "requests",
    "caldav",
    "waitress",
    "platformdirs",
    "keyring",
    "logging",
    "threading",
}

EDGES = {
    "engine.config",
    "engine.folders",
    "engine.marks",
    "engine.answers",
    "engine.pipeline",
    "engine.init",
    "engine.write.atomic",
    "engine.read.sources",
    "engine.read.caldav_source",
    "engine.read.link",
    "engine.proxies",
    "engine.read.archive",
    "engine.caldav.bounded",
    "engine.caldav.transport",
    "engine.caldav.discovery",
    "engine.caldav.reads",
    "engine.caldav.writes",
    "engine.caldav.session",
    "engine.caldav.mirror",
    "engine.caldav.syncstate",
    "engine.caldav.apply",
    "engine.caldav.calendars",
    "engine.caldav.quiet",
    "engine.installed",
    "engine.feed.cache",
    "engine.feed.server",
    "engine.mail.imap",
    "engine.mail.check",
}
"""Modules that touch files, the network or the user's folders."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, packages: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_every_module_is_in_a_known_place() -> None:
    """A new engine module must be classed as pure or as an edge (or be a package's door)."""
    engine = modules("engine")
    unclassed = sorted(
        name
        for name, path in engine.items()
        if name not in PURE | EDGES and path.name != "__init__.py"
    )
    assert unclassed == [], "add these to PURE or EDGES in tests/test_layout.py"
    assert sorted((PURE | EDGES) - set(engine)) == []


def test_rules_imports_nothing_from_the_engine_or_the_command_line() -> None:
    for name, path in modules("rules").items():
        wrong = {m for m in imports(path) if within(m, {"engine", "cli", "click"})}
        assert wrong == set(), f"{name} imports {sorted(wrong)}"


def test_the_engine_never_imports_click_or_the_command_line() -> None:
    for name, path in modules("engine").items():
        wrong = {m for m in imports(path) if within(m, {"click", "cli"})}
        assert wrong == set(), f"{name} imports {sorted(wrong)}"


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_stages_import_no_file_network_or_http_module(name: str) -> None:
    found = imports(modules("engine")[name])
    wrong = {m for m in found if within(m, IO_LIBRARIES | EDGES)}
    assert wrong == set(), f"{name} is pure but imports {sorted(wrong)}"


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_stages_never_reach_forward_in_the_pipeline(name: str) -> None:
    """read comes before plan, plan before write, write before caldav and feed."""
    parts = name.split(".")
    if len(parts) < 3:
        return  # engine.model and engine.errors sit beside every stage
    stage = STAGES.index(parts[1])
    later = {f"engine.{s}" for s in STAGES[stage + 1 :]}
    wrong = {m for m in imports(modules("engine")[name]) if within(m, later)}
    assert wrong == set(), f"{name} ({parts[1]}) imports later stages {sorted(wrong)}"


def test_the_check_sees_imports_inside_functions() -> None:
    lazy = imports(modules("engine")["engine.feed.cache"])
    assert "engine.pipeline" in lazy  # imported inside PipelineInputs.build
