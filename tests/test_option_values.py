"""Out-of-range option values, damaged state and config files: one message, never a traceback."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.cli.main import main
from followup.engine.caldav import copies, state
from followup.engine.caldav.syncplan import TargetState
from followup.engine.config import ConfigError, parse_config, resolve_calendar
from tests.cli_result import ended_cleanly
from tests.conftest import ROOT
from tests.sync_support import CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    ended_cleanly(result)
    return result


def one_message(result: Result, option: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.count("Error:") == 1 and option in result.output


@pytest.mark.parametrize(
    "now", ["9999-12-31T23:00", "0001-01-01T00:30", "9999-12-31T23:59:59+14:00", "0001-01-01"]
)
def test_a_now_at_the_ends_of_the_calendar_is_one_message(now: str) -> None:
    one_message(run("plan", "--from", EXAMPLE, "--now", now), "--now")


@pytest.mark.parametrize(
    "since", ["99999999 days", "9999999999999999999999 days", "0001-01-01", "2026-02-31"]
)
def test_a_since_beyond_what_a_date_holds_is_one_message(since: str) -> None:
    one_message(run("plan", "--from", EXAMPLE, "--now", NOW, "--since", since), "--since")


@settings(max_examples=40, deadline=None)
@given(
    amount=st.one_of(st.integers(0, 10**6), st.integers(0, 10**40)),
    unit=st.sampled_from(["days", "weeks", "months", "hours", "minutes"]),
)
def test_any_age_for_since_plans_or_says_why_not(amount: int, unit: str) -> None:
    result = run("plan", "--from", EXAMPLE, "--now", NOW, "--since", f"{amount} {unit}")
    assert result.exit_code in (0, 2)


@settings(max_examples=30, deadline=None)
@given(year=st.integers(1, 9999), month=st.integers(1, 12), hour=st.integers(0, 23))
def test_any_year_for_now_plans_or_says_why_not(year: int, month: int, hour: int) -> None:
    result = run("plan", "--from", EXAMPLE, "--now", f"{year:04d}-{month:02d}-01T{hour:02d}:00")
    assert result.exit_code in (0, 2)
    assert (result.exit_code == 0) == (1900 <= year <= 8999)


@pytest.mark.parametrize("refresh", ["9999999999d", "99999d", "PT999999999999999999H", "0m"])
def test_a_refresh_out_of_range_is_one_message(refresh: str) -> None:
    one_message(run("serve", "--from", EXAMPLE, "--refresh", refresh), "--refresh")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:99999/cal/", "http://127.0.0.1:port/cal/", "http://[::1/cal/"],
)
def test_a_url_with_a_bad_port_or_host_is_one_message(url: str) -> None:
    for args in (["plan", "--from", url], ["sync", "--from", EXAMPLE, "--to", url, "--dry-run"]):
        result = run(*args)
        assert result.exit_code == ConfigError.exit_code
        assert result.output.count("followup:") == 1 and url in result.output
    with pytest.raises(ConfigError):
        resolve_calendar(url, parse_config(""))


def test_a_config_file_nested_five_thousand_deep_is_one_message(
    isolated_home: Path,
) -> None:
    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_config("a = " + "[" * 5000 + "]" * 5000)
    folder = isolated_home / "config" / "followup"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("[sync]\nfrom = " + "{a = " * 5000 + "1" + "}" * 5000)
    result = run("plan", "--now", NOW)
    assert result.exit_code == ConfigError.exit_code
    assert "nested too deeply" in result.output


def test_a_marks_line_nested_too_deeply_names_the_line(isolated_home: Path) -> None:
    folder = isolated_home / "data" / "followup"
    folder.mkdir(parents=True)
    (folder / "marks.toml").write_text('"a" = { status = "replied" }\n"b" = ' + "[" * 5000 + "\n")
    result = run("plan", "--from", EXAMPLE, "--now", NOW)
    assert result.exit_code == 4
    assert "marks.toml:2: values nested too deeply" in result.output


# -- damaged sync state: set aside with a warning, then written again ------------------------

WRONG_TYPES: list[object] = [
    [],
    "text",
    12,
    None,
    {"x": 1},
    {"x": [1, 2]},
    [["a", 1]],
]


@pytest.mark.parametrize("wrong", WRONG_TYPES)
def test_sync_state_with_wrong_types_is_set_aside_with_a_warning(
    wrong: object, caplog: pytest.LogCaptureFixture
) -> None:
    url = "https://dav.example/cal/"
    state.save_target_state(url, None, TargetState(known={"a": "b"}))
    path = state.target_state_path(url, None)
    data = json.loads(path.read_text())
    data["known"] = wrong
    path.write_text(json.dumps(data))
    assert state.load_target_state(url, None) == TargetState()
    assert "ignoring" in caplog.text and str(path) in caplog.text

    mirror = copies.Mirror(url, None, token="t", items={"/a.ics": copies.Stored("e", b"x")})
    copies.save_mirror(mirror)
    mpath = copies.mirror_path(url, None)
    for key in ("items", "token", "covered"):
        damaged = json.loads(mpath.read_text())
        damaged[key] = wrong if key != "items" else {"/a.ics": wrong}
        mpath.write_text(json.dumps(damaged))
        loaded = copies.load_mirror(url, None)
        assert loaded is None or (loaded.token is None or isinstance(loaded.token, str))


def test_a_calendar_copy_with_naive_times_or_bad_facts_is_not_trusted() -> None:
    url = "https://dav.example/cal/"
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    mirror = copies.Mirror(
        url,
        None,
        covered=(start, start + timedelta(days=1)),
        items={"/a.ics": copies.Stored("e", b"x", {"uid": "u", "fingerprint": "f"})},
    )
    copies.save_mirror(mirror)
    assert copies.load_mirror(url, None) is not None
    path = copies.mirror_path(url, None)
    data = json.loads(path.read_text())
    data["items"]["/a.ics"][2] = {"uid": 5}
    path.write_text(json.dumps(data))
    loaded = copies.load_mirror(url, None)
    assert loaded is not None and loaded.items["/a.ics"].facts is None  # read again
    data["covered"] = ["2026-01-01T00:00:00", "2026-01-02T00:00:00"]
    path.write_text(json.dumps(data))
    assert copies.load_mirror(url, None) is None
    path.write_text("[" * 100_000)
    assert copies.load_mirror(url, None) is None


def test_a_sync_after_its_state_was_damaged_warns_once_and_carries_on(
    app: CalendarApp, password: str, isolated_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    start = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    app.add(work, "i0", interview("i0@x", start, company="Co0"))
    args = ["sync", "--now", "2026-12-01T08:00", "--from", account(work), "--to", account(target)]
    assert run(*args).exit_code == 0
    files = [p for p in isolated_home.rglob("*.json") if "followup" in p.parts]
    assert files
    for path in files:
        data = json.loads(path.read_text())
        for key in ("known", "dismissed", "items", "token", "covered", "notes"):
            if key in data:
                data[key] = 7
        path.write_text(json.dumps(data))

    caplog.clear()
    damaged = run(*args)
    warned = caplog.text
    caplog.clear()
    again = run(*args)

    assert damaged.exit_code == 0, damaged.output
    assert "warning: ignoring" in warned  # on standard error, through logging's last resort
    assert again.exit_code == 0, again.output
    assert "warning" not in caplog.text
    assert "0 created, 0 updated, 0 removed" in again.output


# ------------------------------------------------ --now in the zone of the plan ----

SEARCH = str(ROOT / "tests" / "data" / "everyday" / "search.ics")  # Europe/Berlin interviews


def planned_now(*args: str) -> str:
    result = CliRunner().invoke(main, ["plan", "--from", SEARCH, "--json", *args])
    assert result.exit_code == 0, result.output
    now: str = json.loads(result.stdout)["now"]
    return now


def test_now_without_an_offset_is_a_time_of_day_where_the_plan_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # timezone: local on a computer set to UTC plans in the interviews' zone, and so reads --now
    monkeypatch.setenv("TZ", "UTC")
    assert planned_now("--now", "2026-12-03T10:00") == "2026-12-03T10:00:00+01:00"
    ics = CliRunner().invoke(main, ["ics", "--from", SEARCH, "--now", "2026-12-03T10:00"])
    assert "DTSTAMP:20261203T090000Z" in ics.stdout


def test_now_with_an_offset_is_that_moment_wherever_the_plan_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    assert planned_now("--now", "2026-12-03T10:00+00:00") == "2026-12-03T11:00:00+01:00"
    assert planned_now("--now", "2026-12-03T10:00Z") == "2026-12-03T11:00:00+01:00"


def test_now_is_read_in_the_rules_zone_when_the_rules_name_one(tmp_path: Path) -> None:
    from followup.rules.loader import shipped_rules

    text, _ = shipped_rules("default.yaml")
    rules = tmp_path / "rules.yaml"
    rules.write_text(text.replace("timezone: local", "timezone: America/New_York"))
    assert planned_now("--rules", str(rules), "--now", "2026-12-03T10:00") == (
        "2026-12-03T10:00:00-05:00"
    )


@pytest.mark.machine_zone("UTC")
@pytest.mark.parametrize("command", ["status", "stats", "explain"])
def test_the_board_and_explain_read_now_without_an_offset_where_the_plan_is_made(
    command: str,
) -> None:
    result = run(command, "--from", SEARCH, "--json", "--now", "2026-12-03T10:00")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["now"] == "2026-12-03T10:00:00+01:00"


def berlin_event(uid: str, start: str, summary: str, notes: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART;TZID=Europe/Berlin:{start}\r\nDURATION:PT1H\r\n"
        f"SUMMARY:{summary}\r\nDESCRIPTION:{notes}\r\nEND:VEVENT\r\n"
    )


ASKED = (  # an interview, and an event followup asks about, both in Berlin
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    + berlin_event("acme@x", "20261130T100000", "Interview with ACME", "Company: ACME")
    + berlin_event("jane@x", "20261201T100000", "Chat with Jane", "Company: Globex")
    + "END:VCALENDAR\r\n"
)


def answered_on(tmp_path: Path, command: str, now: str) -> str:
    """The day `answer` or `review` (answering y) records for the event followup asks about."""
    from followup.engine.answers import answers_path, load_answers

    answers_path().unlink(missing_ok=True)  # asked afresh each time
    source = tmp_path / "asked.ics"
    source.write_text(ASKED, newline="")
    args = ["answer", "jane@x", "interview"] if command == "answer" else ["review"]
    result = CliRunner().invoke(main, [*args, "--from", str(source), "--now", now], input="y\n")
    ended_cleanly(result)
    assert result.exit_code == 0, result.output
    (given,) = load_answers(answers_path()).values()
    assert given.answered is not None
    return given.answered.isoformat()


@pytest.mark.machine_zone("UTC")
@pytest.mark.parametrize("command", ["answer", "review"])
def test_an_answer_is_dated_by_the_day_where_the_plan_is_made(command: str, tmp_path: Path) -> None:
    # The plan is in Berlin (timezone: local on a computer set to UTC): 23:30 without an
    # offset is Berlin's 23:30 on the 3rd, while 23:30 UTC is already the 4th there.
    assert answered_on(tmp_path, command, "2026-12-03T23:30") == "2026-12-03"
    assert answered_on(tmp_path, command, "2026-12-03T23:30Z") == "2026-12-04"
