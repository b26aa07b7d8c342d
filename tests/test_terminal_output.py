"""An invite's text is shown on the terminal, never obeyed: no escape sequence gets through."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from followup.cli.main import main
from followup.cli.terminal import REPLACEMENT, terminal_text
from tests.cli_result import ended_cleanly

NOW = "2026-11-26T08:00"
START = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

OSC_TITLE = (
    "Interview with \x1b]0;pwned\x07ACME\x9b31m \u202eevil\x1b]8;;https://evil.example\x1b\\"
)

# What a terminal acts on: C0 (but TAB, LF), DEL, C1, bidi embeddings/overrides/isolates.
UNSAFE = {
    chr(c)
    for c in (
        *range(0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
} - {"\n", "\t"}

hostile = st.lists(
    st.one_of(
        st.sampled_from(sorted(UNSAFE)),
        st.sampled_from(["\x1b]0;title\x07", "\x1b[2J", "\x1bP+q\x1b\\", "\x9d8;;x\x9c"]),
        st.characters(codec="utf-8", exclude_characters="\r\n"),
    ),
    min_size=1,
    max_size=25,
).map("".join)


def calendar_file(folder: Path, title: str, notes: str) -> str:
    cal = Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", "osc@x")
    event.add("dtstamp", START)
    event.add("dtstart", START)
    event.add("dtend", START.replace(hour=11))
    event.add("summary", f"Interview with {title}")
    event.add("description", f"Recruiter: Dana <dana@acme.example>\nHighlights: {notes}")
    cal.add_component(event)
    path = folder / "calendar.ics"
    path.write_bytes(cal.to_ical())
    return str(path)


def outputs(source: str) -> dict[str, str]:
    runs = {
        "plan": ["plan"],
        "timeline": ["plan", "--until", "2027-01-31"],
        "explain": ["explain"],
        "draft": ["draft", "osc@x", "thank-you"],
        "missing step": ["draft", "osc@x", "no-such-step"],
        "mark": ["mark", "osc@x", "replied"],
        "unmark": ["mark", "osc@x", "pending"],
    }
    found = {}
    for name, args in runs.items():
        result = CliRunner().invoke(main, [*args, "--from", source, "--now", NOW])
        ended_cleanly(result)
        found[name] = result.output
    return found


def test_an_osc_sequence_in_a_title_is_shown_not_obeyed(tmp_path: Path) -> None:
    source = calendar_file(tmp_path, OSC_TITLE, "\x1b[2J wiped \x07")
    for name, output in outputs(source).items():
        assert not UNSAFE & set(output), name
    explained = outputs(source)["explain"]  # the whole title (plan's table may cut it short)
    assert f"{REPLACEMENT}]0;pwned{REPLACEMENT}ACME" in explained


def test_json_output_keeps_the_text_escaped_by_json(tmp_path: Path) -> None:
    source = calendar_file(tmp_path, "ACME\x1b]0;x\x07", "x")
    result = CliRunner().invoke(main, ["plan", "--from", source, "--now", NOW, "--json"])
    assert "\x1b" not in result.output and "\\u001b" in result.output
    titles = [f["interview"]["title"] for f in json.loads(result.output)["followups"]]
    assert "Interview with ACME\x1b]0;x\x07" in titles  # the value itself, unchanged


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=hostile, notes=hostile)
def test_no_control_character_from_an_invite_reaches_the_terminal(title: str, notes: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = calendar_file(Path(folder), title, notes)
        for name, output in outputs(source).items():
            assert not UNSAFE & set(output), (name, output)


@given(st.text())
def test_terminal_text_keeps_everything_else_and_the_length(text: str) -> None:
    shown = terminal_text(text)
    assert len(shown) == len(text)
    assert not UNSAFE & set(shown)
    for before, after in zip(text, shown, strict=True):
        assert after == (REPLACEMENT if before in UNSAFE else before)
