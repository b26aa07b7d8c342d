"""The quiet check: a timer's sync with nothing to do is answered in one question per calendar,
without loading the planner, and any change on the server or on this machine is synced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result

from cli.main import main
from engine.caldav.quiet import note_path
from engine.marks import Mark, record_mark
from rules.loader import shipped_rules
from tests.caldav_server import PASSWORD, CalDAVServer
from tests.sync_support import NOW, CalendarApp, account, interview, one_past_one_ahead

pytest_plugins = ["tests.conftest_caldav"]

ROOT = Path(__file__).resolve().parent.parent
WHEN = NOW.strftime("%Y-%m-%dT%H:%M")
HEAVY = ("engine.plan.planner", "icalendar", "caldav", "niquests", "pydantic", "jinja2")
"""What a full sync loads and the quiet check must not."""

REPORTS_LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('loaded:', *sorted(m for m in {heavy!r} if m in sys.modules),"
    " file=sys.stderr))\n"
    "from cli.main import main\n"
    "main()\n"
)


def run(work: str, target: str, *args: str, when: str = WHEN) -> Result:
    result = CliRunner().invoke(
        main, ["sync", "--from", account(work), "--to", account(target), "--now", when, *args]
    )
    assert result.exit_code == 0, result.output
    return result


def quiet_twice(work: str, target: str) -> Result:
    """The first sync, then a run that plans and finds nothing to do (it leaves the note)."""
    run(work, target)
    return run(work, target)


def changes(result: Result) -> tuple[int, ...]:
    """(created, updated, removed, kept) from the report's last line."""
    line = next(t for t in result.stdout.splitlines() if " created, " in t)
    words = line.replace(",", "").replace(";", "").split()
    return tuple(int(words[words.index(w) - 1]) for w in ("created", "updated", "removed", "kept"))


def in_a_process(work: str, target: str, *args: str, when: str = WHEN) -> tuple[str, str]:
    """A sync as a timer starts it: its output, and which of HEAVY it loaded."""
    argv = ["sync", "--from", account(work), "--to", account(target), "--now", when, *args]
    done = subprocess.run(
        [sys.executable, "-c", REPORTS_LOADED.format(heavy=HEAVY), *argv],
        cwd=os.getcwd(), env=os.environ, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), done.stderr
    return done.stdout, last.removeprefix("loaded:").strip()


def loaded(work: str, target: str, *, when: str) -> str:
    return in_a_process(work, target, when=when)[1]


def test_a_timer_run_after_a_run_with_nothing_to_do_loads_no_planning_and_says_the_same(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)

    text, text_loaded = in_a_process(work, target)
    as_json, json_loaded = in_a_process(work, target, "--json")

    assert text == planned.stdout
    assert text_loaded == json_loaded == ""  # none of the planning, iCalendar or CalDAV code
    report = json.loads(as_json)
    assert report["complete"] is True and report["unchanged"] == report["followups"] > 0
    assert report["created"] == report["updated"] == report["removed"] == []


def copies(home: Path) -> dict[Path, tuple[int, int]]:
    """The calendar copies and server notes in the cache, as written: a file written again
    (atomically, by renaming a new file over it) has a new inode."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (home / "cache").rglob("*.json")}


def test_the_quiet_check_only_reads_and_leaves_the_calendar_copies_as_they_are(
    app: CalendarApp, password: str, isolated_home: Path
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    kept = copies(isolated_home)
    items = app.items(target)

    run(work, target)

    assert copies(isolated_home) == kept
    assert app.items(target).keys() == items.keys()


def test_without_now_the_next_day_plans_again(
    app: CalendarApp, password: str, isolated_home: Path
) -> None:
    work, target = one_past_one_ahead(app)
    argv = ["sync", "--from", account(work), "--to", account(target)]
    runner = CliRunner()
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            assert runner.invoke(main, argv).exit_code == 0
        kept = copies(isolated_home)
        assert runner.invoke(main, argv).exit_code == 0
        assert copies(isolated_home) == kept  # answered by the quiet check
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert runner.invoke(main, argv).exit_code == 0

    assert copies(isolated_home) != kept  # planned again


def test_a_new_interview_on_the_server_is_synced(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    app.add(work, "i2", interview("i2@x", NOW + timedelta(days=3), company="Hooli"))

    assert changes(run(work, target))[0] > 0


def test_a_follow_up_deleted_in_the_calendar_app_is_noticed(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    app.delete(app.url_of(target, next(iter(app.followups(target)))))

    result = run(work, target)

    assert "(you deleted it)" in result.stdout


def test_a_mark_is_synced(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)

    record_mark(Mark("i1@x", "rejected"))

    assert changes(run(work, target)) != (0, 0, 0, 0)


def test_an_edited_rules_file_is_synced(app: CalendarApp, password: str, tmp_path: Path) -> None:
    work, target = one_past_one_ahead(app)
    rules = tmp_path / "rules.yaml"
    rules.write_text(shipped_rules()[0], encoding="utf-8")
    run(work, target, "--rules", str(rules))
    run(work, target, "--rules", str(rules))

    rules.write_text(shipped_rules()[0].replace("Send {{", "Write {{"), encoding="utf-8")

    assert changes(run(work, target, "--rules", str(rules)))[1] > 0


def test_a_rules_file_named_in_the_config_file_is_watched_too(
    app: CalendarApp, password: str, tmp_path: Path
) -> None:
    work, target = one_past_one_ahead(app)
    rules = tmp_path / "rules.yaml"
    rules.write_text(shipped_rules()[0], encoding="utf-8")
    config = Path(os.environ["FOLLOWUP_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[sync]\nrules = "{rules}"\n', encoding="utf-8")
    quiet_twice(work, target)

    rules.write_text(shipped_rules()[0].replace("Send {{", "Write {{"), encoding="utf-8")

    assert changes(run(work, target))[1] > 0


def test_a_new_day_plans_again(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    later = (NOW + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    assert "engine.plan.planner" not in loaded(work, target, when=WHEN)
    assert "engine.plan.planner" in loaded(work, target, when=later)
    assert "engine.plan.planner" not in loaded(work, target, when=later)


def test_an_interviews_file_edited_since_is_synced(
    app: CalendarApp, password: str, tmp_path: Path
) -> None:
    target = app.make_calendar("followups")
    source = tmp_path / "interviews.ics"
    source.write_bytes(interview("f0@x", NOW + timedelta(days=1), company="Initech"))
    argv = ["sync", "--from", str(source), "--to", account(target), "--now", WHEN]
    runner = CliRunner()
    for _ in range(3):
        assert runner.invoke(main, argv).exit_code == 0

    source.write_bytes(interview("f1@x", NOW + timedelta(days=2), company="Hooli"))
    result = runner.invoke(main, argv)

    assert result.exit_code == 0, result.output
    assert "Hooli" in result.stdout and changes(result)[0] > 0


def test_dry_runs_and_forced_runs_always_take_the_full_path(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    app.add(work, "i2", interview("i2@x", NOW + timedelta(days=3), company="Hooli"))

    dry = run(work, target, "--dry-run")

    assert "would be created" in dry.stdout and "0 would be created" not in dry.stdout


def test_a_damaged_note_is_ignored(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    notes = list(note_path([]).parent.glob("*.json"))
    assert len(notes) == 1
    notes[0].write_text('{"format": 1, "calendars": [[1, 2]]', encoding="utf-8")

    again = run(work, target)

    assert again.stdout == planned.stdout
    assert json.loads(notes[0].read_text(encoding="utf-8"))["format"] == 1  # written anew


def test_a_password_from_a_command_takes_the_full_path_every_time(
    app: CalendarApp, tmp_path: Path
) -> None:
    work, target = one_past_one_ahead(app)
    config = Path(os.environ["FOLLOWUP_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    origin = work.split("/alice/")[0]
    command = tmp_path / "password.py"
    command.write_text(f"print({PASSWORD!r})\n", encoding="utf-8")
    config.write_text(
        f'[servers.home]\nurl = "{origin}/"\nusername = "alice"\n'
        f"password_command = {json.dumps([sys.executable, str(command)])}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    argv = ["sync", "--from", work, "--to", target, "--now", WHEN]
    for _ in range(3):
        result = runner.invoke(main, argv)
        assert result.exit_code == 0, result.output

    assert not note_path([]).parent.exists() or not list(note_path([]).parent.glob("*.json"))


def test_no_note_while_replies_are_looked_for_first(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    config = Path(os.environ["FOLLOWUP_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[mail]\nhost = "127.0.0.1"\nport = 1\nusername = "alice"\ncheck = true\ntimeout = 1\n',
        encoding="utf-8",
    )
    for _ in range(3):
        run(work, target)

    assert not note_path([]).parent.exists() or not list(note_path([]).parent.glob("*.json"))


def test_an_upgraded_library_or_edited_code_changes_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine import installed
    from engine.caldav import quiet

    library = tmp_path / "probe_holidays.py"
    library.write_text("DAYS = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(installed, "LIBRARIES", ("probe_holidays",))
    before = quiet.inputs_digest(["sync"], [])

    library.write_text("DAYS = 22\n", encoding="utf-8")  # a new version, as pip writes it

    assert quiet.inputs_digest(["sync"], []) != before
    assert quiet.inputs_digest(["sync"], []) == quiet.inputs_digest(["sync"], [])


def test_a_note_rewritten_by_someone_else_never_sends_the_password_elsewhere(
    app: CalendarApp, password: str
) -> None:
    import http.server
    import threading

    asked: list[str] = []

    class Catcher(http.server.BaseHTTPRequestHandler):
        def do_REPORT(self) -> None:
            asked.append(self.headers.get("Authorization", ""))
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    catcher = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catcher)
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    [path] = list(note_path([]).parent.glob("*.json"))
    note = json.loads(path.read_text(encoding="utf-8"))
    for calendar in note["calendars"]:  # every question to the catcher, digest kept
        calendar[0] = f"http://127.0.0.1:{catcher.server_address[1]}/alice/followups/"
    path.write_text(json.dumps(note), encoding="utf-8")

    again = run(work, target)

    catcher.shutdown()
    assert asked == []
    assert again.stdout == planned.stdout


def test_the_quiet_check_answers_on_each_server(
    any_server: CalDAVServer, password: str, isolated_home: Path
) -> None:
    app = CalendarApp(any_server)
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    kept = copies(isolated_home)

    again = run(work, target)

    assert again.stdout == planned.stdout
    assert copies(isolated_home) == kept  # answered by the check, not by a full run


def test_an_upgraded_library_renders_the_followups_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync's fingerprints and its quiet stamp are keyed by the same code stamp as the quiet
    note: after a library upgrade nothing is taken as unchanged."""
    from engine import installed
    from engine.caldav import apply, quiet
    from engine.write.render import RenderOptions

    library = tmp_path / "probe_holidays.py"
    library.write_text("DAYS = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(installed, "LIBRARIES", ("probe_holidays",))
    options = RenderOptions()
    before = (apply._renderer(options, b"key"), quiet.inputs_digest(["sync"], []))
    assert (apply._renderer(options, b"key"), quiet.inputs_digest(["sync"], [])) == before

    library.write_text("DAYS = 22\n", encoding="utf-8")

    after = (apply._renderer(options, b"key"), quiet.inputs_digest(["sync"], []))
    assert after[0] != before[0]
    assert after[1] != before[1]
