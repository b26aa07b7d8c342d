"""Applications as a whole: events not counted are listed, rounds are linked, series are
rounds, and a computer set to UTC plans in the calendar's zone."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.model import Plan
from followup.engine.pipeline import make_plan, read_ics
from followup.rules.loader import parse_rules, shipped_rules
from tests.conftest import at, default_rules

NOW = at("Europe/Berlin", 2026, 11, 30, 8, 0)


def event(uid: str, start: str, summary: str, *extra: str, minutes: int = 60) -> str:
    """A VEVENT with a UTC start ("20261201T090000Z") lasting ``minutes``."""
    begin = datetime.strptime(start, "%Y%m%dT%H%M%SZ")
    end = begin.replace(hour=begin.hour + minutes // 60, minute=begin.minute + minutes % 60)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART:{start}",
        f"DTEND:{end:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{summary}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(*events: str, header: tuple[str, ...] = ()) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *header, *events]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def plan_of(data: bytes, zone: str = "Europe/Berlin") -> Plan:
    rules = default_rules(zone)
    return make_plan(rules, read_ics(data, rules=rules, now=NOW, name="calendar.ics"), NOW)


SCREEN = event(
    "screen@x",
    "20261201T090000Z",
    "Phone screen - Acme Corp",
    "DESCRIPTION:Recruiter: Sam Lee <sam.lee@acme.example>",
)


def missed(plan: Plan) -> dict[str, str]:
    return {iv.summary: iv.not_counted or "" for iv in plan.near_misses}


def test_an_event_whose_notes_have_a_company_line_is_listed_as_not_counted() -> None:
    plan = plan_of(
        calendar(event("c@x", "20261203T090000Z", "Coffee", "DESCRIPTION:Company: Globex"))
    )
    assert missed(plan) == {
        "Coffee": "its notes have a Company line; to count it, add a word or phrase of its "
        "title to interviews: words or phrases in your rules, or give the event the category "
        "Interview"
    }
    assert plan.followups == ()
    assert any(
        w.startswith("Coffee: not counted as an interview (Thu 03 Dec 2026 10:00)")
        for w in plan.warnings
    )


def test_an_event_organized_from_a_recruiters_domain_is_listed_as_not_counted() -> None:
    catch_up = event(
        "o@x", "20261204T090000Z", "Catch-up", "ORGANIZER;CN=Sam Lee:mailto:sam.lee@acme.example"
    )
    why = missed(plan_of(calendar(SCREEN, catch_up)))["Catch-up"]
    assert why.startswith("its organizer writes from acme.example, like your Acme Corp interviews")


def test_an_event_whose_title_names_a_company_you_interview_with_is_listed_as_not_counted() -> None:
    call = event("t@x", "20261203T090000Z", "Call w/ Jane (Acme)")
    why = missed(plan_of(calendar(SCREEN, call)))["Call w/ Jane (Acme)"]
    assert why.startswith("its title names Acme Corp, which you interview with")


def test_an_excluded_title_says_which_exclusion_kept_it_out() -> None:
    prep = event("p@x", "20261206T090000Z", "Interview prep for Acme")
    why = missed(plan_of(calendar(SCREEN, prep)))["Interview prep for Acme"]
    assert "its title has 'prep', one of interviews: exclusions in your rules" in why


def test_events_with_nothing_of_an_application_are_not_listed() -> None:
    plan = plan_of(calendar(SCREEN, event("d@x", "20261203T090000Z", "Dentist")))
    assert plan.near_misses == ()
    assert len(plan.interviews) == 1


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_near_miss_is_listed_by_plan_ics_explain_and_the_feed_page(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(SCREEN, event("t@x", "20261203T090000Z", "Call w/ Jane (Acme)")))
    runner = CliRunner()
    common = ["--from", str(path), "--now", "2026-11-30T08:00"]
    line = "Call w/ Jane (Acme): not counted as an interview (Thu 03 Dec 2026 10:00)"
    plan = runner.invoke(main, ["plan", *common])
    assert plan.exit_code == 0 and f"warning: {line}" in plan.output
    ics = runner.invoke(main, ["ics", *common, "-o", str(tmp_path / "out.ics")])
    assert ics.exit_code == 0 and f"warning: {line}" in ics.stderr
    explained = runner.invoke(main, ["explain", "Jane", *common])
    assert explained.exit_code == 0
    assert (
        "Not counted as interviews:\n  Call w/ Jane (Acme) (Thu 03 Dec 2026 10:00)"
        in explained.output
    )
    as_json = json.loads(runner.invoke(main, ["explain", "Jane", *common, "--json"]).stdout)
    assert as_json["not_counted"][0]["title"] == "Call w/ Jane (Acme)"

    from datetime import timedelta

    from followup.engine.feed.build import Build, FeedState, make_feed
    from followup.engine.feed.page import PageView, render_page
    from tests.test_feed_page import LINKS

    warnings = plan_of(path.read_bytes()).warnings
    feed = make_feed(Build(b"", (), "Europe/Berlin", warnings), built_at=NOW, previous=None)
    view = PageView(
        "Interview follow-ups", FeedState(feed=feed), NOW, LINKS, "common", timedelta(hours=1)
    )
    html = render_page(view)
    assert "1 note about your calendar" in html
    assert "Call w/ Jane (Acme): not counted as an interview" in html


# --- rounds of one application ----------------------------------------------------------------


def test_a_screen_and_a_final_round_are_one_application_by_company_name_variant() -> None:
    final = event("final@x", "20261210T090000Z", "Acme - Final Round (Zoom)")
    plan = plan_of(calendar(SCREEN, final))
    screen_rules = {f.rule_id for f in plan.followups if f.interview.uid == "screen@x"}
    assert screen_rules == {"prepare", "appraise", "thank-you"}
    reason = next(
        d.reason for d in plan.decisions if d.interview_key == "screen@x" and d.rule_id == "move-on"
    )
    assert reason.startswith("superseded by the next round: Acme - Final Round (Zoom)")


def test_a_screen_and_a_final_round_are_one_application_by_recruiter_domain() -> None:
    screen = event(
        "s@x", "20261201T090000Z", "Screening call", "DESCRIPTION:Recruiter: sam@initech.example"
    )
    final = event(
        "f@x",
        "20261210T090000Z",
        "Final round - Initrode",
        "ORGANIZER;CN=Bill:mailto:bill@initech.example",
    )
    plan = plan_of(calendar(screen, final))
    assert {f.rule_id for f in plan.followups if f.interview.uid == "s@x"} == {
        "prepare",
        "appraise",
        "thank-you",
    }


def test_recruiters_at_a_shared_mail_domain_link_no_rounds() -> None:
    first = event("a@x", "20261201T090000Z", "Interview", "DESCRIPTION:Recruiter: a@gmail.com")
    second = event("b@x", "20261210T090000Z", "Interview", "DESCRIPTION:Recruiter: b@gmail.com")
    plan = plan_of(calendar(first, second))
    assert "move-on" in {f.rule_id for f in plan.followups if f.interview.uid == "a@x"}


def test_a_two_day_onsite_series_gets_one_status_check_after_its_last_day() -> None:
    onsite = event(
        "onsite@x", "20261207T080000Z", "Globex onsite", "RRULE:FREQ=DAILY;COUNT=2", minutes=480
    )
    plan = plan_of(calendar(onsite))
    checks = [f for f in plan.followups if f.rule_id.startswith("status-check")]
    move_ons = [f for f in plan.followups if f.rule_id == "move-on"]
    assert len(checks) == 1 and len(move_ons) == 1
    assert checks[0].interview.start == at("Europe/Berlin", 2026, 12, 8, 9, 0)
    assert len([f for f in plan.followups if f.rule_id == "thank-you"]) == 2


# --- the zone to plan in ------------------------------------------------------------------


GOOGLE = calendar(
    event("g@x", "20261201T090000Z", "Interview with Acme"),
    header=("X-WR-TIMEZONE:Europe/Berlin",),
)


def local_rules_plan(data: bytes) -> Plan:
    text, name = shipped_rules("default.yaml")
    rules = parse_rules(text, name)
    assert rules.timezone == "local"
    return make_plan(rules, read_ics(data, rules=rules, now=NOW, name="calendar.ics"), NOW)


def test_on_a_computer_set_to_utc_the_calendars_zone_is_used_and_said_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    plan = local_rules_plan(GOOGLE)
    assert plan.timezone == "Europe/Berlin"
    notes = [w for w in plan.warnings if w.startswith("planning in Europe/Berlin")]
    assert len(notes) == 1
    thank_you = next(f for f in plan.followups if f.rule_id == "thank-you")
    assert thank_you.start == datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_all_interviews_in_one_zone_on_a_utc_computer_plan_in_that_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    data = calendar(
        event("a@x", "20261201T090000Z", "Interview with Acme")
        .replace("DTSTART:20261201T090000Z", "DTSTART;TZID=America/New_York:20261201T090000")
        .replace("DTEND:20261201T100000Z", "DTEND;TZID=America/New_York:20261201T100000")
    )
    assert local_rules_plan(data).timezone == "America/New_York"


def test_a_computer_set_to_another_zone_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    plan = local_rules_plan(GOOGLE)
    assert plan.timezone == "America/New_York"
    assert not any(w.startswith("planning in") for w in plan.warnings)


def test_tz_abbreviations_the_tz_database_knows_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "CET")
    assert local_rules_plan(GOOGLE).timezone == "CET"


def test_a_tz_that_names_no_zone_is_reported_not_silently_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Mars/Olympus_Mons")
    plan = local_rules_plan(GOOGLE)
    assert any("TZ='Mars/Olympus_Mons' names no zone followup knows" in w for w in plan.warnings)


def test_syncs_report_leaves_the_plans_warnings_to_standard_error_as_plan_does() -> None:
    from followup.cli.sync import report_text
    from followup.engine.caldav.apply import SyncReport

    data = calendar(SCREEN, event("t@x", "20261203T090000Z", "Call w/ Jane (Acme)"))
    warnings = plan_of(data).warnings
    report = SyncReport("Follow-ups", 1, 5, 5, [], [], warnings=warnings)
    assert "warning:" not in report_text(report)  # shown once, by cli.terminal.warn
    assert warnings[0].startswith("Call w/ Jane (Acme): not counted as an interview")


def test_an_event_not_counted_cannot_be_marked(tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(SCREEN, event("t@x", "20261203T090000Z", "Call w/ Jane (Acme)")))
    result = CliRunner().invoke(main, ["mark", "Jane", "replied", "--from", str(path)])
    assert result.exit_code != 0
    assert "no interview matches 'Jane'" in result.output


def test_follow_ups_imported_back_into_the_calendar_are_not_listed() -> None:
    step = event(
        "abc-status-check@followup",
        "20261211T080000Z",
        "Check in with Acme Corp about your application",
        "X-FOLLOWUP-RULE:status-check",
    )
    assert plan_of(calendar(SCREEN, step)).near_misses == ()


def test_dateparser_reads_a_bounded_number_of_timelines_per_plan() -> None:
    from followup.engine.plan.planner import LIBRARY_READS

    events = [
        event(
            f"i{n}@x",
            f"202612{n + 1:02d}T090000Z",
            f"Interview with Company{n}",
            "DESCRIPTION:Timeline: 30 Septembro 2027",  # a spelling only dateparser knows
        )
        for n in range(LIBRARY_READS + 3)
    ]
    plan = plan_of(calendar(*events))
    unread = [w for w in plan.warnings if "could not read it" in w]
    assert len(unread) == 3
    checks = [f for f in plan.followups if f.rule_id == "status-check"]
    assert len(checks) >= 1 and all(f.start.date().isoformat() == "2027-10-01" for f in checks)


# --- the application as the unit of mark, draft and explain ------------------------------------

FINAL = event("final@x", "20261210T090000Z", "Acme - Final Round (Zoom)")
ONSITE = event(
    "onsite@x",
    "20261207T080000Z",
    "Globex onsite",
    "DESCRIPTION:Recruiter: Kim <kim@globex.example>",
    "RRULE:FREQ=DAILY;COUNT=2",
    minutes=480,
)


def on_the_command_line(tmp_path: Path, *events: str, now: str) -> tuple[Path, list[str]]:
    path = tmp_path / "calendar.ics"
    path.write_bytes(calendar(*events))
    return path, ["--from", str(path), "--now", now]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def steps_of(common: list[str], title: str) -> set[str]:
    data = json.loads(invoke("plan", *common, "--json"))
    return {f["rule"] for f in data["followups"] if f["interview"]["title"] == title}


def marks_file() -> list[str]:
    from followup.engine.marks import marks_path

    return [line for line in marks_path().read_text().splitlines() if not line.startswith("#")]


@pytest.mark.machine_zone("Europe/Berlin")
def test_marking_a_company_replied_marks_every_round_and_the_later_check_in_stops(
    tmp_path: Path,
) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-12T08:00")
    assert "status-check-window" in steps_of(common, "Acme - Final Round (Zoom)")
    out = invoke("mark", "Acme", "replied", *common)
    assert out.startswith(
        "Marked Acme as replied, 2 rounds:\n"
        "  Tue 01 Dec 2026 10:00  Phone screen - Acme Corp\n"
        "  Thu 10 Dec 2026 10:00  Acme - Final Round (Zoom)\n"
    )
    assert (
        "  no longer planned: Mon 21 Dec 2026 09:00  Check in with Acme about your application\n"
        in out
    )
    assert [line.split(" = ")[0] for line in marks_file()] == ['"screen@x"', '"final@x"']
    assert steps_of(common, "Acme - Final Round (Zoom)") == {"prepare", "appraise", "thank-you"}


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_reply_before_the_next_round_leaves_that_rounds_check_in_to_come(
    tmp_path: Path,
) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-03T08:00")
    out = invoke("mark", "Acme Corp", "replied", *common)
    assert (
        "  Thu 10 Dec 2026 10:00  Acme - Final Round (Zoom)  (not marked: it is still ahead)\n"
        in out
    )
    assert [line.split(" = ")[0] for line in marks_file()] == ['"screen@x"']
    assert "status-check-window" in steps_of(common, "Acme - Final Round (Zoom)")


def test_a_rejection_before_the_next_round_marks_that_round_too(tmp_path: Path) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-03T08:00")
    invoke("mark", "Acme", "rejected", *common)
    assert [line.split(" = ")[0] for line in marks_file()] == ['"screen@x"', '"final@x"']
    assert "move-on" not in steps_of(common, "Acme - Final Round (Zoom)")


def test_unmarking_a_company_takes_back_the_mark_of_every_round(tmp_path: Path) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-12T08:00")
    invoke("mark", "Acme", "replied", *common)
    out = invoke("mark", "Acme", "pending", *common)
    assert out.startswith("Unmarked Acme: its events decide again.\n")
    assert marks_file() == []
    assert "status-check-window" in steps_of(common, "Acme - Final Round (Zoom)")


def test_a_two_day_onsite_is_marked_by_company_or_uid_without_a_recurrence_id(
    tmp_path: Path,
) -> None:
    _, common = on_the_command_line(tmp_path, ONSITE, now="2026-12-12T08:00")
    assert "status-check-window" in steps_of(common, "Globex onsite")
    out = invoke("mark", "Globex", "replied", *common)
    assert out.startswith("Marked Globex as replied, 2 rounds:\n")
    assert marks_file() == [
        '"onsite@x" = { status = "replied", interview = "Globex onsite", marked = 2026-12-12 }'
    ]
    assert "status-check-window" not in steps_of(common, "Globex onsite")
    invoke("mark", "onsite@x", "pending", *common)
    assert marks_file() == []
    invoke("mark", "onsite@x", "offer", *common)
    assert marks_file()[0].startswith('"onsite@x" = { status = "offer"')


def test_a_series_mark_replaces_the_lines_of_its_single_days(tmp_path: Path) -> None:
    from followup.engine.marks import Mark, record_mark

    _, common = on_the_command_line(tmp_path, ONSITE, now="2026-12-12T08:00")
    record_mark(Mark("onsite@x/20261207T080000Z", "rejected"))
    invoke("mark", "Globex", "replied", *common)
    assert [line.split(" = ")[0] for line in marks_file()] == ['"onsite@x"']


def test_drafting_a_status_check_of_a_two_day_onsite_needs_no_recurrence_id(
    tmp_path: Path,
) -> None:
    _, common = on_the_command_line(tmp_path, ONSITE, now="2026-12-12T08:00")
    for who in ("Globex", "onsite@x"):
        out = invoke("draft", who, "status-check", *common)
        assert out.startswith(
            "To: Kim <kim@globex.example>\nSubject: Following up on my application at Globex\n"
        )
    thanks = invoke("draft", "Globex", "thank-you", *common)
    assert "Tuesday, 8 December" in thanks or "8 December" in thanks


def test_drafting_a_companys_status_check_follows_its_latest_round(tmp_path: Path) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-12T08:00")
    out = invoke("draft", "Acme", "status-check", *common)
    assert "10 December" in out and "1 December" not in out


def test_a_thank_you_of_a_company_is_for_the_round_just_held_not_the_one_ahead(
    tmp_path: Path,
) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-01T12:00")
    out = invoke("draft", "Acme", "thank-you", *common)
    assert "1 December" in out


def test_explaining_a_company_shows_every_round_of_its_application(tmp_path: Path) -> None:
    screen = event(
        "s@x", "20261201T090000Z", "Screening call", "DESCRIPTION:Recruiter: sam@initech.example"
    )
    final = event(
        "f@x",
        "20261210T090000Z",
        "Final round - Initrode",
        "DESCRIPTION:Recruiter: bill@initech.example",
    )
    _, common = on_the_command_line(tmp_path, screen, final, now="2026-12-03T08:00")
    out = invoke("explain", "Initrode", *common)
    assert out.startswith("Screening call\n")
    assert "\nFinal round - Initrode\n" in out


def test_a_series_without_a_company_gets_one_status_check_after_its_last_day() -> None:
    series = event(
        "series@x", "20261207T080000Z", "Onsite interview", "RRULE:FREQ=DAILY;COUNT=2", minutes=480
    )
    plan = plan_of(calendar(series))
    checks = [f for f in plan.followups if f.rule_id.startswith("status-check")]
    assert len(checks) == 1
    assert checks[0].interview.start == at("Europe/Berlin", 2026, 12, 8, 9, 0)


def test_a_round_ahead_named_by_its_uid_is_marked_replied(tmp_path: Path) -> None:
    _, common = on_the_command_line(tmp_path, SCREEN, FINAL, now="2026-12-03T08:00")
    invoke("mark", "final@x", "replied", *common)
    assert [line.split(" = ")[0] for line in marks_file()] == ['"screen@x"', '"final@x"']


def test_a_company_named_whole_is_meant_over_one_whose_name_contains_it(tmp_path: Path) -> None:
    first = event("a1@x", "20261201T090000Z", "Interview", "DESCRIPTION:Company: Acme")
    second = event("a2@x", "20261208T090000Z", "Second interview", "DESCRIPTION:Company: Acme")
    labs = event("l@x", "20261202T090000Z", "Interview with Acme Labs")
    _, common = on_the_command_line(tmp_path, first, second, labs, now="2026-12-12T08:00")
    out = invoke("mark", "Acme", "replied", *common)
    assert out.startswith("Marked Acme as replied, 2 rounds:\n")
    assert [line.split(" = ")[0] for line in marks_file()] == ['"a1@x"', '"a2@x"']
