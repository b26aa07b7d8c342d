"""The quiet check: a timer's sync with nothing to do is answered in one question per calendar,
without loading the planner, and any change on the server or on this machine is synced.

Any doubt is a full run: the answers a server gives wrongly (a cut-short or foreign 207, no
sync token, none in time) are injected at the test server in front of Radicale
(``CalDAVServer.answer``), for the check's question only; the full run that follows talks
to Radicale itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.caldav.quiet import note_path
from followup.engine.marks import Mark, record_mark
from followup.rules.loader import shipped_rules
from tests.caldav_server import PASSWORD, Answer, CalDAVServer
from tests.sync_support import NOW, CalendarApp, account, interview, one_past_one_ahead

pytest_plugins = ["tests.conftest_caldav"]

ROOT = Path(__file__).resolve().parent.parent
WHEN = NOW.strftime("%Y-%m-%dT%H:%M")
HEAVY = ("followup.engine.plan.planner", "icalendar", "caldav", "niquests", "pydantic", "jinja2")
"""What a full sync loads and the quiet check must not."""

REPORTS_LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('loaded:', *sorted(m for m in {heavy!r} if m in sys.modules),"
    " file=sys.stderr))\n"
    "from followup.cli.main import main\n"
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

    assert "followup.engine.plan.planner" not in loaded(work, target, when=WHEN)
    assert "followup.engine.plan.planner" in loaded(work, target, when=later)
    assert "followup.engine.plan.planner" not in loaded(work, target, when=later)


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
    from followup.engine import installed
    from followup.engine.caldav import quiet

    library = tmp_path / "probe_holidays.py"
    library.write_text("DAYS = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(installed, "LIBRARIES", ("probe_holidays",))
    before = quiet.inputs_digest(["sync"], [])

    library.write_text("DAYS = 22\n", encoding="utf-8")  # a new version, as pip writes it

    assert quiet.inputs_digest(["sync"], []) != before
    assert quiet.inputs_digest(["sync"], []) == quiet.inputs_digest(["sync"], [])


class Catcher:
    """A web server that records every request it gets, with its Authorization header."""

    def __init__(self) -> None:
        import http.server

        asked = self.asked = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one_request(self) -> None:
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline or not self.parse_request():
                    return
                asked.append((self.command, self.headers.get("Authorization", "")))
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alice/followups/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.mark.parametrize("seal", ["stale", "removed"])
def test_a_note_rewritten_by_someone_else_never_sends_the_password_elsewhere(
    app: CalendarApp, password: str, seal: str
) -> None:
    """The note points every calendar at another server, its digest kept: with the seal
    left as it was (now wrong) or taken out, the note is not followed, and that server
    is asked nothing, so never sent the password."""
    catcher = Catcher()
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    [path] = list(note_path([]).parent.glob("*.json"))
    note = json.loads(path.read_text(encoding="utf-8"))
    for calendar in note["calendars"]:
        calendar[0] = catcher.url
    if seal == "removed":
        del note["seal"]
    path.write_text(json.dumps(note), encoding="utf-8")

    again = run(work, target)

    catcher.close()
    assert catcher.asked == []
    assert again.stdout == planned.stdout
    assert path.read_text(encoding="utf-8") != json.dumps(note)  # written anew


# -- a server that answers the quiet check wrongly ------------------------------------------------
#
# The faults are injected at the server: CalDAVServer.answer puts an answer of the test's in
# place of Radicale's for the first sync-collection REPORT after the note is kept (the quiet
# check's question); every later request (the full path's) is Radicale's own. Meanwhile a new
# interview is on the server: a check that took the fault for "nothing changed" would print
# the old answer and leave it unsynced.

MULTISTATUS = [("Content-Type", "text/xml; charset=utf-8")]


def answer_first_report(server: CalDAVServer, answer: Answer, on: str | None = None) -> list[str]:
    """``answer`` to the next REPORT (on the calendar at the URL ``on``, if given),
    Radicale's own answers after it; the paths it answered."""
    answered: list[str] = []

    def once(method: str, path: str) -> Answer | None:
        if method != "REPORT" or answered or (on is not None and not on.endswith(path)):
            return None
        answered.append(path)
        return answer

    server.answer = once
    return answered


def new_interview_behind(app: CalendarApp, work: str) -> None:
    app.add(work, "i2", interview("i2@x", NOW + timedelta(days=3), company="Hooli"))


@pytest.mark.parametrize(
    "body",
    [
        b"<?xml version='1.0'?><multistatus xmlns='DAV:'><response><href>/alice/fol",
        b"<html><body>Service temporarily unavailable</body></html>",
        b"",
    ],
    ids=["cut-short", "web-page", "empty"],
)
def test_an_unreadable_multistatus_is_taken_as_a_change(
    app: CalendarApp, password: str, body: bytes
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    new_interview_behind(app, work)
    answered = answer_first_report(app.server, ("207 Multi-Status", MULTISTATUS, [body]))

    result = run(work, target)

    assert answered  # the check asked, and got the fault
    assert "Hooli" in result.stdout and changes(result)[0] > 0


def test_an_answer_without_a_sync_token_is_taken_as_a_change(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice(work, target)
    new_interview_behind(app, work)
    empty = b'<?xml version="1.0" encoding="utf-8"?>\n<multistatus xmlns="DAV:"/>'
    # The calendar that changed answers "nothing changed" but gives no token to go on.
    answered = answer_first_report(app.server, ("207 Multi-Status", MULTISTATUS, [empty]), work)

    result = run(work, target)

    assert answered and work.endswith(answered[0])
    assert "Hooli" in result.stdout and changes(result)[0] > 0


def test_a_server_that_does_not_answer_in_time_is_taken_as_a_change(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    quiet_twice_with = ("--timeout", "1")
    run(work, target, *quiet_twice_with)
    run(work, target, *quiet_twice_with)
    new_interview_behind(app, work)
    released = threading.Event()

    def hung() -> Iterator[bytes]:
        released.wait(60)  # until the test ends: the check must give up on its own
        yield b""

    answered = answer_first_report(app.server, ("207 Multi-Status", MULTISTATUS, hung()))
    try:
        result = run(work, target, *quiet_twice_with)
    finally:
        released.set()

    assert answered
    assert "Hooli" in result.stdout and changes(result)[0] > 0


def test_a_server_that_cannot_be_reached_is_no_answer_of_nothing_changed(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    app.server.stop()
    try:
        result = CliRunner().invoke(
            main, ["sync", "--from", account(work), "--to", account(target), "--now", WHEN]
        )
    finally:
        app.server.start()

    assert result.exit_code == 5, result.output  # the full path, which says so
    assert "cannot reach 127.0.0.1" in result.output
    assert result.output != planned.output


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


def test_the_quiet_check_asks_through_the_proxy_unless_no_proxy_names_the_server(
    app: CalendarApp, password: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.proxy_server import proxy_server

    work, target = one_past_one_ahead(app)
    planned = quiet_twice(work, target)
    kept = copies(isolated_home)
    with proxy_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        assert run(work, target).stdout == planned.stdout
        assert copies(isolated_home) == kept  # answered by the quiet check
        # one question per calendar, the interviews' and the follow-ups', each answered
        assert sorted((a.method, a.target, a.status) for a in proxy.asked) == sorted(
            ("REPORT", url, 207) for url in (work, target)
        )
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        assert run(work, target).stdout == planned.stdout
        assert len(proxy.asked) == 2  # straight to the server


def test_an_upgraded_library_renders_the_followups_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync's fingerprints and its quiet stamp are keyed by the same code stamp as the quiet
    note: after a library upgrade nothing is taken as unchanged."""
    from followup.engine import installed
    from followup.engine.caldav import apply, quiet
    from followup.engine.write.render import RenderOptions

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
