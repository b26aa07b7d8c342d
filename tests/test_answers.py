"""Asking "is this an interview?" and remembering the answer: the file, every output that
asks, `followup answer`, `followup review`, and the first `followup init`."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from followup.engine.answers import (
    Answer,
    answers_path,
    apply_answers,
    load_answers,
    parse_answers,
    record_answers,
)
from followup.engine.errors import MarksError
from followup.engine.model import Reading
from followup.engine.pipeline import make_plan, read_ics
from tests.conftest import default_rules
from tests.everyday_support import run
from tests.test_applications import NOW, SCREEN, calendar, event

NOW_TEXT = "2026-11-30T08:00"

JANE = event(
    "jane@x",
    "20261203T090000Z",
    "Chat with Jane",
    "DESCRIPTION:Company: Globex",
)
"""A chat whose notes name a company, under a title without an interview word: asked about."""

HOSTILE_UID = "it's; rm -rf ~ $(id)@x"


def write(tmp_path: Path, *events: str) -> str:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(*events))
    return str(path)


def common(path: str) -> tuple[str, ...]:
    return ("--from", path, "--now", NOW_TEXT)


def planned_titles(path: str) -> set[str]:
    result = run("plan", *common(path), "--json")
    assert result.code == 0, result.err
    return {f["interview"]["title"] for f in json.loads(result.out)["followups"]}


# ---------------------------------------------------------------- the file ----


def test_an_answer_is_one_readable_line_of_toml_in_the_data_folder(tmp_path: Path) -> None:
    record_answers([Answer("jane@x", True, "Chat with Jane", date(2026, 11, 30))])
    lines = answers_path().read_text().splitlines()
    assert lines[0].startswith("# Your answers")
    assert lines[-1] == (
        '"jane@x" = { interview = true, title = "Chat with Jane", answered = 2026-11-30 }'
    )
    assert load_answers() == {
        "jane@x": Answer("jane@x", True, "Chat with Jane", date(2026, 11, 30))
    }


def test_recording_keeps_comments_and_other_lines_and_forgetting_the_last_removes_the_file() -> (
    None
):
    answers_path().parent.mkdir(parents=True)
    answers_path().write_text('# mine\n"a@x" = { interview = false }\n')
    record_answers([Answer("b@x", True)])
    assert answers_path().read_text() == (
        '# mine\n"a@x" = { interview = false }\n"b@x" = { interview = true }\n'
    )
    record_answers([Answer("a@x", True)], ["b@x"])
    assert answers_path().read_text() == '# mine\n"a@x" = { interview = true }\n'
    record_answers([], ["a@x"])
    assert not answers_path().exists()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('"a@x" = { interview = "yes" }', "'interview' must be true or false"),
        ('"a@x" = { interview = true, colour = "red" }', "unknown key 'colour'"),
        ('"a@x" = { interview = true', "expected"),
    ],
)
def test_a_damaged_line_is_named_with_its_file_and_number(line: str, problem: str) -> None:
    with pytest.raises(MarksError) as caught:
        parse_answers(f"# answers\n{line}\n", "answers.toml")
    assert caught.value.message.startswith("answers.toml:2: ")
    assert problem in caught.value.message


def test_a_damaged_answers_file_stops_plan_with_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    answers_path().parent.mkdir(parents=True)
    answers_path().write_text('"jane@x" = { interview = maybe }\n')
    result = run("plan", *common(path))
    assert result.code == 4
    assert result.err.startswith(f"followup: {answers_path()}:1: ")
    assert "followup answer UID forget" in result.err


# ----------------------------------------------------------------- applying ----


def read(*events: str, answers: dict[str, bool] | None = None) -> Reading:
    rules = default_rules()
    return read_ics(calendar(*events), rules=rules, now=NOW, answers=answers or {})


def test_an_asked_event_answered_yes_is_counted_with_an_answered_verdict() -> None:
    reading = read(SCREEN, JANE, answers={"jane@x": True})
    jane = next(iv for iv in reading.events if iv.uid == "jane@x")
    assert jane.verdict.outcome == "counted" and jane.verdict.answered
    assert jane.not_counted is None
    plan = make_plan(default_rules(), reading, NOW)
    assert {f.rule_id for f in plan.followups if f.interview.uid == "jane@x"} >= {"thank-you"}
    assert plan.near_misses == ()


def test_a_counted_event_answered_no_is_ignored_and_planned_nothing() -> None:
    plan = make_plan(default_rules(), read(SCREEN, JANE, answers={"screen@x": False}), NOW)
    assert [iv.uid for iv in plan.ignored] == ["screen@x"]
    verdict = plan.ignored[0].verdict
    assert verdict.outcome == "ignored" and verdict.answered
    assert verdict.reasons[-1] == "you answered that it is not an interview (`followup answer`)"
    assert "its title has 'phone screen', an interview word" in verdict.reasons
    assert not any(f.interview.uid == "screen@x" for f in plan.followups)
    assert not any(w.startswith("Phone screen") for w in plan.warnings)


def test_answers_for_other_events_and_answers_that_agree_change_nothing() -> None:
    plain = read(SCREEN, JANE)
    assert read(SCREEN, JANE, answers={"other@x": True, "screen@x": True}) == plain
    assert apply_answers(plain, {}) == plain


# ------------------------------------------------------- every output asks ----


@pytest.mark.machine_zone("Europe/Berlin")
def test_plan_ics_and_explain_ask_with_the_command_that_answers(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    command = "`followup answer jane@x interview` (or not-interview)"
    shown = run("plan", *common(path))
    assert shown.code == 0, shown.err
    assert f"is it an interview? answer with {command}" in shown.err  # warnings: stderr, once
    assert shown.err.count(f"answer with {command}") == 1
    ics = run("ics", *common(path), "-o", str(tmp_path / "out.ics"))
    assert ics.code == 0 and f"answer with {command}" in ics.err
    explained = run("explain", "Jane", *common(path))
    assert explained.code == 0
    assert (
        "Not counted as interviews:\n"
        "  Chat with Jane (Thu 03 Dec 2026 10:00), UID jane@x\n"
        "    its notes have a Company line; to count it,"
    ) in explained.out
    assert f"    is it an interview? answer with {command}\n" in explained.out
    data = json.loads(run("explain", "Jane", *common(path), "--json").out)
    assert data["not_counted"][0]["answer"] == "followup answer jane@x interview"
    planned = json.loads(run("plan", *common(path), "--json").out)
    assert [q["answer"]["interview"] for q in planned["questions"]] == [
        "followup answer jane@x interview"
    ]
    assert any("answer with `followup answer jane@x interview`" in w for w in planned["warnings"])


def test_the_command_shown_quotes_a_hostile_uid_for_the_shell_and_works(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE.replace("UID:jane@x", f"UID:{HOSTILE_UID}"))
    data = json.loads(run("review", *common(path), "--json").out)
    command = data["questions"][0]["answer"]["interview"]
    assert command == f"followup answer {shlex.quote(HOSTILE_UID)} interview"
    argv = shlex.split(command)  # what bash hands to followup
    assert argv[2] == HOSTILE_UID
    answered = run(*argv[1:], *common(path))
    assert answered.code == 0, answered.err
    assert load_answers()[HOSTILE_UID].interview is True
    assert "Chat with Jane" in planned_titles(path)


def test_a_title_with_terminal_escapes_is_shown_harmless(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE.replace("Chat with Jane", "Chat \x1b]0;pwned\x07Jane"))
    for args in (("plan",), ("review",), ("explain", "Chat")):
        result = run(*args, *common(path), input="s\n")
        assert result.code == 0, result.err
        assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
        assert "Chat \ufffd]0;pwned\ufffdJane" in result.out + result.err


def test_a_uid_with_a_line_break_is_answered_through_review() -> None:
    from followup.engine.questions import answer_command

    assert answer_command("a\nb@x") == "followup review"


# -------------------------------------------------------------- the answer ----


@pytest.mark.machine_zone("Europe/Berlin")
def test_answering_yes_counts_the_event_and_says_what_is_planned_and_what_to_add(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, SCREEN, JANE)
    assert "Chat with Jane" not in planned_titles(path)
    result = run("answer", "jane@x", "interview", *common(path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Answered: Chat with Jane (Thu 03 Dec 2026 10:00) is an interview."
    assert lines[1] == f"  recorded in {answers_path()}"
    assert "  now planned:       Fri 04 Dec 2026 09:00  Send Globex a thank-you email" in lines
    assert lines[-1] == (
        "  so the rules count such events without asking, add a word or phrase of its title "
        "to interviews: words or phrases in your rules, or give the event the category Interview"
    )
    assert "Chat with Jane" in planned_titles(path)
    assert "not counted" not in run("plan", *common(path)).out
    explained = run("explain", "Jane", *common(path)).out
    assert "  counted: you answered that it is an interview" in explained
    assert "(`followup answer jane@x forget` takes it back)" in explained


@pytest.mark.machine_zone("Europe/Berlin")
def test_answering_no_ignores_the_event_everywhere_and_explain_lists_it(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    result = run("answer", "jane@x", "not-interview", *common(path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Answered: Chat with Jane (Thu 03 Dec 2026 10:00) is not an interview."
    )
    shown = run("plan", *common(path))
    assert "Chat with Jane" not in shown.out + shown.err
    explained = run("explain", *common(path))
    assert (
        "Ignored, as you answered (not interviews):\n"
        "  Chat with Jane (Thu 03 Dec 2026 10:00), UID jane@x\n"
        "    to be asked again: `followup answer jane@x forget`\n"
    ) in explained.out
    data = json.loads(run("explain", "Jane", *common(path), "--json").out)
    assert data["ignored"][0]["uid"] == "jane@x"


def test_a_counted_interview_answered_no_loses_its_follow_ups(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    result = run("answer", "screen@x", "not-interview", *common(path))
    assert result.code == 0, result.err
    assert "  no longer planned: Wed 02 Dec 2026 09:00  Send Sam a thank-you email" in result.out
    assert "Phone screen - Acme Corp" not in planned_titles(path)


def test_forget_takes_an_answer_back_and_the_question_comes_back(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    run("answer", "jane@x", "interview", *common(path))
    result = run("answer", "jane@x", "forget", *common(path))
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Took back your answer for Chat with Jane: its evidence decides again.\n"
    )
    assert "no longer planned:" in result.out
    assert "is it an interview? answer with" in run("plan", *common(path)).err
    again = run("answer", "jane@x", "forget", *common(path))
    assert again.code == 0 and again.out == "Chat with Jane has no answer; nothing changed.\n"


def test_an_unknown_uid_is_refused_with_the_events_asked_about(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    result = run("answer", "nobody@x", "interview", *common(path))
    assert result.code == 2
    assert result.err.startswith(
        "followup: no event has the UID 'nobody@x'; the events followup asks about are:\n"
        "  Thu 03 Dec 2026 09:00  jane@x  Chat with Jane\n"
    )
    assert not answers_path().exists()


def test_two_answers_at_once_both_keep_theirs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        SCREEN,
        JANE,
        JANE.replace("jane@x", "kim@x").replace("Chat with Jane", "Chat with Kim"),
    )
    code = (
        "import sys; from followup.cli.main import main; "
        "main(['answer', sys.argv[1], 'interview', '--from', sys.argv[2], '--now', sys.argv[3]])"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, uid, path, NOW_TEXT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for uid in ("jane@x", "kim@x")
    ]
    for process in runs:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert set(load_answers()) == {"jane@x", "kim@x"}


# -------------------------------------------------------------- the review ----


@pytest.mark.machine_zone("Europe/Berlin")
def test_review_json_lists_each_open_question_with_its_commands(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE)
    result = run("review", *common(path), "--json")
    assert result.code == 0, result.err
    (question,) = json.loads(result.out)["questions"]
    assert question["uid"] == "jane@x" and question["title"] == "Chat with Jane"
    assert question["start"] == "2026-12-03T10:00:00+01:00"
    assert question["evidence"] == [
        "its notes have a Company line",
        "its title names a conversation: 'chat'",
        "its title or notes name a company: Globex",
    ]
    assert question["answer"] == {
        "interview": "followup answer jane@x interview",
        "not_interview": "followup answer jane@x not-interview",
    }


@pytest.mark.machine_zone("Europe/Berlin")
def test_review_asks_about_each_event_and_records_yes_no_and_skip(tmp_path: Path) -> None:
    kim = JANE.replace("jane@x", "kim@x").replace("Chat with Jane", "Chat with Kim")
    lee = JANE.replace("jane@x", "lee@x").replace("Chat with Jane", "Chat with Lee")
    path = write(tmp_path, SCREEN, JANE, kim, lee)
    result = run("review", *common(path), input="y\nn\ns\n")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "3 events may be interviews. For each: y (an interview), n (not one) or s (skip, "
        "ask again later).\n\n1 of 3: Chat with Jane\n  Thu 03 Dec 2026 10:00, UID jane@x\n"
        "  its notes have a Company line\n  its title names a conversation: 'chat'\n"
        "  its title or notes name a company: Globex\nIs it an interview? [y/n/s]: "
    )
    assert "Answered 2: 1 counted as interviews, 1 left out" in result.out
    assert "1 still open: `followup review` asks again." in result.out
    assert {uid: a.interview for uid, a in load_answers().items()} == {
        "jane@x": True,
        "kim@x": False,
    }
    left = json.loads(run("review", *common(path), "--json").out)["questions"]
    assert [q["uid"] for q in left] == ["lee@x"]


def test_review_stopped_half_way_keeps_the_answers_given(tmp_path: Path) -> None:
    kim = JANE.replace("jane@x", "kim@x").replace("Chat with Jane", "Chat with Kim")
    path = write(tmp_path, SCREEN, JANE, kim)
    result = run("review", *common(path), input="n\n")  # then the input ends
    assert result.code == 0, result.err
    assert "1 still open" in result.out
    assert {uid: a.interview for uid, a in load_answers().items()} == {"jane@x": False}


def test_review_with_nothing_to_ask_says_so(tmp_path: Path) -> None:
    result = run("review", *common(write(tmp_path, SCREEN)))
    assert result.code == 0, result.err
    assert result.out == "No open questions: every event followup found is counted or left out.\n"


# ----------------------------------------------------------------- the init ----


def next_weeks_calendar(tmp_path: Path) -> str:
    """SCREEN and JANE a few days from the clock: init plans from now, with no --now."""
    soon = datetime.now(UTC) + timedelta(days=3)
    return write(
        tmp_path,
        SCREEN.replace("20261201T", f"{soon:%Y%m%d}T"),  # DTSTART and DTEND
        JANE.replace("20261203T", f"{soon + timedelta(days=2):%Y%m%d}T"),
    )


def test_a_fresh_init_asks_about_the_events_of_the_new_users_calendar(tmp_path: Path) -> None:
    path = next_weeks_calendar(tmp_path)
    answers = "\n" * 9 + "y\n"  # Enter through the setup questions, then the review
    result = run("init", "--from", path, "--timezone", "Europe/Berlin", input=answers)
    assert result.code == 0, result.err
    assert "1 of 1: Chat with Jane" in result.out
    assert load_answers()["jane@x"].interview is True
    assert result.out.rstrip().endswith("followup plan")


def test_init_with_yes_asks_nothing_and_says_how_many_questions_are_open(tmp_path: Path) -> None:
    path = next_weeks_calendar(tmp_path)
    result = run("init", "--yes", "--from", path)
    assert result.code == 0, result.err
    assert "1 event in your calendar may be an interview: `followup review` asks about them." in (
        result.out
    )
    assert not answers_path().exists()


def test_a_uid_with_a_line_break_is_kept_whole_and_its_answer_applies(tmp_path: Path) -> None:
    path = write(tmp_path, SCREEN, JANE.replace("UID:jane@x", "UID:jane\\nx@y"))
    shown = run("plan", *common(path))
    assert "answer with `followup review`" in shown.err
    result = run("review", *common(path), input="y\n")
    assert result.code == 0, result.err
    assert set(load_answers()) == {"jane\nx@y"}
    assert "Chat with Jane" in planned_titles(path)


def test_the_command_as_shown_works_without_a_calendar_and_the_next_plan_follows(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, SCREEN, JANE)
    result = run("answer", "jane@x", "interview")
    assert result.code == 0, result.err
    assert result.out == (
        "Answered: the event jane@x is an interview.\n"
        f"  recorded in {answers_path()}\n"
        "  not checked against a calendar: give --from to see what it changes\n"
    )
    assert "Chat with Jane" in planned_titles(path)
    taken_back = run("answer", "jane@x", "forget")
    assert taken_back.code == 0 and not answers_path().exists()
