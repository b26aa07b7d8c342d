"""Recording a reply with `followup mark`: the file, the override, and every output following it."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.engine.errors import MarksError
from followup.engine.marks import (
    Mark,
    apply_marks,
    format_mark,
    load_marks,
    marks_path,
    parse_marks,
    record_mark,
)
from followup.engine.model import Facts, Interview, Reading
from tests.conftest import at
from tests.everyday_support import SEARCH, run

NOW = "2026-12-03T10:00"


def interview(uid: str = "acme@example.com", status: str | None = None) -> Interview:
    sources = (("company", "DESCRIPTION"),) + ((("status", "DESCRIPTION"),) if status else ())
    return Interview(
        uid=uid,
        recurrence_id=None,
        summary="Interview with ACME",
        start=at("Europe/Berlin", 2026, 12, 1, 10, 0),
        end=at("Europe/Berlin", 2026, 12, 1, 11, 0),
        facts=Facts(company="ACME", status=status, sources=sources),
    )


def ics(*args: str) -> str:
    result = run("ics", "--from", SEARCH, "--now", NOW, *args)
    assert result.code == 0, result.err
    return result.out


# ---------------------------------------------------------------- the file ----


def test_the_marks_file_lives_in_the_data_directory_named_by_the_environment() -> None:
    assert marks_path() == Path(os.environ["FOLLOWUP_DATA_DIR"]) / "marks.toml"


def test_a_mark_is_one_readable_line_of_toml() -> None:
    line = format_mark(
        Mark(
            "acme@example.com",
            "replied",
            'Dana: "see you"',
            "Interview with ACME",
            date(2026, 12, 3),
        )
    )
    assert line == (
        '"acme@example.com" = { status = "replied", note = "Dana: \\"see you\\"", '
        'interview = "Interview with ACME", marked = 2026-12-03 }'
    )


@given(
    key=st.text(min_size=1, max_size=40).filter(lambda s: "\r" not in s and "\n" not in s),
    note=st.text(max_size=60),
)
def test_any_uid_and_note_survive_a_round_trip_through_the_file(key: str, note: str) -> None:
    text = format_mark(Mark(key, "offer", note or None)) + "\n"
    (back,) = parse_marks(text).values()
    assert back.key == key
    assert back.status == "offer"
    # A note is one line in the file: its line breaks become spaces.
    assert back.note == (" ".join(re.split(r"\r\n|\r|\n", note)) or None)


def test_recording_keeps_the_users_comments_and_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "marks.toml"
    path.write_text(
        "# my own note\n"
        '"globex@example.com" = { status = "rejected" }\n'
        '"acme@example.com" = { status = "replied" }\n'
    )
    record_mark(Mark("acme@example.com", "offer", "Offer by phone"), path)
    assert path.read_text() == (
        "# my own note\n"
        '"globex@example.com" = { status = "rejected" }\n'
        '"acme@example.com" = { status = "offer", note = "Offer by phone" }\n'
    )
    record_mark(Mark("globex@example.com", "pending"), path)
    assert path.read_text() == (
        '# my own note\n"acme@example.com" = { status = "offer", note = "Offer by phone" }\n'
    )


def test_a_comment_the_user_wrote_survives_the_mark_command() -> None:
    path = marks_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = "# Dana said on the phone they decide by Friday\n"
    path.write_text(mine + '"globex@example.com" = { status = "rejected" }  # sadly\n')

    marked = run("mark", "ACME", "replied", "--from", SEARCH, "--now", NOW)

    assert marked.code == 0, marked.err
    lines = path.read_text().splitlines(keepends=True)
    assert lines[:2] == [mine, '"globex@example.com" = { status = "rejected" }  # sadly\n']
    assert lines[2].startswith('"acme-onsite@example.com" = { status = "replied"')


def test_a_missing_marks_file_means_no_marks(tmp_path: Path) -> None:
    assert load_marks(tmp_path / "nowhere.toml") == {}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('"acme@example.com" = { status = "replied"', "unclosed inline table"),
        ('"acme@example.com" = { status = "hired" }', "unknown status 'hired'"),
        ('"acme@example.com" = { note = "no status" }', "missing 'status'"),
        ('"acme@example.com" = { status = "replied", mood = "good" }', "unknown key 'mood'"),
        ('"acme@example.com" = "replied"', "expected { status = ... } after the UID"),
        ("acme replied", 'expected "UID" = { status = "replied" }'),
    ],
)
def test_a_damaged_line_is_named_with_its_file_and_number(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = tmp_path / "marks.toml"
    path.write_text(f"# marks\n\n{line}\n")
    with pytest.raises(MarksError) as caught:
        load_marks(path)
    assert str(caught.value).startswith(f"{path}:3: ")
    assert problem in str(caught.value)


def test_the_same_interview_marked_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "marks.toml"
    path.write_text(
        '"a" = { status = "replied" }\n"b" = { status = "offer" }\n"a" = { status = "offer" }\n'
    )
    with pytest.raises(MarksError, match=r":3: 'a' is marked twice \(also on line 1\)"):
        load_marks(path)


def test_a_damaged_file_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "marks.toml"
    path.write_text("acme = replied\n")
    with pytest.raises(MarksError):
        record_mark(Mark("globex", "rejected"), path)
    assert path.read_text() == "acme = replied\n"


# ------------------------------------------------------------ the override ----


def test_a_mark_overrides_the_events_status_and_says_where_it_came_from() -> None:
    (marked,) = apply_marks(
        Reading(interviews=(interview(status="waiting"),)),
        {"acme@example.com": Mark("acme@example.com", "rejected", "Filled internally")},
    ).interviews
    assert marked.facts.status == "rejected"
    assert marked.facts.note == "Filled internally"
    assert marked.facts.source_of("status") == "mark"
    assert marked.facts.source_of("note") == "mark"
    assert marked.facts.source_of("company") == "DESCRIPTION"


def test_a_mark_for_another_interview_changes_nothing() -> None:
    original = interview()
    marks = {"globex@example.com": Mark("globex@example.com", "offer")}
    assert apply_marks(Reading(interviews=(original,)), marks).interviews == (original,)


# ------------------------------------------------------------ the command ----


@pytest.mark.machine_zone("Europe/Berlin")
def test_mark_then_unmark_changes_the_ics_output_both_ways() -> None:
    before = ics()
    assert "SUMMARY:Check in with ACME about your application" in before
    assert "SUMMARY:Move on from ACME" in before

    marked = run(
        "mark",
        "ACME",
        "replied",
        "--note",
        "Second round on the 10th",
        "--from",
        SEARCH,
        "--now",
        NOW,
    )
    assert marked.code == 0, marked.err
    assert marked.out == (
        "Marked Interview with ACME – Backend Engineer as replied.\n"
        f"  recorded in {marks_path()}\n"
        "  no longer planned: Wed 16 Dec 2026 09:00  Check in with ACME about your application\n"
        "  no longer planned: Wed 23 Dec 2026 09:00  Move on from ACME\n"
    )
    stopped = ics()
    assert "SUMMARY:Check in with ACME" not in stopped
    assert "SUMMARY:Cancelled (they replied): Check in with ACME" in stopped  # kept, cancelled
    assert "SUMMARY:Move on from ACME" not in stopped
    assert "SUMMARY:Send Dana a thank-you email" in stopped
    assert marks_path().read_text().splitlines()[-1] == (
        '"acme-onsite@example.com" = { status = "replied", note = "Second round on the 10th", '
        'interview = "Interview with ACME – Backend Engineer", marked = 2026-12-03 }'
    )

    unmarked = run("mark", "acme-onsite@example.com", "pending", "--from", SEARCH, "--now", NOW)
    assert unmarked.code == 0, unmarked.err
    assert unmarked.out == (
        "Unmarked Interview with ACME – Backend Engineer: its calendar event decides again.\n"
        f"  recorded in {marks_path()}\n"
        "  now planned:       Wed 16 Dec 2026 09:00  Check in with ACME about your application\n"
        "  now planned:       Wed 23 Dec 2026 09:00  Move on from ACME\n"
    )
    assert ics() == before


def test_marking_by_a_word_of_the_titles_of_four_applications_lists_the_candidates() -> None:
    result = run("mark", "interview", "replied", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err == (
        "followup: 'interview' matches 4 applications:\n"
        "  Tue 20 Oct 2026 14:00  hooli-panel@example.com  Hooli panel interview\n"
        "  Wed 18 Nov 2026 15:00  initech-phone@example.com  Phone interview: Initech\n"
        "  Thu 26 Nov 2026 18:00  globex-screen@example.com  Globex interview\n"
        "  Tue 01 Dec 2026 10:00  acme-onsite@example.com  Interview with ACME – Backend Engineer\n"
        "  hint: give the company, the UID, or more of the title\n"
    )
    assert not marks_path().exists()


def test_marking_an_unknown_interview_lists_the_ones_there_are() -> None:
    result = run("mark", "Umbrella", "offer", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err.startswith("followup: no interview matches 'Umbrella'; the interviews are:\n")
    assert "  Thu 26 Nov 2026 18:00  globex-screen@example.com  Globex interview\n" in result.err


def test_mark_needs_to_know_where_the_interviews_are() -> None:
    result = run("mark", "ACME", "replied")
    assert result.code == 2
    assert "say where your interviews are: --from calendar.ics" in result.err


def test_a_damaged_marks_file_stops_every_command_with_the_file_and_line() -> None:
    marks_path().parent.mkdir(parents=True)
    marks_path().write_text('# replies\n"acme-onsite@example.com" = { status = replied }\n')
    for command in ("plan", "ics", "explain"):
        result = run(command, "--from", SEARCH, "--now", NOW)
        assert result.code == 4
        assert result.err.startswith(f"followup: {marks_path()}:2: invalid value, column 40;")
        assert "hint: fix or delete that line" in result.err


def test_unmarking_an_interview_without_a_mark_changes_nothing() -> None:
    result = run("mark", "Globex", "pending", "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    assert result.out == "Globex interview has no mark; nothing changed.\n"
    assert not marks_path().exists()
