"""The everyday docs show real commands with their real output, and their rules files work.

docs/day-in-the-life.md and docs/cookbook.md are run, not trusted: every
console block's commands run again here and must print what the page shows.
Run ``python -m tests.test_everyday_docs`` to regenerate the outputs after a
change; the tests fail whenever a page and the program disagree.

In a page, ``<!-- calendar: FILE -->`` puts that calendar from
tests/data/everyday in place as calendar.ics for the blocks after it, and
``<!-- file: NAME -->`` before a yaml block writes the block to NAME.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from email import message_from_bytes, policy
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.rules.zones import holiday_calendar
from tests.conftest import ROOT
from tests.everyday_support import EVERYDAY

DOCS = ROOT / "docs"
RUN_PAGES = ("docs/day-in-the-life.md", "docs/cookbook.md", "README.md")

_PIECE = re.compile(
    r"<!-- calendar: (?P<calendar>\S+) -->"
    r"|<!-- file: (?P<file>\S+) -->\n```yaml\n(?P<yaml>.*?)```"
    r"|```console\n(?P<console>.*?)```",
    re.DOTALL,
)


def render(text: str, workdir: Path) -> str:
    """The page with each console block's output replaced by what its commands print now.

    The commands run in ``workdir``, with a home folder of their own there
    and the calendars of tests/data/everyday beside them.
    """
    for calendar in EVERYDAY.glob("*.ics"):
        shutil.copyfile(calendar, workdir / calendar.name)
    env: dict[str, str | None] = {
        "HOME": str(workdir / "home"),
        "FOLLOWUP_DATA_DIR": None,
        "FOLLOWUP_CONFIG_DIR": None,
        "XDG_DATA_HOME": None,
        "XDG_CONFIG_HOME": None,
        "FOLLOWUP_FROM": None,
        "FOLLOWUP_RULES": None,
        "TZ": "Europe/Berlin",
        # Holiday names come in the locale's language: English, whatever runs the tests.
        "LANGUAGE": None,
        "LC_ALL": None,
        "LC_MESSAGES": None,
        "LANG": "C.UTF-8",
    }
    holiday_calendar.cache_clear()  # tables made earlier may speak another language
    parts: list[str] = []
    position = 0
    for piece in _PIECE.finditer(text):
        if piece.group("calendar"):
            shutil.copyfile(EVERYDAY / piece.group("calendar"), workdir / "calendar.ics")
            continue
        if piece.group("file"):
            (workdir / piece.group("file")).write_text(piece.group("yaml"), encoding="utf-8")
            continue
        commands = [
            line[2:] for line in piece.group("console").splitlines() if line.startswith("$ ")
        ]
        output = "".join(f"$ {command}\n{_run(command, env, workdir)}" for command in commands)
        parts.append(f"{text[position : piece.start()]}```console\n{output}```")
        position = piece.end()
    parts.append(text[position:])
    return "".join(parts)


def _run(command: str, env: dict[str, str | None], workdir: Path) -> str:
    words = shlex.split(command)
    if words[0] == "export":
        name, _, value = words[1].partition("=")
        env[name] = value
        return ""
    assert words[0] == "followup", f"only followup commands run in the docs: {command}"
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(main, words[1:], env=env, prog_name="followup")
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, f"{command}\n{result.output}{result.exception!r}"
    out = result.output
    return out if not out or out.endswith("\n") else out + "\n"


@pytest.mark.parametrize("page", RUN_PAGES)
def test_the_page_shows_what_the_commands_really_print(page: str, tmp_path: Path) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert render(text, tmp_path) == text, "run: python -m tests.test_everyday_docs"


def test_the_walkthrough_covers_the_day_the_issue_describes() -> None:
    text = (DOCS / "day-in-the-life.md").read_text(encoding="utf-8")
    for command in ("followup plan", "followup draft ACME thank-you", "followup mark ACME replied"):
        assert f"$ {command}" in text
    assert "then nothing more: the status is replied (recorded with `followup mark`)" in text


def test_the_walkthrough_leaves_a_draft_and_a_calendar_with_the_stopped_steps_cancelled(
    tmp_path: Path,
) -> None:
    render((DOCS / "day-in-the-life.md").read_text(encoding="utf-8"), tmp_path)
    draft = message_from_bytes((tmp_path / "thank-you.eml").read_bytes(), policy=policy.default)
    assert draft["To"] == "Dana Smith <dana@acme.example>"
    calendar = (tmp_path / "followups.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Send Dana a thank-you email" in calendar
    assert "SUMMARY:Check in with ACME" not in calendar
    assert "SUMMARY:Cancelled (they replied): Check in with ACME" in calendar
    assert "SUMMARY:Check in with Globex about your application" in calendar


def cookbook_rules() -> list[tuple[str, str]]:
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    return [(m.group("file"), m.group("yaml")) for m in _PIECE.finditer(text) if m.group("file")]


def test_the_cookbook_has_twenty_recipes_each_with_a_rules_file() -> None:
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    numbers = re.findall(r"^## (\d+)\. ", text, re.MULTILINE)
    assert numbers == [str(n) for n in range(1, 21)]
    assert [name for name, _ in cookbook_rules()] == [
        "business-days.yaml",
        "agency.yaml",
        "rounds.yaml",
        "todos.yaml",
        "morning.yaml",
        "final.yaml",
        "dream-job.yaml",
        "agency-or-not.yaml",
        "zoom.yaml",
        "hours.yaml",
        "capped.yaml",
        "offer.yaml",
        "stop.yaml",
        "defaults.yaml",
        "final-week.yaml",
        "timeline-first.yaml",
        "agency-first.yaml",
        "german-drafts.yaml",
        "prepare.yaml",
        "offer-in-notes.yaml",
        "four-wishes.yaml",
    ]


@pytest.mark.parametrize(("name", "yaml"), cookbook_rules())
def test_every_cookbook_recipe_passes_followup_check(name: str, yaml: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(yaml, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{path}: OK, ")


def test_the_todo_recipe_writes_vtodos_with_a_due_time(tmp_path: Path) -> None:
    rules = tmp_path / "todos.yaml"
    rules.write_text(dict(cookbook_rules())["todos.yaml"], encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "ics",
            "--rules",
            str(rules),
            "--from",
            str(EVERYDAY / "christmas.ics"),
            "--now",
            "2026-12-23T16:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("BEGIN:VTODO") == 2
    assert "BEGIN:VEVENT" not in result.output
    assert "DUE;TZID=Europe/Berlin:20261224T170000" in result.output


_INVOCATION = re.compile(r"followup\"?[ \t]+((?:sync|ics|plan|serve|check)\b[^\n>|]*)")


def test_every_scheduled_command_has_options_that_exist() -> None:
    text = (DOCS / "scheduling.md").read_text(encoding="utf-8")
    lines = [
        line.removeprefix("$ ")
        for kind, block in re.findall(r"```([a-z]*)\n(.*?)```", text, re.DOTALL)
        for line in block.splitlines()
        if (kind != "console" or line.startswith("$ ")) and "<TAB>" not in line
    ]
    commands = [shlex.split(m) for line in lines for m in _INVOCATION.findall(line)]
    assert [words[0] for words in commands] == ["sync", "sync", "sync", "serve", "sync", "ics"]
    for words in commands:
        command = main.get_command(click.Context(main), words[0])
        assert command is not None, words
        command.make_context(words[0], words[1:])


def test_every_completion_script_the_page_names_is_one_click_writes() -> None:
    text = (DOCS / "completion.md").read_text(encoding="utf-8")
    shells = sorted(set(re.findall(r"_FOLLOWUP_COMPLETE=(\w+)_source followup", text)))
    assert shells == ["bash", "fish", "zsh"]
    for shell in shells:
        result = CliRunner().invoke(
            main, [], prog_name="followup", env={"_FOLLOWUP_COMPLETE": f"{shell}_source"}
        )
        assert result.exit_code == 0
        assert "_FOLLOWUP_COMPLETE" in result.output


if __name__ == "__main__":
    for page in RUN_PAGES:
        with tempfile.TemporaryDirectory() as folder:
            path = ROOT / page
            path.write_text(
                render(path.read_text(encoding="utf-8"), Path(folder)), encoding="utf-8"
            )
        print(f"regenerated {page}")
