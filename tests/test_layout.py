"""The folders are the architecture: each test here keeps one arrow of it true.

What each package may import is stated once, as import-linter contracts in
pyproject.toml ([tool.importlinter]: the layers from the commands down to the
rules language, and the engine never importing click), and checked for every
module by running ``lint-imports``. What the contracts cannot say is checked
here by reading the source: that the pure modules import no file, network or
HTTP module. import-linter folds an outside package into its top-level name,
so it cannot forbid ``urllib.request`` and allow ``urllib.parse``.

Imports are read from the source (module level and inside functions), so a
lazy import cannot hide an arrow going the wrong way.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

PURE = {
    "followup.engine.model",
    "followup.engine.errors",
    "followup.engine.people",
    "followup.engine.read.scan",
    "followup.engine.read.reader",
    "followup.engine.read.facts",
    "followup.engine.read.language",
    "followup.engine.read.timewords",
    "followup.engine.read.lexicon",
    "followup.engine.read.recognise",
    "followup.engine.plan.timing",
    "followup.engine.plan.timeline",
    "followup.engine.plan.planner",
    "followup.engine.plan.explain",
    "followup.engine.plan.lookup",
    "followup.engine.plan.applications",
    "followup.engine.plan.board",
    "followup.engine.plan.stats",
    "followup.engine.plan.stopped",
    "followup.engine.questions",
    "followup.engine.write.render",
    "followup.engine.write.text",
    "followup.engine.write.outputs",
    "followup.engine.write.draft",
    "followup.engine.write.feedcheck",
    "followup.engine.dav.protocol",
    "followup.engine.caldav.fingerprint",
    "followup.engine.caldav.syncplan",
    "followup.engine.feed.build",
    "followup.engine.feed.page",
    "followup.engine.mail.authres",
    "followup.engine.mail.replies",
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
    "followup.engine.config",
    "followup.engine.folders",
    "followup.engine.marks",
    "followup.engine.answers",
    "followup.engine.pipeline",
    "followup.engine.rules_cache",
    "followup.engine.init",
    "followup.engine.atomic",
    "followup.engine.sources",
    "followup.engine.sources.dav",
    "followup.engine.sources.files",
    "followup.engine.sources.link",
    "followup.engine.proxies",
    "followup.engine.sources.archive",
    "followup.engine.dav.bounded",
    "followup.engine.dav.transport",
    "followup.engine.dav.discovery",
    "followup.engine.dav.reads",
    "followup.engine.dav.writes",
    "followup.engine.dav.session",
    "followup.engine.caldav.mirror",
    "followup.engine.caldav.kept",
    "followup.engine.caldav.state",
    "followup.engine.caldav.hints",
    "followup.engine.caldav.copies",
    "followup.engine.caldav.apply",
    "followup.engine.caldav.calendars",
    "followup.engine.caldav.quiet",
    "followup.engine.installed",
    "followup.engine.feed.cache",
    "followup.engine.feed.server",
    "followup.engine.mail.imap",
    "followup.engine.mail.check",
}
"""Modules that touch files, the network or the user's folders."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("followup", *(parts[:-1] if parts[-1] == "__init__" else parts)))


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


def test_every_module_keeps_its_packages_import_contracts() -> None:
    """The layers (commands -> sync and feed -> sources -> main path -> stages -> base ->
    rules), the engine and rules never importing click or cli, rules never the engine."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_engine_module_has_a_place_in_the_layers() -> None:
    """A module the layers contract does not name would be held to no arrow at all."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if "layers" in c]
    placed = {m.strip() for layer in layers for m in layer.replace("|", ":").split(":")}
    engine = modules("engine")
    unplaced = sorted(
        name
        for name, path in engine.items()
        if path.name != "__init__.py" and not within(name, placed)
    )
    assert unplaced == [], "add these to a layer in [tool.importlinter] in pyproject.toml"


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_stages_import_no_file_network_or_http_module(name: str) -> None:
    found = imports(modules("engine")[name])
    wrong = {m for m in found if within(m, IO_LIBRARIES | EDGES)}
    assert wrong == set(), f"{name} is pure but imports {sorted(wrong)}"


def test_the_check_sees_imports_inside_functions() -> None:
    lazy = imports(modules("engine")["followup.engine.feed.cache"])
    assert "followup.engine.pipeline" in lazy  # imported inside PipelineInputs.build


def test_the_packages_are_imported_by_their_installed_names_only() -> None:
    """Installed, cli/, engine/ and rules/ are followup.cli, followup.engine and followup.rules:
    an ``import engine`` would work from the repository's root and nowhere else."""
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for folder in ("cli", "engine", "rules", "tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "node_modules" not in path.parts
        for name in sorted(imports(path))
        if name.split(".")[0] in {"cli", "engine", "rules"}
    ]
    assert wrong == []


def _folder_rows() -> dict[str, str]:
    """The README's folder table: each folder's row, by the folder as the row names it."""
    rows: dict[str, str] = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `") and "/` |" in line:
            folder, _, text = line[3:].partition("` |")
            rows[folder] = text
    return rows


def test_the_readme_folder_table_names_every_module_in_the_row_of_its_folder() -> None:
    rows = _folder_rows()
    missing: list[str] = []
    for package in ("cli", "rules", "engine"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "__init__.py" or "templates" in path.parts:
                continue
            folder = path.parent.relative_to(ROOT).as_posix() + "/"
            row = rows.get(folder)
            if row is None or f"`{path.stem}`" not in row:
                missing.append(f"{folder}{path.name}")
    assert not missing, f"README.md's folder table does not name: {', '.join(missing)}"
