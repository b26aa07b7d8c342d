"""followup as a user installs it: a wheel put in place by pipx, run from an empty folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LEFT_OUT = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "node_modules", ".*_cache"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the tree, as `pipx install .` builds it."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT, symlinks=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(source)],
        check=True,
    )
    (built,) = work.glob("followup-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `followup` program pipx installs from the wheel, in a home of its own."""
    home = tmp_path_factory.mktemp("pipx")
    env = {
        **os.environ,
        "PIPX_HOME": str(home / "pipx"),
        "PIPX_BIN_DIR": str(home / "bin"),
        "PIPX_MAN_DIR": str(home / "man"),
    }
    subprocess.run(
        [sys.executable, "-m", "pipx", "install", "--quiet", str(wheel)],
        check=True,
        env=env,
        capture_output=True,
    )
    return home / "bin" / "followup"


def start_here(help_text: str) -> list[list[str]]:
    """The commands under "Start here:" in followup's --help."""
    lines = help_text.splitlines()
    first = lines.index("  Start here:") + 1
    commands = []
    for line in lines[first:]:
        if not line.strip().startswith("followup "):
            break
        commands.append(line.split())
    return commands


def test_the_start_here_commands_of_the_installed_program_run_from_an_empty_folder(
    installed: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), TZ="UTC")
    shown = subprocess.run(
        [installed, "--help"], cwd=empty, env=env, capture_output=True, text=True, check=True
    )
    commands = start_here(shown.stdout)
    assert [c[:3] for c in commands] == [
        ["followup", "plan", "--from"],
        ["followup", "ics", "--from"],
    ]
    for command in commands:
        run = subprocess.run(
            [installed, *command[1:]], cwd=empty, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    plan = subprocess.run(
        [installed, *commands[0][1:]], cwd=empty, env=env, capture_output=True, text=True
    )
    assert "Move on from ACME" in plan.stdout
    assert "as of 2026-11-30 08:00" in plan.stderr
    written = (empty / "followups.ics").read_bytes()
    assert written.startswith(b"BEGIN:VCALENDAR") and b"ACME" in written


def test_the_shipped_example_is_the_repositorys_example() -> None:
    shipped = ROOT / "engine" / "data" / "interviews.ics"
    assert shipped.read_bytes() == (ROOT / "examples" / "interviews.ics").read_bytes()


def test_the_installed_program_carries_the_feed_pages_template(installed: Path) -> None:
    # The page's markup is a package data file: a wheel without it would serve no page.
    # The program's own interpreter, as its first line names it (with pipx's -E).
    python = installed.read_text(encoding="utf-8").splitlines()[0].removeprefix("#!").split()
    script = (
        "from datetime import UTC, datetime, timedelta\n"
        "from followup.engine.feed.build import FeedState\n"
        "from followup.engine.feed.page import Links, PageView, render_page\n"
        "view = PageView(calendar_name='Follow-ups <3', state=FeedState(feed=None),\n"
        "    now=datetime(2026, 12, 1, tzinfo=UTC), links=Links(web='http://x', webcal='webcal://x'),\n"
        "    profile='common', refresh=timedelta(hours=1))\n"
        "print(render_page(view), end='')\n"
    )
    shown = subprocess.run(
        [*python, "-c", script], capture_output=True, text=True, check=False, cwd=installed.parent
    )
    assert shown.returncode == 0, shown.stderr
    assert "<h1>Follow-ups &lt;3</h1>" in shown.stdout
    assert "Nothing to show until the calendar can be built." in shown.stdout


def pipx_python(installed: Path) -> tuple[Path, dict[str, str]]:
    """The interpreter of the venv pipx made for followup, and the environment naming it."""
    home = installed.parent.parent
    env = {
        **os.environ,
        "PIPX_HOME": str(home / "pipx"),
        "PIPX_BIN_DIR": str(home / "bin"),
        "PIPX_MAN_DIR": str(home / "man"),
    }
    return home / "pipx" / "venvs" / "followup" / "bin" / "python", env


def dist_info() -> str:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    return f"followup-{version}.dist-info"


def test_the_wheel_puts_nothing_but_followup_in_site_packages(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = archive.read(f"{dist_info()}/top_level.txt").decode()
    assert {name.split("/")[0] for name in names} == {"followup", dist_info()}
    assert top_level.split() == ["followup"]


def test_the_wheel_holds_every_module_and_data_file_of_cli_engine_and_rules(wheel: Path) -> None:
    """A new package folder must be listed in pyproject.toml's packages, a new kind of data
    file in its package-data: otherwise the installed program lacks it."""
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    ours = [
        path.relative_to(ROOT).as_posix()
        for top in ("cli", "engine", "rules")
        for path in sorted((ROOT / top).rglob("*"))
        if path.suffix in {".py", ".yaml", ".toml", ".json", ".ics", ".md"}
        and "__pycache__" not in path.parts
    ]
    assert len(ours) > 100
    assert [name for name in ours if f"followup/{name}" not in shipped] == []


def test_pip_lists_only_followup_and_its_metadata_and_the_bare_names_are_not_importable(
    installed: Path, tmp_path: Path
) -> None:
    python, env = pipx_python(installed)
    shown = subprocess.run(
        [sys.executable, "-m", "pipx", "runpip", "followup", "show", "-f", "followup"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    files = shown.stdout.partition("\nFiles:\n")[2].split()
    assert {f.split("/")[0] for f in files if not f.startswith("..")} == {"followup", dist_info()}
    assert [f for f in files if f.startswith("..")] == ["../../../bin/followup"]

    empty = tmp_path / "empty"
    empty.mkdir()
    for name in ("cli", "engine", "rules"):
        run = subprocess.run(
            [python, "-c", f"import {name}"], cwd=empty, env=env, capture_output=True, text=True
        )
        assert run.returncode == 1 and f"No module named '{name}'" in run.stderr
    run = subprocess.run(
        [python, "-c", "import followup.cli.main, followup.engine.pipeline, followup.rules.loader"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
