"""The plan, ics and check commands as a person and a script use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    # An unhandled exception is kept in result.exception, not printed to the output.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.machine_zone("Europe/Berlin")
def test_plan_prints_a_table_of_follow_ups_with_past_ones_marked() -> None:
    code, out = run("plan", "--from", EXAMPLE, "--now", NOW)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["WHEN", "STEP", "INTERVIEW"]
    assert "Wed 18 Nov 2026 14:30  past  Prepare your questions for Initech" in out
    assert "Tue 01 Dec 2026 09:30        Prepare your questions for ACME" in out
    assert "follow-ups for 6 interviews, 1 of them cancelled (times in Europe/Berlin)." in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_plan_json_is_stable_for_scripts() -> None:
    code, out = run("plan", "--from", EXAMPLE, "--now", NOW, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["timezone"] == "Europe/Berlin"
    first = data["followups"][0]
    assert set(first) >= {
        "uid",
        "rule",
        "kind",
        "title",
        "start",
        "end",
        "due",
        "email",
        "interview",
    }
    thank_you = next(
        f
        for f in data["followups"]
        if f["rule"] == "thank-you" and f["interview"]["company"] == "ACME"
    )
    assert thank_you["start"] == "2026-12-02T09:00:00+01:00"
    assert thank_you["email"]["to"] == "dana.smith@acme.example"
    assert thank_you["email"]["mailto"].startswith("mailto:dana.smith@acme.example?subject=")


@pytest.mark.machine_zone("Europe/Berlin")
def test_plan_until_shows_the_silent_timeline_grouped_by_interview() -> None:
    code, out = run("plan", "--from", EXAMPLE, "--now", NOW, "--until", "2026-12-31")
    assert code == 0
    assert "Interview with ACME – Backend Engineer (Tue 01 Dec 2026 10:00)" in out
    assert "  Wed 23 Dec 2026 09:00  Move on from ACME" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"hello world\n", "not an iCalendar file"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Interview\r\n",
            "never closed",
        ),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Interview with A\r\n"
            b"DTEND:20261201T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "event 'x': no DTSTART",
        ),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Interview with A\r\n"
            b"DTSTART:20261345T250000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "invalid date or time '20261345T250000Z'",
        ),
    ],
    ids=["empty", "not-icalendar", "truncated", "no-dtstart", "invalid-date"],
)
def test_a_broken_calendar_file_gets_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.ics"
    path.write_bytes(content)
    code, out = run("plan", "--from", str(path), "--now", NOW)
    assert code == 4
    assert out.startswith(f"followup: {path}")
    assert message in out


def test_a_missing_source_file_is_named() -> None:
    code, out = run("plan", "--from", "no-such.ics")
    assert code == 4
    assert "no-such.ics: no such file" in out


def test_plan_without_a_source_says_how_to_give_one() -> None:
    code, out = run("plan")
    assert code == 2
    assert "--from calendar.ics" in out


def test_a_bad_now_is_a_usage_error() -> None:
    code, out = run("plan", "--from", EXAMPLE, "--now", "yesterday")
    assert code == 2
    assert "--now" in out and "2026-12-01T08:00" in out


def test_an_unknown_timezone_in_the_rules_is_a_rules_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        (ROOT / "rules" / "default.yaml")
        .read_text()
        .replace("timezone: local", "timezone: Mars/Olympus")
    )
    code, out = run("plan", "--from", EXAMPLE, "--rules", str(rules))
    assert code == 3
    assert "unknown timezone 'Mars/Olympus'" in out


def test_check_json_lists_the_rules() -> None:
    code, out = run("check", "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["id"] for r in data["rules"]][:3] == ["prepare", "appraise", "thank-you"]
    assert (
        next(r for r in data["rules"] if r["id"] == "status-check-window")["fallback_only"] is True
    )


def test_help_teaches_with_examples() -> None:
    code, out = run("--help")
    assert code == 0
    assert "followup plan --from example\n" in out
    code, out = run("ics", "--help")
    assert "--as [events|todos]" in out and "Google Calendar ignores todos" in out


def test_commands_that_do_not_talk_to_a_server_do_not_import_the_caldav_or_http_stacks() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from followup.cli.main import main\n"
        f"r = CliRunner().invoke(main, ['plan', '--from', {EXAMPLE!r}, '--now', {NOW!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'caldav', 'niquests', 'requests', 'urllib3', 'waitress', 'httpx', 'lxml'})\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


NETWORK = {"caldav", "niquests", "requests", "urllib3", "waitress", "httpx", "lxml"}
COMPILING = {"ruamel", "holidays"}
"""Parsing YAML and loading holiday tables: needed only when the rules are read afresh."""
MODELS_AND_CALENDARS = {"pydantic", "jinja2", "icalendar", "recurring_ical_events", "dateutil"}


def imported_by(argv: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a fresh process has imported after running ``followup argv``
    twice (the first run fills the rules cache, the second is measured)."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from followup.cli.main import main\n"
        f"r = CliRunner().invoke(main, {argv!r}, prog_name='followup', env={env or {}!r})\n"
        "assert r.exit_code == 0, r.output\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
        )
    return set(out.stdout.split())


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["plan", "--from", EXAMPLE, "--now", NOW], NETWORK | COMPILING),
        (["explain", "--from", EXAMPLE, "--now", NOW, "ACME"], NETWORK | COMPILING),
        (["ics", "--from", EXAMPLE, "--now", NOW], NETWORK | COMPILING),
        (["check"], NETWORK),
        (["schema"], NETWORK | {"ruamel", "icalendar", "jinja2"}),  # holidays: country codes
    ],
    ids=["plan", "explain", "ics", "check", "schema"],
)
def test_each_command_imports_only_what_it_uses(argv: list[str], absent: set[str]) -> None:
    assert imported_by(argv) & absent == set()


WARM_RUN = (
    "import sys\n"
    "from click.testing import CliRunner\n"
    "from followup.cli.main import main\n"
    "r = CliRunner().invoke(main, {argv!r}, prog_name='followup')\n"
    "assert r.exit_code == 0, r.output\n"
    "from followup.rules import model\n"
    "built = [n for n, m in vars(model).items() if isinstance(m, type)\n"
    "         and issubclass(m, model.Strict) and m.__pydantic_complete__]\n"
    "print(' '.join(sorted(sys.modules)))\n"
    "print(' '.join(built))\n"
)
"""Runs ``followup argv`` in a fresh process; prints the modules it imported, then the rules
models whose pydantic schema it built."""


def warm_run(argv: list[str]) -> tuple[set[str], set[str]]:
    """The modules and built rules models of the second run of ``argv`` (the first run
    compiles the rules into the cache), each in a process of its own."""
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", WARM_RUN.format(argv=argv)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
    modules, built = done.stdout.split("\n")[:2]
    return set(modules.split()), set(built.split())


LAZY = {"wcwidth", "importlib.metadata", "pydantic.plugin._loader", "ruamel.yaml", "holidays"}
"""What a plan of a plain file has no use for: terminal widths of ASCII text, installed
packages' metadata (the version is read from its file; pydantic's plugin loader asks for it
only when it builds a schema), YAML and holiday tables (the rules come from the cache)."""


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "--from", EXAMPLE, "--now", NOW],
        ["explain", "--from", EXAMPLE, "--now", NOW, "ACME"],
    ],
    ids=["plan", "explain"],
)
def test_a_warm_plan_of_a_plain_file_builds_no_schema_and_imports_nothing_it_does_not_use(
    argv: list[str],
) -> None:
    modules, built = warm_run(argv)
    assert modules & LAZY == set()
    assert built == set()  # the cached rules are rebuilt as they were validated
    assert "followup.rules.trusted" in modules  # and they did come from the cache


def test_check_validates_in_full_but_needs_no_terminal_widths() -> None:
    modules, built = warm_run(["check"])
    assert "ruamel.yaml" in modules and "RuleSet" in built
    assert "wcwidth" not in modules


@pytest.mark.parametrize(
    "words", ["followup ", "followup pl", "followup plan --", "followup sync --", "followup mark "]
)
def test_tab_completion_imports_no_models_calendars_or_network(words: str) -> None:
    env = {
        "_FOLLOWUP_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    assert imported_by([], env) & (NETWORK | COMPILING | MODELS_AND_CALENDARS) == set()


FAST_TAB_IMPORTS = (
    "import sys\n"
    "sys.argv[0] = 'followup'\n"
    "from followup.cli.entry import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
)
"""The installed program's entry on one TAB; the packages it imported, on stderr."""


@pytest.mark.parametrize(
    ("words", "cword"),
    [
        ("followup ", "1"),
        ("followup pl", "1"),
        ("followup plan --", "2"),
        ("followup sync --", "2"),
        ("followup ics --as ", "3"),
        ("followup mark acme ", "3"),
    ],
)
def test_tab_on_a_command_or_option_name_imports_neither_click_nor_models(
    words: str, cword: str
) -> None:
    env = {
        **os.environ,
        "_FOLLOWUP_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    done = subprocess.run(
        [sys.executable, "-c", FAST_TAB_IMPORTS],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.startswith("plain,")
    imported = set(done.stderr.split())
    assert "followup" in imported
    assert imported & ({"click"} | NETWORK | COMPILING | MODELS_AND_CALENDARS) == set()


def test_plan_uses_the_source_and_rules_named_in_the_config_file(isolated_home: Path) -> None:
    config = isolated_home / "config" / "followup" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    rules = isolated_home / "my-rules.yaml"
    rules.write_text((ROOT / "rules" / "default.yaml").read_text().replace("Send {{", "Write {{"))
    config.write_text(f'[sync]\nfrom = {EXAMPLE!r}\nrules = "{rules}"\n')
    code, out = run("plan", "--now", NOW)
    assert code == 0, out
    assert "Write Dana a thank-you email" in out


def test_a_calendar_over_the_size_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    from followup.engine.read.reader import MAX_BYTES

    path = tmp_path / "huge.ics"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES * 2)  # a sparse file: large on paper, cheap on disk
    code, out = run("plan", "--from", str(path), "--now", NOW)
    assert code == 4
    assert "huge.ics" in out and "MB" in out


def test_the_plan_table_fits_eighty_columns_shortening_long_titles(tmp_path: Path) -> None:
    source = tmp_path / "long.ics"
    source.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:long@example\r\nDTSTAMP:20261201T070000Z\r\n"
        b"DTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\n"
        b"SUMMARY:Interview\r\n"
        b"DESCRIPTION:Company: Consolidated Intergalactic Widgets and Sprockets Holdings Ltd\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    code, out = run("plan", "--from", str(source), "--now", NOW)
    assert code == 0
    table = out.split("\n\n")[0].splitlines()
    assert len(table) > 3
    assert max(len(line) for line in table) <= 80
    assert any(line.endswith("…") for line in table)
    assert "Consolidated" in out


def test_the_plan_table_keeps_its_columns_with_cjk_and_emoji_names(tmp_path: Path) -> None:
    from wcwidth import width

    def event(uid: str, summary: str, company: str, day: int) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T070000Z\r\n"
            f"DTSTART:202612{day:02d}T090000Z\r\nDTEND:202612{day:02d}T100000Z\r\n"
            f"SUMMARY:{summary}\r\nDESCRIPTION:Company: {company}\r\nEND:VEVENT\r\n"
        )

    companies = ["株式会社ヤマダ電機", "🚀 Rocket Labs", "ACME"]
    source = tmp_path / "wide.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + event("jp@example", "Interview 株式会社ヤマダ電機", companies[0], 1)
        + event("rocket@example", "Interview 🚀 Rocket Labs", companies[1], 2)
        + event("acme@example", "Interview ACME", companies[2], 3)
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    code, out = run("plan", "--from", str(source), "--now", NOW)
    assert code == 0, out
    rows = out.splitlines()[1:16]
    assert out.splitlines()[16].startswith("15 follow-ups for 3 interviews")
    starts = set()
    for line in rows:
        company = next(c for c in companies if line.endswith(c))
        starts.add(width(line[: -len(company)]))  # the column the INTERVIEW cell starts at
        assert width(line) <= 80
    assert len(starts) == 1, out
    assert {c for c in companies if any(line.endswith(c) for line in rows)} == set(companies)


def test_a_mistyped_command_gets_a_suggestion_and_exit_code_2() -> None:
    result = CliRunner().invoke(main, ["plna"])
    assert result.exit_code == 2
    assert "no command 'plna'; did you mean 'plan'?" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "Massive Dynamic"),
        ("draft", "ACME", "thanks"),
        ("mark", "Massive Dynamic", "replied"),
    ],
)
def test_a_lookup_that_names_nothing_is_a_usage_mistake(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*args, "--from", EXAMPLE, "--now", NOW])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2, result.output


def test_sync_from_a_file_without_a_target_is_a_usage_mistake() -> None:
    result = CliRunner().invoke(main, ["sync", "--from", EXAMPLE, "--now", NOW, "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "say which calendar the follow-ups go to" in result.output


def test_reading_standard_input_at_a_terminal_says_what_it_waits_for(tmp_path: Path) -> None:
    """Standard input is a real terminal (a pty); the calendar is typed, then Ctrl-D."""
    import os
    import pty

    main_fd, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "followup.cli.main", "plan", "--from", "-", "--now", NOW],
        cwd=ROOT,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(terminal)
    try:
        os.write(main_fd, Path(EXAMPLE).read_bytes().replace(b"\r\n", b"\n") + b"\x04")
        out, err = process.communicate(timeout=60)
    finally:
        os.close(main_fd)
    assert "Reading a calendar from standard input: paste it and press Ctrl-D" in err
    assert process.returncode == 0, err
    assert "follow-ups for" in out


def after_a_plan(source: str, report: str) -> str:
    """What ``report`` (Python code) prints in a fresh process that has just run a plan."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from followup.cli.main import main\n"
        f"r = CliRunner().invoke(main, ['plan', '--from', {source!r}, '--now', {NOW!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"{report}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return done.stdout.strip()


def test_a_plan_with_no_config_file_builds_no_config_models(isolated_home: Path) -> None:
    # tomllib reads the packaged vocabularies (engine/data/*.toml), not a config file.
    report = "print(sorted(set(sys.modules) & {'followup.engine.config', 'subprocess'}))"
    assert after_a_plan(EXAMPLE, report) == "[]"


def test_a_plan_names_its_calendars_zones_without_listing_every_zone_on_the_machine() -> None:
    report = (
        "from followup.engine.read.reader import _available\nprint(_available.cache_info().misses)"
    )
    assert after_a_plan(EXAMPLE, report) == "0"  # Europe/Berlin is in the tzdata list


def test_a_plan_whose_timelines_the_vocabulary_reads_never_loads_dateparser() -> None:
    report = "print('dateparser' in sys.modules)"
    assert after_a_plan(EXAMPLE, report) == "False"


def test_a_plan_loads_the_shell_completion_code_only_when_a_shell_asks() -> None:
    report = "print(sorted(set(sys.modules) & {'click.shell_completion', 'followup.cli.shells'}))"
    assert after_a_plan(EXAMPLE, report) == "[]"
