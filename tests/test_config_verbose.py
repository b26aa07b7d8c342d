"""One --config for every command (and $FOLLOWUP_CONFIG), and -v saying what a run does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from tests.caldav_server import PASSWORD
from tests.link_server import LinkServer, Served, link_server
from tests.sync_support import CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-11-30T08:00"
BERLIN = ZoneInfo("Europe/Berlin")
SECRET = "/calendar/ical/alice%40example.com/private-8f14e45fceea167a5a36dedd4bea2543/basic.ics"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def config_naming(tmp_path: Path, calendar: Path) -> Path:
    config = tmp_path / "elsewhere" / "followup.toml"
    config.parent.mkdir()
    config.write_text(f'# mine\n[sync]\nfrom = "{calendar}"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("place", ["before the command", "after the command", "environment"])
def test_a_config_file_named_anywhere_is_the_one_read(tmp_path: Path, place: str) -> None:
    config = config_naming(tmp_path, EXAMPLE)
    if place == "before the command":
        result = run("--config", str(config), "plan", "--now", NOW)
    elif place == "after the command":
        result = run("plan", "--now", NOW, "--config", str(config))
    else:
        result = run("plan", "--now", NOW, env={"FOLLOWUP_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert "Move on from ACME" in result.stdout


@pytest.mark.parametrize("command", [["plan"], ["check"], ["sync"], ["mail"], ["explain", "x"]])
def test_a_config_file_that_is_not_there_is_named(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo.toml"
    given = run("--config", str(missing), *command, "--from", str(EXAMPLE), "--now", NOW)
    if command == ["check"]:
        given = run("check", "--config", str(missing))
    from_env = run(*command[:1], env={"FOLLOWUP_CONFIG": str(missing)})

    assert given.exit_code == 2 and from_env.exit_code == 2
    assert f"no config file at {missing} (named by --config)" in given.stderr
    assert f"no config file at {missing} (named by $FOLLOWUP_CONFIG)" in from_env.stderr
    assert "say where your interviews are" not in given.stderr + from_env.stderr


def test_init_writes_the_config_file_that_config_names(tmp_path: Path) -> None:
    config = tmp_path / "setup" / "mine.toml"
    result = run("--config", str(config), "init", "--yes", "--timezone", "Europe/Berlin")
    assert result.exit_code == 0, result.output
    assert config.is_file() and (tmp_path / "setup" / "rules.yaml").is_file()
    assert run("--config", str(config), "check").exit_code == 0


def test_a_later_run_in_the_same_process_is_back_to_the_default_config(tmp_path: Path) -> None:
    config = config_naming(tmp_path, EXAMPLE)
    assert run("--config", str(config), "plan", "--now", NOW).exit_code == 0
    later = run("plan", "--now", NOW)
    assert later.exit_code == 2 and "say where your interviews are" in later.stderr


def test_verbose_says_which_files_are_read_and_why_each_step_is_planned(tmp_path: Path) -> None:
    config = config_naming(tmp_path, EXAMPLE)
    quiet = run("--config", str(config), "plan", "--now", NOW)
    loud = run("--config", str(config), "-v", "plan", "--now", NOW)

    assert "debug:" not in quiet.stderr
    assert loud.stdout == quiet.stdout  # the answer is the same; only standard error says more
    said = loud.stderr.splitlines()
    assert f"debug: config file: {config}" in said
    assert f"debug: calendar file: {EXAMPLE} (2438 bytes)" in said
    assert "debug: rules file: shipped" in said
    assert any(  # then the evidence it was counted on
        line.startswith(
            "debug: event f1e2d3c4umbrella@google.com (Interview with Umbrella Corp): cancelled: "
        )
        for line in said
    )
    assert any(
        line.startswith("debug: rule thank-you for 7f3c2a10acme@google.com: planned")
        for line in said
    )


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def test_verbose_shows_a_links_request_without_its_secret(server: LinkServer) -> None:
    server.routes[SECRET] = Served(EXAMPLE.read_bytes())
    link = server.base + SECRET

    result = run("-v", "plan", "--from", link, "--now", NOW)

    assert result.exit_code == 0, result.output
    assert f"debug: http: GET {server.base}/…/basic.ics -> 200" in result.stderr.splitlines()
    assert "private-8f14e45f" not in result.stderr


def test_verbose_shows_each_caldav_request_without_the_password(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    app.add(work, "acme", interview("acme@x", datetime(2026, 11, 27, 10, tzinfo=BERLIN)))

    result = run(
        "sync", "-v", "--from", account(work), "--to", account(target), "--now", NOW, "--dry-run"
    )

    assert result.exit_code == 0, result.output
    requests = [line for line in result.stderr.splitlines() if line.startswith("debug: http: ")]
    assert any(" REPORT " in line and "/work/" in line for line in requests), result.stderr
    assert any(" PROPFIND " in line and "/followups/ -> 207" in line for line in requests)
    assert PASSWORD not in result.stderr and "Authorization" not in result.stderr
