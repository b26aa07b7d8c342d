"""The default policy on real calendar files: every step at its exact time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from followup.engine.model import FollowUp, Plan
from followup.engine.pipeline import make_plan, read_ics
from tests.conftest import DATA, at, default_rules

CORE = DATA / "core"


def plan_of(path: Path, zone: str = "Europe/Berlin", now: datetime | None = None) -> Plan:
    rules = default_rules(zone)
    now = now or at(zone, 2026, 11, 30, 8, 0)
    reading = read_ics(path.read_bytes(), rules=rules, now=now, name=path.name)
    return make_plan(rules, reading, now)


def steps(plan: Plan, interview_uid: str) -> dict[str, FollowUp]:
    return {f.rule_id: f for f in plan.followups if f.interview.uid == interview_uid}


def test_every_default_step_for_a_tuesday_interview_in_berlin() -> None:
    got = steps(plan_of(CORE / "single_berlin.ics"), "acme-1@example.com")
    b = "Europe/Berlin"
    assert list(got) == ["prepare", "appraise", "thank-you", "status-check-window", "move-on"]
    assert (got["prepare"].start, got["prepare"].end) == (  # before the interview, not in it
        at(b, 2026, 12, 1, 9, 30),
        at(b, 2026, 12, 1, 9, 45),
    )
    assert (got["appraise"].start, got["appraise"].end) == (
        at(b, 2026, 12, 1, 11, 45),
        at(b, 2026, 12, 1, 12, 15),
    )
    assert got["thank-you"].start == at(b, 2026, 12, 2, 9, 0)
    assert got["status-check-window"].start == at(b, 2026, 12, 11, 9, 0)
    assert got["status-check-window"].due == at(b, 2026, 12, 15, 9, 0)
    assert got["move-on"].start == at(b, 2026, 12, 18, 9, 0)


def test_the_thank_you_step_drafts_an_email_to_the_recruiter() -> None:
    thank_you = steps(plan_of(CORE / "single_berlin.ics"), "acme-1@example.com")["thank-you"]
    assert thank_you.title == "Send Dana a thank-you email"
    assert thank_you.email is not None
    assert thank_you.email.to == "dana@acme.example"
    assert thank_you.email.subject == "Thank you – Backend Engineer at ACME"
    assert thank_you.email.body.startswith("Dear Dana,")
    assert "remain very interested" in thank_you.email.body
    assert "anything else I can send you" in thank_you.email.body
    assert thank_you.email.mailto().startswith("mailto:dana@acme.example?subject=Thank%20you")


def test_every_default_step_for_a_tuesday_interview_in_new_york() -> None:
    ny = "America/New_York"
    got = steps(
        plan_of(CORE / "single_new_york.ics", ny, at(ny, 2026, 11, 30, 8, 0)),
        "globex-1@example.com",
    )
    assert got["prepare"].start == at(ny, 2026, 12, 1, 13, 30)
    assert got["appraise"].start == at(ny, 2026, 12, 1, 15, 45)
    assert got["thank-you"].start == at(ny, 2026, 12, 2, 9, 0)
    assert (
        got["thank-you"].email is not None and got["thank-you"].email.to == "sam.lee@globex.example"
    )
    assert got["status-check-window"].start == at(ny, 2026, 12, 11, 9, 0)
    assert got["status-check-window"].due == at(ny, 2026, 12, 15, 9, 0)
    assert got["move-on"].start == at(ny, 2026, 12, 18, 9, 0)


def test_an_interview_in_new_york_planned_in_berlin_keeps_the_same_instants() -> None:
    got = steps(plan_of(CORE / "single_new_york.ics", "Europe/Berlin"), "globex-1@example.com")
    assert got["appraise"].start == at("America/New_York", 2026, 12, 1, 15, 45)
    # "The next morning" is meant where the user lives: 09:00 in Berlin.
    assert got["thank-you"].start == at("Europe/Berlin", 2026, 12, 2, 9, 0)


def test_non_interview_events_get_no_follow_ups() -> None:
    plan = plan_of(CORE / "single_berlin.ics")
    assert {iv.uid for iv in plan.interviews} == {"acme-1@example.com"}


def test_a_friday_interview_before_the_dst_change_keeps_its_steps_at_nine() -> None:
    plan = plan_of(CORE / "facts_berlin.ics", now=at("Europe/Berlin", 2027, 3, 20, 8, 0))
    got = steps(plan, "dst-friday@example.com")
    assert got["thank-you"].start == at("Europe/Berlin", 2027, 3, 27, 9, 0)
    assert got["thank-you"].start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    # 1 week after Fri 17:00 is Fri 2 April 17:00 CEST; the next morning is a Saturday,
    # so the status check moves to Monday 5 April, 09:00 CEST.
    assert got["status-check"].start == at("Europe/Berlin", 2027, 4, 5, 9, 0)
    assert got["status-check"].start.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert got["move-on"].start == at("Europe/Berlin", 2027, 4, 12, 9, 0)


def test_a_timeline_of_three_weeks_sets_the_status_check() -> None:
    got = steps(plan_of(CORE / "facts_berlin.ics"), "three-weeks@example.com")
    assert "status-check-window" not in got
    assert got["status-check"].start == at("Europe/Berlin", 2026, 12, 23, 9, 0)
    assert got["move-on"].start == at("Europe/Berlin", 2026, 12, 30, 9, 0)


def test_an_explicit_date_sets_the_status_check_to_the_morning_after() -> None:
    got = steps(plan_of(CORE / "facts_berlin.ics"), "explicit-date@example.com")
    assert got["status-check"].start == at("Europe/Berlin", 2026, 12, 11, 9, 0)


def test_an_answered_interview_gets_no_status_check_and_no_move_on() -> None:
    plan = plan_of(CORE / "facts_berlin.ics")
    assert list(steps(plan, "answered@example.com")) == ["prepare", "appraise", "thank-you"]
    reasons = {
        d.rule_id: d.reason for d in plan.decisions if d.interview_key == "answered@example.com"
    }
    assert reasons["status-check"] == "its 'unless' holds: status is rejected"
    assert reasons["move-on"] == "its 'unless' holds: status is rejected"


def test_a_cancelled_interview_gets_no_follow_ups() -> None:
    plan = plan_of(CORE / "facts_berlin.ics")
    assert steps(plan, "cancelled@example.com") == {}
    assert any(
        d.reason == "the interview is cancelled"
        for d in plan.decisions
        if d.interview_key == "cancelled@example.com"
    )


def test_an_all_day_interview_is_taken_as_nine_to_five() -> None:
    got = steps(plan_of(CORE / "facts_berlin.ics"), "all-day@example.com")
    assert got["prepare"].start == at("Europe/Berlin", 2026, 12, 8, 8, 30)
    assert got["appraise"].start == at("Europe/Berlin", 2026, 12, 8, 17, 45)
    assert got["thank-you"].start == at("Europe/Berlin", 2026, 12, 9, 9, 0)


def test_a_floating_interview_is_placed_in_the_rules_timezone() -> None:
    got = steps(plan_of(CORE / "facts_berlin.ics"), "floating@example.com")
    assert got["appraise"].start == at("Europe/Berlin", 2026, 12, 9, 11, 45)
    assert got["appraise"].title == "Appraise the Soylent interview"
    ny = steps(
        plan_of(
            CORE / "facts_berlin.ics", "America/New_York", at("America/New_York", 2026, 11, 30)
        ),
        "floating@example.com",
    )
    assert ny["appraise"].start == at("America/New_York", 2026, 12, 9, 11, 45)


def test_a_second_round_supersedes_the_first_rounds_status_check_and_move_on() -> None:
    plan = plan_of(CORE / "rounds_and_series.ics")
    first = steps(plan, "initech-r1@example.com")
    second = steps(plan, "initech-r2@example.com")
    assert list(first) == ["prepare", "appraise", "thank-you"]
    assert list(second) == [
        "prepare",
        "appraise",
        "thank-you",
        "status-check-window",
        "move-on",
    ]
    assert second["status-check-window"].start == at("Europe/Berlin", 2026, 12, 18, 9, 0)
    reason = next(
        d.reason
        for d in plan.decisions
        if d.interview_key == "initech-r1@example.com" and d.rule_id == "move-on"
    )
    assert reason.startswith("superseded by the next round: Initech interview (round 2)")


def test_a_cancelled_second_round_leaves_the_first_rounds_status_check_and_move_on(
    tmp_path: Path,
) -> None:
    text = (CORE / "rounds_and_series.ics").read_text(encoding="utf-8")
    uid = "UID:initech-r2@example.com\n"
    assert text.count(uid) == 1
    calendar = tmp_path / "cancelled.ics"
    calendar.write_text(text.replace(uid, uid + "STATUS:CANCELLED\n"), encoding="utf-8")

    plan = plan_of(calendar)

    assert list(steps(plan, "initech-r1@example.com")) == [
        "prepare", "appraise", "thank-you", "status-check-window", "move-on",
    ]  # fmt: skip
    assert steps(plan, "initech-r2@example.com") == {}


def test_a_recurring_series_with_an_exception_and_a_moved_instance() -> None:
    plan = plan_of(CORE / "rounds_and_series.ics")
    loop = [iv for iv in plan.interviews if iv.uid == "loop@example.com"]
    assert [(iv.recurrence_id, iv.start) for iv in loop] == [
        ("20261202T120000Z", at("Europe/Berlin", 2026, 12, 2, 13, 0)),
        ("20261216T120000Z", at("Europe/Berlin", 2026, 12, 17, 15, 0)),
    ]
    moved = [f for f in plan.followups if f.interview.recurrence_id == "20261216T120000Z"]
    thank_you = next(f for f in moved if f.rule_id == "thank-you")
    assert thank_you.start == at("Europe/Berlin", 2026, 12, 18, 9, 0)
    first = {f.rule_id for f in plan.followups if f.interview.recurrence_id == "20261202T120000Z"}
    last = {f.rule_id for f in plan.followups if f.interview.recurrence_id == "20261216T120000Z"}
    assert first == {"prepare", "appraise", "thank-you"}  # the status check waits for the last
    assert {"status-check-window", "move-on"} <= last
    uids = {f.uid for f in plan.followups if f.interview.uid == "loop@example.com"}
    assert len(uids) == len(first) + len(last)  # all distinct


def test_an_outlook_export_with_a_windows_zone_name() -> None:
    plan = plan_of(DATA / "outlook_export.ics", now=at("Europe/Berlin", 2026, 11, 9))
    contoso = next(iv for iv in plan.interviews if iv.facts.company == "Contoso")
    assert contoso.start == at("Europe/Berlin", 2026, 11, 10, 10, 30)
    got = steps(plan, contoso.uid)
    assert got["appraise"].start == at("Europe/Berlin", 2026, 11, 10, 12, 15)
    assert got["status-check"].start == at(
        "Europe/Berlin", 2026, 12, 11, 9, 0
    )  # "Decision: by 2026-12-10"


def test_a_google_export_with_x_wr_timezone() -> None:
    path = CORE.parent.parent.parent / "examples" / "interviews.ics"
    plan = plan_of(path)
    acme = steps(plan, "7f3c2a10acme@google.com")
    assert acme["prepare"].start == at("Europe/Berlin", 2026, 12, 1, 9, 30)
    assert acme["status-check"].start == at(
        "Europe/Berlin", 2026, 12, 16, 9, 0
    )  # 2 weeks, then 09:00
    hooli = steps(plan, "e5f6a7b8hooli@google.com")
    assert hooli["thank-you"].start == at("Europe/Berlin", 2026, 12, 9, 9, 0)
    assert "Dentist" not in {iv.summary for iv in plan.interviews}


def test_a_rule_anchored_on_a_fallback_runs_after_the_rule_that_falls_back() -> None:
    from followup.rules.loader import parse_rules

    rules = parse_rules(
        """
timezone: Europe/Berlin
rules:
  - id: nudge
    title: Nudge
    when: { from: window, offset: 2 days }
  - id: check
    title: Check
    if: { timeline: known }
    fallback: window
    when: { from: timeline }
  - id: window
    title: Window
    when: { from: end, offset: 10 days, at: "09:00" }
"""
    )
    now = at("Europe/Berlin", 2026, 11, 30)
    reading = read_ics((CORE / "single_berlin.ics").read_bytes(), rules=rules, now=now)
    got = {f.rule_id: f.start for f in make_plan(rules, reading, now).followups}
    assert got == {
        "window": at("Europe/Berlin", 2026, 12, 11, 9, 0),
        "nudge": at("Europe/Berlin", 2026, 12, 13, 9, 0),
    }
