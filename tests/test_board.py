"""`followup status` and `followup stats` on a calendar of 17 rounds in 15 applications,
one or more in every stage, with the answers recorded as `followup mark` records them.

The calendar (tests/data/board/applications.ics), at Mon 7 Dec 2026 10:00 in Berlin,
under the shipped rules: no timeline means a check-in 10 days after the interview
(window until day 14), a timeline means a check-in the first working morning after it,
and the move-on comes 7 days after the check-in.

    Acme     interview Thu 10 Dec (ahead)                        interview ahead
    Bolt     Thu 3 Dec, timeline 2 weeks, check-in Fri 18 Dec    waiting
    Cobalt   Tue 24 Nov, check-in Fri 4 Dec, window to Tue 8 Dec check-in due
    Dynamo   Wed 25 Nov, 1 week, check-in Thu 3 Dec, move-on 10th checked in
    Eiger    Mon 2 Nov, check-in Thu 12 Nov, move-on Thu 19 Nov  silent
    Fjord    Tue 3 Nov, silent on Fri 20 Nov, replied Fri 4 Dec  heard back
    Glacier  Thu 26 Nov, replied Mon 30 Nov                      heard back
    Harbor   Tue 10 Nov and Fri 20 Nov, offer Wed 2 Dec          offer
    Iris     Thu 12 Nov, rejected Thu 19 Nov                     rejected
    Juniper  Thu 5 Nov, withdrawn Mon 9 Nov                      withdrawn
    Kestrel  Mon 30 Nov, cancelled                               cancelled
    Lumen    Thu 19 Nov replied Mon 23 Nov; round 2 Wed 9 Dec    interview ahead
    Maple    Tue 20 Oct, check-in Fri 30 Oct, move-on Fri 6 Nov  silent
    Nimbus   Tue 27 Oct, "Status: rejected" in the event (no day) rejected
    =HYPER…  Fri 4 Dec, timeline 3 weeks, check-in Mon 28 Dec    waiting
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from followup.cli.main import main
from followup.engine.plan.board import BoardRow, board_csv

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data" / "board"
CALENDAR = DATA / "applications.ics"
NOW = "2026-12-07T10:00"
HOSTILE = '=HYPERLINK("http://example.invalid")<script>alert(1)</script> Pine & Co'

OPEN = [
    ("Cobalt", "check-in due"),
    ("Harbor", "offer"),
    ("Lumen", "interview ahead"),
    ("Acme", "interview ahead"),
    ("Bolt", "waiting"),
    (HOSTILE, "waiting"),
    ("Dynamo", "checked in"),
    ("Fjord", "heard back"),
    ("Glacier", "heard back"),
]
"""What needs you first: a check-in now, an offer to answer, rounds ahead by date,
waits by the date of their check-in, a chain near its move-on, then answers heard."""

CLOSED = [
    ("Eiger", "silent"),
    ("Maple", "silent"),
    ("Iris", "rejected"),
    ("Nimbus", "rejected"),
    ("Juniper", "withdrawn"),
    ("Kestrel", "cancelled"),
]


def shipped_rules_in_berlin(path: Path) -> Path:
    shipped = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(?m)^timezone:.*$", "timezone: Europe/Berlin", shipped), encoding="utf-8"
    )
    return path


def with_answers(tmp_path: Path) -> Path:
    """The shipped rules in Berlin, and the calendar's answers in the user's marks file."""
    marks = Path(os.environ["FOLLOWUP_DATA_DIR"]) / "marks.toml"
    marks.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / "marks.toml", marks)
    return shipped_rules_in_berlin(tmp_path / "rules.yaml")


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return with_answers(tmp_path)


def run(rules: Path, *args: str, now: str = NOW, columns: int = 80) -> Result:
    result = CliRunner().invoke(
        main,
        [*args, "--from", str(CALENDAR), "--rules", str(rules), "--now", now],
        env={"COLUMNS": str(columns)},
    )
    return result


def ok(result: Result) -> Result:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    return result


def applications(rules: Path, *args: str, now: str = NOW) -> list[dict[str, Any]]:
    data = json.loads(ok(run(rules, "status", "--json", *args, now=now)).stdout)
    found: list[dict[str, Any]] = data["applications"]
    return found


def by_company(rules: Path, *args: str, now: str = NOW) -> dict[str, dict[str, Any]]:
    return {app["company"]: app for app in applications(rules, "--all", *args, now=now)}


# ------------------------------------------------------------------- status ----


def test_status_lists_the_open_applications_what_needs_you_first(rules: Path) -> None:
    found = applications(rules)
    assert [(a["company"], a["stage"]) for a in found] == OPEN


def test_status_all_adds_the_closed_applications_after_the_open_ones(rules: Path) -> None:
    found = applications(rules, "--all")
    assert [(a["company"], a["stage"]) for a in found] == OPEN + CLOSED
    assert [a["closed"] for a in found] == [False] * len(OPEN) + [True] * len(CLOSED)


def test_each_row_has_the_rounds_the_recruiter_the_last_contact_and_the_next_step(
    rules: Path,
) -> None:
    apps = by_company(rules)
    harbor = apps["Harbor"]
    assert harbor["rounds"] == ["2026-11-10", "2026-11-20"]
    assert harbor["latest_round"] == "Harbor onsite interview"
    assert harbor["recruiter"] == "Hal Reed"
    assert harbor["role"] == "Staff Engineer"
    assert harbor["last_contact"] == "2026-12-02"  # their offer came after the last round
    assert harbor["days_since_contact"] == 5
    assert harbor["next_step"] is None  # an offer ends the chain of follow-ups
    cobalt = apps["Cobalt"]
    assert cobalt["days_since_contact"] == 13  # Tue 24 Nov to Mon 7 Dec
    assert cobalt["next_step"] == "Check in with Cobalt about your application"
    assert cobalt["next_date"] == "2026-12-04 09:00"  # due since Friday, open until Tuesday
    dynamo = apps["Dynamo"]
    assert (dynamo["next_step"], dynamo["next_date"]) == ("Move on from Dynamo", "2026-12-10 09:00")
    assert dynamo["stage_since"] == "2026-12-03"
    lumen = apps["Lumen"]
    assert lumen["rounds"] == ["2026-11-19"]
    assert lumen["rounds_ahead"] == ["2026-12-09"]
    assert lumen["days_since_contact"] == 14  # their answer on Mon 23 Nov
    assert lumen["next_date"] == "2026-12-09 09:30"  # preparing the second round
    acme = apps["Acme"]
    assert acme["rounds"] == [] and acme["last_contact"] is None
    assert acme["days_since_contact"] is None
    assert apps["Eiger"]["stage_since"] == "2026-11-19"  # silent since the move-on day
    assert apps["Kestrel"]["rounds"] == []


def test_a_check_in_is_due_until_its_window_closes_then_checked_in(rules: Path) -> None:
    assert by_company(rules, now="2026-12-08T08:59")["Cobalt"]["stage"] == "check-in due"
    assert by_company(rules, now="2026-12-08T09:00")["Cobalt"]["stage"] == "checked in"
    # A check-in without a window (from a timeline) is due on its own day.
    assert by_company(rules, now="2026-12-03T23:59")["Dynamo"]["stage"] == "check-in due"
    assert by_company(rules, now="2026-12-04T00:00")["Dynamo"]["stage"] == "checked in"


def test_an_application_goes_silent_when_the_move_on_step_comes(rules: Path) -> None:
    assert by_company(rules, now="2026-11-19T08:59")["Eiger"]["stage"] == "checked in"
    eiger = by_company(rules, now="2026-11-19T09:00")["Eiger"]
    assert (eiger["stage"], eiger["closed"]) == ("silent", True)


def test_marking_a_silent_application_replied_reopens_it(rules: Path) -> None:
    marked = run(rules, "mark", "Eiger", "replied")
    ok(marked)
    eiger = by_company(rules)["Eiger"]
    assert (eiger["stage"], eiger["closed"]) == ("heard back", False)
    assert eiger["last_contact"] == "2026-12-07"  # the mark's day
    assert "Eiger" in [a["company"] for a in applications(rules)]


def test_the_table_fits_80_columns_and_says_what_is_not_shown(rules: Path) -> None:
    out = ok(run(rules, "status")).stdout
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert lines[0].split() == ["STAGE", "COMPANY", "LAST", "NEXT", "STEP"]
    assert lines[1].startswith("check-in due     Cobalt")
    assert "13d" in lines[1] and "Fri 04 Dec" in lines[1]
    assert "SRE · Cara Lin · round Tue 24 Nov" in lines[2]
    assert "15 applications; 6 closed not shown (--all shows them)" in out
    wide = ok(run(rules, "status", "--all", columns=120)).stdout
    assert all(len(line) <= 120 for line in wide.splitlines())
    assert "Check in with Cobalt about your application" in wide
    assert "cancelled        Kestrel" in wide


def test_status_csv_has_a_header_and_a_line_per_application(rules: Path) -> None:
    out = ok(run(rules, "status", "--csv", "--all")).stdout_bytes.decode()
    lines = out.split("\r\n")  # RFC 4180 line ends, as spreadsheets expect
    assert lines[0] == (
        "company,role,stage,rounds,latest_round,recruiter,last_contact,days_since_contact,"
        "next_step,next_date"
    )
    assert lines[1] == (
        "Cobalt,SRE,check-in due,2026-11-24,Cobalt phone screen,Cara Lin,2026-11-24,13,"
        "Check in with Cobalt about your application,2026-12-04 09:00"
    )
    assert len([line for line in lines if line]) == 1 + len(OPEN) + len(CLOSED)
    # Shown, never run: the formula gets an apostrophe; commas and quotes are quoted.
    assert (
        '"\'=HYPERLINK(""http://example.invalid"")<script>alert(1)</script> Pine & Co",'
        '"""Lead"", Data"'
    ) in out


def test_json_and_csv_together_is_a_usage_mistake(rules: Path) -> None:
    result = run(rules, "status", "--json", "--csv")
    assert isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    assert "choose one of --json and --csv" in result.output


def test_status_without_a_calendar_says_where_to_give_one() -> None:
    result = CliRunner().invoke(main, ["status"])
    assert isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    assert "--from calendar.ics" in result.output


def test_a_damaged_marks_file_stops_status_with_its_line(rules: Path) -> None:
    marks = Path(os.environ["FOLLOWUP_DATA_DIR"]) / "marks.toml"
    marks.write_text('"x@board.example" = { status = "hired" }\n', encoding="utf-8")
    result = run(rules, "status")
    assert isinstance(result.exception, SystemExit)
    assert result.exit_code not in (0, 1)
    assert "marks.toml:1: unknown status 'hired'" in result.output


def test_no_interviews_is_said_in_words(rules: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ics"
    empty.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    for command in ("status", "stats"):
        result = CliRunner().invoke(
            main, [command, "--from", str(empty), "--rules", str(rules), "--now", NOW]
        )
        ok(result)
        assert "No applications: no interviews found in the planning window." in result.stdout


# -------------------------------------------------------------------- stats ----


def test_stats_are_the_numbers_counted_by_hand_from_the_calendar(rules: Path) -> None:
    data = json.loads(ok(run(rules, "stats", "--json")).stdout)
    # 15 applications; Acme's only round is ahead and Kestrel's was cancelled: 13 had one.
    assert data["applications"] == 15
    assert data["interviewed"] == 13
    # Every application held one round, Harbor two; Lumen's second is ahead: 12 + 2 = 14.
    assert data["rounds"] == 14
    # Fjord, Glacier and Lumen heard back, Harbor got an offer, Iris and Nimbus were
    # rejected; Juniper withdrew (the user's answer, not theirs).
    assert data["answered"] == 6
    assert (data["offers"], data["rejected"], data["withdrawn"]) == (1, 2, 1)
    assert data["rates"] == {"interview": 13 / 15, "answer": 6 / 13, "offer": 1 / 6}
    # Heard back: Fjord 3 Nov -> 4 Dec = 31 days, Glacier 26 -> 30 Nov = 4, Lumen
    # 19 -> 23 Nov = 4: median 4. Offer: Harbor's last round 20 Nov -> 2 Dec = 12.
    # Rejected: Iris 12 -> 19 Nov = 7; Nimbus's Status line has no day.
    assert data["days_to_answer"] == {
        "heard back": {"median": 4, "timed": 3, "untimed": 0},
        "offer": {"median": 12, "timed": 1, "untimed": 0},
        "rejected": {"median": 7, "timed": 1, "untimed": 1},
    }
    assert data["silent"] == [
        {"company": "Eiger", "move_on": "2026-11-19"},
        {"company": "Maple", "move_on": "2026-11-06"},
    ]
    # October: Maple and Nimbus began, held a round each, Nimbus's rejection (undated,
    # counted in its round's month). November: Eiger, Fjord, Juniper, Harbor, Iris, Lumen,
    # Cobalt, Dynamo, Glacier, Kestrel began; rounds: those but Kestrel, Harbor twice;
    # answers: Iris 19th, Lumen 23rd, Glacier 30th. December: Bolt, Pine, Acme began;
    # rounds: Bolt, Pine; answers: Harbor's offer on the 2nd, Fjord on the 4th.
    assert data["months"] == [
        {"month": "2026-10", "applications": 2, "rounds": 2, "answers": 1, "offers": 0},
        {"month": "2026-11", "applications": 10, "rounds": 10, "answers": 3, "offers": 0},
        {"month": "2026-12", "applications": 3, "rounds": 2, "answers": 2, "offers": 1},
    ]


def test_stats_as_text_give_rates_waits_and_the_silent_companies(rules: Path) -> None:
    out = ok(run(rules, "stats")).stdout
    assert all(len(line) <= 80 for line in out.splitlines())
    assert re.search(r"Interviewed +13 +87% of the applications", out)
    assert re.search(r"Answered +6 +46% of those interviewed", out)
    assert re.search(r"Offers +1 +17% of those answered", out)
    assert re.search(r"heard back +4 days +\(3 answers\)", out)
    assert re.search(r"rejected +7 days +\(1 answer, 1 more without a day\)", out)
    assert re.search(r"Eiger +since 2026-11-19", out)
    assert re.search(r"2026-11 +10 +10 +3 +0", out)


def test_a_reopened_application_leaves_the_silent_list_and_counts_as_answered(
    rules: Path,
) -> None:
    ok(run(rules, "mark", "Maple", "replied"))
    data = json.loads(ok(run(rules, "stats", "--json")).stdout)
    assert data["silent"] == [{"company": "Eiger", "move_on": "2026-11-19"}]
    assert data["answered"] == 7
    # Maple: Tue 20 Oct -> Mon 7 Dec = 48 days; heard back now 4, 4, 31, 48: median 17.5.
    assert data["days_to_answer"]["heard back"] == {"median": 17.5, "timed": 4, "untimed": 0}


def test_every_cell_a_spreadsheet_could_run_or_a_terminal_could_obey_is_made_plain() -> None:
    row = BoardRow(
        key="k",
        company="-2+3",
        role="@SUM(A1)",
        rounds=(),
        ahead=(),
        latest="\tTab first",
        recruiter="Ann \x1b[31mRed\x1b[0m",
        stage="waiting",
        stage_since=None,
        last_contact=None,
        days_since_contact=None,
        next_step="Two\nlines",
        next_at=None,
        next_all_day=False,
    )
    line = board_csv([row], ZoneInfo("Europe/Berlin")).split("\r\n")[1]
    assert line == (
        "'-2+3,'@SUM(A1),waiting,,'\tTab first,Ann \ufffd[31mRed\ufffd[0m,,,\"Two\nlines\","
    )


def test_a_status_line_in_the_event_counts_as_the_planner_reads_it(
    rules: Path, tmp_path: Path
) -> None:
    source = tmp_path / "initech.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:initech@board.example\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261118T140000Z\r\nDTEND:20261118T143000Z\r\n"
        "SUMMARY:Phone interview: Initech\r\n"
        "DESCRIPTION:Company: Initech\\nStatus: Heard back – second round booked\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    args = ["--from", str(source), "--rules", str(rules), "--now", NOW]
    status = ok(CliRunner().invoke(main, ["status", "--json", *args]))
    (initech,) = json.loads(status.stdout)["applications"]
    assert (initech["company"], initech["stage"]) == ("Initech", "heard back")
    stats = json.loads(ok(CliRunner().invoke(main, ["stats", "--json", *args])).stdout)
    assert (stats["answered"], stats["days_to_answer"]["heard back"]["untimed"]) == (1, 1)
