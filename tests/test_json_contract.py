"""--json is a contract: every command's object says its format, and the counts it gives
are the ones the text says."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.write.text import JSON_FORMAT
from tests.sync_support import CalendarApp, account

pytest_plugins = ["tests.conftest_caldav"]

ROOT = Path(__file__).parent.parent
EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"
DOC = (ROOT / "docs" / "json.md").read_text()


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_plan_its_json_ics_and_sync_count_the_same_interviews(
    app: CalendarApp, password: str, tmp_path: Path
) -> None:
    target = app.make_calendar("followups")
    table = run("plan", "--from", EXAMPLE, "--now", NOW)
    data = json.loads(run("plan", "--from", EXAMPLE, "--now", NOW, "--json").stdout)
    ics = run("ics", "--from", EXAMPLE, "--now", NOW, "-o", str(tmp_path / "f.ics"))
    sync_json = run(
        "sync", "--from", EXAMPLE, "--to", account(target), "--now", NOW, "--dry-run", "--json"
    )
    sync_text = run("sync", "--from", EXAMPLE, "--to", account(target), "--now", NOW, "--dry-run")
    synced = json.loads(sync_json.stdout)

    said = re.search(r"for (\d+) interviews, (\d+) of them cancelled \(times in", table.stdout)
    assert said is not None, table.stdout
    assert int(said[1]) == data["interviews"] == synced["interviews"]
    assert int(said[2]) == data["cancelled_interviews"] == 1  # Umbrella called theirs off
    assert f"for {data['interviews']} interviews, 1 of them cancelled, to" in ics.stderr
    assert f"follow-ups for {synced['interviews']} interviews." in sync_text.stdout
    assert synced["format"] == data["format"] == JSON_FORMAT


def test_every_json_output_starts_with_its_format(tmp_path: Path) -> None:
    bad_rules = tmp_path / "rules.yaml"
    bad_rules.write_text("rules: [\n")
    outputs = {
        "plan": run("plan", "--from", EXAMPLE, "--now", NOW, "--json"),
        "check": run("check", "--json"),
        "check (an error)": run("check", str(bad_rules), "--json"),
        "explain": run("explain", "ACME", "--from", EXAMPLE, "--now", NOW, "--json"),
        "review": run("review", "--from", EXAMPLE, "--now", NOW, "--json"),
    }
    for command, result in outputs.items():
        data = json.loads(result.stdout)
        assert next(iter(data.items())) == ("format", JSON_FORMAT), command


def test_the_json_document_lists_every_field_each_command_writes() -> None:
    data = json.loads(run("plan", "--from", EXAMPLE, "--now", NOW, "--json").stdout)
    sections = dict(re.findall(r"^## `followup (\w+) --json`\n(.*?)(?=^## |\Z)", DOC, re.M | re.S))
    assert set(sections) == {"plan", "check", "explain", "review", "sync", "mail"}
    assert "- `format`: the version of these objects, now `1`." in DOC
    del data["format"]  # said once, above the commands
    for field in [*data, *data["followups"][0], *data["followups"][0]["interview"]]:
        assert f"`{field}`" in sections["plan"], field
    checked = json.loads(run("check", "--json").stdout)
    del checked["format"]
    for field in [*checked, *checked["rules"][0]]:
        assert f"`{field}`" in sections["check"], field
